"""accounts.services: registration, profile, roles, deactivation and affiliate applications."""

import threading

import pytest
from django.db import connection

from sanggar.accounts import services
from sanggar.accounts.constants import AffiliateApplicationStatus
from sanggar.accounts.models import AffiliateApplication, User, UserRole
from sanggar.audit.constants import Action
from sanggar.audit.models import ActivityLog
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role
from sanggar.notifications import notifications as groups
from sanggar.notifications.models import Notification

pytestmark = pytest.mark.django_db

VALID = {
    "email": "Rina@Contoh.Test",
    "full_name": "Rina Kartika",
    "whatsapp": "0812-3456-7890",
    "password": "teh-manis-hangat-77",
}


def _rows(action, user):
    return list(ActivityLog.objects.filter(action=action, target_id=str(user.pk)).order_by("id"))


# --- Registration ---------------------------------------------------------------------------------------


def test_register_creates_a_member_with_lowercased_email_and_normalised_whatsapp():
    user = services.user_register(**VALID)
    user.refresh_from_db()
    assert user.email == "rina@contoh.test"
    assert user.full_name == "Rina Kartika"
    assert user.whatsapp == "+6281234567890"
    assert user.check_password("teh-manis-hangat-77")
    assert user.role_set == {Role.MEMBER}
    [row] = _rows(Action.USER_REGISTERED, user)
    assert row.actor_id == user.pk
    assert list(Notification.objects.filter(user=user).values_list("kind", flat=True)) == [groups.SYSTEM]


def test_register_without_welcome_sends_nothing():
    user = services.user_register(**VALID, send_welcome=False)
    assert Notification.objects.filter(user=user).count() == 0


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("081234567890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("(0812) 3456.7890", "+6281234567890"),
        ("+6281234567890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("62 812-3456-7890", "+6281234567890"),
        ("81234567890", "+6281234567890"),
        ("  085712345678  ", "+6285712345678"),
    ],
)
def test_register_normalises_whatsapp(raw, expected):
    user = services.user_register(**{**VALID, "whatsapp": raw})
    assert User.objects.get(pk=user.pk).whatsapp == expected


@pytest.mark.parametrize(
    "raw, message",
    [
        ("12345", "Nomor WhatsApp tidak valid. Gunakan nomor seluler Indonesia, contoh 081234567890."),
        ("0812345", "Nomor WhatsApp tidak valid. Gunakan nomor seluler Indonesia, contoh 081234567890."),
        ("0212345678", "Nomor WhatsApp tidak valid. Gunakan nomor seluler Indonesia, contoh 081234567890."),
        ("+1 415 555 0100", "Nomor WhatsApp tidak valid. Gunakan nomor seluler Indonesia, contoh 081234567890."),
        ("0812345678901234", "Nomor WhatsApp tidak valid. Gunakan nomor seluler Indonesia, contoh 081234567890."),
        ("0812-abcd-7890", "Nomor WhatsApp hanya boleh berisi angka, contoh 081234567890."),
    ],
)
def test_register_refuses_invalid_whatsapp_and_creates_nothing(raw, message):
    with pytest.raises(ServiceError) as exc:
        services.user_register(**{**VALID, "whatsapp": raw})
    assert exc.value.errors == {"whatsapp": [message]}
    assert User.objects.count() == 0
    assert ActivityLog.objects.count() == 0


def test_register_requires_whatsapp():
    with pytest.raises(ServiceError) as exc:
        services.user_register(**{**VALID, "whatsapp": "  "})
    assert exc.value.errors == {"whatsapp": ["Nomor WhatsApp wajib diisi."]}
    assert User.objects.count() == 0


def test_register_collects_every_field_error_at_once():
    with pytest.raises(ServiceError) as exc:
        services.user_register(email="", full_name="", whatsapp="", password="")
    assert exc.value.message == "Pendaftaran belum bisa diproses."
    assert set(exc.value.errors) == {"email", "full_name", "whatsapp", "password"}
    assert exc.value.errors["email"] == ["Email wajib diisi."]
    assert exc.value.errors["full_name"] == ["Nama lengkap wajib diisi."]
    assert exc.value.errors["password"] == ["Kata sandi wajib diisi."]


