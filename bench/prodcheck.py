"""`make prod-check` (`python -m bench.prodcheck`): the production topology on this machine and a smoke test through it.

Starts two web processes (uvicorn), two Celery workers and beat on the machine's PostgreSQL (a scratch database) and
Redis (a database number of its own), uploads on moto's S3-compatible server, all with the production settings, then
checks, printing PASS or FAIL for each:

1. `manage.py check --deploy` is clean under the production settings; static files are collected (WhiteNoise).
2. Both web processes are ready (`/readyz`: database, Redis, broker).
3. A realtime event raised in a worker reaches a websocket client connected to the OTHER web process: an admin's
   broadcast is sent by a Celery worker; the member's browser connection on web 2 receives the notification.
4. A webhook handled by one process is seen by the other: Xendit's PAID callback on web 1 marks the order paid; the
   same delivery to web 2 is answered as a duplicate, the admin's sale page on web 2 shows the order paid, and the
   buyer's websocket on web 2 gets the "paid" notification raised on web 1.
5. Shared files: a file uploaded through one web process is on the S3-compatible store; private files come back as
   signed, expiring links; public media with a Cache-Control.
6. Metrics and health: `/metrics` aggregates the requests of both web processes, the queue depth and the webhook
   outcomes; the admin's "Kesehatan Sistem" page lists both workers; log lines are JSON with a request id.
7. Backup and restore: `manage.py backup` of the running platform, restored into an empty database, finds every
   table's rows and every file.

Exit code 0 when every check passed. Options: `--database`, `--redis-db`, `--keep` (leave the processes running).
"""

from __future__ import annotations

import argparse
import json
import time
import traceback
from urllib.parse import parse_qs, urlparse

from .topology import CALLBACK_TOKEN, Topology, log, seed_code

PASSWORD = "prodcheck-sandi-123"
BROADCAST = """
from django.db import transaction
from sanggar.accounts.models import User
from sanggar.reminders import services
admin = User.objects.get(email="admin@prodcheck.test")
with transaction.atomic():
    b = services.broadcast_save(actor=admin, title="Uji prod-check", subject="Kelas ekspor dibuka",
                                body="Pendaftaran kelas ekspor batch 12 dibuka hari ini.", channels=[],
                                segment_role="member")
    services.broadcast_start(actor=admin, broadcast=b)
result = {"broadcast": b.pk}
"""


class Checks:
    def __init__(self):
        self.results: list[tuple[str, bool, str]] = []

    def run(self, name: str, func) -> bool:
        started = time.monotonic()
        try:
            detail = func() or ""
            ok = True
        except Exception as exc:
            detail = f"{exc.__class__.__name__}: {exc}"
            traceback.print_exc()
            ok = False
        self.results.append((name, ok, detail))
        log(f"{'PASS' if ok else 'FAIL'}  {name} ({time.monotonic() - started:.1f} s){': ' + detail if detail else ''}")
        return ok

    @property
    def ok(self) -> bool:
        return all(ok for _name, ok, _detail in self.results)


def ws_connect(topo: Topology, index: int, session: str):
    from websockets.sync.client import connect

    url = topo.url(index).replace("http://", "ws://") + "/ws/notifications/"
    return connect(
        url,
        additional_headers={"Cookie": f"sessionid={session}", "Origin": topo.url(index)},
        open_timeout=15,
    )


