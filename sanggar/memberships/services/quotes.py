"""Pricing a plan for a user: new, renewal or upgrade (with the unused value of the old plan as credit)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.catalog.constants import DURATION_MONTHS, UpgradeMode
from sanggar.catalog.models import PlanPrice
from sanggar.catalog.pricing import effective_price
from sanggar.core.dates import add_months
from sanggar.core.exceptions import ServiceError
from sanggar.core.formatting import rupiah, tanggal

from ..constants import (
    LogKind,
    Pricing,
)
from ..models import MembershipLog, UserMembership
from ..selectors import membership_active_for

# ---------------------------------------------------------------------------------------------------------------
# Pricing


@dataclass(frozen=True)
class PlanQuote:
    pricing: str  # "new" | "renewal" | "upgrade"
    list_price: int  # the option's price now (promo applied)
    credit: int  # accumulate-mode upgrade: unused value of the current plan
    amount: int  # list_price - credit, never below 0
    allowed: bool
    message: str  # Indonesian: what buying this means, or why it cannot be bought


def duration_end(start: datetime, duration: str) -> datetime | None:
    """The end of a membership of `duration` starting at `start` (None: lifetime)."""
    months = DURATION_MONTHS.get(duration)
    if duration not in DURATION_MONTHS:
        raise ServiceError(_("Durasi membership tidak dikenal."))
    return None if months is None else add_months(start, months)


def upgrade_credit(*, old_value: int, remaining_days: int, period_days: int, lifetime: bool, new_price: int) -> int:
    """The unused value of the current membership (accumulate mode), in whole rupiah, rounded down:
    `old_value × remaining_days / period_days`, at most the old value and at most the new price (so the price
    never goes below zero). A lifetime membership's unused value is its whole price."""
    old_value = max(0, int(old_value))
    if lifetime:
        credit = old_value
    elif period_days <= 0 or remaining_days <= 0:
        credit = 0
    else:
        credit = old_value * min(int(remaining_days), int(period_days)) // int(period_days)
    return max(0, min(credit, old_value, max(0, int(new_price))))


def _current_value(membership: UserMembership) -> int:
    """What the current membership's last purchase listed at: the plan line of the order behind its latest
    activation or renewal; without an order, the option's normal price (0 when that option is gone)."""
    log = (
        MembershipLog.objects.filter(
            membership=membership, order__isnull=False, kind__in=(LogKind.ACTIVATED, LogKind.EXTENDED)
        )
        .order_by("-created_at", "-id")
        .first()
    )
    order_id = log.order_id if log else membership.order_id
    if order_id:
        # The order's plan line, read through the relation (orders sits above memberships and is never imported).
        orders = UserMembership._meta.get_field("order").related_model.objects
        listed = (
            orders.filter(pk=order_id, items__kind="plan", items__plan_id=membership.plan_id)
            .order_by("items__id")
            .values_list("items__list_price", flat=True)
            .first()
        )
        if listed is not None:
            return int(listed)
    price = PlanPrice.objects.filter(plan_id=membership.plan_id, duration=membership.duration).first()
    return int(price.price) if price else 0


