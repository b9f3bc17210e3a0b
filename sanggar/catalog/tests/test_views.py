import json

import pytest
from django.test import Client
from django.urls import reverse

from sanggar.access.models import Resource
from sanggar.access.services import resource_ensure
from sanggar.audit.models import ActivityLog
from sanggar.catalog import services
from sanggar.catalog.models import (
    Coupon,
    FollowUpStep,
    MembershipPlan,
    PlanPrice,
    Product,
    ProductCategory,
    ProductFile,
    ProductImage,
)
from sanggar.core.roles import Role

from .conftest import pdf, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(make_plan, make_product, make_coupon, admin_user):
    plan = make_plan("Gold", prices=(("6m", 600_000), ("12m", 1_000_000)))
    product = make_product("Ebook Ekspor")
    category = services.category_create(actor=admin_user, name="Ebook")
    coupon = make_coupon("HEMAT10")
    return {"plan": plan, "product": product, "category": category, "coupon": coupon}


def _pages(o):
    plan, product = o["plan"].pk, o["product"].pk
    return {
        "catalog:admin_plans": ("/admin/membership", []),
        "catalog:admin_plan_create": ("/admin/membership/baru", []),
        "catalog:admin_plan_edit": (f"/admin/membership/{plan}", [plan]),
        "catalog:admin_plan_prices": (f"/admin/membership/{plan}/harga", [plan]),
        "catalog:admin_plan_content": (f"/admin/membership/{plan}/konten", [plan]),
        "catalog:admin_plan_marketing": (f"/admin/membership/{plan}/marketing", [plan]),
        "catalog:admin_products": ("/admin/produk", []),
        "catalog:admin_product_create": ("/admin/produk/baru", []),
        "catalog:admin_product_edit": (f"/admin/produk/{product}", [product]),
        "catalog:admin_product_pricing": (f"/admin/produk/{product}/harga", [product]),
        "catalog:admin_product_access": (f"/admin/produk/{product}/akses", [product]),
        "catalog:admin_product_files": (f"/admin/produk/{product}/file", [product]),
        "catalog:admin_product_content": (f"/admin/produk/{product}/konten", [product]),
        "catalog:admin_product_seo": (f"/admin/produk/{product}/seo", [product]),
        "catalog:admin_categories": ("/admin/produk/kategori", []),
        "catalog:admin_category_edit": (f"/admin/produk/kategori/{o['category'].pk}", [o["category"].pk]),
        "catalog:admin_coupons": ("/admin/kupon", []),
        "catalog:admin_coupon_create": ("/admin/kupon/baru", []),
        "catalog:admin_coupon_edit": (f"/admin/kupon/{o['coupon'].pk}", [o["coupon"].pk]),
    }


def test_every_page_has_its_path_and_only_admins_open_it(objects, client, make_user):
    pages = _pages(objects)
    admin = Client()
    admin.force_login(make_user(Role.ADMIN))
    for name, (path, args) in pages.items():
        assert reverse(name, args=args) == path
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={path}"), name
        assert admin.get(path).status_code == 200, name
    for role in (Role.MEMBER, Role.AFFILIATE, Role.MENTOR, Role.FOUNDER, Role.SUPPORT, Role.SUPPLIER):
        other = Client()
        other.force_login(make_user(role))
        for name, (path, _args) in pages.items():
            assert other.get(path).status_code == 403, (name, role)


def test_unknown_objects_are_404(admin_client):
    for path in ("/admin/membership/999", "/admin/produk/999/harga", "/admin/kupon/999", "/admin/produk/kategori/9"):
        assert admin_client.get(path).status_code == 404


