"""The realtime and messaging part of the bench (issue 14).

- `chat_ws`: one uvicorn process (the channel layer `make run` uses: in-memory, or Redis when REDIS_URL is set),
  500 websocket clients (`--chat-clients`) signed in with their JWT at `/ws/chat/?token=…`, in 250 direct
  conversations. First every client sends as fast as its acknowledgements come back (`message.send` → `chat.ack`,
  one in flight per client): messages per second delivered to the other participant, and the delivery latency (the
  sender's send to the recipient's `chat.message`) p50 / p95 / p99 at that saturation. Then, once the saturation's
  backlog has drained (every sent message delivered, or nothing delivered for DRAIN_QUIET seconds), the same clients
  send at half that rate, spread evenly (an open loop): the latency of a server that keeps up, not of the queue the
  first phase left behind. Both phases print messages per second and p95 latency. The per-user and per-address
  message limits are raised for the run (every client is on loopback, and the limits are not what is measured).
- `reminder_sweep`: `reminders.services.reminders_send_due` over 20,000 members (`--sweep-members`) whose membership
  started within the hour, one sequence with one step (email), run until nothing is due (a run handles at most
  REMINDERS_MAX_PER_RUN), in one transaction rolled back afterwards: seconds, sends per second, queries per send.
- `broadcast_smtp`: an email broadcast to 20,000 members (`--broadcast-recipients`, a province segment) started
  through the reminders services and run by one worker in-process (Celery eager: the batches, each batch's emails
  sent by the batch sender over one SMTP connection; the per-minute pace is lifted), with Django's SMTP backend
  pointed at an SMTP sink on loopback started here (`smtpsink.py`): seconds,
  emails per second received by the sink, and the count check (each member one email)."""

import asyncio
import json
import statistics
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from sanggar.accounts.models import User
from sanggar.chat.models import Conversation, Participant

from .inprocess import QueryCounter, rolled_back

BENCH_PROVINCE = "Bali"
LIMITS = {  # the message limits, raised for the websocket run (see the docstring)
    "CHAT_MESSAGE_RATE_LIMIT": "100000000/60",
    "CHAT_NEW_ACCOUNT_MESSAGE_RATE_LIMIT": "100000000/60",
    "CHAT_MESSAGE_IP_RATE_LIMIT": "100000000/60",
}


DRAIN_QUIET = 3.0  # seconds without a delivery: the rest is lost, not late
DRAIN_MAX = 120.0


async def _drain(state, phase: str, sent: int) -> float:
    """Waits until every message `sent` in `phase` was delivered, or deliveries stopped (DRAIN_QUIET seconds without
    one), at most DRAIN_MAX seconds. Returns the seconds waited."""
    started = time.perf_counter()
    last_count, last_change = -1, started
    while time.perf_counter() - started < DRAIN_MAX:
        count = len(state["latencies"][phase])
        if count >= sent:
            break
        now = time.perf_counter()
        if count != last_count:
            last_count, last_change = count, now
        elif now - last_change >= DRAIN_QUIET:
            break
        await asyncio.sleep(0.1)
    return time.perf_counter() - started


def _percentile(values, p) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


# --- websocket -----------------------------------------------------------------------------------------------------


