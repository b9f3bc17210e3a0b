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
    context.set_default_timeout(15_000)
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