def _credit_for(membership: UserMembership, *, new_price: int, now: datetime) -> int:
    old_value = _current_value(membership)
    if membership.ends_at is None:
        return upgrade_credit(old_value=old_value, remaining_days=0, period_days=0, lifetime=True, new_price=new_price)
    months = DURATION_MONTHS.get(membership.duration) or 1
    period_days = (membership.ends_at - add_months(membership.ends_at, -months)).days
    remaining_days = max(0, (membership.ends_at - now) // timedelta(days=1))
    return upgrade_credit(
        old_value=old_value, remaining_days=remaining_days, period_days=period_days, lifetime=False,
        new_price=new_price,
    )  # fmt: skip


def quote_for(*, current: UserMembership | None, plan_price: PlanPrice, now: datetime) -> PlanQuote:
    plan = plan_price.plan
    list_price = effective_price(
        price=plan_price.price, promo_price=plan_price.promo_price, promo_ends_at=plan_price.promo_ends_at, now=now
    )
    if current is None:
        return PlanQuote(Pricing.NEW, list_price, 0, list_price, True, _("Membership baru, aktif setelah dibayar."))
    if current.plan_id == plan.pk:
        if current.ends_at is None:
            return PlanQuote(
                Pricing.RENEWAL, list_price, 0, list_price, False,
                _("Membership %(plan)s Anda sudah seumur hidup (Lifetime), tidak perlu diperpanjang.")
                % {"plan": plan.title},
            )  # fmt: skip
        return PlanQuote(
            Pricing.RENEWAL, list_price, 0, list_price, True,
            _("Perpanjangan: masa aktif %(plan)s bertambah %(duration)s dari %(date)s.")
            % {"plan": plan.title, "duration": plan_price.get_duration_display(), "date": tanggal(current.ends_at)},
        )  # fmt: skip
    if plan.rank > current.plan.rank:
        if plan.upgrade_mode == UpgradeMode.ACCUMULATE:
            credit = _credit_for(current, new_price=list_price, now=now)
            message = _(
                "Upgrade dari %(old)s: sisa nilai paket lama %(credit)s dipotong dari harga. "
                "Paket lama berakhir saat upgrade aktif."
            ) % {"old": current.plan.title, "credit": rupiah(credit)}
        else:
            credit = 0
            message = _(
                "Upgrade dari %(old)s: bayar harga penuh. %(plan)s tidak memotong sisa masa %(old)s dari harganya; "
                "%(old)s berakhir saat %(plan)s aktif, dan masa %(plan)s dihitung penuh sejak hari itu."
            ) % {"old": current.plan.title, "plan": plan.title}
        return PlanQuote(Pricing.UPGRADE, list_price, credit, list_price - credit, True, message)
    until = _("seumur hidup") if current.ends_at is None else _("sampai %(date)s") % {"date": tanggal(current.ends_at)}
    return PlanQuote(
        Pricing.UPGRADE, list_price, 0, list_price, False,
        _(
            "Anda masih memiliki membership %(current)s yang aktif %(until)s. Paket %(plan)s tidak lebih tinggi, "
            "jadi baru bisa dibeli setelah membership Anda berakhir."
        ) % {"current": current.plan.title, "until": until, "plan": plan.title},
    )  # fmt: skip


def plan_change_quote(*, current: UserMembership | None, plan_price: PlanPrice, now: datetime) -> PlanQuote:
    """The price of an admin's charged plan change (upgrade or downgrade) of the running membership `current`.

    Proration rule: the member pays the new option's price now (promo applied) minus the unused value of the current
    membership, whatever the new plan's upgrade mode: credit = floor(value of the current membership's last purchase
    × whole days left / days of its period), at most that value and at most the new price (a lifetime membership's
    credit is its whole value). The difference is never negative: a credit above the new price (a downgrade) is not
    paid back; the order is then Rp 0 and paid at once. When paid, the current membership ends and the new one runs
    for the new option's full duration from that moment. `pricing` is "upgrade" (higher rank) or "downgrade"."""
    plan = plan_price.plan
    list_price = effective_price(
        price=plan_price.price, promo_price=plan_price.promo_price, promo_ends_at=plan_price.promo_ends_at, now=now
    )
    if current is None:
        return PlanQuote(
            Pricing.UPGRADE, list_price, 0, list_price, False,
            _("Pengguna ini tidak memiliki membership aktif. Gunakan \u201cBeri membership\u201d."),
        )  # fmt: skip
    if current.plan_id == plan.pk:
        return PlanQuote(
            Pricing.RENEWAL, list_price, 0, list_price, False, _("Pilih paket yang berbeda dari paket sekarang.")
        )
    pricing = Pricing.UPGRADE if plan.rank > current.plan.rank else Pricing.DOWNGRADE
    credit = _credit_for(current, new_price=list_price, now=now)
    message = _(
        "Ganti paket dari %(old)s ke %(plan)s: harga %(price)s dikurangi sisa nilai paket lama %(credit)s. "
        "Paket diganti setelah tagihan dibayar."
    ) % {"old": current.plan.title, "plan": plan.title, "price": rupiah(list_price), "credit": rupiah(credit)}
    return PlanQuote(pricing, list_price, credit, list_price - credit, True, message)


def membership_quote(*, user, plan_price: PlanPrice, now: datetime | None = None) -> PlanQuote:
    """How `user` would buy `plan_price` now: a new membership, a renewal of the same plan (any duration; it
    extends the end), or an upgrade to a higher-ranked plan (accumulate mode deducts the unused value of the
    current plan). A plan not higher than the active one, or renewing a lifetime membership, is not allowed."""
    now = now or timezone.now()
    current = membership_active_for(user=user, now=now) if user is not None and user.is_authenticated else None
    return quote_for(current=current, plan_price=plan_price, now=now)
