"""Admin actions on a member's membership: grant one without an order (complimentary), extend it by days or to a
date, change its plan without charging (or, charged, switch it when the change's order is paid:
`membership_switch_paid`), cancel or expire it now.

The page at /admin/memberships and `POST /api/v1/admin/users/{id}/membership` both call these. Each one locks the
member's row, writes a membership log and one audit row in the same transaction, moves the plan's access grants
with the membership, and tells the member after commit. No order is involved, so no revenue split is posted."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.access.services import grants_revoke, grants_set_end
from sanggar.audit.services import activity_record
from sanggar.catalog.models import PlanPrice
from sanggar.core.exceptions import ServiceError
from sanggar.core.formatting import tanggal
from sanggar.notifications.services import notify

from . import notifications as kinds
from .constants import (
    ACTION_ADMIN_EXTENDED,
    ACTION_CANCELLED,
    ACTION_GRANTED,
    ACTION_PLAN_CHANGED,
    ADMIN_EXTEND_MAX_DAYS,
    LogKind,
    MembershipSource,
    MembershipStatus,
)
from .models import MembershipLog, MembershipUpgradeLog, UserMembership
from .services import duration_end, source_ref
from .services.common import plan_grants_give, user_lock

REASON_MAX = 300


def _field_error(message, field: str, *, code: str = "invalid") -> ServiceError:
    return ServiceError(message, errors={field: [str(message)]}, code=code)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()[:REASON_MAX]
    if not reason:
        raise _field_error(_("Tuliskan alasannya."), "reason", code="reason_required")
    return reason


def _current(user, now: datetime) -> UserMembership | None:
    """The member's running membership, locked; one past its end is expired first."""
    for overdue in UserMembership.objects.select_for_update().filter(
        user=user, status=MembershipStatus.ACTIVE, ends_at__lte=now
    ):
        overdue.status = MembershipStatus.EXPIRED
        overdue.ended_at = overdue.ends_at
        overdue.save(update_fields=["status", "ended_at", "updated_at"])
        MembershipLog.objects.create(membership=overdue, kind=LogKind.EXPIRED, message=_("Masa aktif berakhir."))
    return (
        UserMembership.objects.select_for_update()
        .select_related("plan")
        .filter(user=user, status=MembershipStatus.ACTIVE)
        .first()
    )


def _require_current(user, now: datetime) -> UserMembership:
    current = _current(user, now)
    if current is None:
        raise ServiceError(
            _("Pengguna ini tidak memiliki membership aktif. Gunakan \u201cBeri membership\u201d."),
            code="no_active_membership",
        )
    return current


def _record(*, action, actor, membership, reason, **data) -> None:
    activity_record(
        action=action,
        actor=actor,
        target=membership.user,
        data={
            "plan": membership.plan.title,
            "duration": membership.duration,
            "ends_at": timezone.localtime(membership.ends_at).isoformat() if membership.ends_at else "lifetime",
            "reason": reason,
            **data,
        },
    )


def _until_text(membership: UserMembership) -> str:
    return (
        _("seumur hidup")
        if membership.ends_at is None
        else _("sampai %(date)s") % {"date": tanggal(membership.ends_at)}
    )


def _tell(membership: UserMembership, kind: str, **context) -> None:
    notify(
        user=membership.user,
        kind=kind,
        link=reverse("memberships:mine"),
        context={"plan": membership.plan.title, "until": _until_text(membership), **context},
    )