def test_register_refuses_a_taken_email_whatever_its_case(make_user):
    make_user(email="rina@contoh.test")
    with pytest.raises(ServiceError) as exc:
        services.user_register(**VALID)
    assert exc.value.errors == {"email": ["Email ini sudah terdaftar. Silakan masuk."]}
    assert User.objects.count() == 1


def test_register_refuses_a_weak_password():
    with pytest.raises(ServiceError) as exc:
        services.user_register(**{**VALID, "password": "12345678"})
    assert list(exc.value.errors) == ["password"]
    assert len(exc.value.errors["password"]) >= 1
    assert User.objects.count() == 0


# --- Profile --------------------------------------------------------------------------------------------


def test_an_admin_editing_a_profile_is_logged_with_the_changed_fields(make_user, admin_user):
    user = make_user(full_name="Lama", city="Bogor", whatsapp="+6281200000001")
    services.user_update_profile(
        user=user, actor=admin_user, full_name="Baru", whatsapp="0812 0000 0001", city="Bogor", bio=""
    )
    user.refresh_from_db()
    assert user.full_name == "Baru"
    assert user.whatsapp == "+6281200000001"
    [row] = _rows(Action.USER_UPDATED, user)
    assert row.actor_id == admin_user.pk
    assert row.data == {"fields": ["full_name"]}


def test_a_user_editing_their_own_profile_is_not_logged(member_user):
    services.user_update_profile(user=member_user, actor=member_user, full_name="Nama Baru")
    assert User.objects.get(pk=member_user.pk).full_name == "Nama Baru"
    assert ActivityLog.objects.filter(action=Action.USER_UPDATED).count() == 0


def test_profile_update_refuses_an_unknown_province_and_saves_nothing(member_user):
    with pytest.raises(ServiceError) as exc:
        services.user_update_profile(user=member_user, actor=member_user, full_name="X", province="Atlantis")
    assert exc.value.errors == {"province": ["Pilih provinsi dari daftar."]}
    member_user.refresh_from_db()
    assert member_user.full_name == "Member Uji"
    assert member_user.province == ""


# --- Roles ----------------------------------------------------------------------------------------------


def test_role_grant_adds_the_role_logs_it_and_notifies(member_user, admin_user):
    services.role_grant(user=member_user, role=Role.MENTOR, actor=admin_user)
    assert member_user.role_set == {Role.MEMBER, Role.MENTOR}
    assert UserRole.objects.get(user=member_user, role=Role.MENTOR).granted_by == admin_user
    [row] = _rows(Action.ROLE_GRANTED, member_user)
    assert (row.actor_id, row.data) == (admin_user.pk, {"role": "mentor"})
    assert list(Notification.objects.filter(user=member_user).values_list("title", flat=True)) == ["Role baru: Mentor"]


def test_granting_a_role_twice_changes_nothing_the_second_time(member_user, admin_user):
    services.role_grant(user=member_user, role=Role.MENTOR, actor=admin_user)
    services.role_grant(user=member_user, role=Role.MENTOR, actor=admin_user)
    assert UserRole.objects.filter(user=member_user, role=Role.MENTOR).count() == 1
    assert len(_rows(Action.ROLE_GRANTED, member_user)) == 1
    assert Notification.objects.filter(user=member_user).count() == 1


def test_role_grant_refuses_an_unknown_role(member_user, admin_user):
    with pytest.raises(ServiceError, match="Role tidak dikenal."):
        services.role_grant(user=member_user, role="raja", actor=admin_user)
    assert member_user.role_set == {Role.MEMBER}
    assert ActivityLog.objects.count() == 0


def test_role_revoke_removes_the_role_and_logs_it(make_user, admin_user):
    user = make_user(Role.MENTOR)
    services.role_revoke(user=user, role=Role.MENTOR, actor=admin_user)
    assert user.role_set == {Role.MEMBER}
    [row] = _rows(Action.ROLE_REVOKED, user)
    assert (row.actor_id, row.data) == (admin_user.pk, {"role": "mentor"})


