"""`make faults` (`python -m bench.faults`): fault injection on the production topology, then proof that nothing was
lost or doubled.

The faults need servers this run may stop, so it starts its OWN PostgreSQL (initdb in a scratch folder, a free port)
and its OWN Redis (a free port, append-only file), never the machine's shared ones. Then two web processes, one or
two Celery workers (no beat: the sweeps are started by the test, so each fault hits a known task) and moto's S3 store.

1. **A worker killed in the middle of a broadcast** (SIGKILL while recipients are being written in batches): a new
   worker gets the unacknowledged task again after the visibility timeout and finishes it. Every member of the
   segment has exactly one recipient row and one notification.
2. **A worker killed in the middle of the reminder sweep** (a sequence on pending orders, one step): afterwards every
   pending order has exactly one send row and its buyer one notification per order.
3. **PostgreSQL restarted during checkout traffic** (Xendit PAID webhooks spread over both web processes, retried by
   the sender as providers do while the answer is not 200): afterwards every order is paid once — one paid payment,
   one revenue-split ledger transaction, balanced ledger, one "paid" notification per order.
4. **Redis unavailable for 30 seconds** (stopped and started again) during the same traffic: the same invariants, and
   no notification delivery left queued after the regular delivery sweep.

The report prints the counts for each. Exit code 0 when every invariant holds. Options: `--members` (default 300),
`--orders` per traffic fault (default 60), `--redis-down` seconds (default 30).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

from .prodcheck import Checks, xendit_paid
from .topology import BASE_DIR, CALLBACK_TOKEN, Topology, free_port, log, seed_code

VAR = BASE_DIR / "var" / "faults"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class PrivatePostgres:
    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0  # PostgreSQL refuses to run as root

    def _cmd(self, *args: str) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *args] if self.as_postgres else list(args)

    def start(self) -> None:
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir(parents=True)
        if self.as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        data = self.folder / "data"
        subprocess.run(  # noqa: S603 - a fixed command line
            self._cmd("initdb", "-D", str(data), "-A", "trust", "-U", "postgres"), check=True, capture_output=True
        )
        self._ctl("start")

    def _ctl(self, action: str) -> None:
        data = self.folder / "data"
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=60 -c fsync=off"
        subprocess.run(  # noqa: S603 - a fixed command line
            self._cmd("pg_ctl", "-D", str(data), "-l", str(self.folder / "postgres.log"), "-o", options, "-w", action,
                      *(["-m", "fast"] if action in ("stop", "restart") else [])),
            check=True, capture_output=True,
        )  # fmt: skip

    def restart(self, down: float = 0) -> None:
        """Stops the server (fast: open connections are cut), keeps it down `down` seconds, starts it again."""
        self._ctl("stop")
        time.sleep(down)
        self._ctl("start")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._ctl("stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


class PrivateRedis:
    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.popen = subprocess.Popen(  # noqa: S603 - a fixed command line
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
             "--appendonly", "yes", "--save", "", "--protected-mode", "no"],
            stdout=open(self.folder / "redis.log", "a"), stderr=subprocess.STDOUT, start_new_session=True,  # noqa: SIM115
        )  # fmt: skip
        import redis

        deadline = time.monotonic() + 20
        while True:
            try:
                redis.Redis(port=self.port).ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self) -> None:
        if self.popen and self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)  # a clean shutdown writes the append-only file
            self.popen.wait(timeout=30)

    @property
    def base(self) -> str:
        return f"redis://127.0.0.1:{self.port}"


_CONNECTIONS: dict = {}


def sql(topo: Topology, query: str, params=()) -> list[tuple]:
    """A query on the platform's database over one kept connection (polling fast enough to catch a task midway);
    reconnects while the server restarts."""
    import psycopg

    deadline = time.monotonic() + 60
    while True:
        try:
            conn = _CONNECTIONS.get(topo.database_url)
            if conn is None or conn.closed:
                conn = _CONNECTIONS[topo.database_url] = psycopg.connect(
                    topo.database_url, connect_timeout=5, autocommit=True
                )
            return conn.execute(query, params).fetchall()
        except psycopg.OperationalError:
            _CONNECTIONS.pop(topo.database_url, None)
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def wait_for(predicate, timeout: float, what: str, step: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what}")


def kill_worker_midway(topo: Topology, progress, total: int, what: str) -> str:
    """SIGKILL the only worker once `progress()` is between 0 and `total`, start a new one, wait for `total`."""
    deadline = time.monotonic() + 300
    while True:
        at = progress()
        if 0 < at < total:
            break
        if at >= total:
            raise AssertionError(f"{what} finished before a kill could land: use more --members")
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not start")
        time.sleep(0.01)
    topo.kill("worker1")
    log(f"  worker1 killed (SIGKILL) at {at}/{total} {what}")
    time.sleep(1)
    topo.worker_start(0)
    wait_for(lambda: progress() >= total, topo.visibility_timeout + 180, f"{what} to finish")
    time.sleep(2)  # a doubled run would show up now
    return f"killed at {at}/{total}"


def traffic(topo: Topology, orders: list, fault, fault_after: float, spread: float) -> dict:
    """Posts a PAID webhook for each order over both web processes; a delivery is repeated (after 0.5 s) until it is
    answered 200, as a payment provider does. The orders are paced over `spread` seconds, so the traffic runs before,
    during and after `fault()`, which starts after `fault_after` seconds. Every attempt is timed against the fault's
    window: the report shows the outage really hit requests in flight (`during`) and that traffic went on after it."""
    import httpx

    stats = {"sent": 0, "retries": 0, "non_200": 0, "errors": 0}
    window = {"start": None, "end": None}
    # (began, finished, answered 200) in monotonic time. An attempt counts "during" the fault when it was in flight
    # at any moment of the fault's window: a request that waits out a PostgreSQL restart on the server and is
    # answered after it still met the fault (counting by the answer's time alone missed those and failed the drill).
    attempts: list[tuple[float, float, bool]] = []
    lock = threading.Lock()
    queue = list(orders)
    clients = [httpx.Client(timeout=20) for _ in range(4)]  # made first: an SSL context takes a while on a busy machine
    started = time.monotonic()
    gap = spread / max(len(orders), 1)  # one new order every `gap` seconds, across the senders
    slot = {"next": started}

    def sender(index: int):
        with clients[index] as client:
            while True:
                with lock:
                    if not queue:
                        return
                    invoice, reference, amount, _buyer = queue.pop()
                    at, slot["next"] = slot["next"], slot["next"] + gap
                time.sleep(max(0.0, at - time.monotonic()))
                body = xendit_paid(invoice, reference, amount)
                headers = {"x-callback-token": CALLBACK_TOKEN, "Content-Type": "application/json"}
                deadline = time.monotonic() + 180
                attempt = 0
                while True:
                    web = (index + attempt) % 2
                    began = time.monotonic()
                    try:
                        answer = client.post(topo.url(web, "/webhooks/xendit"), content=body, headers=headers)
                        ok = answer.status_code == 200
                        with lock:
                            attempts.append((began, time.monotonic(), ok))
                        if ok:
                            break
                        with lock:
                            stats["non_200"] += 1
                    except httpx.HTTPError:
                        with lock:
                            attempts.append((began, time.monotonic(), False))
                            stats["errors"] += 1
                    attempt += 1
                    with lock:
                        stats["retries"] += 1
                    if time.monotonic() > deadline:
                        raise AssertionError(f"{invoice}: no 200 within 180 s")
                    time.sleep(0.5)
                with lock:
                    stats["sent"] += 1

    def timed_fault():
        window["start"] = time.monotonic()
        try:
            fault()
        finally:
            window["end"] = time.monotonic()

    threads = [threading.Thread(target=sender, args=(i,), daemon=True) for i in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(fault_after)
    timed_fault()
    for thread in threads:
        thread.join(timeout=400)
    start, end = window["start"], window["end"]
    before = [ok for began, finished, ok in attempts if finished < start]
    during = [ok for began, finished, ok in attempts if began <= end and finished >= start]
    after = [ok for began, finished, ok in attempts if began > end]
    stats.update(
        fault_seconds=round(end - start, 1),
        traffic_seconds=round(time.monotonic() - started, 1),
        before_ok=sum(before),
        during_attempts=len(during),
        during_ok=sum(during),
        during_failed=len(during) - sum(during),
        after_ok=sum(after),
    )
    assert before and during and after, f"the fault did not fall inside the traffic: {stats}"
    return stats


def money_invariants(topo: Topology, invoices: list[str]) -> str:
    # Notifications are written by Celery tasks queued at payment: give the workers up to two minutes to drain the
    # queue (tasks failed by the fault are retried) before anything missing counts as lost.
    query = (
        "SELECT COUNT(*) FROM notifications_notification WHERE data->>'template' = 'orders.payment_succeeded' "
        "AND data->>'order' = ANY(%s)"
    )
    with contextlib.suppress(AssertionError):
        wait_for(lambda: sql(topo, query, (invoices,))[0][0] >= len(invoices), 120, "payment notifications", step=2)
    rows = sql(
        topo,
        """SELECT o.invoice_number, o.status,
                  (SELECT COUNT(*) FROM payments_payment p WHERE p.order_id = o.id AND p.status = 'paid'),
                  (SELECT COUNT(*) FROM finance_ledgertransaction t WHERE t.key = 'split:' || o.invoice_number),
                  (SELECT COUNT(*) FROM notifications_notification n
                    WHERE n.data->>'order' = o.invoice_number AND n.data->>'template' = 'orders.payment_succeeded'),
                  (SELECT COUNT(*) FROM memberships_membershiplog g
                    WHERE g.order_id = o.id AND g.kind IN ('activated', 'extended')),
                  (SELECT COUNT(*) FROM finance_ledgerentry e
                    JOIN finance_ledgertransaction t ON t.id = e.transaction_id
                    WHERE t.key = 'split:' || o.invoice_number),
                  (SELECT COUNT(*) FROM notifications_delivery d JOIN notifications_notification n
                    ON n.id = d.notification_id WHERE n.data->>'order' = o.invoice_number
                    AND n.data->>'template' = 'orders.payment_succeeded')
           FROM orders_order o WHERE o.invoice_number = ANY(%s)""",
        (invoices,),
    )
    # exactly one of each per order: paid payment, split transaction, "paid" notification, membership grant
    bad = [r for r in rows if r[1] != "paid" or r[2] != 1 or r[3] != 1 or r[4] != 1 or r[5] != 1]
    lost = sum(1 for r in rows for n in (r[2], r[3], r[4], r[5]) if n == 0)
    doubled = sum(n - 1 for r in rows for n in (r[2], r[3], r[4], r[5]) if n > 1)
    balance = sql(topo, "SELECT COALESCE(SUM(amount), 0) FROM finance_ledgerentry")[0][0]
    assert len(rows) == len(invoices), f"{len(rows)} of {len(invoices)} orders found"
    assert not bad, f"orders not paid exactly once ({lost} lost, {doubled} doubled): {bad[:5]}"
    assert balance == 0, f"ledger does not balance: {balance}"
    n = len(rows)
    return (
        f"{n}/{len(invoices)} orders paid; paid payments {sum(r[2] for r in rows)}, split transactions "
        f"{sum(r[3] for r in rows)} ({sum(r[6] for r in rows)} ledger entries), membership grants "
        f"{sum(r[5] for r in rows)}, 'paid' notifications {sum(r[4] for r in rows)} ({sum(r[7] for r in rows)} "
        f"deliveries); expected {n} of each: {lost} lost, {doubled} doubled; ledger balanced"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--orders", type=int, default=60, help="orders paid during each traffic fault")
    parser.add_argument("--redis-down", type=int, default=30, help="seconds Redis stays unavailable")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)

    if VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True)
    postgres = PrivatePostgres(VAR / "postgres")
    redis_server = PrivateRedis(VAR / "redis")
    topo = Topology(
        database="sanggar_faults",
        redis_db=0,
        var_dir=VAR / "platform",
        base_database_url=postgres.url,
        redis_base=redis_server.base,
        visibility_timeout=15,
    )
    checks = Checks()
    try:
        log(f"own PostgreSQL on :{postgres.port}, own Redis on :{redis_server.port}")
        postgres.start()
        redis_server.start()
        topo.prepare()
        topo.env["REMINDERS_BROADCAST_BATCH_SIZE"] = "5"  # many small transactions: a kill lands in the middle
        topo.manage("migrate", "--noinput", "-v", "0")
        topo.manage("collectstatic", "--noinput", "-v", "0")
        state = topo.django(seed_code("faults-sandi-123").replace("range(1, 41)", f"range(1, {args.members + 1})"))
        members = len(state["members"])
        log(f"seeded {members} members, {len(state['pending'])} pending orders")
        topo.web_start(0)
        topo.web_start(1)
        topo.worker_start(0)
        topo.wait_ready(0)
        topo.wait_ready(1)

        def broadcast():
            # The task waits in the broker while no worker runs; the worker started next takes it, and is killed.
            topo.stop("worker1")
            result = topo.django(
                """
