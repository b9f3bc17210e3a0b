"""The referral middleware, the short-link resolver (main domain and custom host) and the attribution pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sanggar.affiliates.constants import AffiliateStatus, CommissionStatus, DecisionKind, ReferralSource
from sanggar.affiliates.middleware import SESSION_BOUND_KEY
from sanggar.affiliates.models import AttributionDecision, Click, Referral, ShortLink, ShortLinkDomain
from sanggar.affiliates.services import (
    REF_COOKIE,
    referral_cookie_parse,
    referral_cookie_value,
    short_link_create,
    short_link_domain_create,
)
from sanggar.orders.models import Order

pytestmark = pytest.mark.django_db

SHORT_HOST = "link.eksporyuk.com"


@pytest.fixture
def domain(admin_user):
    return short_link_domain_create(actor=admin_user, domain=SHORT_HOST)


@pytest.fixture
def dinda_link(affiliate, domain, gold):
    return short_link_create(affiliate=affiliate, domain=domain, slug="dinda", target_kind="plan", target_slug="gold")


# --- referral middleware --------------------------------------------------------------------------------------------


def test_a_ref_visit_records_a_click_and_sets_the_cookie(client, affiliate, gold):
    response = client.get(
        "/membership/gold?ref=dinda&utm_source=wa", HTTP_REFERER="https://wa.me/x", REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 200
    click = Click.objects.get()
    assert (click.affiliate, click.landing_path, click.referrer, click.counted) == (
        affiliate,
        "/membership/gold?utm_source=wa",
        "https://wa.me/x",
        True,
    )
    cookie = response.cookies[REF_COOKIE]
    assert cookie["max-age"] == 30 * 24 * 3600 and cookie["httponly"]
    parsed = referral_cookie_parse(cookie.value)
    assert (parsed.code, parsed.source) == ("DINDA", ReferralSource.LINK)


def test_unknown_codes_and_posts_set_nothing(client, affiliate, gold):
    assert REF_COOKIE not in client.get("/membership/gold?ref=NOBODY").cookies
    assert client.get("/api/v1/plans?ref=DINDA").status_code == 200
    assert Click.objects.count() == 0


def test_a_signed_in_visitor_is_bound_once_per_cookie(client, affiliate, buyer, gold, django_assert_max_num_queries):
    client.force_login(buyer)
    client.get("/membership/gold?ref=DINDA")
    referral = Referral.objects.get(user=buyer)
    assert (referral.affiliate, referral.source) == (affiliate, ReferralSource.LINK)
    assert client.session[SESSION_BOUND_KEY] == client.cookies[REF_COOKIE].value
    Referral.objects.all().delete()
    client.get("/membership/gold")  # already bound for this cookie: no second bind
    assert Referral.objects.count() == 0


def test_a_visitor_who_registers_at_checkout_is_bound_and_attributed(client, affiliate, gold):
    client.get("/checkout/gold?ref=DINDA")
    response = client.post(
        "/checkout/gold",
        {
            "item": "plan:gold:12m",
            "full_name": "Budi Santoso",
            "email": "budi.baru@example.com",
            "whatsapp": "081234567890",
            "password": "sandi-rahasia-123",
            "provider": "manual",
        },
    )
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.affiliate == affiliate.user
    assert Referral.objects.get(user=order.buyer).affiliate == affiliate
    assert AttributionDecision.objects.get(order=order).kind == DecisionKind.ATTRIBUTED


def test_a_ref_in_the_checkout_url_attributes_without_the_cookie(client, affiliate, buyer, gold):
    client.force_login(buyer)
    response = client.post("/checkout/gold?ref=DINDA", {"item": "plan:gold:12m", "provider": "manual"})
    assert response.status_code == 302
    assert Order.objects.get().affiliate == affiliate.user


def test_first_click_setting_keeps_the_first_cookie(client, affiliate, make_affiliate, admin_user, gold):
    from sanggar.finance.services import revenue_settings_update

    make_affiliate(full_name="Eko Prasetyo")
    revenue_settings_update(actor=admin_user, attribution_model="first")
    client.get("/membership/gold?ref=DINDA")
    first = client.cookies[REF_COOKIE].value
    response = client.get("/membership/gold?ref=EKO")
    assert REF_COOKIE not in response.cookies
    assert referral_cookie_parse(first).code == "DINDA"


# --- short-link resolver -------------------------------------------------------------------------------------------


def test_the_custom_host_redirects_with_the_code_and_records_one_click(client, dinda_link):
    response = client.get("/dinda", HTTP_HOST=SHORT_HOST, REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://sanggar.test/membership/gold?ref=DINDA&rk=")
    click = Click.objects.get()
    assert (click.short_link, click.landing_path, click.counted) == (dinda_link, "/membership/gold", True)
    # Following the redirect sets the cookie on the main domain without counting the click twice.
    landing = client.get(location.removeprefix("https://sanggar.test"), REMOTE_ADDR="10.0.0.8")
    assert landing.status_code == 200
    assert Click.objects.count() == 1
    assert referral_cookie_parse(landing.cookies[REF_COOKIE].value).source == ReferralSource.SHORT_LINK


def test_the_custom_host_is_case_and_port_insensitive(client, dinda_link):
    assert client.get("/DINDA/", HTTP_HOST="LINK.eksporyuk.com:443").status_code == 302


@pytest.mark.parametrize("path", ["/nobody", "/dinda/x", "/../etc"])
def test_unknown_slugs_on_the_custom_host_get_a_friendly_404(client, dinda_link, path):
    response = client.get(path, HTTP_HOST=SHORT_HOST)
    assert response.status_code == 404
    assert "Link tidak ditemukan" in response.content.decode()
    assert Click.objects.count() == 0


def test_disabled_links_and_suspended_affiliates_get_404(client, dinda_link, affiliate):
    ShortLink.objects.update(is_active=False)
    assert client.get("/dinda", HTTP_HOST=SHORT_HOST).status_code == 404
    ShortLink.objects.update(is_active=True)
    type(affiliate).objects.filter(pk=affiliate.pk).update(status=AffiliateStatus.SUSPENDED)
    assert client.get("/dinda", HTTP_HOST=SHORT_HOST).status_code == 404


def test_the_root_of_the_custom_host_goes_to_the_site(client, domain):
    response = client.get("/", HTTP_HOST=SHORT_HOST)
    assert (response.status_code, response["Location"]) == (302, "https://sanggar.test/")


def test_a_disabled_domain_is_not_served(client, dinda_link, domain, admin_user):
    from sanggar.affiliates.services import short_link_domain_set_active

    short_link_domain_set_active(actor=admin_user, domain=domain, is_active=False)
    response = client.get("/dinda", HTTP_HOST=SHORT_HOST)
    assert response.status_code == 400  # no longer a short-link host: Django's host validation refuses it
    assert Click.objects.count() == 0


def test_main_domain_short_links(client, affiliate, gold):
    short_link_create(affiliate=affiliate, domain=None, slug="gold-dinda", target_kind="plan", target_slug="gold")
    response = client.get("/s/gold-dinda")
    assert response.status_code == 302
    assert response["Location"].startswith("/membership/gold?ref=DINDA&rk=")
    assert client.get("/s/nothing").status_code == 404
    assert Click.objects.count() == 1


def test_resolving_takes_few_queries(client, dinda_link, django_assert_max_num_queries):
    client.get("/dinda", HTTP_HOST=SHORT_HOST)  # warms the host cache and the settings row
    with django_assert_max_num_queries(7):
        assert client.get("/dinda", HTTP_HOST=SHORT_HOST).status_code == 302


# --- pages -----------------------------------------------------------------------------------------------------------


PAGES = [
    ("affiliates:links", "affiliate"),
    ("affiliates:short_links", "affiliate"),
    ("affiliates:admin_domains", "admin"),
    ("affiliates:admin_decisions", "admin"),
]


@pytest.mark.parametrize(("name", "role"), PAGES)
def test_pages_check_roles(client, make_user, name, role):
    url = reverse(name)
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(make_user())
    assert client.get(url).status_code == 403
    client.force_login(make_user(role))
    assert client.get(url).status_code == 200


def test_link_saya_lists_ready_links_with_their_clicks(client, affiliate, gold, ebook, django_assert_max_num_queries):
    client.get("/checkout/gold?durasi=12m&ref=DINDA", REMOTE_ADDR="10.0.0.1")
    client.get("/checkout/gold?durasi=12m&ref=DINDA", REMOTE_ADDR="10.0.0.1")
    client.cookies.clear()
    client.force_login(affiliate.user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("affiliates:links"))
    html = response.content.decode()
    assert "https://sanggar.test/checkout/gold?durasi=12m&amp;ref=DINDA" in html
    assert "https://sanggar.test/membership/gold?ref=DINDA" in html
    assert "https://sanggar.test/checkout/gold?durasi=1m&amp;ref=DINDA" in html
    assert f"https://sanggar.test/produk/{ebook.slug}?ref=DINDA" in html
    row = html.split('data-ready-link="/checkout/gold?durasi=12m"')[1].split("</li>")[0]
    assert "1 / 2" in row


def test_an_affiliate_without_a_profile_gets_one(client, make_user, gold):
    user = make_user("affiliate", full_name="Lama Sekali")
    assert client.get(reverse("affiliates:links")).status_code == 302
    client.force_login(user)
    assert client.get(reverse("affiliates:links")).status_code == 200
    assert user.affiliate_profile.code == "LAMA"


def test_short_link_page_creates_and_lists_links(client, affiliate, domain, gold, django_assert_max_num_queries):
    client.force_login(affiliate.user)
    response = client.post(
        reverse("affiliates:short_links"), {"domain": SHORT_HOST, "slug": "Dinda", "target": "plan:gold"}
    )
    assert response.status_code == 302
    link = ShortLink.objects.get()
    assert (link.domain, link.slug, link.target_kind, link.target_slug) == (domain, "dinda", "plan", "gold")
    with django_assert_max_num_queries(14):
        html = client.get(reverse("affiliates:short_links")).content.decode()
    assert "https://link.eksporyuk.com/dinda" in html


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("admin", "kata khusus sistem"),
        ("a b", "Slug hanya boleh huruf kecil"),
        ("ab", "Slug minimal 3 karakter"),
    ],
)
def test_short_link_page_refuses_bad_slugs(client, affiliate, domain, gold, slug, message):
    client.force_login(affiliate.user)
    response = client.post(
        reverse("affiliates:short_links"), {"domain": SHORT_HOST, "slug": slug, "target": "plan:gold"}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ShortLink.objects.count() == 0


def test_the_live_check(client, affiliate, make_affiliate, domain, gold):
    other = make_affiliate(full_name="Eko Prasetyo")
    short_link_create(affiliate=other, domain=domain, slug="promo", target_kind="plan", target_slug="gold")
    client.force_login(affiliate.user)
    url = reverse("affiliates:short_link_check")
    taken = client.get(url, {"domain": SHORT_HOST, "slug": "promo"}).content.decode()
    assert 'data-available="false"' in taken and "sudah dipakai affiliate lain" in taken
    free_on_main = client.get(url, {"domain": "", "slug": "promo"}).content.decode()
    assert 'data-available="true"' in free_on_main
    assert (
        "tidak tersedia untuk link pendek"
        in client.get(url, {"domain": "x.example.com", "slug": "promo"}).content.decode()
    )


def test_an_affiliate_cannot_toggle_someone_elses_link(client, affiliate, make_affiliate, domain, gold):
    other = make_affiliate(full_name="Eko Prasetyo")
    link = short_link_create(affiliate=other, domain=domain, slug="promo", target_kind="plan", target_slug="gold")
    client.force_login(affiliate.user)
    assert client.post(reverse("affiliates:short_link_toggle", args=[link.pk])).status_code == 404
    link.refresh_from_db()
    assert link.is_active is True
    client.force_login(other.user)
    client.post(reverse("affiliates:short_link_toggle", args=[link.pk]))
    link.refresh_from_db()
    assert link.is_active is False


def test_admin_adds_and_toggles_domains(admin_client):
    url = reverse("affiliates:admin_domains")
    assert admin_client.post(url, {"domain": "https://Link.EksporYuk.com/"}).status_code == 302
    domain = ShortLinkDomain.objects.get()
    assert domain.domain == SHORT_HOST
    response = admin_client.post(url, {"domain": SHORT_HOST})
    assert "sudah terdaftar" in response.content.decode()
    assert "tanpa http://" in admin_client.post(url, {"domain": "bukan domain"}).content.decode()
    admin_client.post(reverse("affiliates:admin_domain_toggle", args=[domain.pk]))
    domain.refresh_from_db()
    assert domain.is_active is False
    assert ShortLinkDomain.objects.count() == 1


def test_a_member_cannot_add_a_domain(member_client):
    assert member_client.post(reverse("affiliates:admin_domains"), {"domain": SHORT_HOST}).status_code == 403
    assert ShortLinkDomain.objects.count() == 0


def _flagged_order(affiliate, buyer, shop):
    from sanggar.audit.services import activity_record
    from sanggar.orders.checkout import checkout_place
    from sanggar.orders.services import ItemRequest, order_mark_paid

    activity_record(action="auth.login", actor=affiliate.user, ip="10.1.1.1")
    cookie = referral_cookie_value(code="DINDA", clicked_at=timezone.now() - timedelta(hours=1))
    order = checkout_place(
        buyer=buyer, items=[ItemRequest("plan", "gold", "12m")], provider="manual", cookie_value=cookie,
        client_ip="10.1.1.1",
    ).order  # fmt: skip
    return order_mark_paid(order=order, actor=shop.admin)


def test_admin_sees_decisions_and_clears_a_flagged_commission(
    admin_client, affiliate, buyer, gold, shop, django_assert_max_num_queries
):
    order = _flagged_order(affiliate, buyer, shop)
    url = reverse("affiliates:admin_decisions")
    with django_assert_max_num_queries(12):
        html = admin_client.get(url).content.decode()
    assert order.invoice_number in html and "Pesanan dibuat dari alamat IP" in html
    with django_assert_max_num_queries(12):
        html = admin_client.get(url, {"tab": "decisions", "kind": "same_ip"}).content.decode()
    assert html.count('data-decision="same_ip"') == 1
    response = admin_client.post(
        reverse("affiliates:admin_commission_review", args=[order.commission.pk]), {"action": "clear"}
    )
    assert response.status_code == 302
    order.commission.refresh_from_db()
    assert order.commission.status == CommissionStatus.PENDING
    assert AttributionDecision.objects.filter(kind=DecisionKind.CLEARED).count() == 1


def test_voiding_needs_a_note_and_a_member_cannot_decide(admin_client, make_user, affiliate, buyer, gold, shop):
    from django.test import Client

    order = _flagged_order(affiliate, buyer, shop)
    url = reverse("affiliates:admin_commission_review", args=[order.commission.pk])
    member = Client()
    member.force_login(make_user())
    assert member.post(url, {"action": "void", "note": "x"}).status_code == 403
    order.commission.refresh_from_db()
    assert order.commission.status == CommissionStatus.REVIEW
    admin_client.post(url, {"action": "void"})
    order.commission.refresh_from_db()
    assert order.commission.status == CommissionStatus.REVIEW
    admin_client.post(url, {"action": "void", "note": "Pembelian sendiri lewat akun keluarga."})
    order.commission.refresh_from_db()
    assert order.commission.status == CommissionStatus.VOID
