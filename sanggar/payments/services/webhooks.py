"""Provider notifications: verify first, then store, deduplicate and act on a delivery once.

A delivery that is not verified (no or wrong signature, unreadable, too large) is kept only as a bounded summary
(size, digest, the first settings.WEBHOOK_UNVERIFIED_BODY_CHARS characters), and only settings.
WEBHOOK_UNVERIFIED_RATE_LIMIT of them per client address: unsigned posts cannot grow the database. Stored deliveries
are deleted after their retention (`webhook_events_purge`, a sweep)."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, partial

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.core.formatting import rupiah
from sanggar.core.prepared import Prepared, create, update
from sanggar.core.ratelimit import window_take
from sanggar.core.transactions import service_scope
from sanggar.integrations.selectors import status_record

from .. import notifications as kinds
from ..constants import (
    REDACTED,
    SECRET_HEADERS,
    UNVERIFIED_HEADERS_MAX,
    WEBHOOK_BODY_MAX_CHARS,
    WEBHOOK_CLAIM_LOCK_SPACE,
    WEBHOOK_PURGE_BATCH,
    EventStatus,
    PaymentStatus,
    WebhookOutcome,
)
from ..models import Payment, WebhookEvent
from ..providers import get_provider
from ..providers.base import (
    ProviderError,
    ProviderEvent,
    ProviderNotFound,
    WebhookParseError,
    body_digest,
    printable,
)
from .common import admins_notify
from .payments import CONFIRM_ALREADY, CONFIRM_REVIEW, PaymentAmountMismatch, _payment_confirm, payment_close

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebhookResult:
    status_code: int
    outcome: str  # WebhookOutcome ("" for an unknown provider: nothing stored)
    detail: str
    webhook_event_id: int | None = None


def _headers_for_log(headers: dict[str, str], *, value_chars: int = 500) -> dict[str, str]:
    return {
        printable(k)[:100]: (REDACTED if k in SECRET_HEADERS else printable(v)[:value_chars])
        for k, v in headers.items()
    }


def _finish(event: WebhookEvent, *, status_code: int, outcome: str, detail: str, **fields) -> WebhookResult:
    event.outcome = outcome
    event.detail = printable(detail)[:300]
    for name, value in fields.items():
        setattr(event, name, value)
    # Only what the outcome changes: the stored body and headers are not written (nor serialised) a second time,
    # and the claim already wrote the event id.
    update(event, ["outcome", "detail", *fields])  # (the UPDATE compiled once per field set)
    return WebhookResult(status_code=status_code, outcome=outcome, detail=event.detail, webhook_event_id=event.pk)


def _unverified(
    adapter, headers: dict, raw_body: bytes, *, client_ip: str | None, status_code: int, outcome: str, detail: str
) -> WebhookResult:
    """A delivery that was not verified: stored as a bounded summary, at most WEBHOOK_UNVERIFIED_RATE_LIMIT per
    client address (past it, answered the same but not stored)."""
    detail = printable(detail)[:300]
    if window_take(f"webhook:{client_ip or '-'}", setting="WEBHOOK_UNVERIFIED_RATE_LIMIT"):
        logger.info("unverified webhook %s from %s not stored (rate limit)", adapter.identifier, client_ip)
        return WebhookResult(status_code=status_code, outcome=outcome, detail=detail)
    digest = body_digest(raw_body)
    text = printable(raw_body[: settings.WEBHOOK_UNVERIFIED_BODY_CHARS * 4].decode("utf-8", errors="replace"))
    summary = _("[tidak terverifikasi: %(size)s byte, sha256 %(digest)s] ") % {"size": len(raw_body), "digest": digest}
    event = WebhookEvent.objects.create(
        provider=adapter.identifier,
        event_id=f"body:{digest}",
        headers=_headers_for_log(dict(list(headers.items())[:UNVERIFIED_HEADERS_MAX]), value_chars=200),
        body=summary + text[: settings.WEBHOOK_UNVERIFIED_BODY_CHARS],
        signature_valid=False,
        outcome=outcome,
        detail=detail,
    )
    return WebhookResult(status_code=status_code, outcome=outcome, detail=detail, webhook_event_id=event.pk)


def webhook_receive(*, provider: str, headers, raw_body: bytes, client_ip: str | None = None) -> WebhookResult:
    """Handles one delivery to /webhooks/<provider>.

    Status codes: 404 unknown provider (nothing stored); 413 body over settings.WEBHOOK_MAX_BYTES, 401 no signature,
    403 wrong signature, 400 unreadable body (each stored only as a bounded summary, nothing else changed); 200
    accepted — processed, ignored, duplicate, or refused for a reason an admin sees (unknown payment, amount
    mismatch); 503 when the provider's status API cannot be reached (the provider retries); 500 for an unexpected
    error (stored as `error`; the provider retries)."""
    adapter = get_provider(provider)
    if adapter is None or not adapter.receives_webhooks:
        return WebhookResult(status_code=404, outcome="", detail=_("penyedia pembayaran tidak dikenal"))
    headers = {str(k).lower(): str(v) for k, v in dict(headers).items()}
    raw_body = bytes(raw_body or b"")
    unverified = partial(_unverified, adapter, headers, raw_body, client_ip=client_ip)
    refuse = partial(unverified, outcome=WebhookOutcome.REJECTED)
    if len(raw_body) > settings.WEBHOOK_MAX_BYTES:
        return refuse(status_code=413, detail=_("isi terlalu besar (%(size)s byte)") % {"size": len(raw_body)})
    try:
        present = adapter.signature_present(headers, raw_body)
        valid = present and adapter.verify_webhook(headers, raw_body)
    except WebhookParseError as exc:
        return refuse(status_code=400, detail=_("isi tidak terbaca: %(error)s") % {"error": exc})
    except Exception:
        logger.exception("webhook %s verification failed", adapter.identifier)
        detail = _("kesalahan internal; penyedia akan mengirim ulang")
        return unverified(status_code=500, outcome=WebhookOutcome.ERROR, detail=detail)
    if not present:
        return refuse(status_code=401, detail=_("tanda tangan tidak ada"))
    if not valid:
        return refuse(status_code=403, detail=_("tanda tangan tidak valid"))
    event = create(  # the INSERT compiled once per process
        WebhookEvent,
        provider=adapter.identifier,
        event_id=f"body:{body_digest(raw_body)}",
        headers=_headers_for_log(headers),
        body=printable(raw_body.decode("utf-8", errors="replace"))[:WEBHOOK_BODY_MAX_CHARS],
        signature_valid=False,
        outcome=WebhookOutcome.ERROR,
        detail=_("diterima"),
    )
    try:
        return _handle(adapter, event, headers, raw_body)
    except Exception:
        logger.exception("webhook %s #%s failed", adapter.identifier, event.pk)
        detail = _("kesalahan internal; penyedia akan mengirim ulang")
        WebhookEvent.objects.filter(pk=event.pk).update(outcome=WebhookOutcome.ERROR, detail=detail)
        return WebhookResult(status_code=500, outcome=WebhookOutcome.ERROR, detail=detail, webhook_event_id=event.pk)


def _handle(adapter, event: WebhookEvent, headers: dict, raw_body: bytes) -> WebhookResult:
    """A verified delivery, stored as `event`."""
    try:
        parsed = adapter.parse_webhook(headers, raw_body)
    except WebhookParseError as exc:
        with transaction.atomic():
            original = _claim(event, event.event_id)
        return _finish(
            event,
            status_code=400,
            outcome=WebhookOutcome.REJECTED,
            detail=_("isi tidak terbaca: %(error)s") % {"error": exc},
            signature_valid=True,
            duplicate_of=original,
        )

    payment = _find_payment(adapter, parsed) if parsed.status != EventStatus.IGNORED else None
    if payment is not None and adapter.rechecks_webhooks and parsed.status != EventStatus.PENDING:
        try:
            fresh = adapter.fetch_status(payment.provider_reference)
        except ProviderNotFound:
            return _finish_claimed(
                event, parsed, WebhookOutcome.REJECTED, _("API status: transaksi tidak ditemukan"), payment
            )
        except ProviderError as exc:
            status_record(adapter.identifier, ok=False, detail=exc.message)
            return _finish(
                event,
                status_code=503,
                outcome=WebhookOutcome.ERROR,
                detail=_("API status tidak dapat dihubungi: %(error)s") % {"error": exc.message},
                payment=payment,
                order_id=payment.order_id,
            )
        if fresh is None or fresh.reference != payment.provider_reference:
            return _finish_claimed(
                event, parsed, WebhookOutcome.REJECTED, _("API status menjawab untuk transaksi lain"), payment
            )
        parsed = fresh

    # One transaction for the claim and everything the payment opens: the services inside join it.
    with service_scope():
        original = _claim(event, parsed.event_id)
        if original is not None:
            return _finish(
                event,
                status_code=200,
                outcome=WebhookOutcome.DUPLICATE,
                detail=_duplicate(original),
                duplicate_of=original,
                payment_id=original.payment_id,
                order_id=original.order_id,
            )
        outcome, detail = _apply(parsed, payment)
        return _finish(
            event,
            status_code=200,
            outcome=outcome,
            detail=detail,
            payment=payment,
            order_id=payment.order_id if payment else None,
        )


def _finish_claimed(event, parsed: ProviderEvent, outcome: str, detail: str, payment) -> WebhookResult:
    """Refused after verification: still claims the event id, so a repeat shows as a duplicate."""
    with transaction.atomic():
        original = _claim(event, parsed.event_id)
        return _finish(
            event,
            status_code=200,
            outcome=WebhookOutcome.DUPLICATE if original else outcome,
            detail=_duplicate(original) if original else detail,
            duplicate_of=original,
            payment=payment,
            order_id=payment.order_id if payment else None,
        )


@cache
def _claim_sql() -> str:
    """PostgreSQL's claim, built once per process: the event becomes the verified first delivery of its id unless an
    earlier one exists (the partial unique index's rows). Parameters: event id, event key, provider, event id, key."""
    qn = connection.ops.quote_name
    meta = WebhookEvent._meta
    table, key = qn(meta.db_table), qn(meta.pk.column)
    return (
        f"UPDATE {table} SET {qn(meta.get_field('event_id').column)} = %s,"  # noqa: S608 (model metadata)
        f" {qn(meta.get_field('signature_valid').column)} = true WHERE {table}.{key} = %s"
        f" AND NOT EXISTS (SELECT 1 FROM {table} e WHERE e.provider = %s AND e.event_id = %s"
        f" AND e.signature_valid AND e.{qn(meta.get_field('duplicate_of').column)} IS NULL AND e.{key} <> %s)"
    )


def _earlier(event: WebhookEvent, event_id: str) -> WebhookEvent | None:
    """The earlier verified first delivery of `event_id` (not `event`)."""
    return (
        WebhookEvent.objects.filter(
            provider=event.provider, event_id=event_id, signature_valid=True, duplicate_of__isnull=True
        )
        .exclude(pk=event.pk)
        .first()
    )


def _claim(event: WebhookEvent, event_id: str) -> WebhookEvent | None:
    """Marks `event` as the verified first delivery of `event_id`. Returns the earlier delivery when there is one.

    On PostgreSQL, claims of one event id take turns (a transaction-scoped advisory lock on it): a claim made after
    the lock sees every earlier claim committed, so it cannot run into the partial unique index and needs no
    savepoint to recover from it (two statements instead of three; the index stays the last guard). Elsewhere the
    unique index makes a concurrent claim wait for the first to commit, then fail, inside a savepoint."""
    event_id = printable(event_id)[:200]
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                [WEBHOOK_CLAIM_LOCK_SPACE, f"{event.provider}:{event_id}"],
            )
            # Claimed unless an earlier verified first delivery of the id exists: the statement the ORM wrote from
            # `filter(pk=...).filter(~Exists(earlier)).update(...)`, written once per process.
            cursor.execute(_claim_sql(), [event_id, event.pk, event.provider, event_id, event.pk])
            claimed = cursor.rowcount
        event.event_id = event_id
        event.signature_valid = True
        return None if claimed else _earlier(event, event_id)
    try:
        with transaction.atomic():
            WebhookEvent.objects.filter(pk=event.pk).update(event_id=event_id, signature_valid=True)
    except IntegrityError:
        event.event_id = event_id
        event.signature_valid = True
        return _earlier(event, event_id)
    event.event_id = event_id
    event.signature_valid = True
    return None


