from django.core.management.base import BaseCommand

from sanggar.memberships.services import memberships_expire_sweep, memberships_remind_sweep


class Command(BaseCommand):
    help = "Expire memberships past their end and send the 7 / 3 / 1-day reminders (safe to run any time)."

    def handle(self, *args, **options):
        expired = memberships_expire_sweep()
        reminded = memberships_remind_sweep()
        self.stdout.write(f"{expired} memberships expired, {reminded} reminders sent.")
