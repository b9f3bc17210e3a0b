from django.core.management.base import BaseCommand, CommandError

from sanggar.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Pulihkan cadangan ke database kosong dan penyimpanan berkas, lalu cocokkan setiap tabel dan berkas."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", default="latest", help="folder cadangan, atau 'latest'")
        parser.add_argument("--database-url", help="database tujuan (bawaan: DATABASE_URL)")
        parser.add_argument("--force", action="store_true", help="timpa database dan berkas yang sudah ada")

    def handle(self, *args, **options):
        try:
            result = backup_restore(
                source=options["source"], database_url=options.get("database_url"), force=options["force"]
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for line in result.mismatches:
            self.stderr.write(line)
        if not result.ok:
            raise CommandError(f"Pemulihan dari {result.source} tidak cocok: {len(result.mismatches)} selisih.")
        self.stdout.write(
            f"Dipulihkan dari {result.source}: {result.tables} tabel, {result.rows} baris, "
            f"{result.files} berkas — cocok."
        )
