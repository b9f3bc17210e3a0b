from django.core.management.base import BaseCommand

from sanggar.classes.services import sweep


class Command(BaseCommand):
    help = "Sapuan harian kelas live: batas bayar 24 jam, pengingat H-3, dan kelas yang berakhir."

    def handle(self, *args, **options):
        counts = sweep()
        self.stdout.write(
            f"Dibatalkan (tidak bayar): {counts['unpaid']}, "
            f"diingatkan: {counts['reminded']}, berakhir: {counts['expired']}"
        )