def test_revoking_a_role_the_user_does_not_hold_logs_nothing(member_user, admin_user):
    services.role_revoke(user=member_user, role=Role.MENTOR, actor=admin_user)
    assert ActivityLog.objects.count() == 0


def test_the_member_role_cannot_be_revoked(member_user, admin_user):
    with pytest.raises(ServiceError, match="Role Member dimiliki setiap pengguna"):
        services.role_revoke(user=member_user, role=Role.MEMBER, actor=admin_user)
    assert member_user.role_set == {Role.MEMBER}
    assert ActivityLog.objects.count() == 0


def test_role_revoke_refuses_an_unknown_role(member_user, admin_user):
    with pytest.raises(ServiceError, match="Role tidak dikenal."):
        services.role_revoke(user=member_user, role="raja", actor=admin_user)


def test_the_last_admin_keeps_the_admin_role(make_user, admin_user):
    # Another holder of the admin role who is deactivated does not count as an admin.
    other = make_user(Role.ADMIN)
    services.user_deactivate(user=other, actor=admin_user, reason="Keluar")
    superuser = make_user(Role.FOUNDER)
    with pytest.raises(ServiceError, match="Tidak bisa mencabut role Admin dari admin terakhir."):
        services.role_revoke(user=admin_user, role=Role.ADMIN, actor=superuser)
    assert UserRole.objects.filter(user=admin_user, role=Role.ADMIN).exists()
    assert ActivityLog.objects.filter(action=Action.ROLE_REVOKED).count() == 0


def test_an_admin_cannot_revoke_their_own_admin_role(make_user, admin_user):
    make_user(Role.ADMIN)
    with pytest.raises(NotAllowed, match="Anda tidak bisa mencabut role Admin dari akun Anda sendiri."):
        services.role_revoke(user=admin_user, role=Role.ADMIN, actor=admin_user)
    assert UserRole.objects.filter(user=admin_user, role=Role.ADMIN).exists()


def test_an_admin_role_can_be_revoked_while_another_admin_remains(make_user, admin_user):
    other = make_user(Role.ADMIN)
    services.role_revoke(user=other, role=Role.ADMIN, actor=admin_user)
    assert other.role_set == {Role.MEMBER}
    assert len(_rows(Action.ROLE_REVOKED, other)) == 1


# --- Deactivation ----------------------------------------------------------------------------------------


def test_deactivate_keeps_the_data_logs_the_reason_and_emails_the_user(make_user, admin_user):
    user = make_user(Role.MENTOR, full_name="Budi")
    services.user_deactivate(user=user, actor=admin_user, reason="  Spam di grup  ")
    user.refresh_from_db()
    assert user.is_active is False
    assert user.deactivated_at is not None
    assert user.full_name == "Budi"
    assert set(UserRole.objects.filter(user=user).values_list("role", flat=True)) == {Role.MEMBER, Role.MENTOR}
    [row] = _rows(Action.USER_DEACTIVATED, user)
    assert (row.actor_id, row.data) == (admin_user.pk, {"reason": "Spam di grup"})
    assert Notification.objects.filter(user=user, kind=groups.SYSTEM).count() == 1


def test_deactivating_an_inactive_user_again_changes_nothing(member_user, admin_user):
    services.user_deactivate(user=member_user, actor=admin_user, reason="A")
    first = User.objects.get(pk=member_user.pk).deactivated_at
    services.user_deactivate(user=member_user, actor=admin_user, reason="B")
    assert User.objects.get(pk=member_user.pk).deactivated_at == first
    assert len(_rows(Action.USER_DEACTIVATED, member_user)) == 1


def test_nobody_can_deactivate_their_own_account(admin_user, make_user):
    make_user(Role.ADMIN)
    with pytest.raises(NotAllowed, match="Anda tidak bisa menonaktifkan akun Anda sendiri."):
        services.user_deactivate(user=admin_user, actor=admin_user, reason="x")
    assert User.objects.get(pk=admin_user.pk).is_active is True
    assert ActivityLog.objects.count() == 0


def test_the_last_admin_cannot_be_deactivated(admin_user, make_user):
    founder = make_user(Role.FOUNDER)
    with pytest.raises(ServiceError, match="Tidak bisa menonaktifkan admin terakhir."):
        services.user_deactivate(user=admin_user, actor=founder, reason="x")
    assert User.objects.get(pk=admin_user.pk).is_active is True
    assert ActivityLog.objects.count() == 0


