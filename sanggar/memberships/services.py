"""Business writes of memberships: pricing a plan for a user (new, renewal, upgrade), activating it when an order is
paid, the expiry and reminder sweeps, and undoing an order's membership on refund.

One active membership per user (database constraint). Every write locks the user's row first, so two payments for
the same user at the same moment are applied one after the other."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.access.constants import GrantSource
from sanggar.access.services import grant_create, grants_revoke, grants_set_end
from sanggar.audit.services import activity_record
from sanggar.catalog.constants import DURATION_MONTHS, PlanStatus, UpgradeMode
from sanggar.catalog.models import PlanPrice
from sanggar.catalog.pricing import effective_price
from sanggar.core.dates import add_months, days_between
from sanggar.core.exceptions import ServiceError
from sanggar.core.formatting import rupiah, tanggal, tanggal_jam
from sanggar.core.transactions import service_atomic
from sanggar.notifications.services import notify

from . import notifications as kinds
from .constants import (
    ACTION_ACTIVATED,
    ACTION_EXPIRED,
    ACTION_EXTENDED,
    ACTION_REFUNDED,
    ACTION_UPGRADED,
    GRANT_SOURCE_REF,
    REMINDER_THRESHOLDS,
    LogKind,
    MembershipStatus,
    Pricing,
)
from .models import MembershipLog, MembershipReminder, MembershipUpgradeLog, UserMembership
from .selectors import membership_active_for, plan_resources

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
    from sanggar.orders.models import OrderItem

    log = (
        MembershipLog.objects.filter(
            membership=membership, order__isnull=False, kind__in=(LogKind.ACTIVATED, LogKind.EXTENDED)
        )
        .order_by("-created_at", "-id")
        .first()
    )
    order_id = log.order_id if log else membership.order_id
    if order_id:
        item = OrderItem.objects.filter(order_id=order_id, kind="plan", plan_id=membership.plan_id).first()
        if item is not None:
            return int(item.list_price)
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


def _quote(*, current: UserMembership | None, plan_price: PlanPrice, now: datetime) -> PlanQuote:
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
            message = _("Upgrade dari %(old)s: bayar harga penuh. Paket lama berakhir saat upgrade aktif.") % {
                "old": current.plan.title
            }
        return PlanQuote(Pricing.UPGRADE, list_price, credit, list_price - credit, True, message)
    until = _("seumur hidup") if current.ends_at is None else _("sampai %(date)s") % {"date": tanggal(current.ends_at)}
    return PlanQuote(
        Pricing.UPGRADE, list_price, 0, list_price, False,
        _(
            "Anda masih memiliki membership %(current)s yang aktif %(until)s. Paket %(plan)s tidak lebih tinggi, "
            "jadi baru bisa dibeli setelah membership Anda berakhir."
        ) % {"current": current.plan.title, "until": until, "plan": plan.title},
    )  # fmt: skip


def membership_quote(*, user, plan_price: PlanPrice, now: datetime | None = None) -> PlanQuote:
    """How `user` would buy `plan_price` now: a new membership, a renewal of the same plan (any duration; it
    extends the end), or an upgrade to a higher-ranked plan (accumulate mode deducts the unused value of the
    current plan). A plan not higher than the active one, or renewing a lifetime membership, is not allowed."""
    now = now or timezone.now()
    current = membership_active_for(user=user, now=now) if user is not None and user.is_authenticated else None
    return _quote(current=current, plan_price=plan_price, now=now)


# ---------------------------------------------------------------------------------------------------------------
# Grants of a plan


def source_ref(membership: UserMembership) -> str:
    return GRANT_SOURCE_REF.format(pk=membership.pk)


def _grant_plan(membership: UserMembership) -> None:
    for resource in plan_resources(membership.plan):
        grant_create(
            user=membership.user, resource=resource, source=GrantSource.MEMBERSHIP,
            source_ref=source_ref(membership), starts_at=membership.starts_at, ends_at=membership.ends_at,
        )  # fmt: skip


def _log(membership, kind, message="", *, old_ends_at=None, new_ends_at=None, order=None) -> MembershipLog:
    return MembershipLog.objects.create(
        membership=membership, kind=kind, message=str(message)[:300], old_ends_at=old_ends_at,
        new_ends_at=new_ends_at, order=order,
    )  # fmt: skip


def _audit(action: str, membership: UserMembership, **data) -> None:
    activity_record(
        action=action,
        target=membership.user,
        data={
            "plan": membership.plan.title,
            "duration": membership.duration,
            "ends_at": timezone.localtime(membership.ends_at).isoformat() if membership.ends_at else "lifetime",
            **data,
        },
    )


def _lock_user(user):
    return get_user_model().objects.select_for_update().get(pk=user.pk)


def _expire(membership: UserMembership, *, now: datetime, notify_member: bool) -> None:
    """Marks a membership that ran past its end as expired (caller holds the row lock)."""
    membership.status = MembershipStatus.EXPIRED
    membership.ended_at = membership.ends_at or now
    membership.save(update_fields=["status", "ended_at", "updated_at"])
    _log(membership, LogKind.EXPIRED, _("Masa aktif berakhir."), old_ends_at=membership.ends_at)
    _audit(ACTION_EXPIRED, membership)
    if notify_member:
        notify(
            user=membership.user,
            kind=kinds.EXPIRED,
            link=reverse("memberships:mine"),
            context={"plan": membership.plan.title, "end_date": tanggal_jam(membership.ends_at)},
        )


def _not_allowed(message: str) -> ServiceError:
    return ServiceError(message, code="membership_not_allowed")


@service_atomic
def membership_activate(
    *, user, plan_price: PlanPrice, order=None, amount_paid: int, now: datetime | None = None
) -> UserMembership:
    """Applies a paid plan to `user`:
    - no active membership → a new one from now;
    - the same plan → the end moves by the bought duration from max(now, current end) (lifetime: no end);
    - a higher-ranked plan → the current one expires now, the new one starts now, an upgrade log keeps the mode,
      the credit and the amount paid, and the old plan's grants are revoked while the new plan's are given.
    A plan not higher than the active one, or a renewal of a lifetime membership, raises ServiceError
    (code "membership_not_allowed"). Applying the same order twice changes nothing the second time."""
    now = now or timezone.now()
    user = _lock_user(user)
    plan = plan_price.plan
    if order is not None:
        done = (
            MembershipLog.objects.filter(order=order, kind__in=(LogKind.ACTIVATED, LogKind.EXTENDED))
            .select_related("membership")
            .first()
        )
        if done is not None:
            return done.membership
    # The user's active memberships, locked, in one query: those past their end expire, the newest other is current.
    current = None
    for active in (
        UserMembership.objects.select_for_update()
        .select_related("plan")
        .filter(user=user, status=MembershipStatus.ACTIVE)
    ):
        if active.ends_at is not None and active.ends_at <= now:
            _expire(active, now=now, notify_member=False)
        elif current is None:
            current = active
    quote = _quote(current=current, plan_price=plan_price, now=now)
    if not quote.allowed:
        raise _not_allowed(quote.message)

    if quote.pricing == Pricing.RENEWAL:
        old_end = current.ends_at
        new_end = duration_end(max(now, old_end), plan_price.duration)
        current.ends_at = new_end
        current.duration = plan_price.duration
        current.save(update_fields=["ends_at", "duration", "updated_at"])
        _log(
            current, LogKind.EXTENDED,
            _("Diperpanjang %(duration)s.") % {"duration": plan_price.get_duration_display()},
            old_ends_at=old_end, new_ends_at=new_end, order=order,
        )  # fmt: skip
        _grant_plan(current)
        _audit(ACTION_EXTENDED, current, invoice=getattr(order, "invoice_number", ""), amount_paid=amount_paid)
        return current

    previous = None
    if quote.pricing == Pricing.UPGRADE:
        previous = current
        previous.status = MembershipStatus.EXPIRED
        previous.ended_at = now
        previous.save(update_fields=["status", "ended_at", "updated_at"])
        _log(previous, LogKind.UPGRADED, _("Upgrade ke %(plan)s.") % {"plan": plan.title}, order=order)
        grants_revoke(source_ref=source_ref(previous), reason=_("Upgrade ke %(plan)s") % {"plan": plan.title}, now=now)

    membership = UserMembership.objects.create(
        user=user, plan=plan, duration=plan_price.duration, status=MembershipStatus.ACTIVE, starts_at=now,
        ends_at=duration_end(now, plan_price.duration), order=order,
    )  # fmt: skip
    membership.user = user
    message = (
        _("Upgrade dari %(plan)s.") % {"plan": previous.plan.title}
        if previous
        else _("Membership %(duration)s diaktifkan.") % {"duration": plan_price.get_duration_display()}
    )
    _log(membership, LogKind.ACTIVATED, message, new_ends_at=membership.ends_at, order=order)
    _grant_plan(membership)
    if previous is not None:
        MembershipUpgradeLog.objects.create(
            user=user, old_plan=previous.plan, new_plan=plan, old_membership=previous, new_membership=membership,
            upgraded_at=now, payment_mode=plan.upgrade_mode, credit=quote.credit, amount_paid=amount_paid, order=order,
        )  # fmt: skip
        _audit(
            ACTION_UPGRADED, membership, old_plan=previous.plan.title, mode=plan.upgrade_mode, credit=quote.credit,
            amount_paid=amount_paid, invoice=getattr(order, "invoice_number", ""),
        )  # fmt: skip
    else:
        _audit(ACTION_ACTIVATED, membership, invoice=getattr(order, "invoice_number", ""), amount_paid=amount_paid)
    return membership


# ---------------------------------------------------------------------------------------------------------------
# Sweeps


def memberships_expire_sweep(*, now: datetime | None = None) -> int:
    """Marks every active membership past its end as expired and tells its member. Its grants already ended at
    the same moment (they carry the membership's end). Safe to run twice or concurrently: each membership is
    locked and re-checked, and a row another worker holds is left to it. Returns how many expired."""
    now = now or timezone.now()
    ids = list(
        UserMembership.objects.filter(status=MembershipStatus.ACTIVE, ends_at__lte=now)
        .order_by("ends_at", "id")
        .values_list("id", flat=True)
    )
    expired = 0
    for pk in ids:
        with transaction.atomic():
            membership = (
                UserMembership.objects.select_for_update(skip_locked=True)
                .select_related("plan", "user")
                .filter(pk=pk, status=MembershipStatus.ACTIVE, ends_at__lte=now)
                .first()
            )
            if membership is None:
                continue
            _expire(membership, now=now, notify_member=True)
            expired += 1
    return expired


def _reminder_threshold(days_left: int) -> int | None:
    """The tightest threshold (7, 3, 1 days) that `days_left` has reached, or None."""
    reached = [t for t in REMINDER_THRESHOLDS if days_left <= t]
    return min(reached) if reached else None


def memberships_remind_sweep(*, now: datetime | None = None) -> int:
    """Sends "berakhir dalam 7 / 3 / 1 hari" reminders: once per membership, end date and threshold (a renewal
    moves the end date, so the next period is reminded again). A membership first seen with 5 days left gets the
    7-day reminder, then the 3-day one. Safe to run twice or concurrently (a unique row per reminder)."""
    now = now or timezone.now()
    window = timedelta(days=max(REMINDER_THRESHOLDS) + 1)
    candidates = (
        UserMembership.objects.filter(status=MembershipStatus.ACTIVE, ends_at__gt=now, ends_at__lte=now + window)
        .select_related("plan", "user")
        .prefetch_related("reminders")
        .order_by("ends_at", "id")
    )
    sent = 0
    for membership in candidates:
        days_left = days_between(now, membership.ends_at)
        threshold = _reminder_threshold(days_left)
        if threshold is None:
            continue
        if any(r.ends_at == membership.ends_at and r.threshold_days <= threshold for r in membership.reminders.all()):
            continue
        try:
            with transaction.atomic():
                MembershipReminder.objects.create(
                    membership=membership, threshold_days=threshold, ends_at=membership.ends_at, sent_at=now
                )
                _send_reminder(membership, days_left)
        except IntegrityError:
            continue  # another worker sent this one
        sent += 1
    return sent


def _send_reminder(membership: UserMembership, days_left: int) -> None:
    plan = membership.plan
    link = reverse("memberships:mine")
    if plan.status == PlanStatus.ACTIVE:
        link = reverse("orders:checkout_plan", args=[plan.slug])
    notify(
        user=membership.user,
        kind=kinds.ENDING_TODAY if days_left <= 0 else kinds.ENDING_SOON,
        link=link,
        context={"plan": plan.title, "end_date": tanggal_jam(membership.ends_at), "days": max(days_left, 0)},
    )


# ---------------------------------------------------------------------------------------------------------------
# Refunds


@transaction.atomic
def membership_revoke_for_order(*, order, reason: str, now: datetime | None = None) -> None:
    """Undoes what a refunded order did to memberships:
    - a membership the order started is cancelled and its grants revoked; when it was an upgrade, the membership
      it replaced comes back if its period has not run out (with its grants);
    - a renewal the order bought is rolled back by the time it added (the membership expires now if that leaves
      it in the past), and its grants follow.
    Calling it again for the same order does nothing."""
    now = now or timezone.now()
    reason = (reason or "").strip()[:200] or _("Refund")
    _lock_user(order.buyer)
    if MembershipLog.objects.filter(order=order, kind__in=(LogKind.REFUNDED, LogKind.EXTENSION_REFUNDED)).exists():
        return
    started = UserMembership.objects.select_for_update().select_related("plan", "user").filter(order=order).first()
    if started is not None:
        _cancel_started(started, order=order, reason=reason, now=now)
        return
    extension = MembershipLog.objects.filter(order=order, kind=LogKind.EXTENDED).order_by("-created_at", "-id").first()
    if extension is not None:
        _roll_back_extension(extension, order=order, reason=reason, now=now)


def _cancel_started(membership: UserMembership, *, order, reason: str, now: datetime) -> None:
    was_active = membership.status == MembershipStatus.ACTIVE
    membership.status = MembershipStatus.CANCELLED
    if was_active:
        membership.ended_at = now
    membership.save(update_fields=["status", "ended_at", "updated_at"])
    grants_revoke(source_ref=source_ref(membership), reason=reason, now=now)
    _log(membership, LogKind.REFUNDED, reason, old_ends_at=membership.ends_at, order=order)
    _audit(ACTION_REFUNDED, membership, invoice=order.invoice_number, reason=reason)
    upgrade = (
        MembershipUpgradeLog.objects.filter(new_membership=membership).select_related("old_membership__plan").first()
    )
    if not (was_active and upgrade):
        return
    old = UserMembership.objects.select_for_update().select_related("plan", "user").get(pk=upgrade.old_membership_id)
    still_running = old.ends_at is None or old.ends_at > now
    if old.status != MembershipStatus.EXPIRED or not still_running:
        return
    if UserMembership.objects.filter(user=old.user, status=MembershipStatus.ACTIVE).exists():
        return
    old.status = MembershipStatus.ACTIVE
    old.ended_at = None
    old.save(update_fields=["status", "ended_at", "updated_at"])
    _log(old, LogKind.RESTORED, _("Dipulihkan karena upgrade dibatalkan (refund)."), order=order)
    _grant_plan(old)


def _roll_back_extension(extension: MembershipLog, *, order, reason: str, now: datetime) -> None:
    membership = (
        UserMembership.objects.select_for_update().select_related("plan", "user").get(pk=extension.membership_id)
    )
    old_end = membership.ends_at
    if extension.new_ends_at is None:
        new_end = extension.old_ends_at  # the order made it lifetime
    elif membership.ends_at is None:
        new_end = None  # a later order made it lifetime; that stays
    else:
        new_end = membership.ends_at - (extension.new_ends_at - extension.old_ends_at)
    if membership.status == MembershipStatus.ACTIVE and new_end != old_end:
        membership.ends_at = new_end
        fields = ["ends_at", "updated_at"]
        if new_end is not None and new_end <= now:
            membership.status = MembershipStatus.EXPIRED
            membership.ended_at = now
            fields += ["status", "ended_at"]
        membership.save(update_fields=fields)
        grants_set_end(source_ref=source_ref(membership), ends_at=new_end)
    _log(
        membership, LogKind.EXTENSION_REFUNDED, reason, old_ends_at=old_end, new_ends_at=membership.ends_at, order=order
    )
    _audit(ACTION_REFUNDED, membership, invoice=order.invoice_number, reason=reason)


SYNC_BATCH = 1000


def membership_grants_sync(*, plan_id: int, now: datetime | None = None) -> int:
    """Brings the grants of every active membership of a plan in line with what the plan includes now (the admin
    changed its content): missing grants are created, grants of resources no longer included are revoked.
    Set-based, in batches; safe to run twice or concurrently. Returns the number of grants created plus revoked."""
    from sanggar.access.models import Grant
    from sanggar.catalog.models import MembershipPlan

    now = now or timezone.now()
    plan = MembershipPlan.objects.filter(pk=plan_id).first()
    if plan is None:
        return 0
    wanted = {resource.pk for resource in plan_resources(plan)}
    changed = 0
    memberships = UserMembership.objects.filter(plan_id=plan_id, status=MembershipStatus.ACTIVE).order_by("pk")
    last_pk = 0
    while True:
        batch = list(memberships.filter(pk__gt=last_pk).only("pk", "user_id", "starts_at", "ends_at")[:SYNC_BATCH])
        if not batch:
            return changed
        last_pk = batch[-1].pk
        refs = {source_ref(m): m for m in batch}
        with transaction.atomic():
            changed += (
                Grant.objects.filter(source_ref__in=refs, revoked_at__isnull=True)
                .exclude(resource_id__in=wanted)
                .update(revoked_at=now, revoked_reason=_("Tidak lagi termasuk paket %(plan)s") % {"plan": plan.title})
            )
            have = set(
                Grant.objects.filter(source_ref__in=refs, revoked_at__isnull=True).values_list(
                    "source_ref", "resource_id"
                )
            )
            missing = [
                Grant(
                    user_id=m.user_id,
                    resource_id=resource_id,
                    source=GrantSource.MEMBERSHIP,
                    source_ref=ref,
                    starts_at=m.starts_at,
                    ends_at=m.ends_at,
                )  # fmt: skip
                for ref, m in refs.items()
                for resource_id in wanted
                if (ref, resource_id) not in have
            ]
            # The partial unique constraint (one open grant per user, resource and source) guards concurrent runs.
            Grant.objects.bulk_create(missing, ignore_conflicts=True)
            changed += len(missing)