def conversations_build(clients: int) -> list[tuple[int, int, int]]:
    """`clients` bench buyers (the newest) in pairs, one direct conversation per pair (bulk rows, as a migration
    leaves them; made once). Returns (conversation id, user a, user b)."""
    users = list(
        User.objects.filter(email__startswith="pembeli")
        .order_by("-pk")
        .values_list("pk", flat=True)[: clients // 2 * 2]
    )
    pairs = [(min(a, b), max(a, b)) for a, b in zip(users[0::2], users[1::2], strict=True)]
    keys = {f"{a}:{b}": (a, b) for a, b in pairs}
    have = dict(Conversation.objects.filter(pair_key__in=keys).values_list("pair_key", "pk"))
    missing = [k for k in keys if k not in have]
    if missing:
        with transaction.atomic():
            made = Conversation.objects.bulk_create(
                [Conversation(kind="direct", pair_key=k, created_by_id=keys[k][0]) for k in missing]
            )
            Participant.objects.bulk_create(
                [Participant(conversation=c, user_id=uid) for c in made for uid in keys[c.pair_key]]
            )
        have.update({c.pair_key: c.pk for c in made})
    return [(have[k], a, b) for k, (a, b) in keys.items()]


async def _client(port, token, index, conversation, state):
    from websockets.asyncio.client import connect

    ws = await connect(f"ws://127.0.0.1:{port}/ws/chat/?token={token}", open_timeout=120, max_queue=None)
    state["connected"] += 1
    acks: asyncio.Queue = asyncio.Queue()

    async def reader():
        async for raw in ws:
            event = json.loads(raw)
            kind = event.get("type")
            if kind == "chat.ack":
                acks.put_nowait(True)
            elif kind == "chat.error":
                state["errors"] += 1
                acks.put_nowait(False)
            elif kind == "chat.message":
                body = event["message"]["body"].split()
                if len(body) == 4 and body[0] == "b" and int(body[1]) != index:
                    state["latencies"][body[3]].append(time.perf_counter() - float(body[2]))

    task = asyncio.create_task(reader())
    return ws, acks, task


def _frame(index, conversation, seq, phase) -> str:
    return json.dumps(
        {
            "type": "message.send",
            "conversation": conversation,
            "body": f"b {index} {time.perf_counter():.6f} {phase}",
            "client_id": f"bench-{phase}-{index}-{seq}-{time.time_ns()}",
        }
    )


async def _ws_run(port, members, duration) -> dict:
    """members: (token, index, conversation) per client."""
    state = {"connected": 0, "errors": 0, "latencies": {"closed": [], "open": []}}
    started = time.perf_counter()
    clients = []
    for start in range(0, len(members), 50):  # connect in waves (the accept queue of one process)
        clients += await asyncio.gather(
            *(_client(port, token, index, conv, state) for token, index, conv in members[start : start + 50])
        )
    connect_seconds = time.perf_counter() - started
    await asyncio.sleep(1.0)  # presence written, groups joined

    # 1. closed loop: one message in flight per client, as fast as acks come back
    sent = {"closed": 0, "open": 0}
    deadline = time.perf_counter() + duration

    async def closed(ws, acks, index, conv):
        seq = 0
        while time.perf_counter() < deadline:
            await ws.send(_frame(index, conv, seq, "closed"))
            sent["closed"] += 1
            seq += 1
            await acks.get()

    t0 = time.perf_counter()
    await asyncio.gather(
        *(closed(ws, acks, idx, conv) for (ws, acks, _t), (_tok, idx, conv) in zip(clients, members, strict=True))
    )
    closed_elapsed = time.perf_counter() - t0
    # the rate counts what was delivered within the phase; the backlog drains before the half-rate phase starts
    rate = len(state["latencies"]["closed"]) / closed_elapsed if closed_elapsed else 0.0
    drain_seconds = await _drain(state, "closed", sent["closed"])
    delivered = len(state["latencies"]["closed"])

    # 2. open loop at half the closed-loop rate, the senders taking turns
    target = max(rate / 2, 1.0)
    interval = 1.0 / target
    t0 = time.perf_counter()
    n = 0
    while time.perf_counter() - t0 < duration:
        ws, _acks, _t = clients[n % len(clients)]
        _tok, idx, conv = members[n % len(members)]
        await ws.send(_frame(idx, conv, n, "open"))
        sent["open"] += 1
        n += 1
        wait = t0 + n * interval - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
    open_elapsed = time.perf_counter() - t0
    await _drain(state, "open", sent["open"])
    for ws, _acks, task in clients:
        await ws.close()
        task.cancel()
    closed_l, open_l = state["latencies"]["closed"], state["latencies"]["open"]
    return {
        "clients": len(clients),
        "connected": state["connected"],
        "connect_seconds": round(connect_seconds, 1),
        "sent": sent["closed"],
        "delivered": delivered,
        "messages_per_second": round(rate, 1),
        "drain_seconds": round(drain_seconds, 1),
        "p50_ms": round(_percentile(closed_l, 50) * 1000, 1),
        "p95_ms": round(_percentile(closed_l, 95) * 1000, 1),
        "p99_ms": round(_percentile(closed_l, 99) * 1000, 1),
        "open_rate": round(sent["open"] / open_elapsed, 1) if open_elapsed else 0.0,
        "open_delivered": len(open_l),
        "open_p50_ms": round(_percentile(open_l, 50) * 1000, 1),
        "open_p95_ms": round(_percentile(open_l, 95) * 1000, 1),
        "errors": state["errors"] + (sent["closed"] - delivered) + (sent["open"] - len(open_l)),
    }


def ws_measure(*, env: dict, clients: int, duration: float, log) -> dict:
    from sanggar.api.tokens import token_pair_issue

    from .run import _free_port, _process_cpu, _start_server, _stop_server, _wait_ready

    conversations = conversations_build(clients)
    users = {u.pk: u for u in User.objects.filter(pk__in=[x for _c, a, b in conversations for x in (a, b)])}
    members, index = [], 0
    for conv, a, b in conversations:
        for uid in (a, b):
            members.append((token_pair_issue(user=users[uid]).access, index, conv))
            index += 1
    port = _free_port()
    server = _start_server({**env, **LIMITS}, port, workers=1)
    layer = "Redis" if env.get("REDIS_URL") or settings.CHANNEL_LAYERS["default"]["BACKEND"].endswith("Redis") else (
        "in-memory"
    )  # fmt: skip
    try:
        _wait_ready(port, server)
        cpu_before = _process_cpu(server.pid)
        row = asyncio.run(_ws_run(port, members, duration))
        cpu = _process_cpu(server.pid) - cpu_before
    finally:
        _stop_server(server)
    row["layer"] = layer
    row["server_cpu_ms_per_message"] = round(1000 * cpu / max(row["sent"] + row["open_delivered"], 1), 2)
    log(
        f"chat websocket, {row['connected']} clients on one process ({layer} layer; connected in "
        f"{row['connect_seconds']} s): {row['messages_per_second']} messages/s delivered at saturation, latency p50 "
        f"{row['p50_ms']} / p95 {row['p95_ms']} / p99 {row['p99_ms']} ms; backlog drained in {row['drain_seconds']} s; "
        f"then at {row['open_rate']} messages/s (half): p50 {row['open_p50_ms']} / p95 {row['open_p95_ms']} ms; server "
        f"CPU {row['server_cpu_ms_per_message']} ms per message; {row['errors']} lost or refused"
    )
    return row


# --- reminder sweep ------------------------------------------------------------------------------------------------


def _members_started(count: int) -> int:
    """Within the caller's transaction: the first `count` bench buyers hold an active membership that started half
    an hour ago (existing ones moved, the others given one). Returns how many."""
    from sanggar.catalog.models import MembershipPlan
    from sanggar.memberships.models import UserMembership

    from .bulk import insert_select

    users = list(User.objects.filter(email__startswith="pembeli").order_by("pk").values_list("pk", flat=True)[:count])
    plan = MembershipPlan.objects.filter(slug="silver").first() or MembershipPlan.objects.order_by("pk").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE memberships_usermembership SET status = 'active', ended_at = NULL, starts_at = now() - interval "
            "'30 minutes', ends_at = now() + interval '365 days' WHERE user_id = ANY(%s) AND id IN (SELECT max(id) "
            "FROM memberships_usermembership WHERE user_id = ANY(%s) GROUP BY user_id)",
            [users, users],
        )
    insert_select(
        UserMembership,
        {
            "user_id": "u",
            "plan_id": str(plan.pk),
            "duration": "'12m'",
            "status": "'active'",
            "starts_at": "now() - interval '30 minutes'",
            "ends_at": "now() + interval '365 days'",
        },
        "FROM unnest(%s::bigint[]) u WHERE NOT EXISTS (SELECT 1 FROM memberships_usermembership m WHERE m.user_id = u)",
        [users],
    )
    return len(users)


