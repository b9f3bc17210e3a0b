from django.core.management.base import BaseCommand

from sanggar.orders.services import follow_ups_send_due, order_expire_sweep


class Command(BaseCommand):
    help = "Expire pending orders past their deadline and send the WhatsApp follow-ups that are due (safe any time)."

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=("expire", "follow-ups"), help="Run one of the two sweeps only.")

    def handle(self, *args, **options):
        only = options.get("only")
        if only in (None, "expire"):
            self.stdout.write(f"{order_expire_sweep()} pending orders expired.")
        if only in (None, "follow-ups"):
            self.stdout.write(f"{follow_ups_send_due()} follow-ups handled.")