def test_denied_posts_change_nothing(objects, member_client):
    anonymous = Client()
    plan, product = objects["plan"], objects["product"]
    before = ActivityLog.objects.count()
    posts = [
        ("/admin/membership/baru", {"title": "Diretas"}),
        (f"/admin/membership/{plan.pk}", {"title": "Diretas"}),
        (f"/admin/membership/{plan.pk}/harga", {"price-count": "0"}),
        (f"/admin/produk/{product.pk}", {"title": "Diretas", "kind": "ebook", "status": "draft"}),
        (f"/admin/produk/{product.pk}/file/unggah", {"file": pdf()}),
        ("/admin/produk/kategori", {"name": "Diretas"}),
        (f"/admin/produk/kategori/{objects['category'].pk}/hapus", {}),
        ("/admin/kupon/baru", {"code": "DIRETAS", "discount_type": "percent", "value": "50"}),
        ("/admin/katalog/sumber-akses", {"kind": "group", "title": "Diretas"}),
    ]
    for path, data in posts:
        assert member_client.post(path, data).status_code == 403, path
        assert anonymous.post(path, data).status_code == 302
    plan.refresh_from_db()
    product.refresh_from_db()
    assert (plan.title, product.title) == ("Gold", "Ebook Ekspor")
    assert PlanPrice.objects.filter(plan=plan).count() == 2
    assert MembershipPlan.objects.count() == 1
    assert not ProductFile.objects.exists()
    assert list(ProductCategory.objects.values_list("name", flat=True)) == ["Ebook"]
    assert list(Coupon.objects.values_list("code", flat=True)) == ["HEMAT10"]
    assert not Resource.objects.filter(kind="group").exists()
    assert ActivityLog.objects.count() == before


