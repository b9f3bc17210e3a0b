"""The admin API of the reminder builder (issue 14 "admin reminders … in the API"): sequences and steps listed
(per target in the tab's order), created, updated, switched on/off, moved, reordered, duplicated and deleted; the
email tracking settings. Admins only, audited, Idempotency-Key replays, hostile input 4xx with a reason."""

import pytest

from sanggar.access.tests.factories import make_plan
from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.reminders import services, tracking
from sanggar.reminders.models import ReminderSequence, ReminderStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return make_plan("emas", title="Emas")


def _seq(admin, plan, name):
    seq = services.sequence_save(
        actor=admin, name=name, trigger="after_purchase", target_type="plan", target_id=plan.pk
    )
    services.step_save(actor=admin, sequence=seq, delay_amount=1, channels=["in_app"], subject="Halo", body="Isi")
    return seq


def test_other_roles_get_403_and_anonymous_401(client, admin_user, member_user, plan):
    seq = _seq(admin_user, plan, "Satu")
    step = seq.steps.get()
    requests = (
        ("get", "/admin/reminders?target_type=plan&target_id=1", None),
        ("post", "/admin/reminders/reorder", {"target_type": "plan", "target_id": plan.pk, "sequence_ids": [seq.pk]}),
        ("post", f"/admin/reminders/{seq.pk}/active", {"is_active": False}),
        ("post", f"/admin/reminders/{seq.pk}/move", {"direction": "up"}),
        ("delete", f"/admin/reminders/{seq.pk}", None),
        ("get", f"/admin/reminders/{seq.pk}/steps", None),
        ("post", f"/admin/reminders/{seq.pk}/steps/{step.pk}/duplicate", None),
        ("delete", f"/admin/reminders/{seq.pk}/steps/{step.pk}", None),
        ("get", "/admin/reminders/tracking", None),
        ("put", "/admin/reminders/tracking", {"open_pixel": False}),
    )
    for method, path, body in requests:
        assert call(client, method, path, body, user=member_user).status_code == 403, path
        assert call(client, method, path, body).status_code == 401, path
    seq.refresh_from_db()
    assert seq.is_active and seq.steps.count() == 1


def test_target_list_toggle_move_reorder_delete(client, admin_user, plan, django_assert_max_num_queries):
    a, b, c = (_seq(admin_user, plan, name) for name in ("Satu", "Dua", "Tiga"))
    services.sequence_save(actor=admin_user, name="Umum", trigger="after_purchase")
    r = call(client, "get", f"/admin/reminders?target_type=plan&target_id={plan.pk}", user=admin_user)
    assert [s["id"] for s in r.json()["results"]] == [a.pk, b.pk, c.pk] and r.json()["count"] == 3
    for i in range(5):
        _seq(admin_user, plan, f"Tambahan {i}")
    with django_assert_max_num_queries(8):  # auth, count, page, steps: fixed, whatever the number of rows
        r = call(client, "get", f"/admin/reminders?target_type=plan&target_id={plan.pk}", user=admin_user)
    assert r.json()["count"] == 8
    bad = call(client, "get", "/admin/reminders?target_type=galaksi", user=admin_user)
    assert bad.status_code in (400, 422)

    r = call(client, "post", f"/admin/reminders/{a.pk}/active", {"is_active": False}, user=admin_user)
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert (
        call(client, "post", f"/admin/reminders/{a.pk}/active", {"is_active": "ya"}, user=admin_user).status_code == 422
    )
    assert ActivityLog.objects.filter(action="reminders.sequence_toggled").exists()

    r = call(client, "post", f"/admin/reminders/{b.pk}/move", {"direction": "up"}, user=admin_user)
    assert r.status_code == 200 and [s["id"] for s in r.json()][:2] == [b.pk, a.pk]
    assert (
        call(client, "post", f"/admin/reminders/{b.pk}/move", {"direction": "samping"}, user=admin_user).status_code
        == 422
    )

    ids = list(services.target_sequences(target_type="plan", target_id=plan.pk).values_list("pk", flat=True))
    new = list(reversed(ids))
    body = {"target_type": "plan", "target_id": plan.pk, "sequence_ids": new}
    key = {"Idempotency-Key": "urut-1"}
    r = call(client, "post", "/admin/reminders/reorder", body, user=admin_user, headers=key)
    assert r.status_code == 200 and [s["id"] for s in r.json()] == new
    replay = call(client, "post", "/admin/reminders/reorder", body, user=admin_user, headers=key)
    assert replay.status_code == 200 and replay.json() == r.json()
    missing = call(client, "post", "/admin/reminders/reorder", {**body, "sequence_ids": new[:-1]}, user=admin_user)
    assert missing.status_code == 400 and "muat ulang" in missing.json()["message"]
    huge = call(
        client, "post", "/admin/reminders/reorder", {**body, "sequence_ids": list(range(2000))}, user=admin_user
    )
    assert huge.status_code == 422
    assert list(services.target_sequences(target_type="plan", target_id=plan.pk).values_list("pk", flat=True)) == new

    assert call(client, "delete", f"/admin/reminders/{c.pk}", user=admin_user).status_code == 204
    assert not ReminderSequence.objects.filter(pk=c.pk).exists()
    assert call(client, "delete", f"/admin/reminders/{c.pk}", user=admin_user).status_code == 404
    assert ActivityLog.objects.filter(action="reminders.sequence_deleted").exists()


