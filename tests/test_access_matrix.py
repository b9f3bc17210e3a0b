"""The role × page matrix: every page of the platform, opened anonymously and as each role.

Anonymous visitors are sent to log in, a role that may not open the page gets 403, the right roles get 200.
`test_every_page_is_in_the_matrix` fails when a new page is added without an entry here, so no page
escapes the check."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from sanggar.core.menu import items_for_role
from sanggar.core.roles import ALL_ROLES, Role

ADMIN = (Role.ADMIN,)

# url name → (path builder, roles allowed). Path builders receive the fixture objects.
PAGES = {
    "dashboard:home": (lambda o: "/dashboard/", ALL_ROLES),
    "accounts:profile": (lambda o: "/profil/", ALL_ROLES),
    "accounts:profile_notifications": (lambda o: "/profil/notifikasi", ALL_ROLES),
    "accounts:profile_security": (lambda o: "/profil/keamanan", ALL_ROLES),
    "accounts:profile_affiliate": (lambda o: "/profil/affiliate", ALL_ROLES),
    "notifications:list": (lambda o: "/notifications", ALL_ROLES),
    "accounts:admin_users": (lambda o: "/admin/users", ADMIN),
    "accounts:admin_users_export": (lambda o: "/admin/users/export.csv", ADMIN),
    "accounts:admin_user_detail": (lambda o: f"/admin/users/{o['target'].pk}", ADMIN),
    "accounts:admin_user_edit": (lambda o: f"/admin/users/{o['target'].pk}/edit", ADMIN),
    "accounts:admin_affiliate_applications": (lambda o: "/admin/affiliate-applications", ADMIN),
    "accounts:admin_affiliate_application_detail": (
        lambda o: f"/admin/affiliate-applications/{o['application'].pk}",
        ADMIN,
    ),
    "accounts:admin_api_keys": (lambda o: "/admin/settings/api-keys", ADMIN),
    "audit:admin_list": (lambda o: "/admin/activity-log", ADMIN),
    "audit:admin_export": (lambda o: "/admin/activity-log/export.csv", ADMIN),
    "notifications:admin_deliveries": (lambda o: "/admin/notifications/deliveries", ADMIN),
    "notifications:admin_templates": (lambda o: "/admin/settings/notification-templates", ADMIN),
    "notifications:admin_template_edit": (lambda o: "/admin/settings/notification-templates/welcome", ADMIN),
    "branding:admin_settings": (lambda o: "/admin/settings/branding", ADMIN),
    "branding:admin_settings_colors": (lambda o: "/admin/settings/branding/warna", ADMIN),
    "branding:admin_settings_typography": (lambda o: "/admin/settings/branding/tipografi", ADMIN),
    "branding:admin_settings_components": (lambda o: "/admin/settings/branding/komponen", ADMIN),
    "branding:admin_settings_realtime": (lambda o: "/admin/settings/branding/notifikasi", ADMIN),
    "integrations:payments": (lambda o: "/admin/settings/payments", ADMIN),
    "integrations:integrations": (lambda o: "/admin/settings/integrations", ADMIN),
    "marketing:admin_pixels": (lambda o: "/admin/settings/pixel", ADMIN),
    "marketing:admin_testimonials": (lambda o: "/admin/testimoni", ADMIN),
    "orders:admin_home_settings": (lambda o: "/admin/settings/beranda", ADMIN),
    "memberships:mine": (lambda o: "/membership-saya", ALL_ROLES),
    "access:my_products": (lambda o: "/produk-saya", ALL_ROLES),
    "access:admin_grants": (lambda o: "/admin/akses", ADMIN),
    "access:admin_grants_export": (lambda o: "/admin/akses/export.csv", ADMIN),
    "access:admin_grant_create": (lambda o: "/admin/akses/baru", ADMIN),
    "access:admin_downloads": (lambda o: "/admin/akses/unduhan", ADMIN),
    "tickets:list": (lambda o: "/tiket", ALL_ROLES),
    "tickets:create": (lambda o: "/tiket/baru", ALL_ROLES),
    "tickets:staff_queue": (lambda o: "/support/tiket", (Role.ADMIN, Role.SUPPORT)),
    "tickets:staff_report": (lambda o: "/support/laporan", ADMIN),
    "banners:admin_list": (lambda o: "/admin/banner", ADMIN),
    "reminders:sequences": (lambda o: "/admin/pengingat", ADMIN),
    "reminders:sequence_create": (lambda o: "/admin/pengingat/baru", ADMIN),
    "reminders:broadcasts": (lambda o: "/admin/broadcast", ADMIN),
    "reminders:broadcast_create": (lambda o: "/admin/broadcast/baru", ADMIN),
    "trainings:mine": (lambda o: "/training", ALL_ROLES),
    "trainings:admin_batches": (lambda o: "/admin/trainings", ADMIN),
    "banners:admin_create": (lambda o: "/admin/banner/baru", ADMIN),
    "banners:admin_packages": (lambda o: "/admin/banner/paket", ADMIN),
    "banners:admin_export": (lambda o: "/admin/banner/statistik.csv", ADMIN),
    "banners:sponsor_home": (lambda o: "/iklan-saya", ALL_ROLES),
    "tickets:canned_list": (lambda o: "/support/balasan-cepat", (Role.ADMIN, Role.SUPPORT)),
    "documents:list": (lambda o: "/dokumen", ALL_ROLES),
    "documents:history": (lambda o: "/dokumen/riwayat", ALL_ROLES),
    "documents:admin_documents": (lambda o: "/admin/dokumen", ADMIN),
    "documents:admin_document_create": (lambda o: "/admin/dokumen/baru", ADMIN),
    "documents:admin_categories": (lambda o: "/admin/dokumen/kategori", ADMIN),
    "documents:admin_logs": (lambda o: "/admin/dokumen/log", ADMIN),
    "documents:admin_logs_export": (lambda o: "/admin/dokumen/log/export.csv", ADMIN),
    "catalog:admin_plans": (lambda o: "/admin/membership", ADMIN),
    "catalog:admin_plan_create": (lambda o: "/admin/membership/baru", ADMIN),
    "catalog:admin_plan_edit": (lambda o: f"/admin/membership/{o['plan']}", ADMIN),
    "catalog:admin_plan_prices": (lambda o: f"/admin/membership/{o['plan']}/harga", ADMIN),
    "catalog:admin_plan_content": (lambda o: f"/admin/membership/{o['plan']}/konten", ADMIN),
    "catalog:admin_plan_marketing": (lambda o: f"/admin/membership/{o['plan']}/marketing", ADMIN),
    "catalog:admin_plan_follow_ups": (lambda o: f"/admin/membership/{o['plan']}/follow-up", ADMIN),
    "catalog:admin_products": (lambda o: "/admin/produk", ADMIN),
    "catalog:admin_product_create": (lambda o: "/admin/produk/baru", ADMIN),
    "catalog:admin_product_edit": (lambda o: f"/admin/produk/{o['product']}", ADMIN),
    "catalog:admin_product_pricing": (lambda o: f"/admin/produk/{o['product']}/harga", ADMIN),
    "catalog:admin_product_access": (lambda o: f"/admin/produk/{o['product']}/akses", ADMIN),
    "catalog:admin_product_files": (lambda o: f"/admin/produk/{o['product']}/file", ADMIN),
    "catalog:admin_product_content": (lambda o: f"/admin/produk/{o['product']}/konten", ADMIN),
    "catalog:admin_product_seo": (lambda o: f"/admin/produk/{o['product']}/seo", ADMIN),
    "catalog:admin_product_follow_ups": (lambda o: f"/admin/produk/{o['product']}/follow-up", ADMIN),
    "catalog:admin_categories": (lambda o: "/admin/produk/kategori", ADMIN),
    "catalog:admin_category_edit": (lambda o: f"/admin/produk/kategori/{o['category']}", ADMIN),
    "catalog:admin_coupons": (lambda o: "/admin/kupon", ADMIN),
    "catalog:admin_coupon_create": (lambda o: "/admin/kupon/baru", ADMIN),
    "catalog:admin_coupon_edit": (lambda o: f"/admin/kupon/{o['coupon']}", ADMIN),
    "orders:admin_sales": (lambda o: "/admin/sales", ADMIN),
    "orders:admin_sales_export": (lambda o: "/admin/sales/export.csv", ADMIN),
    "orders:admin_sales_awaiting": (lambda o: "/admin/sales/menunggu-konfirmasi", ADMIN),
    "memberships:admin_list": (lambda o: "/admin/memberships", ADMIN),
    "analytics:admin": (lambda o: "/admin/analytics", ADMIN),
    "memberships:admin_export": (lambda o: "/admin/memberships/export.csv", ADMIN),
    "memberships:admin_member": (lambda o: f"/admin/memberships/users/{o['target'].pk}", ADMIN),
    "orders:admin_sale_detail": (lambda o: f"/admin/sales/{o['invoice']}", ADMIN),
    "orders:purchases": (lambda o: "/riwayat-pembelian", ALL_ROLES),
    "finance:wallet": (lambda o: "/dompet", (Role.AFFILIATE, Role.MENTOR, Role.FOUNDER, Role.COFOUNDER)),
    "finance:mentor_sales": (lambda o: "/penjualan-saya", (Role.MENTOR,)),
    "orders:admin_charge_settings": (lambda o: "/admin/settings/pajak-biaya", ADMIN),
    "finance:admin_report": (lambda o: "/admin/finance", (Role.ADMIN, Role.FOUNDER, Role.COFOUNDER)),
    "finance:admin_order_split": (
        lambda o: f"/admin/finance/penjualan/{o['invoice']}",
        (Role.ADMIN, Role.FOUNDER, Role.COFOUNDER),
    ),
    "finance:admin_report_export": (lambda o: "/admin/finance/export.csv", (Role.ADMIN, Role.FOUNDER, Role.COFOUNDER)),
    "finance:admin_revenue_settings": (lambda o: "/admin/settings/revenue", ADMIN),
    "finance:admin_payouts": (lambda o: "/admin/payouts", ADMIN),
    "affiliates:links": (lambda o: "/affiliate/link", (Role.AFFILIATE,)),
    "affiliates:short_links": (lambda o: "/affiliate/short-links", (Role.AFFILIATE,)),
    "affiliates:short_link_check": (lambda o: "/affiliate/short-links/cek", (Role.AFFILIATE,)),
    "affiliates:stats": (lambda o: "/affiliate/statistik", (Role.AFFILIATE,)),
    "affiliates:challenges": (lambda o: "/affiliate/challenge", (Role.AFFILIATE,)),
    "affiliates:kit": (lambda o: "/affiliate/marketing-kit", (Role.AFFILIATE,)),
    "affiliates:leaderboard": (lambda o: "/affiliate/leaderboard", (Role.AFFILIATE, Role.ADMIN)),
    "affiliates:admin_domains": (lambda o: "/admin/affiliate/domains", ADMIN),
    "affiliates:admin_decisions": (lambda o: "/admin/affiliate/keputusan", ADMIN),
    "affiliates:admin_affiliates": (lambda o: "/admin/affiliate", ADMIN),
    "affiliates:admin_affiliates_export": (lambda o: "/admin/affiliate/export.csv", ADMIN),
    "affiliates:admin_tiers": (lambda o: "/admin/affiliate/tier", ADMIN),
    "affiliates:admin_tier_create": (lambda o: "/admin/affiliate/tier/baru", ADMIN),
    "affiliates:admin_challenges": (lambda o: "/admin/affiliate/challenge", ADMIN),
    "affiliates:admin_challenge_create": (lambda o: "/admin/affiliate/challenge/baru", ADMIN),
    "affiliates:admin_kit": (lambda o: "/admin/affiliate/marketing-kit", ADMIN),
    "affiliates:admin_kit_create": (lambda o: "/admin/affiliate/marketing-kit/baru", ADMIN),
    "learning:mine": (lambda o: "/kursus-saya", ALL_ROLES),
    "learning:certificates": (lambda o: "/sertifikat-saya", ALL_ROLES),
    "learning:affiliate": (lambda o: "/kursus-affiliate", (Role.AFFILIATE, Role.ADMIN)),
    "learning:manage": (lambda o: "/mentor/kursus", (Role.MENTOR, Role.ADMIN)),
    "learning:create": (lambda o: "/mentor/kursus/baru", (Role.MENTOR, Role.ADMIN)),
    "learning:grading": (lambda o: "/mentor/penilaian", (Role.MENTOR, Role.ADMIN)),
    "learning:stats": (lambda o: "/mentor/statistik-kursus", (Role.MENTOR, Role.ADMIN)),
    "learning:admin_review": (lambda o: "/admin/kursus/review", ADMIN),
    "chat:inbox": (lambda o: "/chat", ALL_ROLES),
    "chat:admin_reports": (lambda o: "/admin/chat/laporan", ADMIN),
    "learning:admin_mentor_applications": (lambda o: "/admin/kursus/pendaftaran-mentor", ADMIN),
    "learning:mentor_apply": (lambda o: "/jadi-mentor", ALL_ROLES),
    "classes:programs": (lambda o: "/kelas-live", ALL_ROLES),
    "classes:mine": (lambda o: "/kelas-live/saya", ALL_ROLES),
    "classes:tutor": (lambda o: "/mentor/kelas-live", (Role.MENTOR, Role.ADMIN)),
    "classes:admin_waiting": (lambda o: "/admin/kelas-live/daftar-tunggu", ADMIN),
    "classes:admin_programs": (lambda o: "/admin/kelas-live", ADMIN),
}

# Pages anyone may open, and URLs that only take POST (their access checks live in each app's view tests).
PUBLIC = {
    "orders:home",
    "orders:plan_sales",
    "orders:checkout_plan",
    "orders:checkout_compare",
    "orders:checkout_all",
    "orders:checkout_summary",
    "orders:product_list",
    "orders:product_detail",
    "orders:checkout_product",
    "affiliates:short_link",
}
NOT_A_PAGE = {
    "core:switch_role",
    "accounts:admin_user_roles",
    "accounts:admin_user_deactivate",
    "accounts:admin_user_reactivate",
    "accounts:admin_api_key_revoke",
    "branding:admin_reset_colors",
    "orders:invoice_pay",
    "payments:webhook",
    "affiliates:short_link_toggle",
    "affiliates:admin_domain_toggle",
    "affiliates:admin_commission_review",
    "affiliates:admin_affiliate_status",
    "affiliates:admin_tier_delete",
    "affiliates:admin_challenge_delete",
    "affiliates:admin_kit_delete",
    "finance:payout_request",
    "finance:admin_payout_batch_create",
    "finance:admin_payout_approve",
    "finance:admin_payout_reject",
    "catalog:admin_resource_create",
    "catalog:admin_product_cover",
    "catalog:admin_product_gallery_add",
    "catalog:admin_product_gallery_remove",
    "catalog:admin_product_file_add",
    "catalog:admin_product_file_remove",
    "catalog:admin_category_delete",
    "orders:admin_sale_mark_paid",
    "orders:admin_sale_refund",
    "orders:admin_sale_resend",
    "orders:admin_sale_cancel",
    "orders:admin_sale_review",
    "orders:invoice_proof",
    "memberships:admin_member_action",
    "documents:download",
    "documents:admin_document_toggle",
    "integrations:test",
    "marketing:visit",
}
# Detail pages whose objects the fixture does not build; each app's view tests cover them.
COVERED_BY_APP_TESTS = {
    # live classes: POST-only actions and a program's page (sanggar/classes/tests/test_pages.py)
    "classes:register",
    "classes:pay",
    "classes:renew",
    "classes:tutor_mark",
    "classes:admin_decide",
    "classes:admin_sections",
    "access:admin_grant_revoke",
    "access:file_download",
    "access:file_serve",
    "payments:proof",
    # Open to the order's buyer (and admins), whatever their role: the orders view tests cover them.
    "orders:invoice",
    "orders:invoice_status",
    "orders:invoice_pdf",
    "orders:invoice_proof_file",
    # Detail pages of objects the fixture does not build; each has role tests in its app.
    "affiliates:kit_download",
    "affiliates:admin_affiliate_detail",
    "affiliates:admin_tier_edit",
    "affiliates:admin_challenge_edit",
    "affiliates:admin_kit_edit",
    "finance:payout_proof",
    "finance:admin_payout_detail",
    "finance:admin_payout_batch",
    "finance:admin_payout_batch_csv",
    # Documents the fixture does not build: sanggar/documents/tests cover their roles.
    "documents:detail",
    "documents:serve",
    "documents:admin_document_edit",
    "documents:admin_document_delete",
    "documents:admin_log_detail",
    # Tickets the fixture does not build: sanggar/tickets/tests cover who may open them.
    "tickets:detail",
    "tickets:attachment",
    "tickets:staff_detail",
    # Banners: the click redirect is public; editing one needs a banner (sanggar/banners/tests check admins only).
    "banners:click",
    "banners:admin_edit",
    "banners:admin_delete",
    "banners:admin_stats",
    "banners:admin_review",
    "banners:dismiss",
    "banners:sponsor_submit",
    "banners:sponsor_edit",
    "tickets:canned_edit",
    "tickets:canned_delete",
    # Sequences, steps and broadcasts the fixture does not build: sanggar/reminders/tests check admins only.
    "reminders:sequence_edit",
    "reminders:step_create",
    "reminders:step_edit",
    "reminders:step_delete",
    "reminders:broadcast_edit",
    "reminders:broadcast_send",
    # Batches and tiers the fixture does not build: sanggar/trainings/tests check who may open them.
    "trainings:register",
    "trainings:workspace",
    "trainings:admin_batch",
    # Bank accounts for manual transfer: role tests in sanggar/integrations/tests.
    "integrations:bank_edit",
    "integrations:bank_delete",
    # Testimonials: role tests in sanggar/marketing/tests.
    "marketing:admin_testimonial_edit",
    "marketing:admin_testimonial_delete",
}
# The course catalogue is public; every other course page needs a course, lesson, quiz, certificate... and has its
# role and ownership tests in sanggar/learning/tests.
PUBLIC |= {"learning:catalogue", "trainings:order"}
# Conversation pages need a conversation and participants: sanggar/chat/tests/test_pages.py covers them.
# Group, post, profile and event pages need groups, posts and events: sanggar/community/tests and
# sanggar/events/tests check them per group type, member state and role (their menu items are checked below).
COVERED_BY_APP_TESTS_PREFIXES = ("notifications:", "learning:", "chat:", "community:", "events:")


def _our_url_names():
    names = set()

    def walk(patterns, namespace=None):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace in {"api-v1", "admin"} or "allauth" in str(entry.urlconf_name):
                    continue
                walk(entry.url_patterns, entry.namespace or namespace)
            elif isinstance(entry, URLPattern) and entry.name and namespace:
                names.add(f"{namespace}:{entry.name}")

    walk(get_resolver().url_patterns)
    return names


def test_every_page_is_in_the_matrix():
    unknown = {
        name
        for name in _our_url_names() - set(PAGES) - PUBLIC - NOT_A_PAGE - COVERED_BY_APP_TESTS
        if not (name.startswith(COVERED_BY_APP_TESTS_PREFIXES) and name not in PAGES)
    }
    assert unknown == set(), f"pages missing from the access matrix: {sorted(unknown)}"


@pytest.fixture
def objects(make_user):
    from sanggar.accounts.services import affiliate_apply
    from sanggar.catalog import services as catalog
    from sanggar.orders.services import ItemRequest, order_create
    from sanggar.orders.tests.shop import Shop

    target = make_user(full_name="Target Uji")
    applicant = make_user(full_name="Pemohon Uji")
    application = affiliate_apply(user=applicant, motivation="Saya ingin mempromosikan kelas ekspor ke komunitas saya.")
    owner = make_user(Role.ADMIN, full_name="Pemilik Katalog")
    shop = Shop(owner)
    plan = shop.plan("Gold Uji", prices=(("12m", 1_200_000),))
    product = shop.product("Ebook Uji", price=150_000)
    category = catalog.category_create(actor=owner, name="Ebook")
    coupon = catalog.coupon_create(actor=owner, code="UJI10", discount_type="percent", value=10)
    order = order_create(
        buyer=target, items=[ItemRequest(kind="plan", slug=plan.slug, duration="12m")], provider="manual"
    )
    return {
        "target": target,
        "application": application,
        "plan": plan.pk,
        "product": product.pk,
        "category": category.pk,
        "coupon": coupon.pk,
        "invoice": order.invoice_number,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGES))
def test_anonymous_is_sent_to_login(client, objects, name):
    path = PAGES[name][0](objects)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_role_page_matrix(client, make_user, objects, role, name):
    build, allowed = PAGES[name]
    user = make_user(role)
    client.force_login(user)
    response = client.get(build(objects))
    expected = 200 if role in allowed else 403
    assert response.status_code == expected, f"{role} on {name}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_menu_item_opens_for_its_role(client, make_user, role):
    user = make_user(role)
    client.force_login(user)
    session = client.session
    session["active_role"] = role
    session.save()
    items = items_for_role(role)
    assert items, f"{role} has an empty menu"
    for item in items:
        from django.urls import reverse

        response = client.get(reverse(item.url_name))
        assert response.status_code == 200, f"{role}: menu item {item.url_name}"


@pytest.mark.django_db
def test_sidebar_shows_only_the_active_roles_menu(client, make_user):
    user = make_user(Role.ADMIN, Role.AFFILIATE)
    client.force_login(user)
    admin_page = client.get("/dashboard/").content.decode()
    assert 'href="/admin/users"' in admin_page
    client.post("/peran/ganti", {"role": Role.AFFILIATE, "next": "/dashboard/"})
    affiliate_page = client.get("/dashboard/").content.decode()
    assert 'data-role-menu="affiliate"' in affiliate_page
    assert 'href="/admin/users"' not in affiliate_page


@pytest.mark.django_db
def test_switching_to_a_role_the_user_lacks_is_ignored(client, member_user):
    client.force_login(member_user)
    client.post("/peran/ganti", {"role": Role.ADMIN, "next": "/dashboard/"})
    page = client.get("/dashboard/").content.decode()
    assert 'data-role-menu="member"' in page
    assert client.get("/admin/users").status_code == 403


@pytest.mark.django_db
def test_role_switch_refuses_offsite_redirects(client, member_user):
    client.force_login(member_user)
    response = client.post("/peran/ganti", {"role": Role.MEMBER, "next": "https://evil.example/"})
    assert response["Location"] == "/"
