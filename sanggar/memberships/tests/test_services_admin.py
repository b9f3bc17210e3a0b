"""Admin actions on a member's membership: grant (complimentary), extend by days or to a date, change plan
without charging, cancel or expire now; each moves the grants, writes a log and one audit row, and tells the
member."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sanggar.access.models import Grant
from sanggar.access.tests.factories import price_of
from sanggar.audit.models import ActivityLog
from sanggar.core.exceptions import ServiceError
from sanggar.memberships.constants import LogKind, MembershipSource, MembershipStatus
from sanggar.memberships.models import MembershipLog, UserMembership
from sanggar.memberships.services import membership_activate
from sanggar.memberships.services_admin import (
    membership_cancel,
    membership_change_plan,
    membership_extend,
    membership_grant,
)
from sanggar.notifications.models import Notification

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=WIB)


def open_titles(user):
    return set(Grant.objects.filter(user=user, revoked_at__isnull=True).values_list("resource__title", flat=True))


def test_grant_gives_a_complimentary_membership_with_the_plans_grants(member_user, admin_user, catalog):
    m = membership_grant(
        user=member_user, plan_price=price_of(catalog["gold"], "6m"), reason="Hadiah juara webinar", actor=admin_user,
        now=T0,
    )  # fmt: skip
    assert (m.plan, m.status, m.source, m.order_id) == (catalog["gold"], "active", MembershipSource.ADMIN, None)
    assert m.ends_at == datetime(2025, 9, 1, 9, 0, tzinfo=WIB)
    assert open_titles(member_user) == {
        "Komunitas Premium", "Strategi Ekspor", "Kelas Buyer", "Dasar Ekspor", "Ebook Daftar Buyer",
    }  # fmt: skip
    log = MembershipLog.objects.get(membership=m)
    assert (log.kind, log.message) == (LogKind.GRANTED, "Hadiah juara webinar")
    audit = ActivityLog.objects.get(action="membership.granted")
    assert (audit.actor, audit.target_id, audit.data["reason"]) == (
        admin_user,
        str(member_user.pk),
        "Hadiah juara webinar",
    )
    note = Notification.objects.get(user=member_user)
    assert note.title == "Anda mendapat membership Gold"


def test_grant_needs_a_reason_and_no_running_membership(member_user, admin_user, catalog):
    with pytest.raises(ServiceError) as exc:
        membership_grant(user=member_user, plan_price=price_of(catalog["gold"]), reason="  ", actor=admin_user)
    assert exc.value.errors == {"reason": ["Tuliskan alasannya."]}
    membership_grant(user=member_user, plan_price=price_of(catalog["silver"]), reason="Tes", actor=admin_user)
    with pytest.raises(ServiceError) as exc:
        membership_grant(user=member_user, plan_price=price_of(catalog["gold"]), reason="Lagi", actor=admin_user)
    assert exc.value.code == "membership_exists"
    assert UserMembership.objects.filter(user=member_user).count() == 1
    assert ActivityLog.objects.filter(action="membership.granted").count() == 1


def test_extend_by_days_moves_the_end_and_the_grants(member_user, admin_user, catalog):
    m = membership_activate(user=member_user, plan_price=price_of(catalog["silver"]), amount_paid=100_000, now=T0)
    old_end = m.ends_at
    extended = membership_extend(user=member_user, days=10, reason="Kompensasi gangguan", actor=admin_user, now=T0)
    assert extended.pk == m.pk
    assert extended.ends_at == old_end + timedelta(days=10)
    ends = set(Grant.objects.filter(user=member_user, revoked_at__isnull=True).values_list("ends_at", flat=True))
    assert ends == {old_end + timedelta(days=10)}
    log = MembershipLog.objects.get(membership=m, kind=LogKind.ADMIN_EXTENDED)
    assert (log.old_ends_at, log.new_ends_at) == (old_end, old_end + timedelta(days=10))
    assert ActivityLog.objects.filter(action="membership.admin_extended", actor=admin_user).count() == 1
    assert Notification.objects.filter(user=member_user, title="Membership Silver Anda diperpanjang").count() == 1


def test_extend_to_a_date_and_its_refusals(member_user, admin_user, catalog):
    with pytest.raises(ServiceError) as exc:
        membership_extend(user=member_user, days=5, reason="x", actor=admin_user, now=T0)
    assert exc.value.code == "no_active_membership"
    membership_activate(user=member_user, plan_price=price_of(catalog["silver"]), amount_paid=100_000, now=T0)
    m = membership_extend(user=member_user, until=date(2025, 6, 30), reason="Promo", actor=admin_user, now=T0)
    assert m.ends_at == datetime(2025, 6, 30, 23, 59, 59, tzinfo=WIB)
    with pytest.raises(ServiceError) as exc:
        membership_extend(user=member_user, until=date(2025, 5, 1), reason="Mundur", actor=admin_user, now=T0)
    assert list(exc.value.errors) == ["until"]
    with pytest.raises(ServiceError):
        membership_extend(
            user=member_user, days=5, until=date(2025, 8, 1), reason="Dua-duanya", actor=admin_user, now=T0
        )
    with pytest.raises(ServiceError) as exc:
        membership_extend(user=member_user, days=0, reason="Nol", actor=admin_user, now=T0)
    assert list(exc.value.errors) == ["days"]
    m.refresh_from_db()
    assert m.ends_at == datetime(2025, 6, 30, 23, 59, 59, tzinfo=WIB)


def test_change_plan_without_charging_swaps_grants_and_keeps_the_end(member_user, admin_user, catalog):
    old = membership_activate(user=member_user, plan_price=price_of(catalog["gold"], "12m"), amount_paid=0, now=T0)
    new = membership_change_plan(
        user=member_user, plan_price=price_of(catalog["silver"], "1m"), reason="Turun paket atas permintaan",
        actor=admin_user, now=T0 + timedelta(days=1),
    )  # fmt: skip
    old.refresh_from_db()
    assert (old.status, old.ended_at) == (MembershipStatus.EXPIRED, T0 + timedelta(days=1))
    assert (new.plan, new.status, new.ends_at, new.source) == (catalog["silver"], "active", old.ends_at, "admin")
    assert open_titles(member_user) == {"Komunitas Pemula", "Dasar Ekspor"}
    assert ActivityLog.objects.get(action="membership.plan_changed").data["old_plan"] == "Gold"
    upgraded = membership_change_plan(
        user=member_user, plan_price=price_of(catalog["platinum"], "1m"), reason="Naik", actor=admin_user,
        keep_end=False, now=T0 + timedelta(days=2),
    )  # fmt: skip
    assert upgraded.ends_at == datetime(2025, 4, 3, 9, 0, tzinfo=WIB)
    with pytest.raises(ServiceError) as exc:
        membership_change_plan(
            user=member_user,
            plan_price=price_of(catalog["platinum"], "12m"),
            reason="Sama",
            actor=admin_user,
            now=T0 + timedelta(days=2),
        )
    assert exc.value.code == "same_plan"


@pytest.mark.parametrize(("expire", "status"), [(False, "cancelled"), (True, "expired")])
def test_cancel_or_expire_now_revokes_grants(member_user, admin_user, catalog, expire, status):
    m = membership_activate(user=member_user, plan_price=price_of(catalog["gold"]), amount_paid=200_000, now=T0)
    now = T0 + timedelta(days=3)
    membership_cancel(user=member_user, expire=expire, reason="Pelanggaran aturan grup", actor=admin_user, now=now)
    m.refresh_from_db()
    assert (m.status, m.ended_at) == (status, now)
    assert open_titles(member_user) == set()
    assert MembershipLog.objects.filter(membership=m, kind=LogKind.CANCELLED).count() == 1
    assert ActivityLog.objects.get(action="membership.cancelled").data["expired"] is expire
    assert Notification.objects.filter(user=member_user, title="Membership Gold Anda dihentikan").count() == 1
