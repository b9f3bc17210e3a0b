"""Suppliers in a real browser at 390 px: a new account registers as a supplier and completes onboarding (type,
profile tabs, assessment, submission), a mentor recommends it, an admin verifies it and grants Premium, and a premium
member finds it in the directory and starts a chat."""

import pytest

from sanggar.core.roles import Role
from sanggar.memberships.services.activation import membership_activate
from sanggar.orders.tests.shop import Shop
from sanggar.suppliers import services
from sanggar.suppliers.models import Supplier

PHONE = {"width": 390, "height": 844}
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


def _page(browser, base, email, password):
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    context.set_default_timeout(30_000)  # the shared 2-core machine can take more than 15 s for a first page
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("#auth-card button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")
    return context, page


def _fits(page):
    assert page.evaluate(WIDTH) <= PHONE["width"], page.url


@pytest.mark.django_db(transaction=True)
def test_supplier_onboarding_review_verification_and_member_chat(browser, live_server, make_user, password, settings):
    settings.CHAT_CONVERSATION_RATE_LIMIT = "1000/60"
    base = live_server.url
    mentor = make_user(Role.MENTOR, email="mentor.uji@contoh.test", full_name="Rina Mentor")
    admin = make_user(Role.ADMIN, email="admin.uji@contoh.test", full_name="Admin Uji")
    make_user(email="sri@contoh.test", full_name="Sri Rahayu")
    member = make_user(email="pembeli@contoh.test", full_name="Pembeli Premium")
    plan = Shop(admin).plan("Gold Uji", prices=(("12m", 1_200_000),))
    membership_activate(user=member, plan_price=plan.prices.get(), amount_paid=1_200_000)
    question = services.question_create(actor=mentor, supplier_type="", text="Berapa lama usaha Anda berjalan?",
                                        options=[("Kurang dari 1 tahun", 1), ("Lebih dari 5 tahun", 4)])  # fmt: skip

    ctx, page = _page(browser, base, "sri@contoh.test", password)
    page.goto(base + "/supplier/daftar")
    _fits(page)
    page.click("#supplier-register button[type=submit]")
    page.wait_for_url(base + "/supplier/onboarding")
    page.goto(base + "/dashboard/")  # forced back to onboarding
    page.wait_for_url(base + "/supplier/onboarding")
    page.goto(base + "/supplier/onboarding/jenis-usaha")
    page.check("input[name=supplier_type][value=produsen]")
    page.click("#type-form button[type=submit]")
    page.wait_for_url("**/profil/identitas")
    _fits(page)
    page.fill("#f-company_name", "Keripik Tempe Bu Sri")
    page.select_option("#f-legal_form", "ud")
    page.select_option("#f-business_field", "makanan")
    page.fill("#f-main_products", "Keripik tempe, keripik pisang")
    page.click("#profile-form button[type=submit]")
    page.wait_for_url("**/profil/alamat")
    page.fill("#f-address", "Jl. Sanan No. 12")
    page.select_option("#f-province", "Jawa Timur")
    page.fill("#f-city", "Malang")
    page.click("#profile-form button[type=submit]")
    page.wait_for_url("**/profil/kontak")
    page.fill("#f-pic_name", "Sri Rahayu")
    page.fill("#f-whatsapp", "081234567890")
    page.fill("#f-business_email", "sri@keripiksri.id")
    page.click("#profile-form button[type=submit]")
    page.wait_for_url("**/profil/legalitas")
    page.fill("#f-nib", "9120001234567")
    page.click("#profile-form button[type=submit]")
    page.wait_for_url("**/profil/profil")
    page.fill("#f-short_description", "Keripik tempe renyah khas Malang, produksi 2 ton per bulan.")
    page.click("#profile-form button[type=submit]")
    page.wait_for_url("**/onboarding/dokumen")
    page.goto(base + "/supplier/onboarding/asesmen")
    page.check(f"input[name=q{question.pk}][value='{question.options.last().pk}']")
    page.click("#assessment-form button[type=submit]")
    page.wait_for_url(base + "/supplier/onboarding")
    page.click("#submit-box button[type=submit]")
    page.wait_for_selector("text=sedang direview mentor")
    supplier = Supplier.objects.get(user__email="sri@contoh.test")
    assert supplier.status == "waiting_review" and supplier.nib == "9120001234567"
    ctx.close()

    ctx, page = _page(browser, base, "mentor.uji@contoh.test", password)
    page.goto(base + "/mentor/supplier")
    _fits(page)
    page.click("#queue a")
    page.fill("#note", "Usaha berjalan, kapasitas sesuai.")
    page.click("#recommend")
    page.wait_for_selector("text=Admin akan menetapkan status akhirnya")
    ctx.close()

    ctx, page = _page(browser, base, "admin.uji@contoh.test", password)
    page.goto(f"{base}/admin/supplier/{supplier.pk}")
    _fits(page)
    page.check("#decide input[value=verified]")
    page.fill("#reason", "Legalitas sesuai.")
    page.click("#decide-submit")
    page.wait_for_selector("text=Status supplier ditetapkan")
    page.fill("#days", "30")
    page.click("form:has(#days) button[type=submit]")
    page.wait_for_selector("text=Premium diberikan")
    ctx.close()
    supplier.refresh_from_db()
    assert supplier.status == "verified" and services.is_premium(supplier)

    ctx, page = _page(browser, base, "pembeli@contoh.test", password)
    page.goto(base + "/direktori/supplier")
    _fits(page)
    page.fill("#q", "keripik")
    page.click("#directory-filters button[type=submit]")
    page.click(f"li[data-supplier='{supplier.slug}'] a")
    page.wait_for_selector("#supplier-profile")
    _fits(page)
    assert "081234567890" not in page.content()
    page.click("#contact-supplier")
    page.wait_for_url("**/chat/*")
    ctx.close()


