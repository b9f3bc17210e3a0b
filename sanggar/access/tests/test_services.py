"""Access services: resources, grants (idempotent, revocable, movable), the admin's hand-made grants."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sanggar.access.models import Grant, Resource
from sanggar.access.services import (
    grant_admin_create,
    grant_admin_revoke,
    grant_create,
    grants_give,
    grants_revoke,
    grants_set_end,
    resource_ensure,
)
from sanggar.audit.models import ActivityLog
from sanggar.core.exceptions import ServiceError

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
T0 = datetime(2025, 1, 1, 10, 0, tzinfo=WIB)


@pytest.fixture
def course(db):
    return resource_ensure(kind="course", key="dasar-ekspor", title="Dasar Ekspor")


def test_resource_ensure_creates_once_and_follows_the_title():
    first = resource_ensure(kind="course", key="dasar-ekspor", title="Dasar Ekspor")
    again = resource_ensure(kind="course", key="dasar-ekspor", title="Dasar-Dasar Ekspor")
    assert again.pk == first.pk
    assert Resource.objects.get(kind="course", key="dasar-ekspor").title == "Dasar-Dasar Ekspor"
    other_kind = resource_ensure(kind="group", key="dasar-ekspor", title="Grup Dasar Ekspor")
    assert other_kind.pk != first.pk


def test_resource_ensure_refuses_an_unknown_kind():
    with pytest.raises(ServiceError) as info:
        resource_ensure(kind="video", key="x", title="X")
    assert info.value.errors == {"kind": ["Pilih jenis yang tersedia."]}
    assert not Resource.objects.filter(key="x").exists()  # (the directories' feature resources come by migration)


def test_grant_create_is_idempotent_per_source(member_user, course):
    first = grant_create(
        user=member_user, resource=course, source="membership", source_ref="membership:1", starts_at=T0,
        ends_at=T0 + timedelta(days=30),
    )  # fmt: skip
    moved = grant_create(
        user=member_user, resource=course, source="membership", source_ref="membership:1", starts_at=T0,
        ends_at=T0 + timedelta(days=60),
    )  # fmt: skip
    assert moved.pk == first.pk
    assert Grant.objects.get().ends_at == T0 + timedelta(days=60)
    grant_create(user=member_user, resource=course, source="purchase", source_ref="order:INV000001", starts_at=T0)
    assert Grant.objects.count() == 2


def test_grant_create_after_a_revocation_opens_a_new_row(member_user, course):
    grant_create(user=member_user, resource=course, source="purchase", source_ref="order:INV1", starts_at=T0)
    grants_revoke(source_ref="order:INV1", reason="Refund", now=T0)
    grant_create(user=member_user, resource=course, source="purchase", source_ref="order:INV1", starts_at=T0)
    assert list(Grant.objects.order_by("id").values_list("revoked_at", flat=True)) == [T0, None]


def test_grants_give_opens_every_resource_in_one_statement_and_is_idempotent(
    member_user, course, django_assert_num_queries
):
    group = resource_ensure(kind="group", key="grup-ekspor", title="Grup Ekspor")
    ends = T0 + timedelta(days=30)
    with django_assert_num_queries(1):
        assert grants_give(
            user=member_user, resources=[group, course, course], source="membership", source_ref="membership:9",
            starts_at=T0, ends_at=ends,
        ) == 2  # fmt: skip
    first = {g.resource_id: g.pk for g in Grant.objects.all()}
    assert set(first) == {course.pk, group.pk}
    # Again (a renewal, a repeated fulfilment): the same rows move, none stacks; another source's grant is apart.
    grant_create(user=member_user, resource=course, source="purchase", source_ref="order:INV9", starts_at=T0)
    grants_give(
        user=member_user, resources=[course, group], source="membership", source_ref="membership:9",
        starts_at=T0, ends_at=ends + timedelta(days=30),
    )  # fmt: skip
    again = Grant.objects.filter(source_ref="membership:9")
    assert {g.resource_id: g.pk for g in again} == first
    assert {g.ends_at for g in again} == {ends + timedelta(days=30)}
    assert Grant.objects.get(source_ref="order:INV9").ends_at is None


def test_grants_give_after_a_revocation_opens_new_rows_and_refuses_a_bad_period(member_user, course):
    give = {"user": member_user, "resources": [course], "source": "purchase", "source_ref": "order:INV1"}
    give["starts_at"] = T0
    grants_give(**give)
    grants_revoke(source_ref="order:INV1", reason="Refund", now=T0)
    grants_give(**give)
    assert list(Grant.objects.order_by("id").values_list("revoked_at", flat=True)) == [T0, None]
    with pytest.raises(ServiceError):
        grants_give(**give | {"ends_at": T0})
    with pytest.raises(ServiceError):
        grants_give(**give | {"source": "unknown"})
    assert grants_give(**give | {"resources": []}) == 0


def test_grant_create_refuses_an_end_before_the_start(member_user, course):
    with pytest.raises(ServiceError) as info:
        grant_create(user=member_user, resource=course, source="admin", source_ref="admin:1", starts_at=T0, ends_at=T0)
    assert info.value.message == "Akhir akses harus setelah awal akses."
    assert Grant.objects.count() == 0


def test_grants_revoke_touches_only_open_grants_of_the_source(member_user, make_user, course):
    other = make_user()
    for user in (member_user, other):
        grant_create(user=user, resource=course, source="membership", source_ref="membership:7", starts_at=T0)
    grant_create(user=member_user, resource=course, source="purchase", source_ref="order:INV2", starts_at=T0)

    assert grants_revoke(source_ref="membership:7", reason="Upgrade", user=member_user, now=T0) == 1
    assert grants_revoke(source_ref="membership:7", reason="Upgrade", user=member_user, now=T0) == 0
    assert grants_revoke(source_ref="membership:7", reason="Refund", now=T0) == 1
    assert set(Grant.objects.filter(source_ref="membership:7").values_list("revoked_reason", flat=True)) == {
        "Upgrade",
        "Refund",
    }
    assert Grant.objects.get(source_ref="order:INV2").revoked_at is None


def test_grants_set_end_moves_open_grants(member_user, course):
    grant_create(user=member_user, resource=course, source="membership", source_ref="membership:3", starts_at=T0)
    new_end = T0 + timedelta(days=90)
    assert grants_set_end(source_ref="membership:3", ends_at=new_end) == 1
    assert Grant.objects.get().ends_at == new_end


def test_admin_grant_records_who_and_why(member_user, admin_user, course):
    ends = T0 + timedelta(days=10)
    grant = grant_admin_create(user=member_user, resource=course, actor=admin_user, ends_at=ends, note="Hadiah", now=T0)

    assert (grant.source, grant.source_ref, grant.starts_at, grant.ends_at, grant.note) == (
        "admin", f"admin:{admin_user.pk}", T0, ends, "Hadiah"
    )  # fmt: skip
    log = ActivityLog.objects.get(action="access.granted")
    assert (log.actor, log.target_id) == (admin_user, str(member_user.pk))
    assert log.data == {"resource": "Kelas: Dasar Ekspor", "ends_at": "2025-01-11T10:00:00+07:00", "note": "Hadiah"}


def test_admin_grant_refuses_bad_input_and_changes_nothing(member_user, admin_user, course):
    with pytest.raises(ServiceError) as info:
        grant_admin_create(user=member_user, resource=course, actor=admin_user, ends_at=T0, now=T0)
    assert info.value.errors == {"ends_at": ["Pilih tanggal setelah hari ini."]}
    member_user.is_active = False
    member_user.save()
    with pytest.raises(ServiceError):
        grant_admin_create(user=member_user, resource=course, actor=admin_user, now=T0)
    course.is_active = False
    course.save()
    member_user.is_active = True
    member_user.save()
    with pytest.raises(ServiceError):
        grant_admin_create(user=member_user, resource=course, actor=admin_user, now=T0)
    assert Grant.objects.count() == 0
    assert ActivityLog.objects.filter(action="access.granted").count() == 0


def test_admin_revoke_needs_a_reason_and_happens_once(member_user, admin_user, course):
    grant = grant_admin_create(user=member_user, resource=course, actor=admin_user, now=T0)
    with pytest.raises(ServiceError):
        grant_admin_revoke(grant=grant, actor=admin_user, reason="  ")
    assert Grant.objects.get().revoked_at is None

    revoked = grant_admin_revoke(grant=grant, actor=admin_user, reason="Akses percobaan selesai", now=T0)
    assert (revoked.revoked_at, revoked.revoked_reason) == (T0, "Akses percobaan selesai")
    with pytest.raises(ServiceError) as info:
        grant_admin_revoke(grant=grant, actor=admin_user, reason="Lagi")
    assert info.value.message == "Akses ini sudah dicabut sebelumnya."
    assert ActivityLog.objects.get(action="access.revoked").data["reason"] == "Akses percobaan selesai"
