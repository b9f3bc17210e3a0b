"""manage.py sejoli_generate --target mysql://root@127.0.0.1:3306/sejoli_sintetis [--full] [--replace]

Builds a synthetic WordPress (Sejoli + Tutor LMS) database for a timed import: --full has the spec's scale and exact
figures (19,016 users, 19,252 orders, Rp 4.130.776.001, 124 affiliates, Rp 971.545.000 commissions)."""

import json

from django.core.management.base import BaseCommand, CommandError

from ...source import connect, source_parse
from ...synthetic import small_figures, source_build, spec_figures


class Command(BaseCommand):
    help = "Membuat database WordPress sintetis berbentuk Sejoli + Tutor LMS untuk uji migrasi."

    def add_arguments(self, parser):
        parser.add_argument("--target", required=True)
        parser.add_argument("--prefix", default="wp_")
        parser.add_argument("--full", action="store_true")
        parser.add_argument("--replace", action="store_true", help="Hapus database target bila sudah ada.")
        parser.add_argument("--seed", type=int, default=19)

    def handle(self, *args, **options):
        url = source_parse(options["target"])
        conn = connect(url, database=False)
        name = url.database.replace("`", "")
        with conn.cursor() as cur:
            cur.execute("SHOW DATABASES LIKE %s", [name])
            if cur.fetchone():
                if not options["replace"]:
                    raise CommandError(f"Database {name} sudah ada (pakai --replace untuk menggantinya).")
                cur.execute(f"DROP DATABASE `{name}`")
            cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
            cur.execute(f"USE `{name}`")
        figures = spec_figures() if options["full"] else small_figures()
        expected = source_build(conn, prefix=options["prefix"], figures=figures, seed=options["seed"])
        conn.close()
        self.stdout.write(json.dumps(expected, indent=2, ensure_ascii=False))
