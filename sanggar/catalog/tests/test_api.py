from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from sanggar.access.services import resource_ensure
from sanggar.api.testing import call
from sanggar.catalog import services
from sanggar.catalog.models import Product
from sanggar.catalog.services import FaqInput, PriceInput

from .conftest import pdf, png

pytestmark = pytest.mark.django_db


def test_plans_list_shows_active_plans_with_prices(client, admin_user, make_plan):
    later = timezone.now() + timedelta(days=2)
    gold = make_plan("Gold", prices=(), status="draft", rank=2)
    services.plan_prices_set(
        plan=gold,
        actor=admin_user,
        prices=[
            PriceInput(duration="lifetime", price=3_000_000),
            PriceInput(duration="12m", price=1_500_000, promo_price=1_200_000, promo_ends_at=later),
            PriceInput(duration="6m", price=900_000, promo_price=800_000, promo_ends_at=timezone.now()),
            PriceInput(duration="1m", price=200_000, is_active=False),
        ],
    )
    services.plan_update(plan=gold, actor=admin_user, status="active", badge_best_seller=True, logo=png(),
                         features=["Grup premium", "Kelas buyer"])  # fmt: skip
    make_plan("Draft", status="draft")
    response = call(client, "get", "/plans")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next_page"]) == (1, None)
    plan = body["results"][0]
    gold.refresh_from_db()
    assert plan == {
        "slug": "gold",
        "title": "Gold",
        "description": "",
        "badges": {"best_seller": True, "cheapest": False},
        "rank": 2,
        "upgrade_mode": "accumulate",
        "features": ["Grup premium", "Kelas buyer"],
        "prices": [
            {
                "duration": "6m",
                "duration_label": "6 Bulan",
                "price": 900_000,
                "promo_price": None,
                "promo_ends_at": None,
                "effective_price": 900_000,
            },
            {
                "duration": "12m",
                "duration_label": "12 Bulan",
                "price": 1_500_000,
                "promo_price": 1_200_000,
                "promo_ends_at": plan["prices"][1]["promo_ends_at"],
                "effective_price": 1_200_000,
            },
            {
                "duration": "lifetime",
                "duration_label": "Lifetime",
                "price": 3_000_000,
                "promo_price": None,
                "promo_ends_at": None,
                "effective_price": 3_000_000,
            },
        ],  # fmt: skip
        "logo_url": f"http://testserver{gold.logo.url}",
        "banner_url": None,
        "sales_url": "http://testserver/membership/gold",
        "checkout_url": "http://testserver/checkout/gold",
    }
    ends = datetime.fromisoformat(plan["prices"][1]["promo_ends_at"].replace("Z", "+00:00"))
    assert ends == later.replace(microsecond=later.microsecond // 1000 * 1000)


def test_plan_detail_and_404_for_drafts(client, admin_user, make_plan, make_product):
    gold = make_plan("Gold", external_sales_url="https://eksporyuk.com/gold")
    group = resource_ensure(kind="group", key="komunitas-premium", title="Komunitas Premium")
    ebook = make_product("Ebook Buyer")
    draft_product = make_product("Draft", status="draft")
    services.plan_content_set(plan=gold, actor=admin_user, resource_ids=[group.pk],
                              product_ids=[ebook.pk, draft_product.pk])  # fmt: skip
    body = call(client, "get", "/plans/gold").json()
    assert body["sales_url"] == "https://eksporyuk.com/gold"
    assert body["resources"] == [{"kind": "group", "kind_label": "Grup", "title": "Komunitas Premium"}]
    assert body["products"] == [
        {"slug": "ebook-buyer", "title": "Ebook Buyer", "url": "http://testserver/produk/ebook-buyer"}
    ]
    make_plan("Silver", status="draft")
    for slug in ("silver", "tidak-ada"):
        response = call(client, "get", f"/plans/{slug}")
        assert response.status_code == 404
        assert response.json() == {"message": "Paket membership tidak ditemukan.", "errors": {}}


def test_products_list_filters_and_hides_drafts(client, admin_user, make_product):
    webinar = services.category_create(actor=admin_user, name="Webinar")
    make_product("Ebook Ekspor", kind="ebook")
    make_product("Webinar VIP", kind="webinar", category_ids=[webinar.pk], stock=2, status="coming_soon")
    make_product("Template Draft", status="draft")
    body = call(client, "get", "/products").json()
    assert body["count"] == 2
    assert [p["slug"] for p in body["results"]] == ["webinar-vip", "ebook-ekspor"]
    vip = body["results"][0]
    assert (vip["status"], vip["stock_left"], vip["sold_out"], vip["categories"]) == (
        "coming_soon", 2, False, [{"slug": "webinar", "name": "Webinar"}],
    )  # fmt: skip
    assert [p["slug"] for p in call(client, "get", "/products", {"category": "webinar"}).json()["results"]] == [
        "webinar-vip"
    ]
    results = call(client, "get", "/products", {"kind": "ebook", "q": "ekspor"}).json()["results"]
    assert [p["slug"] for p in results] == ["ebook-ekspor"]
    bad = call(client, "get", "/products", {"kind": "kursus"})
    assert bad.status_code == 422
    assert "kind" in bad.json()["errors"]


def test_product_detail(client, admin_user, make_user, make_product):
    mentor = make_user("mentor", full_name="Mentor Ekspor")
    bonus = make_product("Template Invoice")
    product = make_product(
        "Webinar Buyer",
        price=500_000,
        promo_price=400_000,
        member_discount_type="percent",
        member_discount_value=20,
        access_days=30,
        faq=[FaqInput("Ada rekaman?", "Ada.")],
        bundled_product_ids=[bonus.pk],
        creator_id=mentor.pk,
        cover=png("cover.png"),
    )
    services.product_gallery_add(product=product, actor=admin_user, images=[png("g.png")])
    services.product_file_add(product=product, actor=admin_user, file=pdf("Slide.pdf"), title="Slide")
    body = call(client, "get", "/products/webinar-buyer").json()
    product = Product.objects.get(pk=product.pk)
    assert (body["price"], body["promo_price"], body["promo_ends_at"], body["effective_price"]) == (
        500_000, 400_000, None, 400_000,
    )  # fmt: skip
    assert body["member_discount"] == {"type": "percent", "value": 20}
    assert body["faq"] == [{"question": "Ada rekaman?", "answer": "Ada."}]
    assert body["files"] == [{"title": "Slide", "size": len(pdf().read())}]
    assert body["bundled_products"] == [
        {"slug": "template-invoice", "title": "Template Invoice", "url": "http://testserver/produk/template-invoice"}
    ]
    assert body["creator"] == {"name": "Mentor Ekspor"}
    assert body["cover_url"] == f"http://testserver{product.cover.url}"
    assert len(body["gallery"]) == 1 and body["gallery"][0].startswith("http://testserver/media/catalog/products/")
    assert "private" not in str(body)
    make_product("Rahasia", status="draft")
    assert call(client, "get", "/products/rahasia").status_code == 404


def test_lists_run_a_fixed_number_of_queries(client, admin_user, make_plan, make_product,
                                             django_assert_max_num_queries):  # fmt: skip
    category = services.category_create(actor=admin_user, name="Ebook")
    for i in range(25):
        plan = make_plan(f"Paket {i}", prices=(("6m", 100_000), ("12m", 200_000)))
        services.plan_features_set(plan=plan, actor=admin_user, labels=["A", "B"])
        make_product(f"Produk {i}", category_ids=[category.pk])
    # The listing's 4, plus the public cache's generation and the next promo end (a repeat request: 1 query).
    with django_assert_max_num_queries(6):
        body = call(client, "get", "/plans").json()
    assert (body["count"], len(body["results"]), body["next_page"]) == (25, 20, 2)
    with django_assert_max_num_queries(3):
        body = call(client, "get", "/products", {"page": 2}).json()
    assert (len(body["results"]), body["next_page"]) == (5, None)
    with django_assert_max_num_queries(8):
        assert call(client, "get", "/plans/paket-1").status_code == 200
    with django_assert_max_num_queries(9):
        assert call(client, "get", "/products/produk-1").status_code == 200
