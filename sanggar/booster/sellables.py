"""Credit packages sold through the checkout (order line kind `kredit`, `ref` = the package id): fulfilled by a
top-up entry in the buyer's credit ledger (once per order line), taken back (what is still unspent) on a refund.
Credit sales earn no affiliate commission; the revenue split applies like any sale. And a sale step: a paid order
turns the referring affiliate's matching lead into "converted" and stops every automation of the buyer's leads."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanggar.affiliates.models import AffiliateProfile
from sanggar.catalog.constants import CommissionType
from sanggar.core.exceptions import ServiceError
from sanggar.core.prepared import Prepared
from sanggar.orders.sellables import Fulfilled, SaleStep, SellableKind, sale_step_register, sellable_kind_register
from sanggar.orders.services import PricedLine

from .constants import LeadStatus
from .models import CreditPackage, Lead
from .services import credits
from .services.sequences import enrollments_stop

ITEM_KIND = "kredit"


def _buyer_affiliate(user) -> AffiliateProfile | None:
    if user is None or not getattr(user, "pk", None):
        return None
    return AffiliateProfile.objects.filter(user=user).first()


def credit_price(*, buyer, item, premium, now) -> PricedLine:
    package = CreditPackage.objects.filter(slug=item.slug, is_active=True).first()
    if package is None:
        raise ServiceError(_("Paket kredit tidak tersedia."), errors={"items": [_("Paket kredit tidak tersedia.")]})
    if _buyer_affiliate(buyer) is None:
        message = _("Kredit email hanya untuk affiliate. Masuk dengan akun affiliate Anda.")
        raise ServiceError(message, errors={"items": [message]})
    title = _("Kredit email: %(name)s (%(n)s kredit)") % {"name": package.name, "n": package.credits}
    return PricedLine(kind=ITEM_KIND, title=title[:200], list_price=package.price, amount=package.price,
                      ref=str(package.pk))  # fmt: skip


def _package(item) -> CreditPackage:
    return CreditPackage.objects.get(pk=int(item.ref))


def credit_fulfil(*, order, item, now) -> Fulfilled:
    affiliate = _buyer_affiliate(order.buyer)
    if affiliate is None:
        raise ServiceError(_("Pembeli kredit bukan affiliate."))
    package = _package(item)
    credits.credit_topup(
        affiliate=affiliate, credits=package.credits, ref=f"order:{order.pk}:{item.pk}", note=order.invoice_number
    )
    return Fulfilled(grants=0)


def credit_revoke(*, order, items, reason) -> int:
    affiliate = _buyer_affiliate(order.buyer)
    if affiliate is None:
        return 0
    for item in items:
        if item.kind == ITEM_KIND:
            credits.credit_take_back(
                affiliate=affiliate, credits=_package(item).credits, ref=f"refund:{order.pk}:{item.pk}",
                note=f"{order.invoice_number} dikembalikan",
            )  # fmt: skip
    return 0


CREDIT_SELLABLE = sellable_kind_register(
    SellableKind(
        kind=ITEM_KIND,
        label=gettext_lazy("Kredit email"),
        order=60,
        price=credit_price,
        fulfil=credit_fulfil,
        revoke=credit_revoke,
        commission_rule=lambda item: (CommissionType.PERCENT, 0),
        review_on_error=True,
    )
)


def _leads(q):
    return Lead.objects.filter(q).order_by().values_list("pk", "affiliate__user_id", "status")


# The buyer's leads by email or WhatsApp (every paid order asks), compiled once per process.
_LEADS_BY_EMAIL_OR_WHATSAPP = Prepared(
    lambda email, whatsapp: _leads(Q(email=email) | Q(whatsapp=whatsapp)), email="\x00email", whatsapp="\x00wa"
)
_LEADS_BY_EMAIL = Prepared(lambda email: _leads(Q(email=email)), email="\x00email")


def leads_converted(*, order, items) -> None:
    """The buyer's leads: converted for the affiliate the order is attributed to; automations stop everywhere."""
    email = (order.buyer_email or "").strip().lower()
    whatsapp = (order.buyer_whatsapp or "").strip()
    # ONE read of the buyer's leads with their affiliate and status; the writes only when there is something to
    # write (a payment by a buyer who never was a lead, the usual case, asks nothing more).
    if email and whatsapp:
        rows = _LEADS_BY_EMAIL_OR_WHATSAPP.all(email=email, whatsapp=whatsapp)
    elif email:
        rows = _LEADS_BY_EMAIL.all(email=email)
    elif whatsapp:
        rows = list(_leads(Q(whatsapp=whatsapp)))
    else:
        return
    if not rows:
        return
    enrollments_stop(leads=[pk for pk, _user_id, _status in rows], reason="membeli")
    converted = [
        pk
        for pk, user_id, status in rows
        if order.affiliate_id and user_id == order.affiliate_id and status != LeadStatus.CONVERTED
    ]
    if converted:
        now = order.paid_at or timezone.now()
        Lead.objects.filter(pk__in=converted).exclude(status=LeadStatus.CONVERTED).update(
            status=LeadStatus.CONVERTED, converted_at=now, last_contacted_at=now, updated_at=now
        )


sale_step_register(SaleStep(name="booster_leads_converted", order=120, paid=leads_converted))
