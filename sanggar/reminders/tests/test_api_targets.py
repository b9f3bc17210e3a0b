"""The API of a target's reminders tab (plan, product, course, event: the pages /admin/membership|produk|kursus|
event/<id>/reminder|pengingat) and the per-link clicks ("Klik per tautan") in the sequence / target analytics and
the broadcast report: happy path, admins only, hostile input 4xx with an Indonesian reason, bounded queries."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.access.tests.factories import make_plan, make_product
from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.core.roles import Role
from sanggar.events.services import event_create
from sanggar.learning.services import course_create
from sanggar.notifications.models import Delivery, Notification
from sanggar.reminders import services
from sanggar.reminders.constants import SendStatus
from sanggar.reminders.models import Broadcast, LinkClick, ReminderSend, ReminderSequence

pytestmark = pytest.mark.django_db


def _seq(admin, name, target_type, target_id):
    trigger = "before_event" if target_type == "event" else "after_purchase"
    seq = services.sequence_save(
        actor=admin, name=name, trigger=trigger, target_type=target_type, target_id=target_id, is_active=True
    )
    services.step_save(
        actor=admin, sequence=seq, delay_amount=1, channels=["in_app", "email"], subject=name, body="Isi"
    )
    return seq


def _click(url, clicks, *, step=None, broadcast=None):
    return LinkClick.objects.create(
        step=step, broadcast=broadcast, url=url, url_hash=hashlib.sha256(url.encode()).hexdigest(), clicks=clicks
    )


@pytest.fixture
def targets(admin_user, make_user):
    mentor = make_user(Role.MENTOR)
    start = timezone.now() + timedelta(days=3)
    return {
        "plan": make_plan("emas", title="Emas"),
        "product": make_product("ebook-ekspor", title="Ebook Ekspor"),
        "course": course_create(actor=mentor, data={"title": "Dasar Ekspor", "summary": "Ringkasan kelas"}),
        "event": event_create(
            actor=admin_user,
            data={
                "title": "Klinik Dokumen",
                "slug": "klinik",
                "starts_at": start,
                "ends_at": start + timedelta(hours=2),
            },
        ),
    }


def _sends(seq, users, *, statuses, delivery_statuses=(), step=None):
    """Log rows of a step (the sequence's first by default; one per user and status), the sent ones with a
    notification and an email delivery of the given statuses."""
    step = step or seq.steps.first()
    for i, (user, status) in enumerate(zip(users, statuses, strict=True)):
        notification = None
        if status == SendStatus.SENT:
            notification = Notification.objects.create(user=user, title="x", message="y")
            if i < len(delivery_statuses):
                Delivery.objects.create(
                    notification=notification, user=user, channel="email", status=delivery_statuses[i]
                )
        ReminderSend.objects.create(
            step=step,
            user=user,
            object_key=f"t:{step.pk}:{i}",
            status=status,
            notification=notification,
            opened_at=timezone.now() if i == 0 else None,
            clicked_at=timezone.now() if i == 0 else None,
        )


@pytest.mark.parametrize("kind", ["plan", "product", "course", "event"])
def test_target_tab_lists_in_order_with_stats_reorders_and_analytics(
    client, admin_user, make_user, targets, kind, django_assert_max_num_queries
):
    target = targets[kind]
    a, b, c = (_seq(admin_user, name, kind, target.pk) for name in ("Satu", "Dua", "Tiga"))
    other = _seq(admin_user, "Lain", kind, target.pk)
    ReminderSequence.objects.filter(pk=other.pk).update(target_id=target.pk + 1000)  # another target: not listed
    users = [make_user() for _i in range(3)]
    _sends(a, users, statuses=["sent", "sent", "skipped"], delivery_statuses=["sent", "failed"])
    base = f"/admin/reminders/targets/{kind}/{target.pk}"

    r = call(client, "get", base, user=admin_user)
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["target_type"], body["target_id"], body["count"]) == (kind, target.pk, 3)
    assert body["target_title"] == target.title
    assert [s["id"] for s in body["results"]] == [a.pk, b.pk, c.pk] and other.pk not in {
        s["id"] for s in body["results"]
    }
    assert [s["position"] for s in body["results"]] == [1, 2, 3]
    first = body["results"][0]
    assert first["step_count"] == 1 and first["steps"][0]["subject"] == "Satu"
    assert first["stats"] == {
        "recipients": 2,
        "opted_out": 1,
        "sent": 1,
        "queued": 0,
        "failed": 1,
        "skipped": 0,
        "opened": 1,
        "clicked": 1,
        "converted": 0,
    }
    assert first["stats"] == {**services.sequence_stats(sequence=a), "opened": 1, "clicked": 1, "converted": 0}
    assert body["results"][1]["stats"]["recipients"] == 0

    # bounded queries: the same whatever the number of sequences and sends
    for i in range(6):
        seq = _seq(admin_user, f"Tambahan {i}", kind, target.pk)
        _sends(seq, [make_user() for _j in range(2)], statuses=["sent", "failed"], delivery_statuses=["queued"])
    with django_assert_max_num_queries(9):  # auth, target, count, page, steps, two stats
        r = call(client, "get", base, user=admin_user)
    assert r.json()["count"] == 9 and r.json()["results"][4]["stats"]["queued"] == 1

    # reorder (drag and drop): every sequence once, audited, Idempotency-Key replays
    ids = [s["id"] for s in r.json()["results"]]
    new = list(reversed(ids))
    key = {"Idempotency-Key": f"urut-{kind}"}
    r = call(client, "post", f"{base}/reorder", {"sequence_ids": new}, user=admin_user, headers=key)
    assert r.status_code == 200, r.content
    assert [s["id"] for s in r.json()["results"]] == new
    assert call(client, "get", base, user=admin_user).json()["results"][0]["id"] == new[0]
    assert ActivityLog.objects.filter(action="reminders.sequences_reordered").count() == 1
    replay = call(client, "post", f"{base}/reorder", {"sequence_ids": new}, user=admin_user, headers=key)
    assert replay.status_code == 200 and ActivityLog.objects.filter(action="reminders.sequences_reordered").count() == 1
    missing = call(client, "post", f"{base}/reorder", {"sequence_ids": new[1:]}, user=admin_user)
    assert missing.status_code == 400 and "tidak cocok" in missing.json()["message"]
    foreign = call(client, "post", f"{base}/reorder", {"sequence_ids": [*new[1:], other.pk]}, user=admin_user)
    assert foreign.status_code == 400

    # analytics of every sequence of the target together, with the per-link clicks
    _click("https://contoh.id/a", 3, step=a.steps.first())
    _click("https://contoh.id/b", 7, step=seq.steps.first())  # the last "Tambahan"
    _click("https://contoh.id/lain", 50, step=other.steps.first())  # another target's
    with django_assert_max_num_queries(14):
        r = call(client, "get", f"{base}/analytics", user=admin_user)
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["totals"]["sent"] == 2 + 6 and data["totals"]["opened"] == 1 + 6
    assert {s["sequence_name"] for s in data["steps"]} == {"Satu", *(f"Tambahan {i}" for i in range(6))}
    assert [(x["url"], x["clicks"]) for x in data["link_clicks"]] == [
        ("https://contoh.id/b", 7),
        ("https://contoh.id/a", 3),
    ]
    assert data["link_clicks"][0]["step"] == seq.steps.first().pk
    assert data["link_clicks"][0]["step_subject"] == "Tambahan 5"


def test_target_tab_access(client, admin_user, member_user, make_user, targets):
    plan = targets["plan"]
    seq = _seq(admin_user, "Satu", "plan", plan.pk)
    mentor = make_user(Role.MENTOR)
    base = f"/admin/reminders/targets/plan/{plan.pk}"
    requests = (
        ("get", base, None),
        ("post", f"{base}/reorder", {"sequence_ids": [seq.pk]}),
        ("get", f"{base}/analytics", None),
    )
    for method, path, body in requests:
        for user in (member_user, mentor):
            assert call(client, method, path, body, user=user).status_code == 403, path
        r = call(client, method, path, body)
        assert r.status_code == 401, path
    assert ActivityLog.objects.filter(action="reminders.sequences_reordered").count() == 0


def test_target_tab_hostile_input(client, admin_user, targets):
    plan = targets["plan"]
    seq = _seq(admin_user, "Satu", "plan", plan.pk)
    for kind in ("galaksi", "supplier", "PLAN", "plan%00", "x" * 500):
        for suffix in ("", "/analytics"):
            r = call(client, "get", f"/admin/reminders/targets/{kind}/{plan.pk}{suffix}", user=admin_user)
            assert r.status_code == 400, (kind, r.status_code)
            assert ("NUL" if "%00" in kind else "Jenis sasaran") in r.json()["message"]
        r = call(
            client, "post", f"/admin/reminders/targets/{kind}/{plan.pk}/reorder", {"sequence_ids": []}, user=admin_user
        )
        assert r.status_code == 400
    # unknown or out-of-range ids: 404; not a number (NUL, text, float): 4xx with the reason
    for pk in (999_999, 2_147_483_648, 10**30, 0):
        for suffix in ("", "/analytics"):
            r = call(client, "get", f"/admin/reminders/targets/plan/{pk}{suffix}", user=admin_user)
            assert r.status_code == 404, (pk, r.status_code)
            assert r.json()["message"] == "Sasaran tidak ditemukan."
        r = call(
            client, "post", f"/admin/reminders/targets/plan/{pk}/reorder", {"sequence_ids": [seq.pk]}, user=admin_user
        )
        assert r.status_code == 404
    for pk in ("abc", "1%00", "1.5", "-1"):
        r = call(client, "get", f"/admin/reminders/targets/plan/{pk}", user=admin_user)
        assert r.status_code in (400, 404, 422), (pk, r.status_code)
        assert r.status_code != 500
    r = call(client, "get", f"/admin/reminders/targets/plan/{plan.pk}?page=0", user=admin_user)
    assert r.status_code == 422
    r = call(client, "get", f"/admin/reminders/targets/plan/{plan.pk}?page=abc", user=admin_user)
    assert r.status_code == 422
    reorder = f"/admin/reminders/targets/plan/{plan.pk}/reorder"
    for body in (
        {"sequence_ids": "1"},
        {"sequence_ids": ["1"]},
        {"sequence_ids": [1.5]},
        {"sequence_ids": [None]},
        {"sequence_ids": [seq.pk], "target_type": "event"},  # unknown field
        {"sequence_ids": list(range(1001))},
        {},
    ):
        r = call(client, "post", reorder, body, user=admin_user)
        assert r.status_code == 422, (body, r.status_code)
        assert r.json()["message"]
    r = call(client, "post", reorder, {"sequence_ids": [10**15]}, user=admin_user)
    assert r.status_code == 400
    r = call(client, "post", reorder, raw="{bukan json", user=admin_user)
    assert r.status_code == 400
    r = call(client, "post", reorder, raw='{"sequence_ids": ["\u0000"]}', user=admin_user)
    assert r.status_code == 400 and r.json()["message"]


def test_sequence_analytics_has_link_clicks_most_first_capped(client, admin_user, targets, settings):
    settings.REMINDERS_LINK_CLICKS_SHOWN = 3
    seq = _seq(admin_user, "Satu", "plan", targets["plan"].pk)
    step = seq.steps.first()
    second = services.step_save(
        actor=admin_user, sequence=seq, delay_amount=2, channels=["in_app"], subject="Kedua", body="Isi"
    )
    for i, n in enumerate((5, 9, 1, 7)):
        _click(f"https://contoh.id/{i}", n, step=step)
    _click("https://contoh.id/kedua", 8, step=second)
    _sends(seq, [admin_user], statuses=["sent"])
    _sends(seq, [admin_user], statuses=["sent"], step=second)
    r = call(client, "get", f"/admin/reminders/{seq.pk}/analytics", user=admin_user)
    assert r.status_code == 200
    rows = r.json()["link_clicks"]
    assert [(x["url"], x["clicks"]) for x in rows] == [
        ("https://contoh.id/1", 9),
        ("https://contoh.id/kedua", 8),
        ("https://contoh.id/3", 7),
    ]
    assert rows[1]["step"] == second.pk and rows[1]["step_subject"] == "Kedua"
    assert r.json()["steps"][0]["sequence_name"] == "Satu"
    # a sequence without clicks: an empty list
    empty = _seq(admin_user, "Dua", "plan", targets["plan"].pk)
    assert call(client, "get", f"/admin/reminders/{empty.pk}/analytics", user=admin_user).json()["link_clicks"] == []


def test_broadcast_report_has_link_clicks(client, admin_user, member_user, django_assert_max_num_queries, settings):
    settings.REMINDERS_LINK_CLICKS_SHOWN = 2
    b = Broadcast.objects.create(title="Promo", subject="Promo", body="Isi https://contoh.id/a", channels=["email"])
    other = Broadcast.objects.create(title="Lain", subject="Lain", body="Isi", channels=["email"])
    _click("https://contoh.id/a", 4, broadcast=b)
    _click("https://contoh.id/b", 11, broadcast=b)
    _click("https://contoh.id/c", 2, broadcast=b)
    _click("https://contoh.id/lain", 99, broadcast=other)
    with django_assert_max_num_queries(12):
        r = call(client, "get", f"/admin/broadcasts/{b.pk}", user=admin_user)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["link_clicks"] == [
        {"url": "https://contoh.id/b", "clicks": 11, "step": None, "step_subject": ""},
        {"url": "https://contoh.id/a", "clicks": 4, "step": None, "step_subject": ""},
    ]
    assert body["stats"]["clicked"] == 0 and body["title"] == "Promo"  # the existing fields stay
    assert (
        call(client, "get", f"/admin/broadcasts/{other.pk}", user=admin_user).json()["link_clicks"][0]["clicks"] == 99
    )
    assert call(client, "get", f"/admin/broadcasts/{b.pk}", user=member_user).status_code == 403
    assert call(client, "get", f"/admin/broadcasts/{b.pk}").status_code == 401
    assert call(client, "get", "/admin/broadcasts/99999999999999", user=admin_user).status_code in (404, 422)
