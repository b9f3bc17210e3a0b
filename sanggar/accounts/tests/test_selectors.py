"""accounts.selectors: the admin user list, figures for dashboards, affiliate status and profile completeness."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanggar.accounts import selectors, services
from sanggar.accounts.models import User
from sanggar.audit.constants import Action
from sanggar.audit.services import activity_record
from sanggar.core.roles import Role

pytestmark = pytest.mark.django_db

MOTIVATION = "Saya aktif berbagi tips ekspor di Instagram dan grup WhatsApp UMKM."


def _emails(qs):
    return [u.email for u in qs]


def test_user_list_is_newest_first_and_prefetches_roles(make_user, django_assert_num_queries):
    now = timezone.now()
    make_user(email="lama@contoh.test", date_joined=now - timedelta(days=3))
    make_user(Role.MENTOR, email="baru@contoh.test", date_joined=now)
    with django_assert_num_queries(2):
        users = list(selectors.user_list())
        roles = [sorted(u.role_set) for u in users]
    assert _emails(users) == ["baru@contoh.test", "lama@contoh.test"]
    assert roles == [["member", "mentor"], ["member"]]


def test_user_list_searches_name_email_and_whatsapp_in_any_written_form(make_user):
    make_user(email="siti@contoh.test", full_name="Siti Aminah", whatsapp="+6281234567890")
    make_user(email="budi@lain.test", full_name="Budi", whatsapp="+6285700000000")
    assert _emails(selectors.user_list(q="aminah")) == ["siti@contoh.test"]
    assert _emails(selectors.user_list(q="LAIN.test")) == ["budi@lain.test"]
    for typed in ("0812 3456", "+62 812-3456", "6281234", "81234567890"):
        assert _emails(selectors.user_list(q=typed)) == ["siti@contoh.test"], typed
    assert _emails(selectors.user_list(q="tidak-ada")) == []


def test_user_list_filters_by_role_and_status(make_user, admin_user):
    mentor = make_user(Role.MENTOR, Role.AFFILIATE, email="mentor@contoh.test")
    gone = make_user(Role.MENTOR, email="pergi@contoh.test")
    services.user_deactivate(user=gone, actor=admin_user, reason="x")
    assert _emails(selectors.user_list(role=Role.MENTOR)) == ["pergi@contoh.test", "mentor@contoh.test"]
    assert _emails(selectors.user_list(role=Role.MENTOR, status="active")) == [mentor.email]
    assert _emails(selectors.user_list(status="inactive")) == ["pergi@contoh.test"]
    assert set(_emails(selectors.user_list(status="active"))) == {mentor.email, admin_user.email}


def test_user_get_returns_inactive_users_and_none_for_unknown_ids(member_user, admin_user):
    services.user_deactivate(user=member_user, actor=admin_user, reason="x")
    assert selectors.user_get(pk=member_user.pk) == member_user
    assert selectors.user_get(pk=member_user.pk + 1000) is None


def test_user_activity_recent_holds_rows_by_or_about_the_user(make_user, admin_user):
    user = make_user()
    other = make_user()
    services.role_grant(user=user, role=Role.MENTOR, actor=admin_user)  # about the user
    activity_record(action=Action.LOGIN, actor=user, target=user)  # by and about the user
    activity_record(action=Action.SETTINGS_CHANGED, actor=user, target_label="Branding")  # by the user
    activity_record(action=Action.LOGIN, actor=other, target=other)  # neither
    rows = selectors.user_activity_recent(user=user)
    assert [r.action for r in rows] == [Action.SETTINGS_CHANGED, Action.LOGIN, Action.ROLE_GRANTED]
    assert [r.action for r in selectors.user_activity_recent(user=user, limit=1)] == [Action.SETTINGS_CHANGED]


def test_user_stats_counts_today_the_last_week_and_inactive_accounts(make_user, admin_user):
    now = timezone.now()
    start_of_today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    User.objects.filter(pk=admin_user.pk).update(date_joined=now - timedelta(days=30))
    make_user(date_joined=start_of_today + timedelta(seconds=1))
    make_user(date_joined=start_of_today - timedelta(seconds=1))  # yesterday, inside the week
    make_user(date_joined=now - timedelta(days=6, hours=23))
    old = make_user(date_joined=now - timedelta(days=8))
    services.user_deactivate(user=old, actor=admin_user, reason="x")
    stats = selectors.user_stats()
    assert stats == selectors.UserStats(total=5, active=4, inactive=1, joined_today=1, joined_week=3)


def test_role_counts_leave_out_deactivated_accounts(make_user, admin_user):
    make_user(Role.AFFILIATE)
    gone = make_user(Role.AFFILIATE, Role.MENTOR)
    services.user_deactivate(user=gone, actor=admin_user, reason="x")
    counts = selectors.user_counts_by_role()
    assert counts == {
        "admin": 1, "founder": 0, "cofounder": 0, "support": 0, "mentor": 0, "affiliate": 1, "supplier": 0,
        "member": 2,
    }  # fmt: skip
    assert list(counts) == list(Role.values)
    assert selectors.user_count_with_role(role=Role.AFFILIATE) == 1
    assert selectors.user_count_with_role(role=Role.MEMBER) == 2


def test_affiliate_application_list_and_pending_count(make_user, admin_user):
    first = make_user(email="a@contoh.test")
    second = make_user(email="b@contoh.test")
    approved = services.affiliate_apply(user=first, motivation=MOTIVATION)
    services.affiliate_application_decide(application=approved, actor=admin_user, approve=True)
    pending = services.affiliate_apply(user=second, motivation=MOTIVATION)
    assert list(selectors.affiliate_application_list()) == [pending, approved]
    assert list(selectors.affiliate_application_list(status="pending")) == [pending]
    assert list(selectors.affiliate_application_list(status="approved")) == [approved]
    assert selectors.affiliate_applications_pending_count() == 1
    assert selectors.affiliate_application_get(pk=pending.pk) == pending
    assert selectors.affiliate_application_get(pk=pending.pk + 100) is None


def test_affiliate_status_for_a_member_an_applicant_and_an_affiliate(member_user, admin_user):
    status = selectors.affiliate_status_for_user(user=member_user)
    assert (status.is_affiliate, status.since, status.latest_application, status.pending) == (False, None, None, False)
    application = services.affiliate_apply(user=member_user, motivation=MOTIVATION)
    status = selectors.affiliate_status_for_user(user=member_user)
    assert (status.is_affiliate, status.latest_application, status.pending) == (False, application, True)
    services.affiliate_application_decide(application=application, actor=admin_user, approve=True)
    status = selectors.affiliate_status_for_user(user=member_user)
    assert status.is_affiliate is True
    assert status.since == member_user.roles.get(role=Role.AFFILIATE).created_at
    assert status.pending is False


def test_profile_completeness_lists_the_missing_fields(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = make_user(full_name="Sari", whatsapp="+6281200000000", province="", city="", bio="")
    result = selectors.user_profile_completeness(user=user)
    assert result == selectors.ProfileCompleteness(
        percent=33, missing=("Foto profil", "Provinsi", "Kota/Kabupaten", "Bio")
    )
    user.province, user.city, user.bio = "Bali", "Denpasar", "Eksportir kopi"
    user.avatar = SimpleUploadedFile("a.png", b"x", content_type="image/png")
    assert selectors.user_profile_completeness(user=user) == selectors.ProfileCompleteness(percent=100, missing=())