def test_steps_list_duplicate_delete(client, admin_user, plan, settings):
    seq = _seq(admin_user, plan, "Langkah")
    first = seq.steps.get()
    second = services.step_save(
        actor=admin_user,
        sequence=seq,
        delay_amount=3,
        channels=["email"],
        subject="Kedua",
        body="Isi kedua",
        content={"email": {"body_html": "<p><strong>Tebal</strong> {name}</p><script>x</script>"}},
    )
    assert second.content["email"]["body_html"] == "<p><strong>Tebal</strong> {name}</p>"
    r = call(client, "post", f"/admin/reminders/{seq.pk}/steps/{first.pk}/duplicate", user=admin_user)
    assert r.status_code == 201
    copy = r.json()
    listed = call(client, "get", f"/admin/reminders/{seq.pk}/steps", user=admin_user).json()
    assert [s["id"] for s in listed] == [first.pk, copy["id"], second.pk]
    assert copy["subject"] == "Halo" and copy["sort_order"] == 1
    assert ActivityLog.objects.filter(action="reminders.step_duplicated").exists()
    # a step of another sequence is not found through this one
    other = _seq(admin_user, plan, "Lain")
    other_step = other.steps.get()
    assert (
        call(client, "delete", f"/admin/reminders/{seq.pk}/steps/{other_step.pk}", user=admin_user).status_code == 404
    )
    assert call(client, "delete", f"/admin/reminders/{seq.pk}/steps/{copy['id']}", user=admin_user).status_code == 204
    assert not ReminderStep.objects.filter(pk=copy["id"]).exists()
    # the rich email over the API: sanitised the same way, unknown shortcodes refused with the code named
    step = {"delay_amount": 1, "delay_unit": "days", "channels": ["email"], "subject": "S", "body": "B"}
    r = call(
        client,
        "post",
        f"/admin/reminders/{seq.pk}/steps",
        {**step, "content": {"email": {"body_html": "<h2 onclick='x'>Hai</h2>"}}},
        user=admin_user,
    )
    assert r.status_code == 201 and r.json()["content"]["email"]["body_html"] == "<h2>Hai</h2>"
    r = call(
        client,
        "post",
        f"/admin/reminders/{seq.pk}/steps",
        {**step, "content": {"email": {"body_html": "<p>{kode_aneh}</p>"}}},
        user=admin_user,
    )
    assert r.status_code == 400 and "kode_aneh" in r.json()["message"]
    settings.REMINDERS_MAX_STEPS = seq.steps.count()
    full = call(client, "post", f"/admin/reminders/{seq.pk}/steps/{first.pk}/duplicate", user=admin_user)
    assert full.status_code == 400 and "paling banyak" in full.json()["message"]


def test_tracking_settings(client, admin_user):
    tracking.tracking_settings_clear()
    assert call(client, "get", "/admin/reminders/tracking", user=admin_user).json() == {
        "open_pixel": True,
        "privacy_url": "",
    }
    r = call(
        client,
        "put",
        "/admin/reminders/tracking",
        {"open_pixel": False, "privacy_url": "https://contoh.id/privasi"},
        user=admin_user,
    )
    assert r.status_code == 200 and r.json() == {"open_pixel": False, "privacy_url": "https://contoh.id/privasi"}
    assert tracking.tracking_settings().open_pixel is False
    for body in (
        {"open_pixel": "no"},
        {"open_pixel": True, "privacy_url": "x" * 501},
        {"open_pixel": True, "extra": 1},
    ):
        assert call(client, "put", "/admin/reminders/tracking", body, user=admin_user).status_code == 422, body
    for url in ("javascript:alert(1)", "http://contoh.id/privasi", "//jahat.example"):
        r = call(client, "put", "/admin/reminders/tracking", {"open_pixel": True, "privacy_url": url}, user=admin_user)
        assert r.status_code == 400 and "https://" in r.json()["message"]
    assert ActivityLog.objects.filter(action="reminders.tracking_settings_saved").count() == 1
    tracking.tracking_settings_clear()


def test_step_duplicate_button_on_the_sequence_page(client, admin_user, member_user, plan):
    seq = _seq(admin_user, plan, "Halaman")
    step = seq.steps.get()
    url = f"/admin/pengingat/{seq.pk}/langkah/{step.pk}/duplikat"
    client.force_login(member_user)
    assert client.post(url).status_code == 403
    client.force_login(admin_user)
    assert "data-step-duplicate" in client.get(f"/admin/pengingat/{seq.pk}").content.decode()
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert response.status_code == 200 and "Langkah diduplikasi" in response.content.decode()
    assert seq.steps.count() == 2 and ActivityLog.objects.filter(action="reminders.step_duplicated").exists()
    other = _seq(admin_user, plan, "Lain")
    assert client.post(f"/admin/pengingat/{other.pk}/langkah/{step.pk}/duplikat").status_code == 404