def ws_wait(ws, predicate, timeout: float = 45.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError("no matching websocket event in time")
        try:
            message = json.loads(ws.recv(timeout=remaining))
        except TimeoutError:
            raise AssertionError("no matching websocket event in time") from None
        if predicate(message):
            return message


def xendit_paid(invoice: str, reference: str, amount: int) -> bytes:
    return json.dumps(
        {
            "id": reference,
            "external_id": invoice,
            "status": "PAID",
            "amount": amount,
            "paid_amount": amount,
            "payment_method": "BANK_TRANSFER",
            "payment_channel": "BCA",
            "currency": "IDR",
        }
    ).encode()


def main(argv=None) -> int:
    import httpx

    parser = argparse.ArgumentParser(prog="python -m bench.prodcheck", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="sanggar_prodcheck", help="scratch PostgreSQL database (recreated)")
    parser.add_argument("--redis-db", type=int, default=13, help="Redis database number of its own (emptied)")
    parser.add_argument("--keep", action="store_true", help="leave the processes running at the end")
    args = parser.parse_args(argv)

    topo = Topology(database=args.database, redis_db=args.redis_db)
    checks = Checks()
    state: dict = {}
    try:
        log(f"preparing: database {topo.database}, Redis db {topo.redis_db}, S3-compatible store (moto) on loopback")
        topo.prepare()

        def deploy_check():
            topo.manage("migrate", "--noinput", "-v", "0")
            topo.manage("collectstatic", "--noinput", "-v", "0")
            topo.manage("s3_public_policy", "--apply")
            result = topo.manage(
                "check", "--deploy", "--fail-level", "WARNING", extra_env={"SECURE_SSL_REDIRECT": "true"}
            )
            assert "no issues" in result.stdout, result.stdout + result.stderr
            state.update(topo.django(seed_code(PASSWORD)))
            # An admin's broadcast, started now: its task waits in the broker until the workers start, after the
            # member's browser is connected to web 2.
            state.update(topo.django(BROADCAST))
            return "check --deploy clean; static collected; seeded; a broadcast queued"

        if not checks.run("production settings: migrate, collectstatic, check --deploy", deploy_check):
            return 1

        topo.web_start(0)
        topo.web_start(1)
        log(f"started: web1 :{topo.web_ports[0]}, web2 :{topo.web_ports[1]}")

        def ready():
            answers = [topo.wait_ready(0), topo.wait_ready(1)]
            for answer in answers:
                assert answer["checks"] == {"database": "ok", "redis": "ok", "broker": "ok"}, answer
            return "database, Redis and broker ok on both"

        if not checks.run("both web processes ready", ready):
            return 1

        member_ws = ws_connect(topo, 1, state["member_session"])
        topo.worker_start(0)
        topo.worker_start(1)
        topo.beat_start()
        log("started: worker1, worker2, beat (the queued broadcast is picked up now)")

        def realtime_from_worker():
            message = ws_wait(member_ws, lambda m: m.get("type") == "notification.new" and "ekspor" in json.dumps(m))
            return f"web2's websocket got {message['type']} from the broadcast a worker sent"

        checks.run(
            "realtime: event raised in a worker reaches a websocket on the other web process", realtime_from_worker
        )

        def webhook_across():
            invoice, reference, amount, buyer = state["pending"][0]
            buyer_session = topo.django(
                f"""
from django.test import Client
from sanggar.accounts.models import User
c = Client(); c.force_login(User.objects.get(pk={buyer}))
result = {{"session": c.cookies["sessionid"].value}}
"""
            )["session"]
            buyer_ws = ws_connect(topo, 1, buyer_session)
            body = xendit_paid(invoice, reference, amount)
            headers = {"x-callback-token": CALLBACK_TOKEN, "Content-Type": "application/json"}
            first = httpx.post(topo.url(0, "/webhooks/xendit"), content=body, headers=headers, timeout=30)
            assert first.status_code == 200 and first.json()["outcome"] == "processed", first.text
            again = httpx.post(topo.url(1, "/webhooks/xendit"), content=body, headers=headers, timeout=30)
            assert again.status_code == 200 and again.json()["outcome"] == "duplicate", again.text
            page = httpx.get(
                topo.url(1, f"/admin/sales/{invoice}"), cookies={"sessionid": state["admin_session"]}, timeout=30
            )
            assert page.status_code == 200 and "Lunas" in page.text, page.status_code
            ws_wait(buyer_ws, lambda m: m.get("type") == "notification.new")
            buyer_ws.close()
            state["paid_invoice"] = invoice
            return f"{invoice}: processed on web1, duplicate on web2, paid on web2's page, buyer notified on web2"

        checks.run("webhook handled by one process is seen by the other", webhook_across)

        def shared_files():
            code = """
import httpx
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
private = default_storage.save("private/documents/prodcheck-kontrak.pdf", ContentFile(b"%PDF kontrak prodcheck"))
public = default_storage.save("avatars/prodcheck.png", ContentFile(b"PNG prodcheck"))
signed = default_storage.url(private)
plain = default_storage.url(public)
got = httpx.get(signed)
pub = httpx.get(plain)
result = {"signed": signed, "plain": plain, "private_body": got.text, "public_cache": pub.headers.get("cache-control"),
          "backend": type(storages["default"]).__name__}
"""
            found = topo.django(code)
            assert found["backend"] == "SanggarS3Storage", found
            query = parse_qs(urlparse(found["signed"]).query)
            assert "X-Amz-Signature" in query and query["X-Amz-Expires"] == ["600"], found["signed"]
            assert found["private_body"] == "%PDF kontrak prodcheck"
            assert "X-Amz-Signature" not in found["plain"] and found["public_cache"].startswith("public, max-age=")
            return "S3-compatible store: private signed (600 s), public cacheable"

        checks.run("shared file storage on the S3-compatible store", shared_files)

        def metrics_and_health():
            for i in range(5):
                httpx.get(topo.url(i % 2, "/healthz"), timeout=10)
            text = httpx.get(topo.url(0, "/metrics"), timeout=30).text
            assert 'view="payments:webhook"' in text or "webhook" in text, "no webhook request counted"
            assert 'sanggar_webhook_events_24h{outcome="processed"} 1.0' in text
            assert 'sanggar_webhook_events_24h{outcome="duplicate"} 1.0' in text
            assert "sanggar_celery_queue_depth" in text and 'sanggar_up{component="broker"} 1.0' in text
            # web1's /metrics counts the duplicate webhook that only web2 answered: one view over both processes.
            page = httpx.get(
                topo.url(1, "/admin/sistem/kesehatan"), cookies={"sessionid": state["admin_session"]}, timeout=30
            )
            assert page.status_code == 200 and "Kesehatan Sistem" in page.text
            assert 'id="workers">2<' in page.text.replace(" ", ""), "the page does not list two workers"
            answer = httpx.get(topo.url(0, "/healthz"), headers={"X-Request-ID": "prodcheck-req-0001"}, timeout=10)
            assert answer.headers["x-request-id"] == "prodcheck-req-0001"
            lines = [
                ln for p in topo.procs.values() for ln in p.log_path.read_text().splitlines() if ln.startswith("{")
            ]
            if lines:
                json.loads(lines[-1])
            return f"metrics over both processes; 2 workers on the health page; {len(lines)} JSON log lines"

        checks.run("metrics, health page, request ids and JSON logs", metrics_and_health)

        def backup_restore():
            made = topo.manage("backup").stdout.strip()
            target = f"{topo.database}_restore"
            topo.database_create(target)
            try:
                url = topo.database_url.rsplit("/", 1)[0] + f"/{target}"
                restored = topo.manage("restore", "--database-url", url).stdout.strip()
            finally:
                topo.database_drop(target)
            return f"{made} | {restored}"

        checks.run("backup of the running platform restored into an empty database", backup_restore)
        member_ws.close()

        def survived():
            dead = [name for name, proc in topo.procs.items() if not proc.alive()]
            assert not dead, f"stopped: {dead}"

        checks.run("every process still running", survived)
    finally:
        if not args.keep:
            topo.stop_all()
    log(
        "ALL PASSED"
        if checks.ok
        else f"FAILED: {[n for n, ok, _d in checks.results if not ok]} (logs in {topo.var_dir})"
    )
    return 0 if checks.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
