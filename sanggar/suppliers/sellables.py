"""Supplier Premium is sold through the normal checkout as its own order line (kind `supplier`, the line's
`ref` the package's slug): priced at the package price for an approved supplier, fulfilled by a Premium period
after the current one (the activation is automatic), revoked by a refund. An affiliate earns the package's
commission percent on an upgrade (spec §10)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanggar.catalog.constants import CommissionType
from sanggar.core.exceptions import ServiceError
from sanggar.orders.sellables import Fulfilled, SellableKind, sellable_kind_register
from sanggar.orders.services import PricedLine

from . import services
from .constants import ITEM_KIND
from .models import PremiumPeriod, Supplier, SupplierPlan


def premium_price(*, buyer, item, premium, now) -> PricedLine:
    services.premium_purchasable(user=buyer)
    plan = services.plan_for_sale(slug=item.slug)
    return PricedLine(
        kind=ITEM_KIND, title=f"Supplier Premium: {plan.name}"[:200], list_price=plan.price, amount=plan.price,
        ref=plan.slug,
    )  # fmt: skip


def premium_fulfil(*, order, item, now) -> Fulfilled:
    supplier = Supplier.objects.filter(user_id=order.buyer_id).first()
    plan = SupplierPlan.objects.filter(slug=item.ref).first()
    if supplier is None or plan is None:
        raise ServiceError(_("Supplier atau paket Premium tidak ditemukan untuk pesanan ini."))
    services.premium_extend(supplier=supplier, days=plan.duration_days, source=PremiumPeriod.Source.ORDER, plan=plan,
                            invoice=order.invoice_number, now=now)  # fmt: skip
    return Fulfilled(grants=0)


def premium_revoke(*, order, items, reason) -> int:
    if any(item.kind == ITEM_KIND for item in items):
        services.premium_revoke_invoice(invoice=order.invoice_number)
    return 0


def premium_commission(item) -> tuple[str, int]:
    plan = SupplierPlan.objects.filter(slug=item.ref).only("commission_percent").first()
    return CommissionType.PERCENT, plan.commission_percent if plan else 0


SUPPLIER_PREMIUM_SELLABLE = sellable_kind_register(
    SellableKind(
        kind=ITEM_KIND,
        label=gettext_lazy("Supplier Premium"),
        order=29,
        price=premium_price,
        fulfil=premium_fulfil,
        revoke=premium_revoke,
        commission_rule=premium_commission,
        review_on_error=True,
    )
)
