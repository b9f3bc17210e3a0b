from django.core.management.base import BaseCommand

from sanggar.finance.services import challenge_awards_sweep, commissions_release_sweep


class Command(BaseCommand):
    help = "Release commissions and mentor shares past their holding period and post closed challenges' rewards."

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=("release", "challenges"), help="Run one of the two sweeps only.")

    def handle(self, *args, **options):
        only = options.get("only")
        if only in (None, "release"):
            self.stdout.write(f"{commissions_release_sweep()} commissions and mentor shares released.")
        if only in (None, "challenges"):
            self.stdout.write(f"{challenge_awards_sweep()} challenge rewards posted.")
