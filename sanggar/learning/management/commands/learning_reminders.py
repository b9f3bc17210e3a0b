from django.core.management.base import BaseCommand

from sanggar.learning.services import study_reminders_sweep


class Command(BaseCommand):
    help = "Send study reminders to learners idle for LEARNING_REMINDER_IDLE_DAYS (safe to run any time)."

    def handle(self, *args, **options):
        self.stdout.write(f"{study_reminders_sweep()} study reminders sent.")