def test_reactivate_restores_access_and_logs_it(member_user, admin_user):
    services.user_deactivate(user=member_user, actor=admin_user, reason="x")
    services.user_reactivate(user=member_user, actor=admin_user)
    member_user.refresh_from_db()
    assert (member_user.is_active, member_user.deactivated_at) == (True, None)
    [row] = _rows(Action.USER_REACTIVATED, member_user)
    assert row.actor_id == admin_user.pk
    # Reactivating an active user does nothing.
    services.user_reactivate(user=member_user, actor=admin_user)
    assert len(_rows(Action.USER_REACTIVATED, member_user)) == 1


def test_a_deactivated_user_cannot_log_in_through_the_login_page(client, make_user, admin_user, password):
    user = make_user(email="nonaktif@contoh.test")
    services.user_deactivate(user=user, actor=admin_user, reason="Pelanggaran")
    response = client.post("/accounts/login/", {"login": "nonaktif@contoh.test", "password": password})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/inactive/"
    assert "_auth_user_id" not in client.session
    assert ActivityLog.objects.filter(action=Action.LOGIN, actor=user).count() == 0
    # After reactivation the same password works again.
    services.user_reactivate(user=user, actor=admin_user)
    response = client.post("/accounts/login/", {"login": "nonaktif@contoh.test", "password": password})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_admins_deactivating_each_other_at_once_leave_one_admin(make_user):
    first = make_user(Role.ADMIN)
    second = make_user(Role.ADMIN)
    barrier = threading.Barrier(2)
    outcomes = []

    def run(target, actor):
        try:
            barrier.wait()
            services.user_deactivate(user=target, actor=actor, reason="bersamaan")
            outcomes.append("ok")
        except ServiceError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(first, second)), threading.Thread(target=run, args=(second, first))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["Tidak bisa menonaktifkan admin terakhir.", "ok"]
    assert User.objects.filter(pk__in=[first.pk, second.pk], is_active=True).count() == 1


# --- Affiliate applications ------------------------------------------------------------------------------

MOTIVATION = "Saya aktif berbagi tips ekspor di Instagram dan grup WhatsApp UMKM."


def test_apply_creates_a_pending_application_logs_it_and_notifies_active_admins(member_user, admin_user, make_user):
    inactive_admin = make_user(Role.ADMIN)
    services.user_deactivate(user=inactive_admin, actor=admin_user, reason="x")
    application = services.affiliate_apply(user=member_user, motivation=f"  {MOTIVATION}  ", channels=" IG ")
    application.refresh_from_db()
    assert (application.status, application.motivation, application.channels) == ("pending", MOTIVATION, "IG")
    [row] = _rows(Action.AFFILIATE_APPLIED, member_user)
    assert row.data == {"application": application.pk}
    assert list(Notification.objects.filter(kind=groups.AFFILIATE).values_list("user_id", flat=True)) == [admin_user.pk]


def test_a_second_application_while_one_is_pending_is_refused(member_user, admin_user):
    services.affiliate_apply(user=member_user, motivation=MOTIVATION)
    with pytest.raises(ServiceError, match="masih menunggu persetujuan admin"):
        services.affiliate_apply(user=member_user, motivation=MOTIVATION)
    assert AffiliateApplication.objects.filter(user=member_user).count() == 1
    assert len(_rows(Action.AFFILIATE_APPLIED, member_user)) == 1


def test_an_affiliate_cannot_apply_again(make_user):
    user = make_user(Role.AFFILIATE)
    with pytest.raises(ServiceError, match="Anda sudah menjadi affiliate."):
        services.affiliate_apply(user=user, motivation=MOTIVATION)
    assert AffiliateApplication.objects.count() == 0


def test_a_short_motivation_is_refused(member_user):
    with pytest.raises(ServiceError) as exc:
        services.affiliate_apply(user=member_user, motivation="Mau komisi")
    assert exc.value.errors == {"motivation": ["Minimal 20 karakter."]}
    assert AffiliateApplication.objects.count() == 0


