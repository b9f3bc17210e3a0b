"""Issue 11: the payment, integration, pixel and testimonial admin pages hold at 390 px; a visitor's sales page shows
the consent banner and fires ViewContent only after "Setuju"; the buyer's paid invoice fires Purchase once (a reload
does not) and the sales-page beacon counts the visit."""

import pytest

from sanggar.core.roles import Role
from sanggar.marketing import services as marketing
from sanggar.marketing.models import SalesPageVisit
from sanggar.orders.services import order_mark_paid
from sanggar.orders.tests.shop import Shop, plan_item

PHONE = {"width": 390, "height": 844}
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
PAGES = (
    "/admin/settings/payments",
    "/admin/settings/integrations",
    "/admin/settings/pixel",
    "/admin/testimoni",
)


@pytest.mark.django_db(transaction=True)
def test_settings_pages_fit_a_phone(browser, live_server, make_user, login):
    admin = make_user(Role.ADMIN, email="admin@uji.test")
    Shop(admin).plan("Gold")
    marketing.testimonial_save(actor=admin, name="Rina Wulandari", text="Order pertama ke Jepang terkirim. " * 5)
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()
    login(page, admin.email)
    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.evaluate(WIDTH) <= PHONE["width"], path
    context.close()


@pytest.mark.django_db(transaction=True)
def test_consent_then_view_content_and_purchase_once(browser, live_server, make_user, login):
    admin = make_user(Role.ADMIN, email="admin2@uji.test")
    buyer = make_user(email="pembeli@uji.test")
    shop = Shop(admin)
    gold = shop.plan("Gold")
    marketing.pixel_settings_update(actor=admin, pixel_meta_id="123456789012345", consent_required=True)

    visitor = browser.new_context(viewport=PHONE, locale="id-ID")
    page = visitor.new_page()
    page.goto(f"{live_server.url}/membership/{gold.slug}")
    page.wait_for_selector("#pixel-consent", state="visible")
    assert page.evaluate("window.sanggarTracking.fired") == []
    assert page.evaluate(WIDTH) <= PHONE["width"]
    page.click("[data-consent=yes]")
    assert page.evaluate("window.sanggarTracking.fired") == ["ViewContent"]
    for _ in range(50):  # the beacon is sent in the background
        if SalesPageVisit.objects.filter(plan=gold, count=1).exists():
            break
        page.wait_for_timeout(100)
    visitor.close()
    assert SalesPageVisit.objects.get(plan=gold).count == 1

    order = shop.buy(buyer, plan_item(gold.slug))
    order_mark_paid(order=order, actor=admin)
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()
    login(page, buyer.email)
    page.goto(f"{live_server.url}/invoice/{order.invoice_number}")
    page.click("[data-consent=yes]")
    assert page.evaluate("window.sanggarTracking.fired") == ["Purchase"]
    page.reload()
    page.wait_for_load_state()
    assert page.evaluate("window.sanggarTracking.fired") == []  # consent remembered, Purchase not again
    context.close()