def _listed_premium_supplier(*, user, mentor, admin):
    supplier = services.supplier_register(user=user)
    services.supplier_set_type(supplier=supplier, actor=user, supplier_type="produsen")
    profile = {
        "company_name": "CV Pala Banda", "legal_form": "cv", "business_field": "rempah",
        "main_products": "Pala, fuli", "address": "Jl. Pelabuhan No. 3", "province": "Maluku", "city": "Banda Neira",
        "pic_name": "Ibu Ani", "whatsapp": "081298765432", "business_email": "ani@palabanda.id",
        "short_description": "Pala dan fuli dari kebun keluarga di Banda.",
    }  # fmt: skip
    for tab, fields in services.TABS.items():
        data = {k: v for k, v in profile.items() if k in fields}
        if data:
            services.profile_update(supplier=supplier, actor=user, tab=tab, data=data)
    services.supplier_submit(supplier=supplier, actor=user)
    services.mentor_recommend(supplier=supplier, actor=mentor, note="Kebun dan gudang sesuai.")
    services.admin_decide(supplier=supplier, actor=admin, status="verified", reason="Legalitas sesuai.")
    services.premium_extend(supplier=supplier, days=30, source="admin", actor=admin)
    supplier.refresh_from_db()
    return supplier


@pytest.mark.django_db(transaction=True)
def test_premium_supplier_drafts_a_description_writes_english_and_members_see_rating_and_switch(
    browser, live_server, make_user, password, settings
):
    from sanggar.directory import services as directory

    settings.DIRECTORY_RATING_RATE_LIMIT = settings.DIRECTORY_RATING_IP_RATE_LIMIT = "1000/60"
    base = live_server.url
    mentor = make_user(Role.MENTOR, email="mentor.dua@contoh.test", full_name="Rina Mentor")
    admin = make_user(Role.ADMIN, email="admin.dua@contoh.test", full_name="Admin Uji")
    owner = make_user(email="ani@contoh.test", full_name="Ibu Ani")
    member = make_user(email="pembeli.dua@contoh.test", full_name="Pembeli")
    supplier = _listed_premium_supplier(user=owner, mentor=mentor, admin=admin)
    services.contact_open(supplier=supplier, user=member)
    directory.rating_save(user=member, kind="supplier", object_id=supplier.pk, stars=4, comment="Sampel sesuai.")

    ctx, page = _page(browser, base, "ani@contoh.test", password)
    page.goto(base + "/supplier/produk/baru")
    _fits(page)
    page.fill("#title", "Pala Biji Utuh")
    page.fill("#hs_code", "0908.11")
    page.fill("#moq", "300")
    page.fill("#moq_unit", "kg")
    page.click("#description-draft button[value=draft]")
    page.wait_for_selector("text=dimasukkan ke deskripsi")
    draft = page.input_value("#description")
    assert "Pala Biji Utuh dari CV Pala Banda" in draft and "0908.11" in draft and "300 kg" in draft
    page.fill("#title_en", "Whole Nutmeg")
    page.select_option("#status", "active")
    page.click("#product-form button[type=submit]:not([value^=draft])")
    page.wait_for_selector("text=Produk disimpan.")
    product = supplier.products.get()
    assert "0908.11" in product.description and product.title_en == "Whole Nutmeg"
    page.goto(base + "/supplier/onboarding/profil/inggris")
    page.fill("#f-short_description_en", "Nutmeg and mace from family orchards on the Banda Islands.")
    page.click("#profile-form button[type=submit]")
    page.wait_for_selector("text=Versi Inggris disimpan.")
    ctx.close()

    ctx, page = _page(browser, base, "pembeli.dua@contoh.test", password)
    page.goto(base + "/direktori/supplier")
    _fits(page)
    card = page.locator(f"li[data-supplier='{supplier.slug}']")
    assert "4,0 dari 5 (1 rating)" in card.inner_text()
    card.locator("a").first.click()
    page.wait_for_selector("#content-language")
    assert "Pala dan fuli dari kebun keluarga di Banda." in page.inner_text("#supplier-about")
    page.click("#content-language a[hreflang=en]")
    page.wait_for_selector("#supplier-profile[lang=en]")
    _fits(page)
    assert "Nutmeg and mace from family orchards" in page.inner_text("#supplier-about")
    assert "Whole Nutmeg" in page.inner_text("#supplier-products")
    ctx.close()
