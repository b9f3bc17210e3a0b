from django.core.management.base import BaseCommand

from sanggar.memberships.services import memberships_expire_sweep


class Command(BaseCommand):
    # The 7 / 3 / 1-day reminders are a default sequence of the reminder builder (sanggar.reminders) now.
    help = "Expire memberships past their end (safe to run any time)."

    def handle(self, *args, **options):
        expired = memberships_expire_sweep()
        self.stdout.write(f"{expired} memberships expired.")
