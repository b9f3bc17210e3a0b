"""Payment attempts: start one at the order's provider, confirm one (webhook or admin), close one that failed."""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.formatting import rupiah
from sanggar.core.prepared import Prepared, insert, update
from sanggar.core.roles import Role
from sanggar.core.transactions import service_atomic, service_scope
from sanggar.integrations.selectors import status_record
from sanggar.orders import services as order_services
from sanggar.orders.constants import OrderStatus
from sanggar.orders.models import Order

from .. import notifications as kinds
from ..constants import MANUAL, PaymentAction, PaymentStatus
from ..models import Payment
from ..providers import get_provider
from ..providers.base import ProviderError, payment_data_for
from .common import admins_notify, proof_check, proof_filename, record

logger = logging.getLogger(__name__)


class PaymentAmountMismatch(ServiceError):
    """The provider reports another amount than the order's total: nothing was marked paid (logged, admins told)."""


# The two locked reads of a confirmation, compiled once per process (prepared queries: same statements).
_ORDER_LOCKED = Prepared(
    lambda pk: Order.objects.select_for_update(of=("self",)).select_related("buyer").filter(pk=pk), pk=-1_000_001
)
_PAYMENT_LOCKED = Prepared(lambda pk: Payment.objects.select_for_update().filter(pk=pk), pk=-1_000_002)


@dataclass(frozen=True)
class ConfirmResult:
    payment: Payment
    # "paid": the order became paid; "already": the payment was confirmed before (nothing done);
    # "review": the payment is recorded but the order needs an admin's decision (see order.review_reason).
    outcome: str
    reason: str = ""


CONFIRM_PAID = "paid"
CONFIRM_ALREADY = "already"
CONFIRM_REVIEW = "review"


def payment_starts_offline(provider: str) -> bool:
    """True when starting a payment at `provider` asks no one outside (manual transfer): it can run inside the
    transaction that creates the order."""
    adapter = get_provider(provider)
    return adapter is not None and adapter.starts_offline and adapter.is_enabled()


@service_atomic
def payment_start(*, order, created_here: bool = False) -> Payment:
    """Starts (or returns the still-open) payment attempt of a pending order at `order.provider`.

    The order row stays locked while the provider is asked, so two clicks on "Bayar Sekarang" create one attempt.
    When the provider refuses or cannot be reached nothing is written and ServiceError explains it; the order stays
    pending and the buyer can try again or choose another method.

    `created_here`: the order was created in the current transaction (checkout with an offline provider); nobody
    else can see the row before the commit and it has no attempt yet, so neither the lock nor the lookup of an open
    attempt is needed."""
    if created_here:
        if not transaction.get_connection().in_atomic_block:
            raise ValueError("created_here is only for an order created in the current transaction")
    else:
        order = Order.objects.select_for_update().get(pk=order.pk)
    adapter = get_provider(order.provider)
    if adapter is None or not adapter.is_enabled():
        message = _("Metode pembayaran ini sedang tidak tersedia. Silakan pilih metode lain.")
        raise ServiceError(message, errors={"provider": [message]})
    if order.status != OrderStatus.PENDING:
        raise ServiceError(
            _("Pesanan %(invoice)s tidak menunggu pembayaran (status: %(status)s).")
            % {"invoice": order.invoice_number, "status": order.get_status_display()}
        )
    now = timezone.now()
    if order.expires_at <= now:
        raise ServiceError(
            _("Batas waktu pembayaran pesanan %(invoice)s sudah lewat.") % {"invoice": order.invoice_number}
        )
    if order.total <= 0:
        raise ServiceError(_("Pesanan gratis tidak perlu dibayar."))

    open_attempt = (
        None
        if created_here
        else (
            order.payments.filter(provider=adapter.identifier, status=PaymentStatus.PENDING, amount=order.total)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
            .order_by("-created_at", "-id")
            .first()
        )
    )
    if open_attempt is not None:
        return open_attempt

    payment = Payment(order=order, provider=adapter.identifier, amount=order.total)
    try:
        result = adapter.initiate(payment_data_for(order, adapter))
    except ProviderError as exc:
        logger.warning("payment start failed: %s %s: %s", adapter.identifier, order.invoice_number, exc.message)
        if not adapter.starts_offline:
            status_record(adapter.identifier, ok=False, detail=exc.message)
        raise ServiceError(
            _("Pembayaran lewat %(provider)s sedang tidak bisa dibuat, coba lagi atau pilih metode lain.")
            % {"provider": adapter.label}
        ) from exc
    if not adapter.starts_offline:
        status_record(adapter.identifier, ok=True)
    payment.provider_reference = result.reference
    payment.checkout_url = result.checkout_url
    payment.instructions = dict(result.instructions)
    payment.expires_at = result.expires_at
    payment.raw_response = dict(result.raw)
    insert(payment)  # the INSERT compiled once per process
    record(
        action=PaymentAction.STARTED,
        order=order,
        payment=payment.pk,
        provider=payment.provider,
        reference=payment.provider_reference,
    )
    return payment


