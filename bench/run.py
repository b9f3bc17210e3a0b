"""`python -m bench`: build the dataset, start the platform under uvicorn, measure five targets over HTTP.

Targets: the checkout page (`/checkout/gold`), the plans API (`GET /api/v1/plans`), order creation
(`POST /api/v1/orders` with a Bearer token), webhook processing (`POST /webhooks/xendit` marking a pending order
paid, with a valid callback token) and the admin sales list (`/admin/sales`, signed-in admin). For each: requests
per second, p50 / p95 latency, and the SQL queries one request runs (measured in-process)."""

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var" / "bench"
BENCH_DB = os.environ.get("BENCH_DATABASE", "sanggar_bench")
CALLBACK_TOKEN = "bench-callback-token"
BUYER_POOL = 1500  # order creation: each buyer orders each of three plans once


def _log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def _database_url(rebuild: bool, name: str = BENCH_DB) -> tuple[str, str]:
    """A URL for the bench database: `sanggar_bench` (or `name`) on the PostgreSQL server of DATABASE_URL, else a
    SQLite file under var/bench. Returns (url, kind)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        bench = urlunsplit(parts._replace(path=f"/{name}"))
        _postgres_prepare(urlunsplit(parts._replace(path="/postgres")), name=name, rebuild=rebuild)
        return bench, "postgresql"
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "bench.sqlite3"
    if rebuild and path.exists():
        path.unlink()
    return f"sqlite:///{path}", "sqlite"


def _postgres_prepare(admin_url: str, *, name: str, rebuild: bool) -> None:
    import psycopg

    if not name.replace("_", "").isalnum():
        raise ValueError(f"a bench database name is letters, digits and underscores (got {name!r})")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and rebuild:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _environment(database_url: str) -> dict:
    """Production-like settings for the bench process and the server it starts."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "SANGGAR_VAR_DIR": str(VAR_DIR),
        "DEBUG": "false",
        # Plain static storage (served by WhiteNoise from the finders): `collectstatic` with the manifest storage
        # currently fails on a vendor source map. Nothing else of SANGGAR_TESTING touches the measured requests
        # (it only puts a fast password hasher first); Celery stays asynchronous (below).
        "SANGGAR_TESTING": "true",
        "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "PAYMENT_PROVIDERS": "manual,xendit",
        "XENDIT_SECRET_KEY": "xnd_development_bench",
        "XENDIT_CALLBACK_TOKEN": CALLBACK_TOKEN,
        "XENDIT_BASE_URL": "http://127.0.0.1:9",  # never called: orders are created with the manual provider
        "SITE_URL": "http://127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        # As production runs under uvicorn (README "Deploying"): a psycopg pool per process. Without it every request
        # opened its own PostgreSQL connection (a server process forked, authenticated and torn down each time), a
        # cost that is not the platform's. `--no-pool` measures without it.
        "DB_POOL": "false" if os.environ.get("BENCH_NO_POOL") else "true",
        # The load comes from one loopback address standing in for many buyers: each request names its own
        # client address in X-Forwarded-For (as a reverse proxy would), so per-address limits see many clients.
        "TRUSTED_PROXY_COUNT": "1",
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    command = [
        str(BASE_DIR / ".venv" / "bin" / "uvicorn") if (BASE_DIR / ".venv" / "bin" / "uvicorn").exists() else "uvicorn",
        "config.asgi:application", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--lifespan", "off", "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    log = open(VAR_DIR / "server.log", "w")  # noqa: SIM115 - lives as long as the server
    return subprocess.Popen(  # noqa: S603 - a fixed command line
        command, cwd=BASE_DIR, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
    )


def _wait_ready(port: int, server: subprocess.Popen, timeout: float = 180.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped (see {VAR_DIR / 'server.log'})")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the server did not answer /healthz in time")


def _process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of the server process `pid` and its direct children (uvicorn's workers), read
    from /proc; 0.0 where there is no /proc."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for entry in Path("/proc").glob("[0-9]*/stat") if Path("/proc").is_dir() else ():
        try:
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.parent.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's pid
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def _postgres_cpu() -> float:
    """CPU seconds (user + system) of every PostgreSQL process on this machine (its backends, WAL writer,
    checkpointer, autovacuum), from /proc; 0.0 where there is none or no /proc. The bench's server and PostgreSQL
    share the same cores, so a request's cost is both."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for entry in Path("/proc").glob("[0-9]*/stat") if Path("/proc").is_dir() else ():
        try:
            text = entry.read_text()
        except OSError:
            continue
        name, rest = text.split(" (", 1)[1].rsplit(")", 1)
        if name == "postgres":
            fields = rest.split()
            total += int(fields[11]) + int(fields[12])
    return total / tick


def _stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _scale(args) -> None:
    """`--targets community,chat` names groups of targets; `--scale` shrinks every size it covers."""
    from .targets import TARGET_GROUPS

    if args.targets:
        keys = []
        for key in args.targets.split(","):
            keys.extend(TARGET_GROUPS.get(key.strip(), (key.strip(),)))
        args.targets = ",".join(dict.fromkeys(k for k in keys if k))
    if args.scale != 1.0:
        if not 0 < args.scale <= 1:
            raise SystemExit("--scale is a share between 0 and 1")
        for name in ("users", "orders", "memberships", "webhooks", "community_members", "community_posts",
                     "community_reactions", "fanout_members", "chat_clients", "sweep_members",
                     "broadcast_recipients"):  # fmt: skip
            setattr(args, name, max(2, int(getattr(args, name) * args.scale)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--memberships", type=int, default=10_000)
    parser.add_argument("--webhooks", type=int, default=6_000, help="pending orders prepared for the webhook target")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per target")
    parser.add_argument("--concurrency", type=int, default=16, help="connections kept busy per target")
    parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1), help="uvicorn worker processes")
    parser.add_argument("--reuse", action="store_true", help="keep an existing bench database instead of rebuilding")
    parser.add_argument(
        "--targets",
        default="",
        help=(
            "comma-separated subset: home,checkout,checkout_all,sales_page,products,plans,orders,orders_limited,"
            "webhooks,sales,shortlinks,bio,optin,buyers,buyers_api,course_catalogue,course_page,lesson_page,progress,"
            "class_waiting,class_sections,class_sweep,splits,buyer_import,community_feed,community_feed_api,"
            "community_group_api,community_post,community_fanout,chat_ws,reminder_sweep,broadcast_smtp; "
            "`community` and `chat` name every target of issue 13 / 14"
        ),
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiplies the dataset's sizes (users, orders, memberships, webhooks, community, chat, sweep, "
        "broadcast): 0.05 for a quick run while developing",
    )
    parser.add_argument("--community-members", type=int, default=20_000, help="community members (bench buyers)")
    parser.add_argument("--community-posts", type=int, default=100_000, help="posts across the bench groups")
    parser.add_argument("--community-reactions", type=int, default=1_000_000, help="reactions on those posts")
    parser.add_argument("--fanout-members", type=int, default=10_000, help="members of the fan-out group")
    parser.add_argument("--chat-clients", type=int, default=500, help="websocket clients on one server process")
    parser.add_argument("--sweep-members", type=int, default=20_000, help="members the reminder sweep finds due")
    parser.add_argument("--broadcast-recipients", type=int, default=20_000, help="members of the timed broadcast")
    parser.add_argument("--courses", type=int, default=200, help="published courses (0: no course targets)")
    parser.add_argument("--lessons", type=int, default=5_000, help="lessons across the courses")
    parser.add_argument("--enrolled", type=int, default=20_000, help="enrolled members (one enrolment each)")
    parser.add_argument("--programs", type=int, default=50, help="live-class programs (0: no class targets)")
    parser.add_argument("--sections", type=int, default=500, help="sections across the programs")
    parser.add_argument("--class-enrolments", type=int, default=5_000, help="class enrolments (one per buyer)")
    parser.add_argument("--splits", type=int, default=20_000, help="paid orders whose revenue split is timed")
    parser.add_argument("--buyers", type=int, default=50_000, help="buyers in the export directory")
    parser.add_argument("--import-rows", type=int, default=20_000, help="rows of the timed buyer import")
    parser.add_argument("--json", default="", help="also write the results to this JSON file")
    parser.add_argument(
        "--database", default=BENCH_DB, help="PostgreSQL database (default: BENCH_DATABASE or sanggar_bench)"
    )
    parser.add_argument(
        "--port", type=int, default=0, help="first loopback port of the servers (one per worker; default: free ones)"
    )
    parser.add_argument("--sql", action="store_true", help="print the SQL of the one request counted per target")
    parser.add_argument("--no-pool", action="store_true", help="a new database connection per request (no DB_POOL)")
    args = parser.parse_args(argv)
    _scale(args)
    if args.no_pool:
        os.environ["BENCH_NO_POOL"] = "1"

    database_url, kind = _database_url(rebuild=not args.reuse, name=args.database)
    env = _environment(database_url)
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))

    import django

    django.setup()
    from django.core.management import call_command

    from . import chat, classes, community, courses, dataset, directory, money, targets

    _log(f"database: {kind} ({urlsplit(database_url).path.lstrip('/')})")
    call_command("migrate", verbosity=0, interactive=False)
    if not dataset.is_built(users=args.users, orders=args.orders):
        started = time.monotonic()
        dataset.build(
            users=args.users, orders=args.orders, memberships=args.memberships, webhooks=args.webhooks, log=_log
        )
        _log(f"dataset built in {time.monotonic() - started:.1f} s")
    else:
        _log("dataset already there (--reuse)")

    money.affiliates_build(log=_log)
    wanted = set(args.targets.split(",")) if args.targets else set()
    directory_wanted = not wanted or bool(wanted & {"buyers", "buyers_api", "buyer_import"})
    if directory_wanted:
        directory.buyers_build(count=args.buyers, log=_log)
    plans = directory.plans_explain() if directory_wanted else []
    for plan in plans:
        _log(f"buyer list {plan.filters}: {'index-backed' if plan.uses_index else 'NO INDEX'} ({plan.chosen})")
        if args.sql or not plan.uses_index:
            print(plan.plan, file=sys.stderr)
    if args.courses and (not wanted or wanted & set(targets.COURSE_TARGETS)):
        started = time.monotonic()
        courses.courses_build(courses=args.courses, lessons=args.lessons, enrolled=args.enrolled, log=_log)
        _log(f"courses ready in {time.monotonic() - started:.1f} s")
    class_wanted = bool(args.programs) and (not wanted or bool(wanted & {*targets.CLASS_TARGETS, "class_sweep"}))
    if class_wanted:
        started = time.monotonic()
        classes.classes_build(
            programs=args.programs, sections=args.sections, enrolments=args.class_enrolments, log=_log
        )
        _log(f"live classes ready in {time.monotonic() - started:.1f} s")
    if not wanted or wanted & {*targets.TARGET_GROUPS["community"]}:
        community.community_build(
            members=args.community_members, posts=args.community_posts, reactions=args.community_reactions,
            fanout=args.fanout_members, log=_log,
        )  # fmt: skip
    chosen = [t for t in targets.TARGETS if not args.targets or t.key in args.targets.split(",")]
    context = targets.prepare(buyers=BUYER_POOL, callback_token=CALLBACK_TOKEN, memberships=args.memberships)
    if not context.course_slug:  # --courses 0: no course targets
        chosen = [t for t in chosen if t.key not in targets.COURSE_TARGETS]
    if not context.class_slug:  # --programs 0: no class targets
        chosen = [t for t in chosen if t.key not in targets.CLASS_TARGETS]
    if not context.community_post_id:
        chosen = [t for t in chosen if t.key not in targets.COMMUNITY_TARGETS]
    queries = {t.key: targets.queries_per_request(t, context, show=args.sql) for t in (targets.BASELINE, *chosen)}

    # One uvicorn process per worker, each on its own port, the load generator dealing its connections to them in
    # turn (as README "Deploying" runs web processes behind a proxy). `uvicorn --workers N` shares one listening
    # socket, and a burst of connections opened at once was often accepted by one worker alone: the other core idled
    # and the bare view measured at half its rate in some rows and not in others.
    ports = [args.port + n for n in range(args.workers)] if args.port else [_free_port() for _ in range(args.workers)]
    servers = []
    results = []
    try:
        for port in ports:
            servers.append(_start_server(env, port, 1))
        for port, server in zip(ports, servers, strict=True):
            _wait_ready(port, server)
        _log(f"uvicorn on 127.0.0.1:{','.join(map(str, ports))} ({args.workers} processes); {args.concurrency} "
             f"connections dealt to them in turn, {args.duration:g} s per target")  # fmt: skip

        # The bare view is measured right before every target, and each target is printed as a share of that
        # measurement: on a machine shared with other work the load changes within a run, and a ratio against a
        # bare view measured minutes earlier mostly measures that change.
        # CPU per request: the server's processes, and apart from them PostgreSQL's when it runs on this machine (not
        # the load generator's): figures that a busy machine disturbs far less than req/s.
        def server_cpu():
            return sum(_process_cpu(server.pid) for server in servers), _postgres_cpu()

        for target in chosen or [None]:
            baseline, cpu, db_cpu = targets.measure(
                targets.BASELINE, context, ports, args.concurrency, args.duration, server_cpu
            )
            results.append((targets.BASELINE, baseline, baseline.rps, cpu, db_cpu))
            if target is not None:
                measured, cpu, db_cpu = targets.measure(
                    target, context, ports, args.concurrency, args.duration, server_cpu
                )
                results.append((target, measured, baseline.rps, cpu, db_cpu))
    finally:
        for server in servers:
            _stop_server(server)

    rows = []
    print()
    print(f"{'target':<34}{'requests':>10}{'errors':>8}{'req/s':>9}{'vs bare':>9}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'queries':>9}{'cpu ms':>8}{'db ms':>7}")  # fmt: skip
    for target, result, baseline_rps, cpu_ms, db_cpu_ms in results:
        row = {
            "target": target.label,
            "requests": result.completed,
            "errors": result.errors,
            "rps": round(result.rps, 1),
            "ratio": round(result.rps / baseline_rps, 2) if baseline_rps else 0.0,
            "baseline_rps": round(baseline_rps, 1),
            "p50_ms": round(result.percentile(50) * 1000, 1),
            "p95_ms": round(result.percentile(95) * 1000, 1),
            "queries": queries[target.key],
            "server_cpu_ms": round(cpu_ms, 1),
            "db_cpu_ms": round(db_cpu_ms, 1),
            "statuses": {str(k): v for k, v in result.statuses.items()},
        }
        rows.append(row)
        print(f"{row['target']:<34}{row['requests']:>10}{row['errors']:>8}{row['rps']:>9}{row['ratio']:>9.2f}"
              f"{row['p50_ms']:>9}{row['p95_ms']:>9}{row['queries']:>9}{row['server_cpu_ms']:>8}"
              f"{row['db_cpu_ms']:>7}")  # fmt: skip
        if result.first_error:
            row["first_error"] = result.first_error
            print(f"    first unexpected answer: {result.first_error[:200]}")
    print(
        f"(vs bare = req/s as a share of {targets.BASELINE.label} measured right before it in this run; queries = SQL "
        "of one request, measured in-process; cpu ms = the server processes' CPU per request; db ms = PostgreSQL's "
        "processes' CPU per request, when it runs on this machine)"
    )
    print()
    if not args.targets or "splits" in args.targets.split(","):
        split = money.splits_measure(count=args.splits, log=_log)
        rows.append({"target": "revenue_split_post", **split})
        _log(f"revenue split of {split['orders']:,} paid orders: {split['seconds']} s ({split['per_second']} orders/s, "
             f"{split['queries_per_split']} queries each)")  # fmt: skip
    if not args.targets or "buyer_import" in args.targets.split(","):
        rows.append({"target": "buyer_import", **directory.import_measure(rows=args.import_rows, log=_log)})
    if class_wanted and (not args.targets or "class_sweep" in args.targets.split(",")):
        rows.append({"target": "class_sweep", **classes.sweep_measure(log=_log)})
    if not wanted or "community_fanout" in wanted:
        rows.append({"target": "community_fanout", **community.fanout_measure(log=_log)})
    if not wanted or "chat_ws" in wanted:
        rows.append({"target": "chat_ws", **chat.ws_measure(env=env, clients=args.chat_clients,
                                                            duration=args.duration, log=_log)})  # fmt: skip
    if not wanted or "reminder_sweep" in wanted:
        rows.append({"target": "reminder_sweep", **chat.sweep_measure(members=args.sweep_members, log=_log)})
    if not wanted or "broadcast_smtp" in wanted:
        rows.append({"target": "broadcast_smtp", **chat.broadcast_measure(recipients=args.broadcast_recipients,
                                                                          log=_log)})  # fmt: skip
    if plans:
        rows.append({"target": "buyer_list_plans", "errors": sum(not p.uses_index for p in plans),
                     "plans": {str(p.filters): p.uses_index for p in plans}})  # fmt: skip
    _log(
        f"dataset: {args.buyers:,} buyers, {args.users:,} users, {args.orders:,} orders, "
        f"{args.memberships:,} memberships ({kind}); {args.courses} courses, {args.lessons:,} lessons, "
        f"{args.enrolled:,} enrolled members"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    return 0 if all(r.get("errors", 0) == 0 for r in rows) else 1
