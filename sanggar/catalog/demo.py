"""Demo catalog of Ekspor Yuk, built through the catalog's services: the plans "6 Bulan", "12 Bulan" and "Lifetime",
the spec's example plans Silver / Gold / Platinum (ranks 1–3, several price options, badges, features; their WhatsApp
follow-ups are the reminders demo's builder sequences), the access resources of the groups / courses / events /
features they open (the community, learning and events demos build the real ones on those keys), product
categories, four products (an ebook with a PDF, a webinar with a seat quota, a template bundle with a ZIP, a
coming-soon course bundle) and the coupon EKSPOR10. Logos, banners and covers are drawn here with Pillow.

Idempotent: every object is looked up by its slug / code / key first and only created when missing."""

from django.contrib.auth import get_user_model

from sanggar.access.services import resource_ensure
from sanggar.core.roles import Role

from . import services
from .demo_media import (
    BLUE,
    draw_banner,
    draw_cover,
    draw_page,
    draw_plan_logo,
    ebook_pdf,
    template_zip,
)
from .models import Coupon, MembershipPlan, Product, ProductCategory
from .services import FaqInput, PriceInput

RESOURCES = {
    # key: (kind, title)
    "komunitas-pemula": ("group", "Komunitas Pemula"),
    "komunitas-premium": ("group", "Komunitas Premium"),
    "grup-vip-platinum": ("group", "Grup VIP Platinum"),
    "dasar-ekspor": ("course", "Dasar Ekspor"),
    "strategi-ekspor": ("course", "Strategi Ekspor"),
    "kelas-buyer": ("course", "Kelas Buyer"),
    "webinar-vip": ("event", "Webinar VIP Bulanan"),
    "webinar-buyer-eropa-live": ("event", "Webinar Buyer Eropa (Live)"),
    "database-buyer": ("feature", "Akses Database Buyer"),
    "generator-dokumen-ekspor": ("feature", "Generator Dokumen Ekspor"),
    # The export directories' other switches (directory migration 0009): every plan with the buyer database has them.
    "database-supplier": ("feature", "Akses Database Supplier"),
    "database-forwarder": ("feature", "Akses Database Forwarder"),
    "member-directory": ("feature", "Member Directory"),
}
DIRECTORIES = ["database-buyer", "database-supplier", "database-forwarder", "member-directory"]

RENEWAL_NO_COMMISSION = {"renewal_commission_type": "flat", "renewal_commission_value": 0}

