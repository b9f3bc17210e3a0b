"""An admin's plan change with charging: an order for the prorated difference that the member pays through the
normal invoice; the plan is switched when it is paid (the plan kind's fulfilment: `membership_activate` for an
upgrade, `membership_switch_paid` for a downgrade). The proration rule is memberships' `plan_change_quote`."""

from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.catalog.models import PlanPrice
from sanggar.core.exceptions import ServiceError
from sanggar.core.transactions import service_atomic
from sanggar.memberships.selectors import membership_active_for
from sanggar.memberships.services import plan_change_quote

from ..constants import FREE_PROVIDER, ItemKind
from ..models import Order
from ..payments_port import payments
from . import messages
from .charges import order_charges
from .orders import MANUAL_PROVIDER, order_insert
from .pricing import OrderQuote, PricedLine

REASON_MAX = 300


def _default_provider() -> str:
    """Manual transfer when it is on (the member may pick another method on the invoice), else the first enabled."""
    enabled = [info.identifier for info in payments().providers_enabled()]
    if MANUAL_PROVIDER in enabled:
        return MANUAL_PROVIDER
    if not enabled:
        raise ServiceError(_("Belum ada metode pembayaran yang aktif."), code="no_provider")
    return enabled[0]


@service_atomic
def plan_change_order_create(*, user, plan_price: PlanPrice, reason: str, actor, now: datetime | None = None) -> Order:
    """Creates the order of a charged plan change of `user`'s running membership to `plan_price`: one plan line
    priced at the new option's price less the unused value of the current membership (`upgrade_credit`), pricing
    "upgrade" or "downgrade". No affiliate, no coupon. The member is told (with the invoice link) after commit; an
    order of Rp 0 is paid at once, which switches the plan now. The membership itself is not touched until then."""
    from .fulfilment import order_mark_paid

    now = now or timezone.now()
    reason = (reason or "").strip()[:REASON_MAX]
    if not reason:
        raise ServiceError(_("Tuliskan alasannya."), errors={"reason": [_("Tuliskan alasannya.")]})
    if not user.is_active:
        raise ServiceError(_("Akun pengguna ini tidak aktif."), code="inactive_user")
    current = membership_active_for(user=user, now=now)
    plan = plan_price.plan
    quote = plan_change_quote(current=current, plan_price=plan_price, now=now)
    if not quote.allowed:
        raise ServiceError(quote.message, errors={"plan": [quote.message]}, code="plan_change_not_allowed")
    duration_label = str(plan_price.get_duration_display())
    title = plan.title if duration_label.lower() in plan.title.lower() else f"{plan.title} ({duration_label})"
    line = PricedLine(
        kind=ItemKind.PLAN, title=title, list_price=quote.list_price, upgrade_credit=quote.credit,
        amount=quote.amount, pricing=str(quote.pricing), duration=plan_price.duration, plan=plan,
        plan_price=plan_price, note=quote.message,
    )  # fmt: skip
    charges = order_charges((line,))
    order_quote = OrderQuote(
        lines=(line,), subtotal=quote.list_price, discount=quote.credit,
        total=quote.amount + charges.tax + charges.admin_fee, tax=charges.tax, tax_label=charges.tax_label,
        admin_fee=charges.admin_fee,
    )  # fmt: skip
    is_free = order_quote.total == 0
    order = order_insert(
        buyer=user, quote=order_quote, provider=FREE_PROVIDER if is_free else _default_provider(), affiliate=None,
        now=now, backdated=False, actor=actor,
        log_data={"plan_change": True, "from_plan": current.plan.title, "credit": quote.credit, "reason": reason},
    )  # fmt: skip
    if is_free:  # the switch happens now; the member hears of it from memberships
        return order_mark_paid(order=order, note=_("Ganti paket tanpa selisih (sisa nilai menutup harga)."), now=now)
    transaction.on_commit(
        partial(
            messages.notify_plan_change_invoice, order.pk, old_plan=current.plan.title, credit=quote.credit,
            reason=reason,
        ),
        robust=True,
    )  # fmt: skip
    return order
