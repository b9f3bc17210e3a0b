"""`python -m bench.migration` (part of `make bench`): the Sejoli + Tutor LMS import at full size.

1. The source: the synthetic WordPress database of `sanggar.migration.synthetic` at the spec's figures (19,016 users,
   19,252 orders, 124 affiliates, ...) in MariaDB/MySQL (`--mysql`, database `--source-db`; built once and kept
   while its row counts match, `--regenerate` rebuilds it).
2. The platform database: `--database` on the PostgreSQL server of DATABASE_URL, cloned for every run from a migrated
   template (`<database>_template`, migrated in a subprocess) so each run starts empty; the three plans and an admin.
3. `migration_execute` (what `manage.py migrate_sejoli` runs) in-process, timed: wall clock, the process's CPU time,
   the platform database (queries and the time spent waiting on them), the source (queries and time), rows read per
   second; the report must have `differences: []`. Then a second run, which must write nothing.
`--profile FILE` writes a cProfile of the first run and prints its top functions."""

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB = os.environ.get("BENCH_MIGRATION_DATABASE", "sanggar_bench_migration")
DEFAULT_MYSQL = os.environ.get("MIGRATION_TEST_MYSQL", "mysql://root@127.0.0.1:3306")
LIMIT_SECONDS = 60.0  # the issue: the full import in under a minute


def _log(message: str) -> None:
    print(f"[bench.migration] {message}", flush=True)


def _postgres_clone(url: str, name: str) -> str:
    """Migrates `<name>_template` (kept between runs) and creates `name` from it, empty of data but migrated."""
    import psycopg

    if not name.replace("_", "").isalnum():
        raise ValueError(f"a bench database name is letters, digits and underscores (got {name!r})")
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    template = f"{name}_template"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (template,)).fetchone():
            conn.execute(f'CREATE DATABASE "{template}"')
    env = {**os.environ, "DATABASE_URL": urlunsplit(parts._replace(path=f"/{template}"))}
    subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, str(BASE_DIR / "manage.py"), "migrate", "--noinput", "-v", "0"], env=env, check=True
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def _source(mysql: str, name: str, regenerate: bool) -> tuple[str, dict]:
    """The full-size synthetic source (built when missing or different) and the figures it holds."""
    from sanggar.migration.source import connect, source_parse
    from sanggar.migration.synthetic import Builder, source_build, spec_figures

    url = f"{mysql.rstrip('/')}/{name}"
    figures = spec_figures()
    expected = Builder(figures).expected()
    conn = connect(source_parse(url), database=False)
    try:
        with conn.cursor() as cur:
            cur.execute("SHOW DATABASES LIKE %s", [name])
            exists = cur.fetchone() is not None
            fresh = False
            if exists and not regenerate:
                cur.execute(f"USE `{name}`")
                try:
                    cur.execute(
                        "SELECT (SELECT COUNT(*) FROM wp_users) AS u, (SELECT COUNT(*) FROM wp_sejolisa_orders) AS o"
                    )
                    row = cur.fetchone()
                    fresh = (row["u"], row["o"]) == (expected["users_read"], expected["orders"])
                except Exception:  # a half-built database is rebuilt
                    fresh = False
            if not fresh:
                started = time.monotonic()
                cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
                cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
                cur.execute(f"USE `{name}`")
                expected = source_build(conn, figures=figures)
                _log(f"source {name} built in {time.monotonic() - started:.1f} s")
            else:
                _log(f"source {name} already there")
    finally:
        conn.close()
    return url, expected


class Meter:
    """Queries and time on the platform database (a connection wrapper) and on the source (Source's counters)."""

    def __init__(self):
        self.queries = 0
        self.seconds = 0.0
        self.by_statement: dict[str, list] = {}

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.seconds += spent
            self.queries += 1
            row = self.by_statement.setdefault(sql[:90], [0, 0.0])
            row[0] += 1
            row[1] += spent

    def slowest(self, n: int) -> list[str]:
        ranked = sorted(self.by_statement.items(), key=lambda kv: -kv[1][1])[:n]
        return [f"{seconds:7.2f} s {count:5} x  {sql}" for sql, (count, seconds) in ranked]


def _table_counts() -> dict:
    from django.apps import apps

    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.app_label
        in (
            "accounts",
            "affiliates",
            "orders",
            "memberships",
            "learning",
            "finance",
            "migration",
            "access",
            "catalog",
        )  # fmt: skip
        and m._meta.managed
        and m._meta.label != "migration.MigrationRun"
    }


