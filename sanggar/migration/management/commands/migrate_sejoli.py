"""manage.py migrate_sejoli --source mysql://USER:PASS@HOST:PORT/DB [--prefix wp_] [--dry-run] [--report-json FILE]
[--uploads-dir DIR] [--tutor-api URL --tutor-api-key KEY --tutor-api-secret SECRET [--tutor-api-prefer]]"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from sanggar.accounts.models import User
from sanggar.core.exceptions import ServiceError
from sanggar.core.roles import Role

from ...services import migration_execute


class Command(BaseCommand):
    help = "Impor data Sejoli dan Tutor LMS (WordPress) lalu cetak laporan rekonsiliasi."

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, help="mysql://USER:PASS@HOST:PORT/DB")
        parser.add_argument("--prefix", default="wp_")
        parser.add_argument("--dry-run", action="store_true", help="Tidak menulis apa pun; hanya laporan.")
        parser.add_argument("--report-json", default="", help="Simpan laporan JSON ke berkas ini.")
        parser.add_argument(
            "--uploads-dir", default="",
            help="Salinan lokal wp-content/uploads: video pelajaran self-hosted disalin ke penyimpanan privat.",
        )  # fmt: skip
        parser.add_argument(
            "--tutor-api", default="",
            help="Alamat situs WordPress (atau .../wp-json/tutor/v1/): isi pelajaran Tutor dibaca dari REST API-nya "
                 "bila salinan database tidak punya isi/video pelajaran.",
        )  # fmt: skip
        parser.add_argument("--tutor-api-key", default="", help="API key Tutor LMS (key_…).")
        parser.add_argument("--tutor-api-secret", default="", help="API secret Tutor LMS (secret_…).")
        parser.add_argument(
            "--tutor-api-prefer", action="store_true",
            help="Pakai isi pelajaran dari API untuk semua pelajaran, bukan hanya yang kosong di database.",
        )  # fmt: skip

    def handle(self, *args, **options):
        actor = User.objects.filter(roles__role=Role.ADMIN, is_active=True).order_by("pk").first()
        if actor is None:
            raise CommandError("Belum ada akun Admin: buat dulu (impor butuh pelaku untuk katalog dan kursus).")
        last = {"step": ""}

        def echo(step, done, total):
            if step != last["step"]:
                last["step"] = step
                sys.stderr.write("\n")
            width = 30
            filled = int(width * done / total) if total else width
            sys.stderr.write(f"\r{step:<14} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            sys.stderr.flush()

        try:
            report = migration_execute(
                source_url=options["source"], prefix=options["prefix"], dry_run=options["dry_run"], actor=actor,
                echo=echo if options["verbosity"] else None, uploads_dir=options["uploads_dir"] or None,
                tutor_api={"url": options["tutor_api"], "key": options["tutor_api_key"],
                           "secret": options["tutor_api_secret"], "prefer": options["tutor_api_prefer"]},
            )  # fmt: skip
        except ServiceError as exc:
            raise CommandError(str(exc)) from None
        sys.stderr.write("\n")
        text = json.dumps(report, indent=2, ensure_ascii=False, default=str)
        if options["report_json"]:
            with open(options["report_json"], "w", encoding="utf-8") as fh:
                fh.write(text)
        self.stdout.write(text)
        if report["differences"]:
            self.stderr.write(f"{len(report['differences'])} selisih dari angka spesifikasi (lihat 'differences').")