def payment_confirm(*, payment, paid_amount, method="", actor=None, note="", proof=None) -> Payment:
    """Records that `payment` was paid and makes its order paid.

    Locks the order, then the payment, and re-checks after taking the locks:
    - already paid (or refunded) → nothing happens (a webhook delivered twice has one effect);
    - `paid_amount` ≠ order total → refused: nothing changes, the attempt is logged, admins are told, and
      PaymentAmountMismatch is raised;
    - order pending → `orders.services.order_mark_paid` (fulfilment in the same transaction);
    - order expired / cancelled / failed / refunded, or already paid through another attempt → the payment is
      recorded as paid and the order is flagged `needs_review` with the reason; admins are told. Never lost.
    """
    return _payment_confirm(
        payment=payment, paid_amount=paid_amount, method=method, actor=actor, note=note, proof=proof
    ).payment


def _payment_confirm(
    *, payment, paid_amount, method="", actor=None, note="", proof=None, action=PaymentAction.CONFIRMED
) -> ConfirmResult:
    proof_ext = proof_check(proof)[0] if proof else ""
    mismatch_message = ""
    with service_scope():  # joins the webhook's transaction (no savepoint of its own)
        # The order with its buyer (fulfilment needs them; the buyer's row is not locked here), held for the rest.
        order = _ORDER_LOCKED.get(pk=payment.order_id)
        payment = _PAYMENT_LOCKED.get(pk=payment.pk)
        if payment.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
            return ConfirmResult(payment=payment, outcome=CONFIRM_ALREADY)

        if paid_amount is None or int(paid_amount) != order.total:
            mismatch_message = _amount_mismatch(order=order, payment=payment, paid_amount=paid_amount, actor=actor)
        else:
            result = _mark_paid(
                order=order,
                payment=payment,
                paid_amount=int(paid_amount),
                method=method,
                actor=actor,
                note=note,
                proof=proof,
                proof_ext=proof_ext,
                action=action,
            )
    if mismatch_message:
        # Raised after the block so the log row and the admins' notifications are kept.
        raise PaymentAmountMismatch(mismatch_message)
    return result


def _amount_mismatch(*, order, payment, paid_amount, actor) -> str:
    shown = rupiah(int(paid_amount)) if paid_amount is not None else _("(tidak disebutkan)")
    message = _("Jumlah pembayaran %(paid)s tidak sama dengan tagihan %(total)s untuk %(invoice)s.") % {
        "paid": shown,
        "total": rupiah(order.total),
        "invoice": order.invoice_number,
    }
    record(
        action=PaymentAction.REJECTED,
        order=order,
        actor=actor,
        message=message,
        payment=payment.pk,
        provider=payment.provider,
        expected=order.total,
        paid=paid_amount,
    )
    admins_notify(
        order=order,
        kind=kinds.ADMIN_AMOUNT_MISMATCH,
        amount=shown,
        total=rupiah(order.total),
        provider=payment.provider,
    )
    logger.warning("payment amount mismatch: %s paid=%s total=%s", order.invoice_number, paid_amount, order.total)
    return message