def sweep_measure(*, members: int, log) -> dict:
    from sanggar.reminders import services
    from sanggar.reminders.models import ReminderSend, ReminderSequence

    from .dataset import ADMIN_EMAIL

    admin = User.objects.get(email=ADMIN_EMAIL)
    row: dict = {}
    counter = QueryCounter()
    with rolled_back():
        due = _members_started(members)
        ReminderSequence.objects.update(is_active=False)  # only the bench sequence runs (rolled back)
        sequence = services.sequence_save(actor=admin, name="Bench: selamat datang", trigger="membership_started")
        step = services.step_save(
            actor=admin, sequence=sequence, delay_hours=0, channels=["email"], subject="Selamat datang, {name}",
            body="Halo {name}, membership {plan} Anda aktif sampai {ends_at}.",
        )  # fmt: skip
        runs, seconds = 0, 0.0
        while runs < 100:
            started = time.perf_counter()
            with counter.counting():
                sent = services.reminders_send_due()
            seconds += time.perf_counter() - started
            runs += 1
            if not sent:
                break
        sends = ReminderSend.objects.filter(step=step).count()
        again = services.reminders_send_due()  # a second sweep sends nothing
        row = {
            "members": due,
            "sends": sends,
            "runs": runs,
            "seconds": round(seconds, 2),
            "per_second": round(sends / seconds) if seconds else 0,
            "queries": counter.count,
            "queries_per_send": round(counter.count / sends, 1) if sends else 0,
            "errors": int(sends != due) + int(again != 0),
        }
    log(
        f"reminder sweep over {row['members']:,} members due: {row['sends']:,} sends in {row['runs']} runs, "
        f"{row['seconds']} s ({row['per_second']}/s, {row['queries']:,} queries, {row['queries_per_send']} per send)"
    )
    return row