PLANS = [
    {
        "title": "6 Bulan",
        "slug": "6-bulan",
        "rank": 1,
        "sort_order": 1,
        "color": "#0EA5E9",
        # Sejoli history: renewals of the 6- and 12-month memberships paid affiliates Rp 0.
        "prices": [PriceInput("6m", 899_000, promo_price=699_000, **RENEWAL_NO_COMMISSION)],
        "features": ["Grup Komunitas Pemula", "Kelas Dasar Ekspor", "Sesi tanya jawab bulanan"],
        "resources": ["komunitas-pemula", "dasar-ekspor"],
        "intro": "Enam bulan belajar ekspor dari nol bersama komunitas.",
    },
    {
        "title": "12 Bulan",
        "slug": "12-bulan",
        "rank": 2,
        "sort_order": 2,
        "color": BLUE,
        "prices": [PriceInput("12m", 1_499_000, promo_price=999_000, **RENEWAL_NO_COMMISSION)],
        "features": [
            "Semua isi paket 6 Bulan",
            "Grup Komunitas Premium",
            "Kelas Strategi Ekspor & Kelas Buyer",
            "Akses Database Buyer",
        ],
        "resources": [
            "komunitas-pemula",
            "komunitas-premium",
            "dasar-ekspor",
            "strategi-ekspor",
            "kelas-buyer",
            *DIRECTORIES,
        ],
        "intro": "Setahun penuh: dari riset produk sampai closing dengan buyer luar negeri.",
    },
    {
        "title": "Lifetime",
        "slug": "lifetime",
        "rank": 3,
        "sort_order": 3,
        "color": "#7C3AED",
        "prices": [PriceInput("lifetime", 2_999_000, promo_price=1_999_000)],
        "features": ["Akses selamanya", "Semua grup & kelas", "Webinar VIP bulanan", "Generator Dokumen Ekspor"],
        "resources": list(RESOURCES)[:7] + [*DIRECTORIES, "generator-dokumen-ekspor"],
        "intro": "Sekali bayar, belajar dan berjejaring ekspor selamanya.",
    },
    {
        "title": "Silver",
        "slug": "silver",
        "rank": 1,
        "sort_order": 10,
        "color": "#64748B",
        "badge_cheapest": True,
        "prices": [PriceInput("1m", 149_000), PriceInput("3m", 399_000), PriceInput("12m", 1_199_000)],
        "features": ["Grup Komunitas Pemula", "Kelas Dasar Ekspor"],
        "resources": ["komunitas-pemula", "dasar-ekspor"],
        "intro": "Paket awal untuk mengenal dunia ekspor.",
    },
    {
        "title": "Gold",
        "slug": "gold",
        "rank": 2,
        "sort_order": 11,
        "color": "#D97706",
        "badge_best_seller": True,
        "prices": [
            PriceInput("3m", 599_000),
            PriceInput("6m", 999_000),
            PriceInput("12m", 1_799_000, promo_price=1_499_000),
            PriceInput("lifetime", 3_499_000),
        ],
        "features": ["Grup Komunitas Premium", "Kelas Strategi Ekspor", "Kelas Buyer", "Akses Database Buyer"],
        "resources": ["komunitas-premium", "strategi-ekspor", "kelas-buyer", *DIRECTORIES],
        "intro": "Strategi ekspor dan cara menemukan buyer, dengan database buyer.",
    },
    {
        "title": "Platinum",
        "slug": "platinum",
        "rank": 3,
        "sort_order": 12,
        "color": "#0F172A",
        "upgrade_mode": "full",
        "prices": [PriceInput("6m", 1_999_000), PriceInput("12m", 2_999_000), PriceInput("lifetime", 5_999_000)],
        "features": ["Semua grup", "Semua kelas", "Webinar VIP bulanan", "Generator Dokumen Ekspor"],
        "resources": list(RESOURCES)[:7] + [*DIRECTORIES, "generator-dokumen-ekspor"],
        "intro": "Semua grup, semua kelas, dan webinar VIP setiap bulan.",
    },
]

CATEGORIES = ["Ebook", "Webinar", "Template", "Bundel Kelas"]


def _description(intro: str, features: list[str]) -> str:
    # The features are listed beside the description ("Yang Anda dapatkan"); the text does not repeat them.
    return (
        f"<p>{intro}</p><h2>Cara belajarnya</h2><p>Materi video bisa diulang kapan saja, sesi tanya jawab langsung "
        f"dengan mentor, dan grup komunitas tempat Anda berbagi progres ekspor.</p>"
        "<p><strong>Cocok untuk</strong> UMKM, pemula dan reseller yang ingin menjual produk Indonesia "
        "ke luar negeri.</p>"
    )


def _seed_resources() -> dict:
    return {key: resource_ensure(kind=kind, key=key, title=title) for key, (kind, title) in RESOURCES.items()}


def _seed_plans(admin, resources) -> int:
    made = 0
    for spec in PLANS:
        if MembershipPlan.objects.filter(slug=spec["slug"]).exists():
            continue
        plan = services.plan_create(
            actor=admin,
            title=spec["title"],
            slug=spec["slug"],
            description=_description(spec["intro"], spec["features"]),
            rank=spec["rank"],
            sort_order=spec["sort_order"],
            upgrade_mode=spec.get("upgrade_mode", "accumulate"),
            affiliate_commission_type="percent",
            affiliate_commission_value=30,
            badge_best_seller=spec.get("badge_best_seller", False),
            badge_cheapest=spec.get("badge_cheapest", False),
        )
        services.plan_prices_set(plan=plan, actor=admin, prices=spec["prices"])
        services.plan_content_set(
            plan=plan, actor=admin, resource_ids=[resources[k].pk for k in spec["resources"]], product_ids=[]
        )
        services.plan_update(
            plan=plan,
            actor=admin,
            status="active",
            features=spec["features"],
            logo=draw_plan_logo(spec["title"], spec["color"]),
            banner=draw_banner(f"Membership {spec['title']}", spec["intro"], spec["color"]),
        )
        made += 1
    return made