def _mark_paid(*, order, payment, paid_amount, method, actor, note, proof, proof_ext, action) -> ConfirmResult:
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    note = (note or "").strip()[:300]
    payment.status = PaymentStatus.PAID
    payment.paid_at = timezone.now()
    payment.paid_amount = paid_amount
    payment.method = (method or payment.method or "")[:60]
    payment.confirmed_by = actor
    payment.note = note
    changed = ["status", "paid_at", "paid_amount", "method", "confirmed_by", "note", "updated_at"]
    if proof:
        payment.proof.save(proof_filename(invoice_number=order.invoice_number, ext=proof_ext), proof, save=False)
        changed.append("proof")
    update(payment, changed)  # the columns confirming writes, not all eighteen (the UPDATE compiled once)
    # The event is ONE audit row on the order: the payment's action (confirmed / marked paid), written by the order's
    # transition to paid with the payment's data; or, when the order cannot take it, the "needs review" row below.
    payment_data = {"amount": paid_amount, "reference": payment.provider_reference}

    reason = ""
    if order.status == OrderStatus.PENDING:
        # ONE savepoint for the whole fulfilment: a line that refuses (a plan the buyer can no longer take) rolls it
        # back, and it runs again without that line, flagged for review; any other refusal keeps only the payment.
        refused: dict[int, str] = {}
        while True:
            try:
                with transaction.atomic():
                    order_services.order_mark_paid(
                        order=order,
                        payment=payment,
                        actor=actor,
                        note=note,
                        log_action=action,
                        log_data=payment_data,
                        order_locked=True,
                        refused=refused,
                    )
                break
            except order_services.FulfilmentRefused as exc:
                order.refresh_from_db()  # rolled back to the savepoint: the row as it is again
                if exc.item_id in refused:  # (cannot happen: a refused line is left out)
                    raise
                refused[exc.item_id] = exc.message
            except ServiceError as exc:
                order.refresh_from_db()
                reason = _("Pembayaran diterima, tetapi pesanan tidak bisa diproses: %(error)s") % {
                    "error": exc.message
                }
                break
    elif order.status == OrderStatus.PAID:
        reason = _("Pembayaran ganda: pesanan sudah lunas lewat pembayaran lain (%(provider)s).") % {
            "provider": payment.provider
        }
    elif order.status == OrderStatus.REFUNDED:
        reason = _("Pembayaran diterima untuk pesanan yang dananya sudah dikembalikan.")
    else:
        reason = _("Pembayaran diterima setelah pesanan berstatus %(status)s.") % {
            "status": order.get_status_display().lower()
        }
    if not reason:
        return ConfirmResult(payment=payment, outcome=CONFIRM_PAID)

    order_services.order_review_flag(order=order, reason=reason)
    record(
        action=PaymentAction.NEEDS_REVIEW,
        order=order,
        actor=actor,
        message=reason,
        payment=payment.pk,
        provider=payment.provider,
        method=payment.method,
        note=note,
        **payment_data,
    )
    admins_notify(
        order=order,
        kind=kinds.ADMIN_NEEDS_REVIEW,
        reason=reason,
        amount=rupiah(paid_amount),
        provider=payment.provider,
    )
    return ConfirmResult(payment=payment, outcome=CONFIRM_REVIEW, reason=reason)


def payment_mark_paid_manual(*, order, actor, note="", proof=None) -> Payment:
    """An admin confirms that the order's total arrived (a bank transfer), with a note and an optional proof (image or
    PDF, at most 5 MB). Confirms the order's open manual attempt, or records a new manual payment."""
    if actor is None or not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang dapat menandai pesanan lunas."))
    if proof:
        proof_check(proof)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status == OrderStatus.PAID:
            raise ServiceError(_("Pesanan %(invoice)s sudah lunas.") % {"invoice": order.invoice_number})
        if order.status == OrderStatus.REFUNDED:
            raise ServiceError(
                _("Dana pesanan %(invoice)s sudah dikembalikan; pesanan tidak bisa ditandai lunas.")
                % {"invoice": order.invoice_number}
            )
        payment = (
            order.payments.filter(provider=MANUAL, status=PaymentStatus.PENDING).order_by("-created_at", "-id").first()
        )
        if payment is None:
            payment = Payment.objects.create(order=order, provider=MANUAL, amount=order.total)
        result = _payment_confirm(
            payment=payment,
            paid_amount=order.total,
            method="manual",
            actor=actor,
            note=note,
            proof=proof,
            action=PaymentAction.MARKED_PAID,
        )
    return result.payment


def payment_close(*, payment, status: str) -> bool:
    """A pending attempt ends without money (the provider says failed or expired). True when it changed; the order
    stays as it is (it expires through the orders sweep, and the buyer may pay again until then)."""
    if status not in (PaymentStatus.FAILED, PaymentStatus.EXPIRED):
        raise ValueError(f"not a closing status: {status!r}")
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.status != PaymentStatus.PENDING:
            return False
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
    return True