def test_plan_create_then_tabs(admin_client):
    response = admin_client.post(
        "/admin/membership/baru", {"title": "Paket Silver", "slug": "", "description": "<p>Untuk <b>pemula</b></p>"}
    )
    plan = MembershipPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/membership/{plan.pk}/harga"
    assert (plan.slug, plan.status, plan.description) == ("paket-silver", "draft", "<p>Untuk <b>pemula</b></p>")

    response = admin_client.post(
        f"/admin/membership/{plan.pk}/harga",
        {
            "price-count": "2",
            "price-0-duration": "6m",
            "price-0-price": "600.000",
            "price-0-promo_price": "499000",
            "price-0-promo_ends_at": "2030-01-31T23:59",
            "price-0-is_active": "1",
            "price-1-duration": "lifetime",
            "price-1-price": "2500000",
            "price-1-commission_type": "flat",
            "price-1-commission_value": "250000",
        },
    )
    assert response.status_code == 302
    assert list(plan.prices.order_by("id").values_list("duration", "price", "promo_price", "is_active")) == [
        ("6m", 600_000, 499_000, True),
        ("lifetime", 2_500_000, None, False),
    ]

    response = admin_client.post(
        f"/admin/membership/{plan.pk}/marketing",
        {
            "status": "active",
            "rank": "1",
            "upgrade_mode": "accumulate",
            "sort_order": "",
            "badge_cheapest": "on",
            "external_sales_url": "",
            "affiliate_commission_type": "percent",
            "affiliate_commission_value": "25",
            "logo": png("logo.png"),
            "feature-count": "2",
            "feature-0-label": "Grup Komunitas Pemula",
            "feature-1-label": "Kelas Dasar Ekspor",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.badge_cheapest, plan.badge_best_seller, plan.affiliate_commission_value) == (
        "active", True, False, 25,
    )  # fmt: skip
    assert plan.logo.name.startswith("catalog/plans/plan-logo-")
    assert list(plan.features.values_list("label", flat=True)) == ["Grup Komunitas Pemula", "Kelas Dasar Ekspor"]

    page = admin_client.get(f"/admin/membership/{plan.pk}").content.decode()
    for link in (
        "http://testserver/membership/paket-silver",
        "http://testserver/checkout/paket-silver",
        "http://testserver/checkout/compare?plans=paket-silver",
        "http://testserver/checkout/all",
    ):
        assert f'data-url="{link}"' in page
    assert page.count("tab tab-active") == 1


def test_price_errors_are_shown_per_row_and_nothing_is_saved(admin_client, objects):
    plan = objects["plan"]
    response = admin_client.post(
        f"/admin/membership/{plan.pk}/harga",
        {
            "price-count": "2",
            "price-0-duration": "12m",
            "price-0-price": "1000000",
            "price-0-promo_price": "1200000",
            "price-0-is_active": "1",
            "price-1-duration": "12m",
            "price-1-price": "x",
        },
    )
    assert response.status_code == 200
    config = json.loads(json.dumps(response.context["rows_config"]))  # what the page's json_script carries
    assert config["errors"] == {
        "prices.0.promo_price": ["Harga promo harus lebih kecil dari harga normal."],
        "prices.1.duration": ["Durasi ini sudah ada di baris 1."],
        "prices.1.price": ["Harga harus bilangan bulat."],
    }
    assert [row["price"] for row in config["rows"]] == ["1000000", "x"]
    assert list(plan.prices.values_list("duration", "price")) == [("6m", 600_000), ("12m", 1_000_000)]


def test_marketing_errors_keep_the_features(admin_client, objects):
    plan = objects["plan"]
    response = admin_client.post(
        f"/admin/membership/{plan.pk}/marketing",
        {
            "status": "active",
            "rank": "0",
            "upgrade_mode": "full",
            "affiliate_commission_type": "percent",
            "affiliate_commission_value": "10",
            "feature-count": "1",
            "feature-0-label": "x" * 201,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"rank": ["Peringkat minimal 1."]}
    assert response.context["rows_config"]["errors"] == {"features.0": ["Fitur paling banyak 200 karakter."]}
    plan.refresh_from_db()
    assert (plan.rank, plan.upgrade_mode) == (1, "accumulate")


def test_plan_content_and_resource_placeholder(admin_client, objects):
    plan, product = objects["plan"], objects["product"]
    back = f"/admin/membership/{plan.pk}/konten"
    response = admin_client.post(
        "/admin/katalog/sumber-akses", {"kind": "group", "title": "Komunitas Premium", "next": back}
    )
    assert (response.status_code, response["Location"]) == (302, back)
    group = Resource.objects.get(kind="group")
    evil = admin_client.post(
        "/admin/katalog/sumber-akses", {"kind": "course", "title": "X", "next": "https://evil.test"}
    )
    assert evil["Location"] == "/admin/membership"
    response = admin_client.post(back, {"resource_ids": [group.pk], "product_ids": [product.pk]})
    assert response.status_code == 302
    assert list(plan.included_resources.all()) == [group]
    assert list(plan.included_products.all()) == [product]
    page = admin_client.get(back).content.decode()
    assert f'name="resource_ids" value="{group.pk}" checked' in page


def test_follow_up_tabs_lead_to_the_reminder_builder(objects, admin_client, make_user):
    """One engine: the plans' and products' WhatsApp follow-ups are sequences of the reminder builder, on the
    "Reminder" tab. The old tab is gone from the tabs; its address (old links, bookmarks) leads there and writes
    nothing, so no second schedule is kept."""
    plan, product = objects["plan"], objects["product"]
    member_client = Client()
    member_client.force_login(make_user())
    for base in (f"/admin/membership/{plan.pk}", f"/admin/produk/{product.pk}"):
        old, new, edit = f"{base}/follow-up", f"{base}/reminder", base
        assert reverse("catalog:admin_plan_follow_ups" if "membership" in old else "catalog:admin_product_follow_ups",
                       args=[plan.pk if "membership" in old else product.pk]) == old  # fmt: skip
        response = admin_client.get(old)
        assert (response.status_code, response["Location"]) == (302, new)
        response = admin_client.post(old, {"step-count": "1", "step-0-delay_days": "0", "step-0-message": "Halo"})
        assert (response.status_code, response["Location"]) == (302, new)
        assert admin_client.get(new).status_code == 200
        page = admin_client.get(edit).content.decode()
        assert f'href="{new}"' in page and "/follow-up" not in page and "Follow-up WhatsApp" not in page
        assert member_client.get(old).status_code == 403
        assert Client().get(old)["Location"] == f"/accounts/login/?next={old}"
    assert not FollowUpStep.objects.exists()
    assert admin_client.get("/admin/membership/999/follow-up").status_code == 404


def test_product_tabs(admin_client, admin_user, make_user):
    mentor = make_user(Role.MENTOR)
    category = services.category_create(actor=admin_user, name="Webinar")
    bonus = services.product_create(actor=admin_user, title="Template Invoice")
    response = admin_client.post(
        "/admin/produk/baru",
        {"title": "Webinar Buyer Eropa", "slug": "", "kind": "webinar", "status": "draft", "short_description": "",
         "description": "<p>Materi</p><script>x</script>", "category_ids": [category.pk], "tags": "ekspor, eropa",
         "video_url": "", "creator_id": str(mentor.pk)},
    )  # fmt: skip
    product = Product.objects.get(slug="webinar-buyer-eropa")
    assert response["Location"] == f"/admin/produk/{product.pk}/harga"
    assert (product.description, product.tags, product.creator) == ("<p>Materi</p>", ["ekspor", "eropa"], mentor)

    response = admin_client.post(
        f"/admin/produk/{product.pk}/harga",
        {"price_type": "one_time", "price": "499000", "promo_price": "", "promo_ends_at": "",
         "affiliate_commission_type": "percent", "affiliate_commission_value": "30", "member_discount_type": "percent",
         "member_discount_value": "20", "stock": "100", "scalev_variant_id": ""},
    )  # fmt: skip
    assert response.status_code == 302
    group = resource_ensure(kind="group", key="grup-webinar", title="Grup Webinar")
    access = {"access_level": "premium", "access_days": "30", "resource_ids": [group.pk]}
    response = admin_client.post(f"/admin/produk/{product.pk}/akses", access)
    assert response.status_code == 302
    response = admin_client.post(
        f"/admin/produk/{product.pk}/konten",
        {"cta_text": "Daftar Sekarang", "bundled_product_ids": [bonus.pk], "faq-count": "1",
         "faq-0-question": "Ada rekaman?", "faq-0-answer": "Ada."},
    )  # fmt: skip
    assert response.status_code == 302
    response = admin_client.post(f"/admin/produk/{product.pk}/seo", {"seo_title": "Webinar", "seo_description": "D"})
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.price, product.stock, product.access_level, product.access_days) == (499_000, 100, "premium", 30)
    assert (product.member_discount_value, product.cta_text, product.faq) == (
        20, "Daftar Sekarang", [{"q": "Ada rekaman?", "a": "Ada."}],
    )  # fmt: skip
    assert list(product.bundled_products.all()) == [bonus]
    assert list(product.included_resources.all()) == [group]
    assert (product.seo_title, product.seo_description) == ("Webinar", "D")

    response = admin_client.post(f"/admin/produk/{product.pk}/harga", {"price_type": "one_time", "price": "0",
                                 "affiliate_commission_type": "percent", "affiliate_commission_value": "30",
                                 "member_discount_type": "percent", "member_discount_value": "20"})  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "price": ["Harga dasar produk berbayar minimal Rp 1. Pilih tipe harga Gratis untuk produk gratis."]
    }


