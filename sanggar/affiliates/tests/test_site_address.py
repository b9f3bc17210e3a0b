"""Links are built from the address the platform really runs on (issue 9, item 1): SITE_URL when it is configured,
the request's own host under `make run` (DEBUG, no SITE_URL), never a stale default port."""

import pytest
from django.urls import reverse

from sanggar.accounts import services as account_services
from sanggar.api.testing import call
from sanggar.core import request_context
from sanggar.core.site import site_url
from sanggar.notifications.models import Delivery, Notification
from sanggar.notifications.rendering import email_content

pytestmark = pytest.mark.django_db
HOST = "127.0.0.1:8100"


@pytest.fixture
def from_request(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"  # the stale default a wrong link would show
    settings.SITE_URL_FROM_REQUEST = True
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    return settings


def _everything_sent_to(email: str) -> str:
    notes = Notification.objects.filter(user__email=email)
    deliveries = Delivery.objects.filter(user__email=email)
    return " ".join([f"{n.message} {n.link}" for n in notes] + [f"{d.body} {d.link}" for d in deliveries])


def test_site_url_prefers_the_request_host_only_when_asked(settings, rf):
    request = rf.get("/", HTTP_HOST=HOST)
    settings.SITE_URL = "https://eksporyuk.test"
    settings.SITE_URL_FROM_REQUEST = False
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    assert site_url(request) == "https://eksporyuk.test"
    settings.SITE_URL_FROM_REQUEST = True
    assert site_url(request) == f"http://{HOST}"
    # Deep inside a service there is no request object: the middleware's context carries the address.
    token = request_context.set_current(request_context.info_from_request(request))
    try:
        assert site_url() == f"http://{HOST}"
    finally:
        request_context.reset(token)
    assert site_url() == "https://eksporyuk.test"  # tasks and commands: the configured address


def test_link_saya_and_api_links_follow_the_request_host(client, affiliate, gold, ebook, from_request):
    client.force_login(affiliate.user)
    page = client.get(reverse("affiliates:links"), HTTP_HOST=HOST)
    html = page.content.decode()
    assert f"http://{HOST}/membership/gold?ref=DINDA" in html
    assert "127.0.0.1:8000" not in html
    body = call(client, "get", "/affiliate/links", user=affiliate.user, headers={"Host": HOST}).json()
    assert body["products"][0]["links"][0]["url"] == f"http://{HOST}/produk/{ebook.slug}?ref=DINDA"


def test_kit_texts_follow_the_request_host(client, affiliate, ebook, admin_user, from_request):
    from sanggar.affiliates import services_ui

    services_ui.kit_item_create(actor=admin_user, title="Caption", kind="copy", text="Beli di {link}")
    client.force_login(affiliate.user)
    response = client.get(reverse("affiliates:kit"), {"target": f"product:{ebook.slug}"}, HTTP_HOST=HOST)
    assert response.context["copies"][0]["text"] == f"Beli di http://{HOST}/produk/{ebook.slug}?ref=DINDA"


def test_welcome_message_and_email_logo_follow_the_request_host(client, from_request):
    body = {"email": "baru@uji.test", "full_name": "Rina Baru", "whatsapp": "081299990000"}
    body["password"] = "teh-manis-2025"
    response = call(client, "post", "/auth/register", body, headers={"Host": HOST})
    assert response.status_code == 201, response.content
    sent = _everything_sent_to("baru@uji.test")
    assert f"http://{HOST}/dashboard/" in sent
    assert "127.0.0.1:8000" not in sent


def test_email_links_use_the_configured_address_outside_a_request(settings):
    settings.SITE_URL = "https://eksporyuk.test"
    settings.SITE_URL_FROM_REQUEST = True
    content = email_content(subject="Halo", text="Isi", link="")
    assert 'href="https://eksporyuk.test"' in content.html


def test_welcome_link_uses_configured_site_url(settings):
    settings.SITE_URL = "https://eksporyuk.test"
    user = account_services.user_register(
        email="c@uji.test", full_name="C", whatsapp="081299990001", password="teh-manis-2025"
    )
    assert "https://eksporyuk.test/dashboard/" in _everything_sent_to(user.email)
