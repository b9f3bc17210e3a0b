"""Refunds of paid payments. No provider documents a refund API we use (PROVIDERS.md), so every refund is recorded as
manual: the admin sends the money back outside the platform and the refund row says so."""

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.formatting import rupiah
from sanggar.core.roles import Role

from ..constants import PaymentAction, PaymentStatus, RefundMode
from ..models import Payment, Refund
from ..providers import get_provider
from ..providers.base import ProviderError
from .common import record


@transaction.atomic
def payment_refund(*, payment, amount: int, actor, reason: str) -> Refund:
    """Refunds `amount` of a paid payment (the whole payment or part of it). The provider's refund API is used when the
    adapter has one; otherwise the refund is recorded as manual with a note. A payment refunded in full becomes
    `refunded`. Called by `orders.services.order_refund`, which also revokes what the order gave."""
    if actor is None or not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang dapat mengembalikan dana."))
    reason = (reason or "").strip()
    if not reason:
        message = _("Tuliskan alasan pengembalian dana.")
        raise ServiceError(message, errors={"reason": [message]})
    payment = Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
    if payment.status != PaymentStatus.PAID:
        raise ServiceError(_("Hanya pembayaran yang sudah lunas yang dapat dikembalikan."))
    paid = payment.paid_amount if payment.paid_amount is not None else payment.amount
    refunded = payment.refunds.aggregate(total=Sum("amount"))["total"] or 0
    available = paid - refunded
    try:
        amount = int(amount)
    except (TypeError, ValueError):
        amount = 0
    if amount <= 0 or amount > available:
        message = _("Jumlah pengembalian harus antara Rp 1 dan %(max)s.") % {"max": rupiah(available)}
        raise ServiceError(message, errors={"amount": [message]})

    adapter = get_provider(payment.provider)
    try:
        reference = adapter.refund(payment.provider_reference, amount) if adapter is not None else None
    except ProviderError as exc:
        raise ServiceError(
            _("Refund lewat %(provider)s gagal: %(error)s") % {"provider": payment.provider, "error": exc.message}
        ) from exc
    if reference:
        mode, note = RefundMode.PROVIDER, ""
    else:
        mode = RefundMode.MANUAL
        note = _("Tanpa API refund: kembalikan %(amount)s ke pembeli secara manual.") % {"amount": rupiah(amount)}
    refund = Refund.objects.create(
        payment=payment,
        amount=amount,
        reason=reason[:300],
        actor=actor,
        provider_reference=(reference or "")[:120],
        mode=mode,
        note=note[:300],
    )
    if refunded + amount >= paid:
        payment.status = PaymentStatus.REFUNDED
        payment.save(update_fields=["status", "updated_at"])
    record(
        action=PaymentAction.REFUNDED,
        order=payment.order,
        actor=actor,
        payment=payment.pk,
        refund=refund.pk,
        amount=amount,
        mode=mode,
        reason=reason[:300],
    )
    return refund