def _seed_products(admin, mentor, resources, categories) -> list[Product]:
    made = []
    if not Product.objects.filter(slug="ebook-panduan-ekspor-pemula").exists():
        ebook = services.product_create(
            actor=admin,
            title="Ebook Panduan Ekspor Pemula",
            slug="ebook-panduan-ekspor-pemula",
            kind="ebook",
            short_description="Langkah demi langkah ekspor pertama: memilih produk, mencari buyer, kirim barang.",
            description="<p>Ebook 120 halaman untuk pemula.</p><h2>Isi</h2><ul><li>Memilih produk ekspor</li>"
            "<li>Mencari dan menghubungi buyer</li><li>Dokumen dan pengiriman</li></ul>",
            category_ids=[categories["Ebook"].pk],
            tags="ekspor, pemula, ebook",
            price_type="one_time",
            price=99_000,
            promo_price=79_000,
            affiliate_commission_type="percent",
            affiliate_commission_value=40,
            member_discount_type="percent",
            member_discount_value=20,
            faq=[
                FaqInput("Formatnya apa?", "PDF, bisa dibaca di HP dan laptop."),
                FaqInput("Dapat pembaruan?", "Ya, setiap edisi baru bisa diunduh lagi dari halaman produk."),
            ],
            cta_text="Beli Ebook",
            seo_title="Ebook Panduan Ekspor Pemula",
            seo_description="Panduan ekspor pertama untuk UMKM: produk, buyer, dokumen, pengiriman.",
            cover=draw_cover("Panduan Ekspor Pemula", "Ebook", "#0EA5E9"),
        )
        services.product_gallery_add(product=ebook, actor=admin, images=[draw_page(1, BLUE), draw_page(2, BLUE)])
        services.product_file_add(product=ebook, actor=admin, file=ebook_pdf(), title="Ebook Panduan Ekspor Pemula")
        services.product_update(product=ebook, actor=admin, status="published")
        made.append(ebook)
    ebook = Product.objects.get(slug="ebook-panduan-ekspor-pemula")

    if not Product.objects.filter(slug="webinar-menembus-buyer-eropa").exists():
        webinar = services.product_create(
            actor=admin,
            title="Webinar Menembus Buyer Eropa",
            slug="webinar-menembus-buyer-eropa",
            kind="webinar",
            short_description="Live 2 jam: standar produk, sertifikasi dan cara pitching ke importir Eropa.",
            description="<p>Webinar langsung bersama praktisi ekspor ke Belanda dan Jerman.</p>"
            "<ul><li>Regulasi dan sertifikasi Uni Eropa</li><li>Menyusun penawaran harga</li>"
            "<li>Tanya jawab langsung</li></ul>",
            category_ids=[categories["Webinar"].pk],
            tags="webinar, eropa, buyer",
            price_type="one_time",
            price=249_000,
            affiliate_commission_type="flat",
            affiliate_commission_value=50_000,
            member_discount_type="fixed",
            member_discount_value=50_000,
            access_level="member",
            access_days=30,
            resource_ids=[resources["webinar-buyer-eropa-live"].pk],
            stock=100,
            faq=[
                FaqInput("Ada rekamannya?", "Ada, bisa ditonton 30 hari setelah webinar."),
                FaqInput("Link Zoom dikirim kapan?", "H-1 lewat WhatsApp dan email."),
            ],
            cta_text="Daftar Webinar",
            creator_id=mentor.pk if mentor else None,
            cover=draw_cover("Menembus Buyer Eropa", "Webinar", "#D97706"),
        )
        services.product_update(product=webinar, actor=admin, status="published")
        made.append(webinar)

    if not Product.objects.filter(slug="bundel-template-dokumen-ekspor").exists():
        template = services.product_create(
            actor=admin,
            title="Bundel Template Dokumen Ekspor",
            slug="bundel-template-dokumen-ekspor",
            kind="template",
            short_description="Commercial invoice, packing list dan proforma invoice siap pakai.",
            description="<p>Tiga template dokumen yang diminta buyer dan forwarder, plus ebook panduan "
            "sebagai bonus.</p>",
            category_ids=[categories["Template"].pk],
            tags="template, dokumen, invoice",
            price_type="one_time",
            price=149_000,
            affiliate_commission_type="percent",
            affiliate_commission_value=30,
            bundled_product_ids=[ebook.pk],
            cta_text="Unduh Template",
            cover=draw_cover("Template Dokumen Ekspor", "Template", "#16A34A"),
        )
        services.product_file_add(product=template, actor=admin, file=template_zip(), title="Template Dokumen Ekspor")
        services.product_update(product=template, actor=admin, status="published")
        made.append(template)

    if not Product.objects.filter(slug="kelas-strategi-harga-ekspor").exists():
        course = services.product_create(
            actor=admin,
            title="Kelas Strategi Harga Ekspor",
            slug="kelas-strategi-harga-ekspor",
            kind="course_bundle",
            short_description="Menghitung harga FOB, CIF dan margin yang tetap bersaing.",
            category_ids=[categories["Bundel Kelas"].pk],
            price_type="one_time",
            price=499_000,
            member_discount_type="percent",
            member_discount_value=25,
            access_level="premium",
            resource_ids=[resources["strategi-ekspor"].pk],
            creator_id=mentor.pk if mentor else None,
            cover=draw_cover("Strategi Harga Ekspor", "Kelas", "#7C3AED"),
        )
        services.product_update(product=course, actor=admin, status="coming_soon")
        made.append(course)
    return made


