from django.core.management.base import BaseCommand, CommandError

from sanggar.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Cadangkan database (pg_dump / SQLite) dan semua berkas unggahan ke BACKUP_DIR, dengan retensi BACKUP_KEEP."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="folder cadangan (bawaan: BACKUP_DIR)")
        parser.add_argument("--keep", type=int, help="jumlah cadangan terbaru yang disimpan (bawaan: BACKUP_KEEP)")

    def handle(self, *args, **options):
        try:
            result = backup_create(target_dir=options.get("dir"), keep=options.get("keep"))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Cadangan {result.path}: {result.tables} tabel, {result.rows} baris, {result.files} berkas"
            + (f"; {len(result.removed)} cadangan lama dihapus" if result.removed else "")
        )
