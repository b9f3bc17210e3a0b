from django.core.management.base import BaseCommand

from sanggar.notifications.services import deliveries_sweep


class Command(BaseCommand):
    help = "Queue again the deliveries whose sending task is overdue (safe to run any time)."

    def handle(self, *args, **options):
        count = deliveries_sweep()
        self.stdout.write(f"{count} deliveries queued again.")
