"""activity_record and the append-only guarantees of ActivityLog."""

import pytest

from sanggar.audit.constants import Action
from sanggar.audit.models import ActivityLog
from sanggar.audit.services import activity_record
from sanggar.core import request_context

pytestmark = pytest.mark.django_db


def test_record_takes_actor_target_and_the_current_request(member_user, admin_user):
    token = request_context.set_current(request_context.RequestInfo(ip="203.0.113.9", user_agent="Firefox/120"))
    try:
        row = activity_record(action=Action.ROLE_GRANTED, actor=admin_user, target=member_user, data={"role": "mentor"})
    finally:
        request_context.reset(token)
    row = ActivityLog.objects.get(pk=row.pk)
    assert (row.actor, row.actor_label, row.action) == (admin_user, admin_user.email, "role.granted")
    assert (row.target_type, row.target_id, row.target_label) == (
        "accounts.user",
        str(member_user.pk),
        str(member_user),
    )
    assert (row.ip, row.user_agent, row.data) == ("203.0.113.9", "Firefox/120", {"role": "mentor"})


def test_explicit_ip_and_label_win_and_anonymous_actors_are_not_stored(client):
    from django.contrib.auth.models import AnonymousUser

    row = activity_record(
        action=Action.LOGIN_FAILED, actor=AnonymousUser(), target_label="x" * 300, ip="198.51.100.1", user_agent="ua"
    )
    row.refresh_from_db()
    assert (row.actor, row.actor_label, row.target_type, row.target_id) == (None, "", "", "")
    assert row.target_label == "x" * 255
    assert (row.ip, row.user_agent) == ("198.51.100.1", "ua")


def test_outside_a_request_there_is_no_ip(member_user):
    row = activity_record(action=Action.LOGIN, actor=member_user, target=member_user)
    row.refresh_from_db()
    assert (row.ip, row.user_agent) == (None, "")


def test_the_log_is_append_only(member_user):
    row = activity_record(action=Action.LOGIN, actor=member_user, target=member_user)
    row.target_label = "diubah"
    with pytest.raises(TypeError, match="append-only"):
        row.save()
    with pytest.raises(TypeError, match="append-only"):
        row.delete()
    with pytest.raises(TypeError, match="append-only"):
        ActivityLog.objects.filter(pk=row.pk).update(target_label="diubah")
    with pytest.raises(TypeError, match="append-only"):
        ActivityLog.objects.filter(pk=row.pk).delete()
    with pytest.raises(TypeError, match="append-only"):
        ActivityLog.objects.all().delete()
    stored = ActivityLog.objects.get(pk=row.pk)
    assert stored.target_label == str(member_user)
    assert ActivityLog.objects.count() == 1


def test_deleting_the_actor_keeps_the_row_and_its_label(make_user, admin_user):
    actor = make_user(email="pergi@contoh.test")
    row = activity_record(action=Action.SETTINGS_CHANGED, actor=actor, target_label="Branding")
    actor.delete()
    row = ActivityLog.objects.get(pk=row.pk)
    assert (row.actor_id, row.actor_label) == (None, "pergi@contoh.test")


def test_a_batch_writes_its_rows_in_one_insert_in_the_order_recorded(member_user, django_assert_num_queries):
    from django.db import transaction

    from sanggar.audit.services import activity_batch

    # (in a transaction: a savepoint's statements come before and after the counted block)
    with transaction.atomic(), django_assert_num_queries(1), activity_batch():  # one insert, at the block's end
        for role in ("mentor", "affiliate", "admin"):
            activity_record(action=Action.ROLE_GRANTED, target=member_user, data={"role": role})
        with activity_batch():  # a batch inside a batch at the same depth joins it
            activity_record(action=Action.ROLE_REVOKED, target=member_user, data={"role": "mentor"})
    rows = list(ActivityLog.objects.order_by("id").values_list("action", "data"))
    assert rows == [
        ("role.granted", {"role": "mentor"}),
        ("role.granted", {"role": "affiliate"}),
        ("role.granted", {"role": "admin"}),
        ("role.revoked", {"role": "mentor"}),
    ]


def test_a_batch_that_raises_writes_nothing_and_a_savepoint_rolled_back_inside_it_takes_its_rows(member_user):
    from django.db import transaction

    from sanggar.audit.services import activity_batch

    with transaction.atomic(), pytest.raises(RuntimeError), activity_batch():
        activity_record(action=Action.ROLE_GRANTED, target=member_user, data={"role": "mentor"})
        raise RuntimeError("gagal")
    assert ActivityLog.objects.count() == 0

    with transaction.atomic(), activity_batch():
        activity_record(action=Action.ROLE_GRANTED, target=member_user, data={"role": "kept"})
        with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint: its row is written at once...
            activity_record(action=Action.ROLE_GRANTED, target=member_user, data={"role": "rolled back"})
            assert ActivityLog.objects.filter(data__role="rolled back").count() == 1
            raise RuntimeError("gagal")  # ...and goes with the rollback
    assert list(ActivityLog.objects.values_list("data", flat=True)) == [{"role": "kept"}]
