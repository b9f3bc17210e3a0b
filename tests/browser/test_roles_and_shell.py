"""Each role logs in through the real login page and sees its own sidebar menu."""

import pytest

from sanggar.core.menu import items_for_role
from sanggar.core.roles import ALL_ROLES, Role


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_logs_in_and_sees_its_menu(page, live_server, make_user, login, role):
    user = make_user(role, email=f"{role}@uji.test", full_name=f"Pengguna {role.title()}")
    login(page, user.email)
    nav = page.locator(f'nav[data-role-menu="{role}"]')
    assert nav.is_visible()
    labels = [text.strip() for text in nav.locator("a.sidebar-link").all_inner_texts()]
    assert labels == [str(item.label) for item in items_for_role(role)]
    if role != Role.ADMIN:
        assert "Pengguna" not in labels
        response = page.goto(f"{live_server.url}/admin/users")
        assert response.status == 403
        assert page.locator("text=Akses ditolak").is_visible()


@pytest.mark.django_db(transaction=True)
def test_a_user_with_two_roles_switches_between_dashboards(page, live_server, make_user, login):
    user = make_user(Role.ADMIN, Role.AFFILIATE, email="dua@uji.test")
    login(page, user.email)
    assert page.locator('nav[data-role-menu="admin"]').is_visible()
    page.click("#role-switcher")
    page.click('[data-switch-role="affiliate"]')
    page.wait_for_selector('nav[data-role-menu="affiliate"]')
    assert page.locator('#dashboard-cards[data-role="affiliate"]').count() == 1
    assert page.locator('nav a[href="/admin/users"]').count() == 0


@pytest.mark.django_db(transaction=True)
def test_signup_through_the_page(page, live_server):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.fill("input[name=full_name]", "Dewi Lestari")
    page.fill("input[name=email]", "dewi@uji.test")
    page.fill("input[name=whatsapp]", "0813 1111 2222")
    page.fill("input[name=password1]", "teh-manis-2025")
    if page.locator("input[name=password2]").count():
        page.fill("input[name=password2]", "teh-manis-2025")
    page.click("#auth-card button[type=submit]")
    page.wait_for_load_state()
    from sanggar.accounts.models import User

    user = User.objects.get(email="dewi@uji.test")
    assert user.whatsapp == "+6281311112222"
