"""`{% fragment %}`: a part of a template rendered once per process and key, with each page's own values (holes)
put in. The layout's head, header and toasts are fragments: every page must still carry its own user's name,
roles, unread count, CSRF token and CSP nonce, and a new branding or role set must show at once."""

import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.template import Context, Template
from django.template.context import RequestContext
from django.test import Client
from django.urls import reverse

from sanggar.accounts.models import UserRole
from sanggar.core.roles import Role
from sanggar.core.templatetags.sanggar import _fragments, fragments_clear
from sanggar.notifications.models import Notification


@pytest.fixture(autouse=True)
def _fresh():
    fragments_clear()
    yield
    fragments_clear()


def _render(source: str, **values) -> str:
    return Template(source).render(Context(values))


def test_a_fragment_is_rendered_once_per_key_and_its_holes_on_every_render():
    source = '{% fragment "t" key %}<p title="{{ static }}">{% hole name %}</p>{% endfragment %}'
    assert _render(source, key=1, static="satu", name="Ani") == '<p title="satu">Ani</p>'
    # the same key: the stored part (its static value as first rendered), the new hole's value, escaped
    assert _render(source, key=1, static="lain", name="<b>Budi</b>") == '<p title="satu">&lt;b&gt;Budi&lt;/b&gt;</p>'
    assert _render(source, key=2, static="dua", name="Citra") == '<p title="dua">Citra</p>'  # a new key: rendered
    assert _render(source, key=[1, 2], static="daftar", name="Dewi") == '<p title="daftar">Dewi</p>'  # lists hash


def test_a_hole_outside_a_fragment_is_an_ordinary_variable():
    assert _render("{% hole name %}", name="<i>") == "&lt;i&gt;"


def test_a_fragment_whose_hole_changes_while_it_renders_is_never_stored():
    source = '{% fragment "loop" %}{% for name in names %}{% hole name %},{% endfor %}{% endfragment %}'
    assert _render(source, names=["a", "b"]) == "a,b,"
    assert _render(source, names=["c", "d"]) == "c,d,"


def test_a_fragment_holding_the_pages_csrf_token_is_never_stored(rf, db):
    """A `{% csrf_token %}` (instead of a hole) would have sent one visitor's token to the next."""
    source = Template('{% fragment "csrf" %}<form>{% csrf_token %}</form>{% endfragment %}')
    first, second = rf.get("/"), rf.get("/")
    first.csp_nonce = second.csp_nonce = "nonce-uji-123"
    page = source.render(RequestContext(first, {}))
    assert "csrfmiddlewaretoken" in page
    assert not _fragments
    other = source.render(RequestContext(second, {}))
    assert _token(page) != _token(other)


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _page(client) -> tuple[str, object]:
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    return response.content.decode(), response


def test_each_user_gets_their_own_name_roles_unread_count_token_and_nonce(make_user):
    admin = make_user(Role.ADMIN, full_name="Admin Satu", email="admin-satu@example.com")
    member = make_user(full_name="Anggota Dua", email="anggota-dua@example.com")
    Notification.objects.create(user=member, title="Halo", message="Pesan")
    Notification.objects.create(user=member, title="Halo lagi", message="Pesan")
    first, second = Client(), Client()
    first.force_login(admin)
    second.force_login(member)
    for _round in range(2):  # the second round is served from the stored fragments
        admin_page, admin_response = _page(first)
        member_page, member_response = _page(second)
        assert "Admin Satu" in admin_page and "admin-satu@example.com" in admin_page
        assert "Anggota Dua" not in admin_page and "anggota-dua@example.com" not in admin_page
        assert "Anggota Dua" in member_page and "anggota-dua@example.com" in member_page
        assert "Admin Satu" not in member_page
        assert 'id="role-switcher"' in admin_page and 'id="role-switcher"' not in member_page  # one role: none
        assert re.search(r'id="bell-count"[^>]*>2</span>', member_page)
        assert re.search(r'id="bell-count"[^>]*></span>', admin_page)
        for client, page, response in ((first, admin_page, admin_response), (second, member_page, member_response)):
            secret = client.cookies["csrftoken"].value
            tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            assert len(tokens) >= 2 and all(_unmask_cipher_token(t) == secret for t in tokens)
            assert _unmask_cipher_token(re.search(r'data-csrf="([^"]+)"', page).group(1)) == secret  # the toasts
            nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
            assert f'<style id="brand-vars" nonce="{nonce}">' in page
            assert f'"inlineScriptNonce": "{nonce}"' in page
            assert re.search(rf'<script nonce="{re.escape(nonce)}">\s*\(function', page)  # the toasts' script


def test_a_new_role_shows_in_the_switcher_at_once(make_user):
    user = make_user(Role.ADMIN, full_name="Peran Berganti")
    client = Client()
    client.force_login(user)
    page, _response = _page(client)
    assert 'data-switch-role="mentor"' not in page
    UserRole.objects.create(user=user, role=Role.MENTOR)
    page, _response = _page(client)
    assert 'data-switch-role="mentor"' in page and 'data-switch-role="admin"' in page