def test_product_files_tab(admin_client, make_product):
    product = make_product("Ebook")
    base = f"/admin/produk/{product.pk}/file"
    assert admin_client.post(base + "/cover", {"cover": png("c.png")}).status_code == 302
    assert admin_client.post(base + "/galeri", {"images": [png("a.png"), png("b.png")]}).status_code == 302
    assert admin_client.post(base + "/unggah", {"file": pdf("Panduan.pdf"), "title": "Panduan"}).status_code == 302
    product.refresh_from_db()
    assert product.cover.name.startswith("catalog/products/cover-")
    assert ProductImage.objects.filter(product=product).count() == 2
    product_file = ProductFile.objects.get(product=product)
    page = admin_client.get(base).content.decode()
    assert "Panduan" in page and product_file.file.name not in page  # the stored name never leaks
    bad = admin_client.post(base + "/unggah", {"file": png("x.exe")})
    assert bad.status_code == 200
    assert bad.context["file_form"].errors["file"][0].startswith("Jenis file tidak didukung.")
    image = ProductImage.objects.filter(product=product).first()
    assert admin_client.post(f"{base}/galeri/{image.pk}/hapus").status_code == 302
    assert admin_client.post(f"{base}/{product_file.pk}/hapus").status_code == 302
    assert ProductImage.objects.filter(product=product).count() == 1
    assert not ProductFile.objects.exists()
    assert admin_client.get(f"{base}/{product_file.pk}/hapus").status_code == 405