def end_of_day(day: date) -> datetime:
    """23:59:59 of `day` in the platform's time zone (WIB)."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


@transaction.atomic
def membership_grant(*, user, plan_price: PlanPrice, reason: str, actor, now: datetime | None = None) -> UserMembership:
    """Gives `user` a complimentary membership of `plan_price` from now (no order, no revenue split). A member
    who already has a running membership gets an error: extend it or change its plan instead."""
    now = now or timezone.now()
    reason = _reason(reason)
    user = user_lock(user)
    if _current(user, now) is not None:
        raise ServiceError(
            _("Pengguna ini sudah memiliki membership aktif. Perpanjang atau ganti paketnya."),
            code="membership_exists",
        )
    membership = UserMembership.objects.create(
        user=user, plan=plan_price.plan, duration=plan_price.duration, status=MembershipStatus.ACTIVE,
        starts_at=now, ends_at=duration_end(now, plan_price.duration), source=MembershipSource.ADMIN,
    )  # fmt: skip
    membership.user = user
    MembershipLog.objects.create(
        membership=membership, kind=LogKind.GRANTED, message=reason, new_ends_at=membership.ends_at
    )
    plan_grants_give(membership)
    _record(action=ACTION_GRANTED, actor=actor, membership=membership, reason=reason)
    _tell(membership, kinds.ADMIN_GRANTED)
    return membership


@transaction.atomic
def membership_extend(
    *, user, reason: str, actor, days: int | None = None, until: date | None = None, now: datetime | None = None
) -> UserMembership:
    """Moves the end of `user`'s running membership: by `days` from its current end, or to the end of the date
    `until` (which must be later than the current end). A lifetime membership has no end to move."""
    now = now or timezone.now()
    reason = _reason(reason)
    if (days is None) == (until is None):
        raise ServiceError(_("Isi jumlah hari atau tanggal berakhir yang baru (salah satu)."), code="extend_input")
    user = user_lock(user)
    membership = _require_current(user, now)
    if membership.ends_at is None:
        raise ServiceError(_("Membership ini seumur hidup; tidak ada tanggal berakhir untuk diperpanjang."))
    old_end = membership.ends_at
    if days is not None:
        if not 1 <= int(days) <= ADMIN_EXTEND_MAX_DAYS:
            raise _field_error(_("Jumlah hari harus antara 1 dan %(max)s.") % {"max": ADMIN_EXTEND_MAX_DAYS}, "days")
        new_end = old_end + timedelta(days=int(days))
    else:
        new_end = end_of_day(until)
        if new_end <= old_end:
            raise _field_error(
                _("Tanggal baru harus setelah tanggal berakhir sekarang (%(date)s).") % {"date": tanggal(old_end)},
                "until",
            )
        if new_end > now + timedelta(days=ADMIN_EXTEND_MAX_DAYS):
            raise _field_error(_("Tanggal terlalu jauh ke depan."), "until")
    membership.ends_at = new_end
    membership.save(update_fields=["ends_at", "updated_at"])
    grants_set_end(source_ref=source_ref(membership), ends_at=new_end)
    MembershipLog.objects.create(
        membership=membership, kind=LogKind.ADMIN_EXTENDED, message=reason, old_ends_at=old_end, new_ends_at=new_end
    )
    membership.user = user
    _record(
        action=ACTION_ADMIN_EXTENDED, actor=actor, membership=membership, reason=reason,
        old_ends_at=timezone.localtime(old_end).isoformat(),
    )  # fmt: skip
    _tell(membership, kinds.ADMIN_EXTENDED)
    return membership


@transaction.atomic
def membership_change_plan(
    *, user, plan_price: PlanPrice, reason: str, actor, keep_end: bool = True, now: datetime | None = None
) -> UserMembership:
    """Switches `user`'s running membership to another plan (upgrade or downgrade) without charging: the current
    one ends now, a new one of `plan_price` starts now and ends when the old one would have (`keep_end`) or after
    the new duration. The old plan's grants are revoked and the new plan's given."""
    now = now or timezone.now()
    reason = _reason(reason)
    user = user_lock(user)
    old = _require_current(user, now)
    if old.plan_id == plan_price.plan_id:
        raise _field_error(_("Pilih paket yang berbeda dari paket sekarang."), "plan", code="same_plan")
    old.status = MembershipStatus.EXPIRED
    old.ended_at = now
    old.save(update_fields=["status", "ended_at", "updated_at"])
    new_plan = plan_price.plan
    MembershipLog.objects.create(
        membership=old, kind=LogKind.PLAN_CHANGED,
        message=_("Diganti ke %(plan)s: %(reason)s") % {"plan": new_plan.title, "reason": reason},
    )  # fmt: skip
    grants_revoke(source_ref=source_ref(old), reason=_("Paket diganti ke %(plan)s") % {"plan": new_plan.title}, now=now)
    ends_at = old.ends_at if keep_end else duration_end(now, plan_price.duration)
    membership = UserMembership.objects.create(
        user=user, plan=new_plan, duration=plan_price.duration, status=MembershipStatus.ACTIVE, starts_at=now,
        ends_at=ends_at, source=MembershipSource.ADMIN,
    )  # fmt: skip
    membership.user = user
    MembershipLog.objects.create(
        membership=membership, kind=LogKind.PLAN_CHANGED,
        message=_("Dari %(plan)s: %(reason)s") % {"plan": old.plan.title, "reason": reason}, new_ends_at=ends_at,
    )  # fmt: skip
    plan_grants_give(membership)
    _record(action=ACTION_PLAN_CHANGED, actor=actor, membership=membership, reason=reason, old_plan=old.plan.title)
    _tell(membership, kinds.ADMIN_PLAN_CHANGED, old_plan=old.plan.title)
    return membership


@transaction.atomic
def membership_cancel(*, user, reason: str, actor, expire: bool = False, now: datetime | None = None) -> UserMembership:
    """Ends `user`'s running membership now: cancelled, or expired when `expire` (as if its time ran out). Its
    grants are revoked."""
    now = now or timezone.now()
    reason = _reason(reason)
    user = user_lock(user)
    membership = _require_current(user, now)
    old_end = membership.ends_at
    membership.status = MembershipStatus.EXPIRED if expire else MembershipStatus.CANCELLED
    membership.ended_at = now
    membership.save(update_fields=["status", "ended_at", "updated_at"])
    grants_revoke(source_ref=source_ref(membership), reason=reason[:200], now=now)
    MembershipLog.objects.create(membership=membership, kind=LogKind.CANCELLED, message=reason, old_ends_at=old_end)
    membership.user = user
    _record(action=ACTION_CANCELLED, actor=actor, membership=membership, reason=reason, expired=expire)
    _tell(membership, kinds.ADMIN_CANCELLED, reason=reason)
    return membership


PLAN_CHANGE_MODE = "admin_change"  # MembershipUpgradeLog.payment_mode of a charged plan change


@transaction.atomic
def membership_switch_paid(
    *, user, plan_price: PlanPrice, order, amount_paid: int, now: datetime | None = None
) -> UserMembership:
    """The switch of an admin's charged plan change, when its order is paid (orders' plan kind calls it for a
    "downgrade" line; an "upgrade" line goes through `membership_activate`). The running membership ends now; the
    new one starts now for the option's full duration (see `plan_change_quote` for the proration). An upgrade log
    links the two, so a refund of the order brings the old membership back while its period runs. Applying the same
    order twice changes nothing the second time; a member already on that plan gets an error (the order goes to an
    admin's review)."""
    now = now or timezone.now()
    user = user_lock(user)
    done = MembershipLog.objects.filter(order=order, kind=LogKind.ACTIVATED).select_related("membership").first()
    if done is not None:
        return done.membership
    old = _current(user, now)
    new_plan = plan_price.plan
    if old is not None and old.plan_id == new_plan.pk:
        raise ServiceError(_("Member ini sudah memakai paket %(plan)s.") % {"plan": new_plan.title}, code="same_plan")
    if old is not None:
        old.status = MembershipStatus.EXPIRED
        old.ended_at = now
        old.save(update_fields=["status", "ended_at", "updated_at"])
        MembershipLog.objects.create(
            membership=old, kind=LogKind.PLAN_CHANGED, order=order,
            message=_("Diganti ke %(plan)s (%(invoice)s).") % {"plan": new_plan.title, "invoice": order.invoice_number},
        )  # fmt: skip
        grants_revoke(
            source_ref=source_ref(old), reason=_("Paket diganti ke %(plan)s") % {"plan": new_plan.title}, now=now
        )
    membership = UserMembership.objects.create(
        user=user, plan=new_plan, duration=plan_price.duration, status=MembershipStatus.ACTIVE, starts_at=now,
        ends_at=duration_end(now, plan_price.duration), order=order, source=MembershipSource.ORDER,
    )  # fmt: skip
    membership.user = user
    MembershipLog.objects.create(
        membership=membership, kind=LogKind.ACTIVATED, order=order, new_ends_at=membership.ends_at,
        message=_("Ganti paket dari %(plan)s (%(invoice)s).")
        % {"plan": old.plan.title if old else "-", "invoice": order.invoice_number},
    )  # fmt: skip
    plan_grants_give(membership)
    if old is not None:
        MembershipUpgradeLog.objects.create(
            user=user, old_plan=old.plan, new_plan=new_plan, old_membership=old, new_membership=membership,
            upgraded_at=now, payment_mode=PLAN_CHANGE_MODE, credit=0, amount_paid=amount_paid, order=order,
        )  # fmt: skip
    _record(
        action=ACTION_PLAN_CHANGED, actor=None, membership=membership, reason=_("Tagihan ganti paket dibayar"),
        old_plan=old.plan.title if old else "", invoice=order.invoice_number, amount_paid=amount_paid,
    )  # fmt: skip
    _tell(membership, kinds.ADMIN_PLAN_CHANGED, old_plan=old.plan.title if old else "-")
    return membership
