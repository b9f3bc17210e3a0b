"""The admin activity-log page and its CSV export: access, filters, columns, query counts."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanggar.audit.constants import Action
from sanggar.audit.models import ActivityLog
from sanggar.audit.services import activity_record
from sanggar.audit.views import describe
from sanggar.core.roles import Role

pytestmark = pytest.mark.django_db

URLS = ("/admin/activity-log", "/admin/activity-log/export.csv")


def _at(row: ActivityLog, when: datetime) -> None:
    # created_at is auto_now_add and the model refuses updates; tests move rows in time with raw SQL.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ActivityLog._meta.db_table} SET created_at = %s WHERE id = %s",
            [connection.ops.adapt_datetimefield_value(when), row.pk],
        )


def _wib(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def _warm_up(client):
    """One request first, so per-process caches (branding) are filled before queries are counted."""
    assert client.get("/dashboard/").status_code == 200


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.fixture
def log(admin_user, make_user):
    """Three rows on three days: a role grant, a failed login from an IP, a deactivation."""
    mentor = make_user(email="mentor@contoh.test", full_name="Andi Mentor")
    granted = activity_record(action=Action.ROLE_GRANTED, actor=admin_user, target=mentor, data={"role": "mentor"})
    failed = activity_record(
        action=Action.LOGIN_FAILED, target_label="maling@contoh.test", ip="203.0.113.7", data={"email": "maling@x"}
    )
    deactivated = activity_record(
        action=Action.USER_DEACTIVATED, actor=admin_user, target=mentor, data={"reason": "Spam di grup"}
    )
    _at(granted, _wib(2025, 11, 20, 9, 0))
    _at(failed, _wib(2025, 11, 21, 23, 30))
    _at(deactivated, _wib(2025, 11, 23, 14, 5))
    return {"granted": granted, "failed": failed, "deactivated": deactivated, "mentor": mentor}


def _listed(client, query=""):
    response = client.get("/admin/activity-log" + query)
    assert response.status_code == 200
    return [row.entry.pk for row in response.context["rows"]]


def test_admin_opens_the_page_and_the_export(admin_client):
    for url in URLS:
        assert admin_client.get(url).status_code == 200


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMIN])
def test_other_roles_get_403(client, make_user, role):
    client.force_login(make_user(role))
    for url in URLS:
        assert client.get(url).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"


def test_rows_are_newest_first_with_every_column(admin_client, admin_user, log):
    ids = _listed(admin_client)
    # The admin's own login (from force_login) is the newest row.
    assert ids[1:] == [log["deactivated"].pk, log["failed"].pk, log["granted"].pk]
    page = admin_client.get("/admin/activity-log").content.decode()
    row = page[page.index('data-action="user.deactivated"') :]
    row = row[: row.index("</tr>")]
    for text in (
        "23 Nov 2025, 14:05 WIB",
        admin_user.email,
        "Pengguna dinonaktifkan",
        "Andi Mentor &lt;mentor@contoh.test&gt;",
        f'href="/admin/users/{log["mentor"].pk}"',
        "Alasan: Spam di grup",
    ):
        assert text in row, text
    failed = page[page.index('data-action="auth.login_failed"') :]
    failed = failed[: failed.index("</tr>")]
    assert "203.0.113.7" in failed and "Sistem / tamu" in failed and "maling@contoh.test" in failed


def test_filter_by_action(admin_client, log):
    assert _listed(admin_client, "?action=role.granted") == [log["granted"].pk]
    assert _listed(admin_client, "?action=user.deactivated") == [log["deactivated"].pk]
    # An unknown action is ignored, not an error.
    assert len(_listed(admin_client, "?action=hack")) == 4


def test_search_by_actor_email_target_and_ip(admin_client, admin_user, log):
    assert _listed(admin_client, "?q=203.0.113") == [log["failed"].pk]
    assert _listed(admin_client, "?q=maling@") == [log["failed"].pk]
    assert _listed(admin_client, "?q=mentor@contoh") == [log["deactivated"].pk, log["granted"].pk]
    assert _listed(admin_client, f"?q={admin_user.email}")[1:] == [log["deactivated"].pk, log["granted"].pk]
    assert _listed(admin_client, "?q=tidak-ada-apa-apa") == []


def test_date_range_uses_the_day_in_wib(admin_client, log):
    # 21 Nov 23:30 WIB is 16:30 UTC: it belongs to the 21st here.
    assert _listed(admin_client, "?from=2025-11-21&to=2025-11-21") == [log["failed"].pk]
    assert _listed(admin_client, "?from=2025-11-20&to=2025-11-21") == [log["failed"].pk, log["granted"].pk]
    assert _listed(admin_client, "?to=2025-11-22") == [log["failed"].pk, log["granted"].pk]
    assert _listed(admin_client, "?from=2025-11-23&to=2025-11-23&action=user.deactivated") == [log["deactivated"].pk]
    # Invalid dates are ignored rather than failing.
    assert len(_listed(admin_client, "?from=kemarin&to=2025-13-45")) == 4
    response = admin_client.get("/admin/activity-log?from=2025-11-20&to=2025-11-21")
    assert 'value="2025-11-20"' in response.content.decode()


def test_export_holds_the_filtered_rows(admin_client, admin_user, log):
    response = admin_client.get("/admin/activity-log/export.csv?from=2025-11-20&to=2025-11-23")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="activity-log-')
    target = str(log["mentor"])
    assert _csv(response) == [
        ["Waktu", "Aktor", "Aksi", "Kode aksi", "Target", "IP", "User agent", "Detail"],
        ["2025-11-23 14:05:00", admin_user.email, "Pengguna dinonaktifkan", "user.deactivated", target, "", "",
         "Alasan: Spam di grup"],
        ["2025-11-21 23:30:00", "", "Login gagal", "auth.login_failed", "maling@contoh.test", "203.0.113.7", "",
         "Email: maling@x"],
        ["2025-11-20 09:00:00", admin_user.email, "Role diberikan", "role.granted", target, "", "", "Role: Mentor"],
    ]  # fmt: skip
    rows = _csv(admin_client.get("/admin/activity-log/export.csv?q=203.0.113.7"))
    assert [r[3] for r in rows[1:]] == ["auth.login_failed"]


def test_page_and_export_run_a_fixed_number_of_queries(admin_client, admin_user, make_user):
    activity_record(action=Action.LOGIN, actor=admin_user, target=admin_user)
    _warm_up(admin_client)
    with CaptureQueriesContext(connection) as few_page:
        admin_client.get("/admin/activity-log")
    _warm_up(admin_client)
    with CaptureQueriesContext(connection) as few_csv:
        _csv(admin_client.get("/admin/activity-log/export.csv"))
    for _ in range(30):
        user = make_user()
        activity_record(action=Action.LOGIN, actor=user, target=user)
    with CaptureQueriesContext(connection) as many_page:
        response = admin_client.get("/admin/activity-log")
    with CaptureQueriesContext(connection) as many_csv:
        rows = _csv(admin_client.get("/admin/activity-log/export.csv"))
    assert len(response.context["rows"]) == 25
    assert len(rows) == 1 + ActivityLog.objects.count()
    assert len(many_page) == len(few_page)
    assert len(many_csv) == len(few_csv)


def test_admin_actions_through_the_pages_appear_in_the_log(admin_client, admin_user, member_user):
    admin_client.post(f"/admin/users/{member_user.pk}/roles", {"action": "grant", "role": "support"})
    admin_client.post(f"/admin/users/{member_user.pk}/deactivate", {"reason": "Tidak aktif"})
    rows = _listed(admin_client, f"?q={member_user.email}")
    logged = [ActivityLog.objects.get(pk=pk) for pk in rows]
    assert [(r.action, r.actor_id, r.data, r.ip) for r in logged] == [
        (Action.USER_DEACTIVATED, admin_user.pk, {"reason": "Tidak aktif"}, "127.0.0.1"),
        (Action.ROLE_GRANTED, admin_user.pk, {"role": "support"}, "127.0.0.1"),
    ]


def test_login_and_failed_login_through_the_login_page_are_logged(client, make_user, password):
    user = make_user(email="budi@contoh.test")
    client.post("/accounts/login/", {"login": "budi@contoh.test", "password": "salah"}, REMOTE_ADDR="198.51.100.4")
    client.post("/accounts/login/", {"login": "budi@contoh.test", "password": password}, REMOTE_ADDR="198.51.100.4")
    rows = list(ActivityLog.objects.order_by("id").values_list("action", "actor_id", "target_label", "ip"))
    assert rows == [
        (Action.LOGIN_FAILED, None, "budi@contoh.test", "198.51.100.4"),
        (Action.LOGIN, user.pk, str(user), "198.51.100.4"),
    ]


def test_describe_formats_the_details():
    assert describe({}) == ""
    assert describe({"role": "cofounder", "reason": ""}) == "Role: Co-Founder"
    assert describe({"fields": ["bio", "city"], "note": "ok"}) == "Kolom: bio, city; Catatan: ok"
    assert describe({"lain": 5}) == "lain: 5"


def test_old_rows_paginate(admin_client, admin_user):
    start = timezone.now() - timedelta(days=10)
    for i in range(30):
        row = activity_record(action=Action.SETTINGS_CHANGED, actor=admin_user, target_label=f"Pengaturan {i}")
        _at(row, start + timedelta(minutes=i))
    first = admin_client.get("/admin/activity-log?action=settings.changed")
    second = admin_client.get("/admin/activity-log?action=settings.changed&page=2")
    assert [r.entry.target_label for r in first.context["rows"]][:2] == ["Pengaturan 29", "Pengaturan 28"]
    assert [r.entry.target_label for r in second.context["rows"]] == [f"Pengaturan {i}" for i in range(4, -1, -1)]