from django.db import transaction
from sanggar.accounts.models import User
from sanggar.reminders import services
admin = User.objects.get(email="admin@prodcheck.test")
with transaction.atomic():
    b = services.broadcast_save(actor=admin, title="Uji gangguan", subject="Info kelas", body="Kelas baru dibuka.",
                                channels=[], segment_role="member")
    services.broadcast_start(actor=admin, broadcast=b)
result = {"id": b.pk, "segment": services.segment_users(broadcast=b).count()}
"""
            )
            bid, total = result["id"], result["segment"]
            topo.worker_start(0)

            def progress():
                query = "SELECT COUNT(*) FROM reminders_broadcastrecipient WHERE broadcast_id=%s"
                return sql(topo, query, (bid,))[0][0]

            detail = kill_worker_midway(topo, progress, total, "broadcast recipients")
            rows = sql(
                topo,
                """SELECT COUNT(*), COUNT(DISTINCT r.user_id), COUNT(DISTINCT r.notification_id),
                          (SELECT status FROM reminders_broadcast WHERE id=%s)
                   FROM reminders_broadcastrecipient r WHERE r.broadcast_id=%s""",
                (bid, bid),
            )[0]
            assert rows[0] == rows[1] == total and rows[2] == total and rows[3] == "sent", rows
            return f"{detail}; {total} recipients, {rows[2]} notifications, each member once (0 lost, 0 doubled)"

        checks.run("worker killed in the middle of a broadcast", broadcast)

        def reminder_sweep():
            topo.stop("worker1")
            result = topo.django(
                """
