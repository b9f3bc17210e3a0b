"""Admin pages for users and affiliate applications: access, lists, CSV, role changes, deactivation, decisions."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanggar.accounts import services
from sanggar.accounts.constants import AffiliateApplicationStatus
from sanggar.accounts.models import AffiliateApplication, User, UserRole
from sanggar.audit.constants import Action
from sanggar.audit.models import ActivityLog
from sanggar.core.roles import Role
from sanggar.notifications.models import Notification

pytestmark = pytest.mark.django_db

MOTIVATION = "Saya aktif berbagi tips ekspor di Instagram dan grup WhatsApp UMKM."
NON_ADMIN_ROLES = [r for r in Role.values if r != Role.ADMIN]


@pytest.fixture
def target(make_user):
    return make_user(
        email="target@contoh.test", full_name="Target Uji", whatsapp="+6281311112222", province="Bali", city="Ubud"
    )


@pytest.fixture
def application(make_user):
    applicant = make_user(email="pemohon@contoh.test", full_name="Pemohon Uji")
    return services.affiliate_apply(user=applicant, motivation=MOTIVATION, channels="Instagram @pemohon")


def _messages(response):
    """Messages shown by the page a redirect led to (the client must have followed it)."""
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


def _post(client, url, data=None):
    """POST, expect a redirect, follow it; returns (where it went, messages shown there)."""
    response = client.post(url, data or {}, follow=True)
    assert response.redirect_chain and response.redirect_chain[0][1] == 302, response.status_code
    return response.redirect_chain[0][0], _messages(response)


def _warm_up(client):
    """One request first, so per-process caches (branding) are filled before queries are counted."""
    assert client.get("/dashboard/").status_code == 200


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def _pages(target, application):
    return [
        "/admin/users",
        "/admin/users/export.csv",
        f"/admin/users/{target.pk}",
        f"/admin/users/{target.pk}/edit",
        "/admin/affiliate-applications",
        f"/admin/affiliate-applications/{application.pk}",
    ]


def _actions(target, application):
    return [
        (f"/admin/users/{target.pk}/roles", {"action": "grant", "role": "mentor"}),
        (f"/admin/users/{target.pk}/deactivate", {"reason": "Melanggar aturan"}),
        (f"/admin/users/{target.pk}/reactivate", {}),
        (
            f"/admin/users/{target.pk}/edit",
            {"full_name": "Diubah", "whatsapp": "", "province": "", "city": "", "bio": ""},
        ),
        (f"/admin/affiliate-applications/{application.pk}", {"decision": "approve", "note": ""}),
    ]


def _assert_nothing_changed(target, application):
    target.refresh_from_db()
    application.refresh_from_db()
    assert (target.full_name, target.is_active) == ("Target Uji", True)
    assert set(UserRole.objects.filter(user=target).values_list("role", flat=True)) == {Role.MEMBER}
    assert application.status == AffiliateApplicationStatus.PENDING
    assert not ActivityLog.objects.exclude(action__in=[Action.LOGIN, Action.AFFILIATE_APPLIED]).exists()


# --- Access ---------------------------------------------------------------------------------------------


def test_admin_opens_every_page(admin_client, target, application):
    for url in _pages(target, application):
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_every_other_role_gets_403_and_changes_nothing(client, make_user, role, target, application):
    client.force_login(make_user(role))
    for url in _pages(target, application):
        assert client.get(url).status_code == 403, url
    for url, data in _actions(target, application):
        assert client.post(url, data).status_code == 403, url
    _assert_nothing_changed(target, application)


def test_anonymous_visitors_are_sent_to_log_in_and_change_nothing(client, target, application):
    for url in _pages(target, application):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next=/admin/"), url
    for url, data in _actions(target, application):
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url
    _assert_nothing_changed(target, application)


def test_a_deactivated_admin_is_refused(client, make_user, admin_user, target, application):
    other_admin = make_user(Role.ADMIN)
    client.force_login(other_admin)
    services.user_deactivate(user=other_admin, actor=admin_user, reason="x")
    assert client.get("/admin/users").status_code == 302


def test_unknown_ids_are_404(admin_client):
    for url in ("/admin/users/999999", "/admin/users/999999/edit", "/admin/affiliate-applications/999999"):
        assert admin_client.get(url).status_code == 404, url
    assert admin_client.post("/admin/users/999999/roles", {"action": "grant", "role": "mentor"}).status_code == 404


def test_action_endpoints_only_accept_post(admin_client, target):
    for suffix in ("roles", "deactivate", "reactivate"):
        assert admin_client.get(f"/admin/users/{target.pk}/{suffix}").status_code == 405


# --- User list ------------------------------------------------------------------------------------------


def test_user_list_shows_name_email_whatsapp_roles_joined_and_status(admin_client, make_user, admin_user):
    user = make_user(Role.MENTOR, email="andi@contoh.test", full_name="Andi Mentor", whatsapp="+6281299990000")
    User.objects.filter(pk=user.pk).update(date_joined=timezone.make_aware(timezone.datetime(2025, 11, 23, 10)))
    services.user_deactivate(user=user, actor=admin_user, reason="x")
    page = admin_client.get("/admin/users").content.decode()
    row = page[page.index(f'data-user="{user.pk}"') :]
    row = row[: row.index("</tr>")]
    for text in ("Andi Mentor", "andi@contoh.test", "+6281299990000", "Mentor", "Member", "23 Nov 2025", "Nonaktif"):
        assert text in row, text


def test_user_list_search_and_filters(admin_client, make_user, admin_user):
    make_user(Role.MENTOR, email="andi@contoh.test", full_name="Andi", whatsapp="+6281211110000")
    gone = make_user(Role.MENTOR, email="gone@contoh.test", full_name="Pergi")
    services.user_deactivate(user=gone, actor=admin_user, reason="x")
    make_user(email="sari@contoh.test", full_name="Sari")

    def listed(query):
        response = admin_client.get("/admin/users" + query)
        assert response.status_code == 200
        return [row["user"].email for row in response.context["rows"]]

    assert listed("?q=sari") == ["sari@contoh.test"]
    assert listed("?q=0812 1111") == ["andi@contoh.test"]
    assert listed("?role=mentor") == ["gone@contoh.test", "andi@contoh.test"]
    assert listed("?role=mentor&status=active") == ["andi@contoh.test"]
    assert listed("?status=inactive") == ["gone@contoh.test"]
    # Unknown filter values are ignored rather than failing.
    assert len(listed("?role=raja&status=hapus&page=abc")) == 4


def test_user_list_runs_the_same_number_of_queries_for_3_and_30_users(admin_client, make_user):
    for _ in range(2):
        make_user(Role.MENTOR)
    _warm_up(admin_client)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get("/admin/users").status_code == 200
    for _ in range(28):
        make_user(Role.AFFILIATE, Role.SUPPLIER)
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get("/admin/users")
    assert response.context["page_obj"].paginator.count == 31
    assert len(response.context["rows"]) == 25
    assert len(many) == len(few)


def test_user_list_query_count_is_bounded(admin_client, make_user, django_assert_max_num_queries):
    for _ in range(30):
        make_user(Role.MENTOR)
    # Session, user, roles, count, page, roles of the page, and the shell (branding, bell): no per-row queries.
    with django_assert_max_num_queries(10):
        admin_client.get("/admin/users?role=mentor")


def test_user_export_holds_the_filtered_rows(admin_client, make_user, admin_user):
    user = make_user(
        Role.MENTOR, email="andi@contoh.test", full_name="Andi", whatsapp="+6281211110000", province="Bali",
        city="Denpasar",
    )  # fmt: skip
    User.objects.filter(pk=user.pk).update(date_joined=timezone.make_aware(timezone.datetime(2025, 11, 23, 14, 5)))
    make_user(email="sari@contoh.test", full_name="=Sari")
    response = admin_client.get("/admin/users/export.csv?role=mentor")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="pengguna-')
    assert _csv(response) == [
        ["Nama", "Email", "WhatsApp", "Role", "Provinsi", "Kota/Kabupaten", "Tanggal daftar", "Status"],
        [
            "Andi",
            "andi@contoh.test",
            "+6281211110000",
            "Mentor, Member",
            "Bali",
            "Denpasar",
            "2025-11-23 14:05",
            "Aktif",
        ],
    ]
    rows = _csv(admin_client.get("/admin/users/export.csv?q=sari"))
    # Spreadsheet formulas are neutralised.
    assert rows[1][:2] == ["'=Sari", "sari@contoh.test"]


def test_user_export_query_count_does_not_grow_with_rows(admin_client, make_user):
    make_user(Role.MENTOR)
    _warm_up(admin_client)
    with CaptureQueriesContext(connection) as few:
        _csv(admin_client.get("/admin/users/export.csv"))
    for _ in range(20):
        make_user(Role.MENTOR)
    with CaptureQueriesContext(connection) as many:
        rows = _csv(admin_client.get("/admin/users/export.csv"))
    assert len(rows) == 1 + 22
    assert len(many) == len(few)


# --- User detail, roles, deactivation -------------------------------------------------------------------


def test_user_detail_shows_profile_roles_applications_and_activity(admin_client, admin_user, make_user):
    user = make_user(Role.MENTOR, email="andi@contoh.test", full_name="Andi", whatsapp="+6281211110000", city="Ubud")
    application = services.affiliate_apply(user=user, motivation=MOTIVATION)
    services.affiliate_application_decide(application=application, actor=admin_user, approve=False, note="Belum")
    response = admin_client.get(f"/admin/users/{user.pk}")
    page = response.content.decode()
    assert response.context["roles"] == ["mentor", "member"]
    assert [value for value, _label in response.context["grantable"]] == [
        "admin", "founder", "cofounder", "support", "affiliate", "supplier",
    ]  # fmt: skip
    assert response.context["applications"] == [application]
    assert [row.entry.action for row in response.context["activity"]] == [
        Action.AFFILIATE_REJECTED, Action.AFFILIATE_APPLIED,
    ]  # fmt: skip
    for text in ("+6281211110000", "Ubud", "Ditolak", "Catatan: Belum", "Affiliate ditolak", "Nonaktifkan"):
        assert text in page, text


def test_grant_and_revoke_a_role(admin_client, admin_user, target):
    where, shown = _post(admin_client, f"/admin/users/{target.pk}/roles", {"action": "grant", "role": "mentor"})
    assert where == f"/admin/users/{target.pk}"
    assert shown == ["Role Mentor diberikan kepada Target Uji."]
    assert set(target.roles.values_list("role", flat=True)) == {"member", "mentor"}
    _where, shown = _post(admin_client, f"/admin/users/{target.pk}/roles", {"action": "revoke", "role": "mentor"})
    assert shown == ["Role Mentor dicabut dari Target Uji."]
    assert set(target.roles.values_list("role", flat=True)) == {"member"}
    actions = list(ActivityLog.objects.filter(target_id=str(target.pk)).values_list("action", "data"))
    assert actions == [(Action.ROLE_REVOKED, {"role": "mentor"}), (Action.ROLE_GRANTED, {"role": "mentor"})]


def test_role_changes_that_do_nothing_say_so(admin_client, target):
    _where, shown = _post(admin_client, f"/admin/users/{target.pk}/roles", {"action": "grant", "role": "member"})
    assert shown == ["Target Uji sudah memiliki role Member."]
    _where, shown = _post(admin_client, f"/admin/users/{target.pk}/roles", {"action": "revoke", "role": "mentor"})
    assert shown == ["Target Uji tidak memiliki role Mentor."]
    assert ActivityLog.objects.filter(target_id=str(target.pk)).count() == 0


def test_invalid_role_requests_show_an_error(admin_client, target):
    for data in ({"action": "grant", "role": "raja"}, {"action": "hapus", "role": "mentor"}, {}):
        _where, shown = _post(admin_client, f"/admin/users/{target.pk}/roles", data)
        assert shown == ["Pilih role yang akan diberikan atau dicabut."]
    assert set(target.roles.values_list("role", flat=True)) == {"member"}


def test_service_errors_show_as_messages_not_500(admin_client, admin_user, target):
    response = admin_client.post(f"/admin/users/{target.pk}/roles", {"action": "revoke", "role": "member"}, follow=True)
    assert response.status_code == 200
    assert '<div class="alert alert-error">Role Member dimiliki setiap pengguna terdaftar' in response.content.decode()
    _where, shown = _post(admin_client, f"/admin/users/{admin_user.pk}/roles", {"action": "revoke", "role": "admin"})
    assert shown == ["Anda tidak bisa mencabut role Admin dari akun Anda sendiri."]
    _where, shown = _post(admin_client, f"/admin/users/{admin_user.pk}/deactivate", {"reason": "Coba"})
    assert shown == ["Anda tidak bisa menonaktifkan akun Anda sendiri."]
    assert User.objects.get(pk=admin_user.pk).is_active is True
    assert admin_user.roles.filter(role=Role.ADMIN).exists()
    assert set(target.roles.values_list("role", flat=True)) == {"member"}


def test_last_admin_errors_show_as_messages(admin_client, make_user, monkeypatch):
    # Through the pages the acting admin is always a second active admin, so the "last admin" rule is reached only
    # when another request removed an admin meanwhile; simulate that by making the count see one admin.
    other = make_user(Role.ADMIN, full_name="Admin Dua")
    monkeypatch.setattr(services, "_admin_count", lambda: 1)
    _where, shown = _post(admin_client, f"/admin/users/{other.pk}/roles", {"action": "revoke", "role": "admin"})
    assert shown == ["Tidak bisa mencabut role Admin dari admin terakhir."]
    _where, shown = _post(admin_client, f"/admin/users/{other.pk}/deactivate", {"reason": "x"})
    assert shown == ["Tidak bisa menonaktifkan admin terakhir."]
    other.refresh_from_db()
    assert other.is_active is True
    assert other.roles.filter(role=Role.ADMIN).exists()
    assert not ActivityLog.objects.filter(action__in=[Action.ROLE_REVOKED, Action.USER_DEACTIVATED]).exists()


def test_deactivate_needs_a_reason(admin_client, target):
    _where, shown = _post(admin_client, f"/admin/users/{target.pk}/deactivate", {"reason": "   "})
    assert shown == ["Tuliskan alasan penonaktifan."]
    target.refresh_from_db()
    assert target.is_active is True
    assert ActivityLog.objects.filter(action=Action.USER_DEACTIVATED).count() == 0


def test_deactivate_and_reactivate(admin_client, admin_user, target):
    _where, shown = _post(admin_client, f"/admin/users/{target.pk}/deactivate", {"reason": "Spam"})
    assert shown == ["Akun Target Uji dinonaktifkan. Pengguna tidak bisa masuk lagi; datanya tetap tersimpan."]
    target.refresh_from_db()
    assert target.is_active is False
    row = ActivityLog.objects.get(action=Action.USER_DEACTIVATED)
    assert (row.actor_id, row.target_id, row.data) == (admin_user.pk, str(target.pk), {"reason": "Spam"})
    assert row.ip == "127.0.0.1"
    page = admin_client.get(f"/admin/users/{target.pk}").content.decode()
    assert "Aktifkan Kembali" in page
    _where, shown = _post(admin_client, f"/admin/users/{target.pk}/deactivate", {"reason": "Lagi"})
    assert shown == ["Akun Target Uji sudah nonaktif."]
    _where, shown = _post(admin_client, f"/admin/users/{target.pk}/reactivate")
    assert shown == ["Akun Target Uji diaktifkan kembali."]
    target.refresh_from_db()
    assert target.is_active is True
    _where, shown = _post(admin_client, f"/admin/users/{target.pk}/reactivate")
    assert shown == ["Akun Target Uji sudah aktif."]
    assert ActivityLog.objects.filter(action=Action.USER_DEACTIVATED).count() == 1
    assert ActivityLog.objects.filter(action=Action.USER_REACTIVATED).count() == 1


# --- Edit -----------------------------------------------------------------------------------------------


def test_edit_saves_through_the_service_and_is_logged(admin_client, admin_user, target):
    page = admin_client.get(f"/admin/users/{target.pk}/edit").content.decode()
    assert 'value="Target Uji"' in page
    assert 'value="+6281311112222"' in page
    data = {"full_name": "Target Baru", "whatsapp": "0813 1111 3333", "province": "Jawa Barat", "city": "Bogor"}
    where, shown = _post(admin_client, f"/admin/users/{target.pk}/edit", {**data, "bio": "Hai"})
    assert where == f"/admin/users/{target.pk}"
    assert shown == ["Data Target Baru disimpan."]
    target.refresh_from_db()
    assert (target.full_name, target.whatsapp, target.province, target.city, target.bio) == (
        "Target Baru", "+6281311113333", "Jawa Barat", "Bogor", "Hai",
    )  # fmt: skip
    row = ActivityLog.objects.get(action=Action.USER_UPDATED)
    assert (row.actor_id, row.data) == (admin_user.pk, {"fields": ["bio", "city", "full_name", "province", "whatsapp"]})


def test_edit_allows_an_empty_whatsapp(admin_client, target):
    data = {"full_name": "Target Uji", "whatsapp": "", "province": "Bali", "city": "Ubud", "bio": ""}
    assert admin_client.post(f"/admin/users/{target.pk}/edit", data).status_code == 302
    target.refresh_from_db()
    assert target.whatsapp == ""


def test_edit_with_invalid_input_shows_messages_and_saves_nothing(admin_client, target):
    response = admin_client.post(
        f"/admin/users/{target.pk}/edit",
        {"full_name": "", "whatsapp": "12345", "province": "Atlantis", "city": "", "bio": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nomor WhatsApp tidak valid. Gunakan nomor seluler Indonesia, contoh 081234567890." in page
    assert "Masukkan pilihan yang valid. Atlantis bukan salah satu dari pilihan yang tersedia." in page
    assert "Bidang ini tidak boleh kosong." in page
    assert set(response.context["form"].errors) == {"full_name", "whatsapp", "province"}
    target.refresh_from_db()
    assert (target.full_name, target.whatsapp, target.province) == ("Target Uji", "+6281311112222", "Bali")
    assert ActivityLog.objects.filter(action=Action.USER_UPDATED).count() == 0


# --- Affiliate applications ------------------------------------------------------------------------------


def _decided(make_user, admin_user, email, approve):
    user = make_user(email=email)
    app = services.affiliate_apply(user=user, motivation=MOTIVATION)
    return services.affiliate_application_decide(application=app, actor=admin_user, approve=approve, note="Catatan")


def test_application_list_is_pending_by_default_and_filters_by_status(admin_client, admin_user, make_user, application):
    approved = _decided(make_user, admin_user, "ok@contoh.test", True)
    rejected = _decided(make_user, admin_user, "no@contoh.test", False)

    def listed(query=""):
        response = admin_client.get("/admin/affiliate-applications" + query)
        assert response.status_code == 200
        return list(response.context["page_obj"].object_list)

    assert listed() == [application]
    assert listed("?status=approved") == [approved]
    assert listed("?status=rejected") == [rejected]
    assert listed("?status=") == [rejected, approved, application]
    assert listed("?status=aneh") == [rejected, approved, application]
    page = admin_client.get("/admin/affiliate-applications").content.decode()
    assert "Pemohon Uji" in page and "Instagram @pemohon" in page and "Tinjau" in page


def test_application_list_query_count_does_not_grow(admin_client, make_user):
    services.affiliate_apply(user=make_user(), motivation=MOTIVATION)
    _warm_up(admin_client)
    with CaptureQueriesContext(connection) as few:
        admin_client.get("/admin/affiliate-applications")
    for _ in range(15):
        services.affiliate_apply(user=make_user(), motivation=MOTIVATION)
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get("/admin/affiliate-applications")
    assert len(response.context["page_obj"].object_list) == 16
    assert len(many) == len(few)


def test_approving_from_the_detail_page(admin_client, admin_user, application):
    page = admin_client.get(f"/admin/affiliate-applications/{application.pk}").content.decode()
    assert MOTIVATION in page and 'name="decision"' in page
    Notification.objects.all().delete()
    where, shown = _post(
        admin_client,
        f"/admin/affiliate-applications/{application.pk}",
        {"decision": "approve", "note": "Selamat bergabung"},
    )
    assert where == "/admin/affiliate-applications"
    assert shown == ["Pengajuan Pemohon Uji disetujui; role Affiliate diberikan."]
    application.refresh_from_db()
    assert (application.status, application.decided_by, application.decision_note) == (
        "approved", admin_user, "Selamat bergabung",
    )  # fmt: skip
    assert application.user.roles.filter(role=Role.AFFILIATE).exists()
    assert list(Notification.objects.values_list("user_id", "title")) == [
        (application.user_id, "Pengajuan affiliate disetujui")
    ]
    page = admin_client.get(f"/admin/affiliate-applications/{application.pk}").content.decode()
    assert 'name="decision"' not in page
    assert "Selamat bergabung" in page


def test_rejecting_without_a_note_shows_the_error_and_changes_nothing(admin_client, application):
    Notification.objects.all().delete()
    response = admin_client.post(f"/admin/affiliate-applications/{application.pk}", {"decision": "reject", "note": ""})
    assert response.status_code == 200
    assert "Alasan penolakan wajib diisi." in response.content.decode()
    application.refresh_from_db()
    assert application.status == AffiliateApplicationStatus.PENDING
    assert Notification.objects.count() == 0


def test_rejecting_with_a_note(admin_client, application):
    _where, shown = _post(
        admin_client, f"/admin/affiliate-applications/{application.pk}", {"decision": "reject", "note": "Lengkapi"}
    )
    assert shown == ["Pengajuan Pemohon Uji ditolak."]
    application.refresh_from_db()
    assert (application.status, application.decision_note) == ("rejected", "Lengkapi")
    assert not application.user.roles.filter(role=Role.AFFILIATE).exists()


def test_a_missing_decision_is_a_form_error(admin_client, application):
    response = admin_client.post(f"/admin/affiliate-applications/{application.pk}", {"note": "x"})
    assert response.status_code == 200
    assert "Pilih setujui atau tolak." in response.content.decode()
    application.refresh_from_db()
    assert application.status == AffiliateApplicationStatus.PENDING


def test_deciding_an_already_decided_application_shows_an_error(admin_client, admin_user, application):
    services.affiliate_application_decide(application=application, actor=admin_user, approve=True)
    where, shown = _post(
        admin_client, f"/admin/affiliate-applications/{application.pk}", {"decision": "reject", "note": "Terlambat"}
    )
    assert where == f"/admin/affiliate-applications/{application.pk}"
    assert shown == ["Pengajuan ini sudah diputuskan sebelumnya."]
    application.refresh_from_db()
    assert (application.status, application.decision_note) == ("approved", "")
    assert AffiliateApplication.objects.filter(status="rejected").count() == 0


def test_applications_are_listed_newest_first(admin_client, make_user):
    older = services.affiliate_apply(user=make_user(), motivation=MOTIVATION)
    AffiliateApplication.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=2))
    newer = services.affiliate_apply(user=make_user(), motivation=MOTIVATION)
    response = admin_client.get("/admin/affiliate-applications")
    assert list(response.context["page_obj"].object_list) == [newer, older]