def test_approving_grants_the_affiliate_role_logs_and_notifies(member_user, admin_user):
    application = services.affiliate_apply(user=member_user, motivation=MOTIVATION)
    Notification.objects.all().delete()
    services.affiliate_application_decide(application=application, actor=admin_user, approve=True, note="Selamat")
    application.refresh_from_db()
    assert application.status == AffiliateApplicationStatus.APPROVED
    assert (application.decided_by, application.decision_note) == (admin_user, "Selamat")
    assert application.decided_at is not None
    member_user.__dict__.pop("role_set", None)
    assert member_user.role_set == {Role.MEMBER, Role.AFFILIATE}
    assert UserRole.objects.get(user=member_user, role=Role.AFFILIATE).granted_by == admin_user
    assert [r.data for r in _rows(Action.AFFILIATE_APPROVED, member_user)] == [{"note": "Selamat"}]
    assert [r.data for r in _rows(Action.ROLE_GRANTED, member_user)] == [{"role": "affiliate"}]
    [notification] = Notification.objects.filter(user=member_user)
    assert notification.kind == groups.AFFILIATE
    assert notification.title == "Pengajuan affiliate disetujui"
    assert notification.message.endswith("Catatan admin: Selamat")
    assert notification.link == "/profil/affiliate"


def test_approving_when_the_role_was_already_granted_logs_no_second_grant(member_user, admin_user):
    application = services.affiliate_apply(user=member_user, motivation=MOTIVATION)
    services.role_grant(user=member_user, role=Role.AFFILIATE, actor=admin_user)
    services.affiliate_application_decide(application=application, actor=admin_user, approve=True)
    assert len(_rows(Action.ROLE_GRANTED, member_user)) == 1
    assert len(_rows(Action.AFFILIATE_APPROVED, member_user)) == 1


def test_rejecting_needs_a_note_and_changes_nothing_without_one(member_user, admin_user):
    application = services.affiliate_apply(user=member_user, motivation=MOTIVATION)
    Notification.objects.all().delete()
    with pytest.raises(ServiceError) as exc:
        services.affiliate_application_decide(application=application, actor=admin_user, approve=False, note="  ")
    assert exc.value.errors == {"note": ["Alasan penolakan wajib diisi."]}
    application.refresh_from_db()
    assert (application.status, application.decided_by, application.decided_at) == ("pending", None, None)
    assert Notification.objects.count() == 0
    assert ActivityLog.objects.filter(action=Action.AFFILIATE_REJECTED).count() == 0


def test_rejecting_with_a_note_tells_the_applicant_why(member_user, admin_user):
    application = services.affiliate_apply(user=member_user, motivation=MOTIVATION)
    Notification.objects.all().delete()
    services.affiliate_application_decide(
        application=application, actor=admin_user, approve=False, note="Lengkapi akun Instagram"
    )
    application.refresh_from_db()
    assert application.status == AffiliateApplicationStatus.REJECTED
    assert member_user.role_set == {Role.MEMBER}
    assert [r.data for r in _rows(Action.AFFILIATE_REJECTED, member_user)] == [{"note": "Lengkapi akun Instagram"}]
    [notification] = Notification.objects.filter(user=member_user)
    assert notification.title == "Pengajuan affiliate ditolak"
    assert notification.message == "Pengajuan Anda belum disetujui. Catatan admin: Lengkapi akun Instagram"
    # After a rejection the member may apply again.
    again = services.affiliate_apply(user=member_user, motivation=MOTIVATION)
    assert again.status == AffiliateApplicationStatus.PENDING


def test_deciding_twice_is_refused(member_user, admin_user):
    application = services.affiliate_apply(user=member_user, motivation=MOTIVATION)
    services.affiliate_application_decide(application=application, actor=admin_user, approve=True)
    with pytest.raises(ServiceError, match="Pengajuan ini sudah diputuskan sebelumnya."):
        services.affiliate_application_decide(application=application, actor=admin_user, approve=False, note="x")
    application.refresh_from_db()
    assert application.status == AffiliateApplicationStatus.APPROVED
    assert ActivityLog.objects.filter(action=Action.AFFILIATE_REJECTED).count() == 0
