from django.core.management.base import BaseCommand

from sanggar.payments.services import webhook_events_purge


class Command(BaseCommand):
    help = "Delete stored webhook deliveries past their retention (WEBHOOK_RETENTION_DAYS, unverified ones after "
    help += "WEBHOOK_UNVERIFIED_RETENTION_DAYS). Safe to run any time."

    def handle(self, *args, **options):
        self.stdout.write(f"{webhook_events_purge()} webhook deliveries deleted.")
