from django.core.management.base import BaseCommand, CommandError

from sanggar.api.openapi import SNAPSHOT, openapi_text


class Command(BaseCommand):
    help = "Writes the API's OpenAPI document to sanggar/api/openapi.json (--check: fail if it is out of date)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only compare; exit with an error when different.")

    def handle(self, *args, check=False, **options):
        text = openapi_text()
        current = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""
        if check:
            if text != current:
                raise CommandError(f"{SNAPSHOT} is out of date: run `manage.py api_schema` and review the diff.")
            self.stdout.write("OpenAPI document up to date.")
            return
        SNAPSHOT.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {SNAPSHOT}.")