def _payments(provider):
    return Payment.objects.filter(provider=provider).order_by("-created_at", "-id")


# The lookup by the provider's one reference (every Xendit callback) compiled once per process.
_PAYMENT_BY_REFERENCE = Prepared(
    lambda provider, reference: _payments(provider).filter(provider_reference=reference)[:1],
    provider="\x00provider",
    reference="\x00reference",
)


def _find_payment(adapter, parsed: ProviderEvent) -> Payment | None:
    references = [ref for ref in (parsed.reference, *parsed.alt_references) if ref]
    payment = None
    if len(references) == 1:
        payment = _PAYMENT_BY_REFERENCE.first(provider=adapter.identifier, reference=references[0])
    elif references:
        payment = _payments(adapter.identifier).filter(provider_reference__in=references).first()
    if payment is None and parsed.invoice_number:
        payment = _payments(adapter.identifier).filter(order__invoice_number=parsed.invoice_number).first()
    return payment


def _apply(parsed: ProviderEvent, payment: Payment | None) -> tuple[str, str]:
    """Acts on a verified, first-seen event. Returns (outcome, detail) for the log."""
    if parsed.status == EventStatus.IGNORED:
        return WebhookOutcome.IGNORED, parsed.detail or _("event tidak dipakai")
    if payment is None:
        return WebhookOutcome.REJECTED, _("referensi pembayaran tidak dikenal")

    if parsed.status == EventStatus.PAID:
        amount = parsed.amount if parsed.amount is not None else payment.amount
        try:
            result = _payment_confirm(payment=payment, paid_amount=amount, method=parsed.method)
        except PaymentAmountMismatch as exc:
            return WebhookOutcome.REJECTED, exc.message
        if result.outcome == CONFIRM_ALREADY:
            return WebhookOutcome.IGNORED, _("pembayaran sudah tercatat lunas sebelumnya")
        if result.outcome == CONFIRM_REVIEW:
            return WebhookOutcome.REVIEW, result.reason
        detail = _("lunas") if parsed.amount is not None else _("lunas (jumlah tidak dikirim penyedia)")
        return WebhookOutcome.PROCESSED, detail

    if parsed.status in (EventStatus.FAILED, EventStatus.EXPIRED):
        status = PaymentStatus.FAILED if parsed.status == EventStatus.FAILED else PaymentStatus.EXPIRED
        if payment_close(payment=payment, status=status):
            detail = _("pembayaran %(status)s") % {"status": PaymentStatus(status).label.lower()}
            return WebhookOutcome.PROCESSED, detail + (f" ({parsed.detail})" if parsed.detail else "")
        return WebhookOutcome.IGNORED, _ignored(parsed.status, payment)

    if parsed.status == EventStatus.REFUNDED:
        if payment.status == PaymentStatus.PAID:
            order = payment.order
            admins_notify(
                order=order,
                kind=kinds.ADMIN_PROVIDER_REFUND,
                provider=payment.provider,
                amount=rupiah(parsed.amount or 0),
            )
            return WebhookOutcome.REVIEW, _("refund dilaporkan penyedia; catat refund di halaman penjualan")
        return WebhookOutcome.IGNORED, _ignored(parsed.status, payment)

    # pending: nothing to do (also a pending that arrives after the settlement)
    return WebhookOutcome.IGNORED, _ignored(parsed.status, payment)