def _run_once(url: str, expected: dict, admin, profile: str = "", slowest: int = 0) -> dict:
    from django.db import connection

    from sanggar.migration import source as source_module
    from sanggar.migration.bulk import COPY_METER
    from sanggar.migration.services import migration_execute

    meter = Meter()
    source_module.SOURCE_METER.reset()
    COPY_METER.reset()
    profiler = cProfile.Profile() if profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(meter):
        if profiler:
            profiler.enable()
        report = migration_execute(source_url=url, actor=admin, expected=expected)
        if profiler:
            profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if profiler:
        profiler.dump_stats(profile)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    for line in meter.slowest(slowest):
        print(f"  postgres {line}")
    if slowest:
        for table, (count, rows, seconds) in sorted(COPY_METER.by_table.items(), key=lambda kv: -kv[1][2]):
            print(f"  COPY {seconds:7.2f} s {count:5} x {rows:7,} rows  {table}")
    rows = sum(t["read"] for name, t in report["tables"].items() if "." not in name)
    return {
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "db_queries": meter.queries + COPY_METER.statements,  # COPY statements bypass the execute wrapper
        "db_seconds": round(meter.seconds + COPY_METER.seconds, 2),
        "source_queries": source_module.SOURCE_METER.queries,
        "source_seconds": round(source_module.SOURCE_METER.seconds, 2),
        "rows_read": rows,
        "rows_per_second": round(rows / wall) if wall else 0,
        "differences": report["differences"],
        "imported": {k: v["imported"] for k, v in report["tables"].items() if v["imported"]},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.migration", description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DB, help="PostgreSQL database (cloned from <name>_template)")
    parser.add_argument("--mysql", default=DEFAULT_MYSQL, help="MariaDB/MySQL server of the synthetic source")
    parser.add_argument("--source-db", default="sejoli_bench", help="source database name on that server")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the source even if it is there")
    parser.add_argument("--profile", default="", help="write a cProfile of the first run to this file")
    parser.add_argument("--slowest", type=int, default=0, help="print the N statements that took longest")
    parser.add_argument("--json", default="", help="also write the results to this JSON file")
    args = parser.parse_args(argv)

    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        _log("DATABASE_URL must name a PostgreSQL server (the import is measured on PostgreSQL)")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["DATABASE_URL"] = _postgres_clone(database, args.database)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from sanggar.accounts.models import User, UserRole
    from sanggar.catalog.models import MembershipPlan, PlanPrice
    from sanggar.core.exceptions import ServiceError
    from sanggar.core.roles import Role

    try:
        url, expected = _source(args.mysql, args.source_db, args.regenerate)
    except ServiceError as exc:
        _log(f"the synthetic source needs MariaDB/MySQL at {args.mysql} (--mysql or MIGRATION_TEST_MYSQL): {exc}")
        return 2
    admin = User.objects.create(email="admin-bench@contoh.id", full_name="Admin Bench", password="!")
    UserRole.objects.bulk_create([UserRole(user=admin, role=Role.MEMBER), UserRole(user=admin, role=Role.ADMIN)])
    for rank, (slug, title, duration, price) in enumerate(
        (("6-bulan", "6 Bulan", "6m", 299000), ("12-bulan", "12 Bulan", "12m", 499000),
         ("lifetime", "Lifetime", "lifetime", 699000)), start=1,
    ):  # fmt: skip
        plan = MembershipPlan.objects.create(title=title, slug=slug, status="active", rank=rank)
        PlanPrice.objects.create(plan=plan, duration=duration, price=price)

    _log(f"first run: {url} → {urlsplit(os.environ['DATABASE_URL']).path.lstrip('/')}")
    first = _run_once(url, expected, admin, args.profile, args.slowest)
    counts = _table_counts()
    _log("second run (must write nothing)")
    second = _run_once(url, expected, admin)
    unchanged = _table_counts() == counts
    results = {"first": first, "second": {**second, "unchanged": unchanged}}
    for label, r in (("first run", first), ("second run", second)):
        print(
            f"{label:<11} wall {r['wall_seconds']:7.1f} s  cpu {r['cpu_seconds']:6.1f} s  "
            f"postgres {r['db_queries']:6,} queries {r['db_seconds']:6.1f} s  "
            f"source {r['source_queries']:5,} queries {r['source_seconds']:5.1f} s  "
            f"{r['rows_read']:,} rows read, {r['rows_per_second']:,} rows/s  differences {len(r['differences'])}"
        )
    ok = not first["differences"] and not second["differences"] and unchanged and not second["imported"]
    print(f"imported: {json.dumps(first['imported'])}")
    print(f"second run wrote nothing: {unchanged and not second['imported']}")
    if first["wall_seconds"] > LIMIT_SECONDS:
        print(
            f"note: the first run took longer than {LIMIT_SECONDS:.0f} s of wall clock (CPU {first['cpu_seconds']} s;"
            " on a loaded machine wall time includes waiting for the cores)"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