def seed(*, log):
    users = get_user_model().objects
    admin = users.filter(email="admin@sanggar.test", roles__role=Role.ADMIN).first()
    if admin is None:
        raise RuntimeError("The demo admin (admin@sanggar.test) must exist before the demo catalog.")
    mentor = users.filter(email="mentor@sanggar.test", roles__role=Role.MENTOR).first()
    affiliate = users.filter(email="affiliate@sanggar.test", roles__role=Role.AFFILIATE).first()

    resources = _seed_resources()
    categories = {}
    for name in CATEGORIES:
        categories[name] = ProductCategory.objects.filter(name=name).first() or services.category_create(
            actor=admin, name=name
        )
    products = _seed_products(admin, mentor, resources, categories)
    plans = _seed_plans(admin, resources)
    if products and plans:
        # Bonus products inside the higher plans.
        ebook = Product.objects.get(slug="ebook-panduan-ekspor-pemula")
        template = Product.objects.get(slug="bundel-template-dokumen-ekspor")
        for slug, included in (
            ("12-bulan", [ebook]),
            ("lifetime", [ebook, template]),
            ("gold", [ebook]),
            ("platinum", [ebook, template]),
        ):
            plan = MembershipPlan.objects.get(slug=slug)
            services.plan_content_set(
                plan=plan,
                actor=admin,
                resource_ids=list(plan.included_resources.values_list("pk", flat=True)),
                product_ids=[p.pk for p in included],
            )
    coupons = 0
    if not Coupon.objects.filter(code="EKSPOR10").exists():
        services.coupon_create(
            actor=admin,
            code="EKSPOR10",
            discount_type="percent",
            value=10,
            description="Diskon 10% untuk semua",
            max_uses=1000,
            max_uses_per_user=1,
        )
        coupons += 1
    if affiliate and not Coupon.objects.filter(code="DINDA100").exists():
        gold = MembershipPlan.objects.filter(slug="gold").first()
        services.coupon_create(
            actor=admin,
            code="DINDA100",
            discount_type="fixed",
            value=100_000,
            description="Kupon affiliate untuk paket Gold",
            plan_ids=[gold.pk] if gold else [],
            affiliate_id=affiliate.pk,
        )
        coupons += 1
    if products or plans or coupons:
        log(f"catalog: {plans} plans, {len(products)} products, {coupons} coupons, {len(resources)} access resources")
    else:
        log("demo catalog already there")
