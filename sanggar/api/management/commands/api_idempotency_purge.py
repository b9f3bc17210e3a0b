from django.core.management.base import BaseCommand

from sanggar.api.idempotency import idempotency_purge


class Command(BaseCommand):
    help = "Deletes stored Idempotency-Key responses older than 24 hours (also run hourly by Celery beat)."

    def handle(self, *args, **options):
        deleted = idempotency_purge()
        self.stdout.write(f"Deleted {deleted} expired idempotency record(s).")
