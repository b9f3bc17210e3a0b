"""Account cards on each role's dashboard: the right figures, links only to pages the role may open, fixed queries."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from sanggar.accounts import dashboard, services
from sanggar.accounts.models import User
from sanggar.core.context_processors import ACTIVE_ROLE_SESSION_KEY
from sanggar.core.formatting import tanggal
from sanggar.core.roles import Role

pytestmark = pytest.mark.django_db

MOTIVATION = "Saya aktif berbagi tips ekspor di Instagram dan grup WhatsApp UMKM."
ACCOUNT_CARDS = {
    "Pengguna per role", "Pendaftar baru", "Pengajuan affiliate", "Akun nonaktif", "Total member", "Affiliate",
    "Member aktif", "Kelengkapan profil", "Status affiliate", "Jadi affiliate",
}  # fmt: skip


def _cards(client, user, role):
    client.force_login(user)
    session = client.session
    session[ACTIVE_ROLE_SESSION_KEY] = role
    session.save()
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert response.context["role"] == role
    return {card.title: card for card in response.context["cards"] if card.title in ACCOUNT_CARDS}


def _request(user):
    request = RequestFactory().get("/dashboard/")
    request.user = user
    return request


@pytest.fixture
def population(make_user, admin_user):
    """Besides the admin (joined 30 days ago): 2 affiliates, a mentor, a supplier, 1 deactivated member,
    2 who joined today, 1 who joined 3 days ago, 2 pending applications."""
    now = timezone.now()
    User.objects.filter(pk=admin_user.pk).update(date_joined=now - timedelta(days=30))
    old = now - timedelta(days=20)
    make_user(Role.AFFILIATE, date_joined=old)
    make_user(Role.AFFILIATE, Role.MENTOR, date_joined=old)
    make_user(Role.SUPPLIER, date_joined=old)
    gone = make_user(date_joined=old)
    services.user_deactivate(user=gone, actor=admin_user, reason="x")
    today = [make_user(), make_user()]
    make_user(date_joined=now - timedelta(days=3))
    for user in today:
        services.affiliate_apply(user=user, motivation=MOTIVATION)
    return {"today": today}


def test_admin_dashboard_figures(client, admin_user, population):
    cards = _cards(client, admin_user, Role.ADMIN)
    assert set(cards) == {"Pengguna per role", "Pendaftar baru", "Pengajuan affiliate", "Akun nonaktif"}
    by_role = cards["Pengguna per role"]
    assert [(s.label, s.value) for s in by_role.stats] == [
        ("Admin", "1"), ("Founder", "0"), ("Co-Founder", "0"), ("Support", "0"), ("Mentor", "1"),
        ("Affiliate", "2"), ("Supplier", "1"), ("Member", "7"),
    ]  # fmt: skip
    assert by_role.stats[0].link == "/admin/users?role=admin&status=active"
    registrations = cards["Pendaftar baru"]
    assert (registrations.value, registrations.hint) == ("3", "7 hari terakhir · hari ini 2")
    pending = cards["Pengajuan affiliate"]
    assert (pending.value, pending.link) == ("2", "/admin/affiliate-applications")
    inactive = cards["Akun nonaktif"]
    assert (inactive.value, inactive.hint, inactive.link) == (
        "1",
        "dari 8 akun terdaftar",
        "/admin/users?status=inactive",
    )


@pytest.mark.parametrize("role", [Role.FOUNDER, Role.COFOUNDER])
def test_founder_dashboard_figures(client, make_user, population, role):
    founder = make_user(role, date_joined=timezone.now() - timedelta(days=40))
    cards = _cards(client, founder, role)
    assert {title: (card.value, card.hint) for title, card in cards.items()} == {
        "Total member": ("8", "Akun aktif"),
        "Pendaftar baru": ("3", "7 hari terakhir · hari ini 2"),
        "Affiliate": ("2", "Affiliate aktif"),
    }
    # Founders cannot open the admin pages, so their cards link nowhere.
    assert all(card.link == "" for card in cards.values())


def test_support_sees_their_profile_and_active_members_without_admin_links(client, make_user, population):
    support = make_user(Role.SUPPORT, whatsapp="+6281200000000", province="Bali", city="Denpasar", bio="Halo")
    cards = _cards(client, support, Role.SUPPORT)
    assert set(cards) == {"Kelengkapan profil", "Member aktif"}
    assert cards["Member aktif"].value == "8"
    assert cards["Member aktif"].link == ""
    assert cards["Kelengkapan profil"].value == "83%"
    assert [s.label for s in cards["Kelengkapan profil"].stats] == ["Foto profil"]
    allowed = {"/profil/"}
    for card in cards.values():
        for link in [card.link, *(s.link for s in card.stats)]:
            assert link == "" or link in allowed


@pytest.mark.parametrize("role", [Role.MENTOR, Role.SUPPLIER])
def test_profile_completeness_lists_missing_fields_with_a_link(client, make_user, role):
    user = make_user(role, whatsapp="+6281200000000", province="", city="", bio="")
    cards = _cards(client, user, role)
    card = cards["Kelengkapan profil"]
    assert card.value == "33%"
    assert [(s.label, s.value, s.link) for s in card.stats] == [
        ("Foto profil", "Belum diisi", "/profil/"),
        ("Provinsi", "Belum diisi", "/profil/"),
        ("Kota/Kabupaten", "Belum diisi", "/profil/"),
        ("Bio", "Belum diisi", "/profil/"),
    ]
    assert (card.link, card.link_label) == ("/profil/", "Lengkapi profil")


def test_affiliate_card_shows_status_and_since_when(client, make_user, admin_user):
    user = make_user()
    application = services.affiliate_apply(user=user, motivation=MOTIVATION)
    services.affiliate_application_decide(application=application, actor=admin_user, approve=True)
    since = user.roles.get(role=Role.AFFILIATE).created_at
    cards = _cards(client, User.objects.get(pk=user.pk), Role.AFFILIATE)
    card = cards["Status affiliate"]
    assert card.value == "Aktif"
    assert card.hint == f"Menjadi affiliate sejak {tanggal(since)}"
    assert [(s.label, s.value) for s in card.stats] == [
        ("Pengajuan terakhir", f"Disetujui · {tanggal(application.created_at)}")
    ]
    assert card.link == "/profil/affiliate"
    assert "Jadi affiliate" not in cards


def test_member_gets_a_call_to_action_then_the_pending_state(client, make_user, admin_user):
    user = make_user()
    cards = _cards(client, user, Role.MEMBER)
    assert set(cards) == {"Kelengkapan profil", "Jadi affiliate"}
    assert (cards["Jadi affiliate"].link, cards["Jadi affiliate"].link_label) == (
        "/profil/affiliate",
        "Ajukan sekarang",
    )
    application = services.affiliate_apply(user=user, motivation=MOTIVATION)
    cards = _cards(client, user, Role.MEMBER)
    assert "Jadi affiliate" not in cards
    assert cards["Pengajuan affiliate"].value == "Menunggu"
    services.affiliate_application_decide(application=application, actor=admin_user, approve=False, note="Kurang")
    cards = _cards(client, user, Role.MEMBER)
    assert cards["Jadi affiliate"].hint == "Pengajuan terakhir belum disetujui (Kurang). Anda bisa mengajukan lagi."


def test_a_member_who_is_an_affiliate_gets_no_call_to_action(client, make_user):
    user = make_user(Role.AFFILIATE)
    cards = _cards(client, user, Role.MEMBER)
    assert set(cards) == {"Kelengkapan profil"}


def test_card_links_open_for_the_role_that_sees_them(client, admin_user, make_user, population):
    """Every link on an account card opens (200) for the role whose dashboard shows it."""
    users = {Role.ADMIN: admin_user}
    for role in Role.values:
        user = users.get(role) or make_user(role)
        cards = _cards(client, user, role)
        links = {link for card in cards.values() for link in [card.link, *(s.link for s in card.stats)] if link}
        for link in links:
            assert client.get(link).status_code == 200, (role, link)


@pytest.mark.parametrize(
    "func, queries",
    [
        (dashboard.admin_users_by_role, 1),
        (dashboard.admin_registrations, 1),
        (dashboard.admin_pending_affiliates, 1),
        (dashboard.admin_inactive_users, 1),
        (dashboard.founder_members, 1),
        (dashboard.founder_registrations, 1),
        (dashboard.founder_affiliates, 1),
        (dashboard.support_members, 1),
        (dashboard.profile_completeness, 0),
        (dashboard.affiliate_status, 2),
        (dashboard.member_become_affiliate, 2),
    ],
)
def test_each_card_runs_a_fixed_number_of_queries(make_user, django_assert_num_queries, func, queries):
    viewer = make_user()
    viewer.role_set  # noqa: B018 - loaded once per request by the app shell before cards run
    with django_assert_num_queries(queries):
        func(_request(viewer))
    for _ in range(5):
        user = make_user(Role.AFFILIATE)
        services.role_grant(user=user, role=Role.MENTOR, actor=viewer)
    with django_assert_num_queries(queries):
        func(_request(viewer))


def test_new_signups_never_outnumber_total_members(client, make_user, admin_user):
    """Issue 9: "Total member 10" beside "Pendaftar baru 13 (7 hari)". A deactivated signup counts in neither."""
    founder = make_user(Role.FOUNDER, date_joined=timezone.now() - timedelta(days=40))
    User.objects.filter(pk=admin_user.pk).update(date_joined=timezone.now() - timedelta(days=40))
    fresh = [make_user() for _ in range(3)]
    services.user_deactivate(user=fresh[0], actor=admin_user, reason="spam")
    cards = _cards(client, founder, Role.FOUNDER)
    assert cards["Pendaftar baru"].value == "2"
    assert int(cards["Total member"].value) >= int(cards["Pendaftar baru"].value)
