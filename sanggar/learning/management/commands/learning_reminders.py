from django.core.management.base import BaseCommand

from sanggar.learning.services import comment_digest_sweep, study_reminders_sweep


class Command(BaseCommand):
    help = (
        "Send study reminders to learners idle for the configured days and each mentor's daily discussion digest "
        "(both safe to run any time: a second run the same day sends nothing new)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=("reminders", "digest"), default="")

    def handle(self, *args, **options):
        only = options["only"]
        if only in ("", "reminders"):
            self.stdout.write(f"{study_reminders_sweep()} study reminders sent.")
        if only in ("", "digest"):
            self.stdout.write(f"{comment_digest_sweep()} discussion digests sent.")
