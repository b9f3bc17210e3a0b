"""`python -m bench.profile_money TARGET [--n N] [--profile cprofile|calls|none]`: the CPU of one paid webhook
(`webhooks`), one order creation (`orders`), one admin sales list page (`sales`: `GET /admin/sales`, the bench admin
logged in), the bell's poll with that session (`signed_in`: what any signed-in request costs) or the bare view
(`healthz`, the baseline), in-process (Django's test client, DEBUG=false), on a small PostgreSQL dataset in the
database of DATABASE_URL (built once: 2,000 users, 2,000 orders, 3,000 pending Xendit orders).

Prints CPU ms per request (process time over N requests after two warm-up requests), the response's size and the
statements of the last one; `--profile calls` adds the Python function calls per request (deterministic, unlike the
CPU time on a shared machine), `--profile cprofile` prints those and the top functions by tottime and cumtime. Run
it under `valgrind --tool=callgrind` with `--profile none` for instruction counts that a busy machine does not
disturb."""

import argparse
import contextlib
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("target", choices=("webhooks", "orders", "sales", "signed_in", "healthz"))
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--profile", default="none", choices=("cprofile", "calls", "none"))
    parser.add_argument("--sql", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()

    from .run import CALLBACK_TOKEN, _environment, _postgres_cpu

    env = _environment(os.environ["DATABASE_URL"])
    env["DB_POOL"] = "false"
    os.environ.update(env)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from . import dataset, money, targets

    if not os.environ.get("PROFILE_NO_MIGRATE"):
        call_command("migrate", verbosity=0, interactive=False)
    if not dataset.is_built(users=2000, orders=2000):
        dataset.build(users=2000, orders=2000, memberships=1000, webhooks=3000, log=print)
    money.affiliates_build(log=print)
    if args.target == "orders":  # fresh buyers without a membership or an unpaid order (each orders three plans)
        from django.contrib.auth.hashers import make_password
        from django.utils import timezone

        from sanggar.accounts.models import User, UserRole
        from sanggar.core.roles import Role

        start = User.objects.filter(email__startswith="pembeli").count() + 100_000
        users = User.objects.bulk_create(
            [
                User(email=f"pembeli{n}@bench.test", full_name=f"Pembeli {n}", whatsapp=f"+62813{n:08d}",
                     password=make_password(dataset.PASSWORD), date_joined=timezone.now())
                for n in range(start, start + args.n // 3 + 3)
            ]
        )  # fmt: skip
        UserRole.objects.bulk_create([UserRole(user=u, role=Role.MEMBER) for u in users])
    context = targets.prepare(buyers=args.n // 3 + 3, callback_token=CALLBACK_TOKEN, memberships=1000)
    target = next(t for t in (targets.BASELINE, *targets.TARGETS) if t.key == args.target)
    make = targets.request_factory(target, context)
    client = Client()
    if args.target in ("sales", "signed_in"):  # the bench admin's session (the target's Cookie is the server's)
        from sanggar.accounts.models import User

        client.force_login(User.objects.get(email=dataset.ADMIN_EMAIL))
    size = 0

    def one(i):
        nonlocal size
        request = make(i)
        if request is None:
            raise SystemExit("the dataset ran out of pending orders/buyers: drop the database and run again")
        headers = {k: v for k, v in request.headers.items() if k not in ("Cookie", "Content-Type")}
        if request.method == "GET":
            response = client.get(request.path, headers=headers)
        else:
            response = client.generic(
                request.method, request.path, request.body, content_type="application/json", headers=headers
            )
        size = len(response.content)
        if response.status_code not in target.expected:
            raise RuntimeError(f"{response.status_code}: {response.content[:300]}")

    one(0)
    captured = []

    def record(execute, sql, params, many, ctx):
        captured.append(sql)
        return execute(sql, params, many, ctx)

    with connection.execute_wrapper(record):
        one(1)
    waited: dict[str, float] = {}  # --sql: each statement's wall time (the database's work and the round trip)

    def timed(execute, sql, params, many, ctx):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, ctx)
        finally:
            waited[sql] = waited.get(sql, 0.0) + time.perf_counter() - began

    profiler = cProfile.Profile(time.process_time) if args.profile in ("cprofile", "calls") else None
    db_started = _postgres_cpu()
    started = time.process_time()
    if profiler:
        profiler.enable()
    with connection.execute_wrapper(timed) if args.sql else contextlib.nullcontext():
        for i in range(2, 2 + args.n):
            one(i)
    if profiler:
        profiler.disable()
    spent = time.process_time() - started
    db_spent = _postgres_cpu() - db_started
    print(f"{target.label}: {1000 * spent / args.n:.2f} ms CPU a request, {len(captured)} statements, {size:,} bytes")
    if db_spent > 0:
        print(f"PostgreSQL's processes on this machine: {1000 * db_spent / args.n:.2f} ms CPU a request")
    if args.sql:
        print("  (ms: the statement's wall time per request, database work and round trip, over the measured ones)")
        for n, sql in enumerate(captured, 1):
            print(f"  {n:>3} {1000 * waited.get(sql, 0.0) / args.n:>6.2f} ms  {' '.join(sql.split())[:300]}")
    if profiler:
        stats = pstats.Stats(profiler)
        if os.environ.get("PROFILE_DUMP"):
            stats.dump_stats(os.environ["PROFILE_DUMP"])
        print(f"{stats.total_calls / args.n:,.0f} Python function calls a request (deterministic, unlike the CPU time)")
        if args.profile == "cprofile":
            stats.sort_stats("tottime").print_stats(args.top)
            stats.sort_stats("cumtime").print_stats(args.top)


if __name__ == "__main__":
    main()