from sanggar.accounts.models import User
from sanggar.reminders import services
from sanggar.orders.models import Order
admin = User.objects.get(email="admin@prodcheck.test")
seq = services.sequence_save(actor=admin, name="Tagihan menunggu", trigger="order_pending")
step = services.step_save(actor=admin, sequence=seq, delay_hours=0, channels=[], subject="Tagihan {invoice}",
                          body="Halo {name}, tagihan {invoice} menunggu pembayaran.")
from sanggar.reminders.tasks import reminders_send_due_task
reminders_send_due_task.delay()
result = {"step": step.pk, "pending": Order.objects.filter(status="pending").count()}
"""
            )
            step, total = result["step"], result["pending"]
            topo.worker_start(0)

            def progress():
                return sql(topo, "SELECT COUNT(*) FROM reminders_remindersend WHERE step_id=%s", (step,))[0][0]

            detail = kill_worker_midway(topo, progress, total, "reminder sends")
            rows = sql(
                topo,
                """SELECT COUNT(*), COUNT(DISTINCT object_key), COUNT(DISTINCT notification_id)
                   FROM reminders_remindersend WHERE step_id=%s""",
                (step,),
            )[0]
            assert rows[0] == rows[1] == rows[2] == total, rows
            return f"{detail}; {total} pending orders, {rows[0]} sends, {rows[2]} notifications (0 lost, 0 doubled)"

        checks.run("worker killed in the middle of the reminder sweep", reminder_sweep)
        topo.worker_start(1)  # the traffic faults run with two workers

        pending = list(state["pending"])
        first, second = pending[: args.orders], pending[args.orders : 2 * args.orders]

        def postgres_restart():
            def fault():
                log("  PostgreSQL stopped for 5 s")
                postgres.restart(down=5)
                log("  PostgreSQL back")

            stats = traffic(topo, first, fault, fault_after=5, spread=25)
            return f"{stats}; " + money_invariants(topo, [o[0] for o in first])

        checks.run("PostgreSQL restarted during checkout traffic", postgres_restart)

        def redis_outage():
            def fault():
                log(f"  Redis down for {args.redis_down} s")
                redis_server.stop()
                time.sleep(args.redis_down)
                redis_server.start()
                log("  Redis back")

            stats = traffic(topo, second, fault, fault_after=5, spread=args.redis_down + 15)
            for i in (0, 1):
                topo.wait_ready(i, timeout=120)
            # The regular delivery sweep (beat, every 5 minutes) as it runs once the grace period has passed: it hands
            # every delivery whose broker message was lost during the outage to the queue again.
            swept = topo.django(
                """
from django.utils import timezone
from sanggar.notifications.services import SWEEP_GRACE, deliveries_sweep
result = {"swept": deliveries_sweep(now=timezone.now() + SWEEP_GRACE + timezone.timedelta(minutes=1))}
"""
            )["swept"]
            wait_for(
                lambda: sql(topo, "SELECT COUNT(*) FROM notifications_delivery WHERE status='queued'")[0][0] == 0,
                120,
                "queued deliveries to be sent",
            )
            return (
                f"{stats}; "
                + money_invariants(topo, [o[0] for o in second])
                + f"; {swept} deliveries re-queued by the sweep, none left queued"
            )

        checks.run(f"Redis unavailable for {args.redis_down} s during checkout traffic", redis_outage)

        def survived():
            dead = [name for name, proc in topo.procs.items() if not proc.alive()]
            assert not dead, f"stopped: {dead}"

        checks.run("web processes and workers survived", survived)
    finally:
        if not args.keep:
            topo.stop_all()
            redis_server.stop()
            postgres.stop()
    log("REPORT")
    for name, ok, detail in checks.results:
        log(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}")
    return 0 if checks.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
