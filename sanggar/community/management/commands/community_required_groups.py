from django.core.management.base import BaseCommand, CommandError

from sanggar.accounts.models import User
from sanggar.community.constants import RequiredFor
from sanggar.community.required import required_groups_report, required_groups_setup

LABEL = {RequiredFor.ALL: "semua paket", RequiredFor.LIFETIME: "lifetime"}


class Command(BaseCommand):
    help = (
        "Menyiapkan grup wajib (Support Ekspor Yuk untuk semua paket, Website Ekspor untuk lifetime) dan melaporkan "
        "bahwa setiap member aktif ada di grup yang benar. Aman dijalankan berulang. Dengan --check hanya melaporkan; "
        "keluar dengan kode 1 bila ada member yang belum masuk."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Hanya laporan, tanpa perubahan.")
        parser.add_argument("--admin", default="", help="Email admin yang tercatat sebagai pelaku (opsional).")

    def handle(self, *args, **options):
        actor = None
        if options["admin"]:
            actor = User.objects.filter(email__iexact=options["admin"]).first()
            if actor is None:
                raise CommandError(f"Admin {options['admin']} tidak ditemukan.")
        if options["check"]:
            reports = required_groups_report()
        else:
            reports = required_groups_setup(actor=actor)
        all_ok = True
        for r in reports:
            head = f"{r.name} ({LABEL.get(r.required_for, r.required_for)})"
            if not options["check"]:
                head += " — dibuat" if r.created else " — sudah ada"
                head += f", {r.rows_added} anggota ditambahkan"
            self.stdout.write(head)
            self.stdout.write(f"  member aktif yang wajib masuk: {r.expected}; sudah masuk: {r.present}")
            if r.ok:
                self.stdout.write(self.style.SUCCESS("  OK: semua member aktif ada di grup ini."))
            else:
                all_ok = False
                self.stdout.write(self.style.WARNING(f"  BELUM MASUK: {r.missing_count} member"))
                for user_id, email, why in r.missing:
                    self.stdout.write(f"    - #{user_id} {email}: {why}")
        if all_ok:
            self.stdout.write(self.style.SUCCESS("Semua member aktif ada di grup wajib yang benar."))
        elif options["check"]:
            raise SystemExit(1)