def test_categories_page(admin_client):
    assert admin_client.post("/admin/produk/kategori", {"name": "Template"}).status_code == 302
    category = ProductCategory.objects.get()
    response = admin_client.post("/admin/produk/kategori", {"name": "template"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["Kategori “template” sudah ada."]}
    assert admin_client.post(f"/admin/produk/kategori/{category.pk}", {"name": "Template Dokumen"}).status_code == 302
    category.refresh_from_db()
    assert category.name == "Template Dokumen"
    assert admin_client.post(f"/admin/produk/kategori/{category.pk}/hapus").status_code == 302
    assert not ProductCategory.objects.exists()


def test_coupon_pages(admin_client, make_user, make_plan):
    affiliate = make_user(Role.AFFILIATE)
    plan = make_plan("Gold")
    data = {"code": "ekspor10", "description": "Launching", "discount_type": "percent", "value": "10",
            "valid_from": "", "valid_until": "2030-12-31T23:59", "max_uses": "100", "max_uses_per_user": "1",
            "plan_ids": [plan.pk], "affiliate_id": str(affiliate.pk), "is_active": "on"}  # fmt: skip
    assert admin_client.post("/admin/kupon/baru", data).status_code == 302
    coupon = Coupon.objects.get()
    assert (coupon.code, coupon.affiliate, list(coupon.plans.all())) == ("EKSPOR10", affiliate, [plan])
    response = admin_client.post(f"/admin/kupon/{coupon.pk}", {**data, "value": "150", "is_active": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"value": ["Persen diskon maksimal 100."]}
    assert admin_client.post(f"/admin/kupon/{coupon.pk}", {**data, "is_active": ""}).status_code == 302
    coupon.refresh_from_db()
    assert coupon.is_active is False
    page = admin_client.get("/admin/kupon?state=inactive").content.decode()
    assert 'data-coupon="EKSPOR10"' in page
    assert 'data-coupon="EKSPOR10"' not in admin_client.get("/admin/kupon?state=active").content.decode()


def test_list_pages_run_a_fixed_number_of_queries(admin_client, admin_user, make_plan, make_product, make_coupon,
                                                  django_assert_max_num_queries):  # fmt: skip
    category = services.category_create(actor=admin_user, name="Ebook")

    def grow(n):
        for i in range(n):
            make_plan(f"Paket {i}-{Plan.count()}", prices=(("6m", 100_000), ("12m", 200_000)))
            make_product(f"Produk {i}-{Plan.count()}", category_ids=[category.pk])
            make_coupon(f"KODE{Plan.count()}X{i}", plan_ids=[])

    class Plan:
        @staticmethod
        def count():
            return MembershipPlan.objects.count()

    grow(2)
    counts = {}
    for path in ("/admin/membership", "/admin/produk", "/admin/kupon", "/admin/produk/kategori"):
        with django_assert_max_num_queries(30) as ctx:
            assert admin_client.get(path).status_code == 200
        counts[path] = len(ctx.captured_queries)
    grow(6)
    for path, expected in counts.items():
        with django_assert_max_num_queries(expected):
            assert admin_client.get(path).status_code == 200


def test_price_tab_saves_renewal_and_upgrade_commissions(client, admin_user):
    from sanggar.catalog import services as catalog_services
    from sanggar.catalog.models import PlanPrice

    plan = catalog_services.plan_create(actor=admin_user, title="Perak", rank=1)
    client.force_login(admin_user)
    response = client.post(
        reverse("catalog:admin_plan_prices", args=[plan.pk]),
        {
            "price-count": "1",
            "price-0-duration": "1m",
            "price-0-price": "500000",
            "price-0-renewal_commission_type": "flat",
            "price-0-renewal_commission_value": "0",
            "price-0-upgrade_commission_type": "percent",
            "price-0-upgrade_commission_value": "15",
            "price-0-is_active": "1",
        },
    )
    assert response.status_code == 302
    price = PlanPrice.objects.get(plan=plan)
    assert (price.renewal_commission_type, price.renewal_commission_value) == ("flat", 0)
    assert (price.upgrade_commission_type, price.upgrade_commission_value) == ("percent", 15)
    page = client.get(reverse("catalog:admin_plan_prices", args=[plan.pk])).content.decode()
    assert "Komisi perpanjangan" in page and "Komisi upgrade" in page