def _duplicate(original: WebhookEvent) -> str:
    return _("duplikat dari #%(id)s") % {"id": original.pk}


def _ignored(event_status: str, payment: Payment) -> str:
    return _("status %(event)s diabaikan: pembayaran berstatus %(status)s") % {
        "event": event_status,
        "status": payment.get_status_display().lower(),
    }


def webhook_events_purge(*, now: datetime | None = None) -> int:
    """Deletes stored deliveries past their retention: unverified ones after settings.
    WEBHOOK_UNVERIFIED_RETENTION_DAYS, every other one after WEBHOOK_RETENTION_DAYS. A sweep (batches of
    WEBHOOK_PURGE_BATCH, safe to run twice or concurrently). Returns how many were deleted."""
    now = now or timezone.now()
    unverified_before = now - timedelta(days=settings.WEBHOOK_UNVERIFIED_RETENTION_DAYS)
    any_before = now - timedelta(days=settings.WEBHOOK_RETENTION_DAYS)
    due = WebhookEvent.objects.filter(
        models.Q(signature_valid=False, received_at__lt=unverified_before) | models.Q(received_at__lt=any_before)
    )
    deleted = 0
    while True:
        ids = list(due.order_by("id").values_list("id", flat=True)[:WEBHOOK_PURGE_BATCH])
        if not ids:
            return deleted
        count, _rows = WebhookEvent.objects.filter(pk__in=ids).delete()
        deleted += count