# --- broadcast to an SMTP sink -------------------------------------------------------------------------------------


def broadcast_measure(*, recipients: int, log) -> dict:
    from django.test.utils import override_settings

    from config.celery import app
    from sanggar.reminders import services
    from sanggar.reminders.models import BroadcastRecipient

    from .dataset import ADMIN_EMAIL
    from .smtpsink import SmtpSink

    admin = User.objects.get(email=ADMIN_EMAIL)
    users = list(
        User.objects.filter(email__startswith="pembeli").order_by("pk").values_list("pk", flat=True)[:recipients]
    )
    User.objects.exclude(pk__in=users).filter(province=BENCH_PROVINCE).update(province="")
    User.objects.filter(pk__in=users).update(province=BENCH_PROVINCE)
    counter = QueryCounter()
    sink = SmtpSink()
    sink.start()
    eager = app.conf.task_always_eager
    try:
        email = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": sink.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "MAILKETING_API_TOKEN": "",
            # the pace per channel is not what is measured here: no limit, the sender's own speed
            "REMINDERS_BROADCAST_EMAILS_PER_MINUTE": 0,
        }
        with override_settings(**email):
            app.conf.task_always_eager = True  # one worker, in this process: batches, then every delivery
            broadcast = services.broadcast_save(
                actor=admin, title=f"Bench broadcast {timezone.now():%H%M%S}", subject="Info webinar untuk {name}",
                body="Halo {name}, webinar riset pasar Jepang dibuka Kamis pukul 19.00 WIB.", channels=["email"],
                segment_province=BENCH_PROVINCE,
            )  # fmt: skip
            audience = services.segment_users(broadcast=broadcast).count()
            started = time.perf_counter()
            with counter.counting(), transaction.atomic():
                services.broadcast_start(actor=admin, broadcast=broadcast)
                # the batches and sends ran on commit (eager); a worker would run them the same way
            seconds = time.perf_counter() - started
    finally:
        app.conf.task_always_eager = eager
        sink.stop()
    broadcast.refresh_from_db()
    written = BroadcastRecipient.objects.filter(broadcast=broadcast).count()
    row = {
        "recipients": audience,
        "recipient_rows": written,
        "emails_received": sink.received,
        "distinct_addresses": len(sink.recipients),
        "status": broadcast.status,
        "seconds": round(seconds, 2),
        "emails_per_second": round(sink.received / seconds, 1) if seconds else 0,
        "queries": counter.count,
        "queries_per_recipient": round(counter.count / max(written, 1), 1),
        "errors": int(not (audience == written == sink.received == len(sink.recipients)))
        + int(broadcast.status != "sent"),
    }
    log(
        f"broadcast to {audience:,} members through the SMTP sink: {row['emails_received']:,} emails "
        f"({row['distinct_addresses']:,} addresses) in {row['seconds']} s = {row['emails_per_second']} emails/s, "
        f"{row['queries_per_recipient']} queries per recipient; broadcast {row['status']}"
    )
    return row
