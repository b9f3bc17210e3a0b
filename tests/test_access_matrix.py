"""The role × page matrix: every page of the platform, opened anonymously and as each role.

Anonymous visitors are sent to log in, a role that may not open the page gets 403, the right roles get 200.
`test_every_page_is_in_the_matrix` fails when a new page is added without an entry here, so no page
escapes the check."""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

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
    "ops:health": (lambda o: "/admin/sistem/kesehatan", ADMIN),
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
    "community:invitations": (lambda o: "/komunitas/undangan", ALL_ROLES),
    "events:calendar": (lambda o: "/event/kalender", ALL_ROLES),
    "community:admin_gamification": (lambda o: "/admin/gamifikasi", ADMIN),
    "events:recordings": (lambda o: "/event/rekaman", ALL_ROLES),
    "events:mine": (lambda o: "/event/saya", ALL_ROLES),
    "community:group_new": (lambda o: "/komunitas/grup-baru", (Role.ADMIN, Role.MENTOR)),
    "community:my_proposals": (lambda o: "/komunitas/usulan-grup", (Role.ADMIN, Role.MENTOR)),
    "community:admin_proposals": (lambda o: "/admin/grup/usulan", ADMIN),
    "reminders:sequence_create": (lambda o: "/admin/pengingat/baru", ADMIN),
    "reminders:dashboard": (lambda o: "/admin/pengingat/dasbor", ADMIN),
    "reminders:tracking_settings": (lambda o: "/admin/pengingat/pelacakan", ADMIN),
    "reminders:broadcasts": (lambda o: "/admin/broadcast", ADMIN),
    "reminders:broadcast_create": (lambda o: "/admin/broadcast/baru", ADMIN),
    "trainings:mine": (lambda o: "/training", ALL_ROLES),
    # Suppliers: any signed-in user may open the supplier pages (a non-supplier sees the registration page there).
    "suppliers:onboarding": (lambda o: "/supplier/onboarding", ALL_ROLES),
    "suppliers:step_type": (lambda o: "/supplier/onboarding/jenis-usaha", ALL_ROLES),
    "suppliers:step_profile": (lambda o: "/supplier/onboarding/profil/identitas", ALL_ROLES),
    "suppliers:step_files": (lambda o: "/supplier/onboarding/dokumen", ALL_ROLES),
    "suppliers:step_assessment": (lambda o: "/supplier/onboarding/asesmen", ALL_ROLES),
    "suppliers:home": (lambda o: "/supplier/dasbor", ALL_ROLES),
    "suppliers:products": (lambda o: "/supplier/produk", ALL_ROLES),
    "suppliers:product_new": (lambda o: "/supplier/produk/baru", ALL_ROLES),
    "suppliers:statistics": (lambda o: "/supplier/statistik", ALL_ROLES),
    "suppliers:package": (lambda o: "/supplier/paket", ALL_ROLES),
    "suppliers:chat_settings": (lambda o: "/supplier/chat", ALL_ROLES),
    "suppliers:directory": (lambda o: "/direktori/supplier", ALL_ROLES),
    "suppliers:favourites": (lambda o: "/direktori/supplier/favorit", ALL_ROLES),
    "suppliers:mentor_queue": (lambda o: "/mentor/supplier", (Role.MENTOR, Role.ADMIN)),
    "suppliers:questions": (lambda o: "/mentor/supplier/asesmen", (Role.MENTOR, Role.ADMIN)),
    "suppliers:admin_list": (lambda o: "/admin/supplier", ADMIN),
    "suppliers:admin_packages": (lambda o: "/admin/supplier/paket", ADMIN),
    "suppliers:admin_export": (lambda o: "/admin/supplier/produk.csv", ADMIN),
    "trainings:admin_batches": (lambda o: "/admin/trainings", ADMIN),
    "banners:admin_create": (lambda o: "/admin/banner/baru", ADMIN),
    "banners:admin_packages": (lambda o: "/admin/banner/paket", ADMIN),
    "banners:admin_export": (lambda o: "/admin/banner/statistik.csv", ADMIN),
    "banners:sponsor_home": (lambda o: "/iklan-saya", ALL_ROLES),
    "tickets:canned_list": (lambda o: "/support/balasan-cepat", (Role.ADMIN, Role.SUPPORT)),
    "documents:list": (lambda o: "/dokumen", ALL_ROLES),
    "documents:history": (lambda o: "/dokumen/riwayat", ALL_ROLES),
    "documents:admin_documents": (lambda o: "/admin/dokumen", ADMIN),
    "migration:admin_runs": (lambda o: "/admin/migrasi", ADMIN),
    "documents:admin_document_create": (lambda o: "/admin/dokumen/baru", ADMIN),
    "documents:admin_categories": (lambda o: "/admin/dokumen/kategori", ADMIN),
    "documents:admin_logs": (lambda o: "/admin/dokumen/log", ADMIN),
    "documents:admin_logs_export": (lambda o: "/admin/dokumen/log/export.csv", ADMIN),
    "directory:buyers": (lambda o: "/direktori/buyer", ALL_ROLES),
    "directory:buyer_favourites": (lambda o: "/direktori/buyer/favorit", ALL_ROLES),
    "directory:forwarders": (lambda o: "/direktori/forwarder", ALL_ROLES),
    "directory:rate_compare": (lambda o: "/direktori/forwarder/bandingkan", ALL_ROLES),
    "directory:members": (lambda o: "/direktori/member", ALL_ROLES),
    "directory:my_profile": (lambda o: "/direktori/member/profil-saya", ALL_ROLES),
    "directory:documents": (lambda o: "/dokumen-ekspor", ALL_ROLES),
    "directory:document_create": (lambda o: "/dokumen-ekspor/baru", ALL_ROLES),
    "directory:admin_buyers": (lambda o: "/admin/direktori/buyer", (Role.ADMIN, Role.MENTOR)),
    "directory:admin_buyer_create": (lambda o: "/admin/direktori/buyer/baru", (Role.ADMIN, Role.MENTOR)),
    "directory:admin_buyer_import": (lambda o: "/admin/direktori/buyer/impor", (Role.ADMIN, Role.MENTOR)),
    "directory:admin_buyer_import_template": (
        lambda o: "/admin/direktori/buyer/impor/templat.csv",
        (Role.ADMIN, Role.MENTOR),
    ),
    "directory:admin_buyers_export": (lambda o: "/admin/direktori/buyer/export.csv", ADMIN),
    "directory:admin_buyers_export_xlsx": (lambda o: "/admin/direktori/buyer/export.xlsx", ADMIN),
    "directory:admin_buyer_stats": (lambda o: "/admin/direktori/statistik", ADMIN),
    "directory:admin_buyer_tracker": (lambda o: "/admin/direktori/pelacak", ADMIN),
    "directory:admin_reports": (lambda o: "/admin/direktori/laporan", ADMIN),
    "directory:admin_ratings": (lambda o: "/admin/direktori/rating", ADMIN),
    "directory:admin_quotas": (lambda o: "/admin/direktori/kuota", ADMIN),
    "directory:admin_forwarders": (lambda o: "/admin/direktori/forwarder", ADMIN),
    "directory:admin_forwarder_create": (lambda o: "/admin/direktori/forwarder/baru", ADMIN),
    "directory:admin_forwarder_import": (lambda o: "/admin/direktori/forwarder/impor", ADMIN),
    "directory:admin_forwarder_import_template": (lambda o: "/admin/direktori/forwarder/impor/templat.csv", ADMIN),
    "directory:admin_document_templates": (lambda o: "/admin/direktori/templat-dokumen", ADMIN),
    "directory:admin_document_template_edit": (lambda o: "/admin/direktori/templat-dokumen/packing_list", ADMIN),
    "catalog:admin_plans": (lambda o: "/admin/membership", ADMIN),
    "catalog:admin_plan_create": (lambda o: "/admin/membership/baru", ADMIN),
    "catalog:admin_plan_edit": (lambda o: f"/admin/membership/{o['plan']}", ADMIN),
    "catalog:admin_plan_prices": (lambda o: f"/admin/membership/{o['plan']}/harga", ADMIN),
    "catalog:admin_plan_content": (lambda o: f"/admin/membership/{o['plan']}/konten", ADMIN),
    "catalog:admin_plan_marketing": (lambda o: f"/admin/membership/{o['plan']}/marketing", ADMIN),
    "reminders:plan_reminders": (lambda o: f"/admin/membership/{o['plan']}/reminder", ADMIN),
    "reminders:plan_reminders_analytics": (lambda o: f"/admin/membership/{o['plan']}/reminder/analitik", ADMIN),
    "catalog:admin_products": (lambda o: "/admin/produk", ADMIN),
    "catalog:admin_product_create": (lambda o: "/admin/produk/baru", ADMIN),
    "catalog:admin_product_edit": (lambda o: f"/admin/produk/{o['product']}", ADMIN),
    "catalog:admin_product_pricing": (lambda o: f"/admin/produk/{o['product']}/harga", ADMIN),
    "catalog:admin_product_access": (lambda o: f"/admin/produk/{o['product']}/akses", ADMIN),
    "catalog:admin_product_files": (lambda o: f"/admin/produk/{o['product']}/file", ADMIN),
    "reminders:product_reminders": (lambda o: f"/admin/produk/{o['product']}/reminder", ADMIN),
    "reminders:product_reminders_analytics": (lambda o: f"/admin/produk/{o['product']}/reminder/analitik", ADMIN),
    "reminders:course_reminders": (lambda o: f"/admin/kursus/{o['course']}/pengingat", ADMIN),
    "reminders:course_reminders_analytics": (lambda o: f"/admin/kursus/{o['course']}/pengingat/analitik", ADMIN),
    "reminders:event_reminders": (lambda o: f"/admin/event/{o['event']}/pengingat", ADMIN),
    "reminders:event_reminders_analytics": (lambda o: f"/admin/event/{o['event']}/pengingat/analitik", ADMIN),
    "reminders:supplier_reminders": (lambda o: "/admin/supplier/pengingat", ADMIN),
    "reminders:supplier_analytics": (lambda o: "/admin/supplier/pengingat/analitik", ADMIN),
    "catalog:admin_product_content": (lambda o: f"/admin/produk/{o['product']}/konten", ADMIN),
    "catalog:admin_product_seo": (lambda o: f"/admin/produk/{o['product']}/seo", ADMIN),
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
    "learning:admin_progress": (lambda o: "/admin/kursus/progres", ADMIN),
    "learning:admin_reminder_settings": (lambda o: "/admin/kursus/pengingat", ADMIN),
    "learning:admin_video_hosts": (lambda o: "/admin/kursus/host-video", ADMIN),
    "chat:inbox": (lambda o: "/chat", ALL_ROLES),
    "chat:blocks": (lambda o: "/chat/diblokir", ALL_ROLES),
    "chat:admin_reports": (lambda o: "/admin/chat/laporan", ADMIN),
    "chat:admin_stats": (lambda o: "/admin/chat/statistik", ADMIN),
    "learning:admin_mentor_applications": (lambda o: "/admin/kursus/pendaftaran-mentor", ADMIN),
    "learning:mentor_apply": (lambda o: "/jadi-mentor", ALL_ROLES),
    "classes:programs": (lambda o: "/kelas-live", ALL_ROLES),
    "classes:mine": (lambda o: "/kelas-live/saya", ALL_ROLES),
    "classes:tutor": (lambda o: "/mentor/kelas-live", (Role.MENTOR, Role.ADMIN)),
    "classes:admin_waiting": (lambda o: "/admin/kelas-live/daftar-tunggu", ADMIN),
    "classes:admin_programs": (lambda o: "/admin/kelas-live", ADMIN),
    "classes:tutor_availability": (lambda o: "/mentor/kelas-live/ketersediaan", (Role.MENTOR,)),
    "classes:admin_enrollments": (lambda o: "/admin/kelas-live/pendaftaran", ADMIN),
    "classes:admin_attendance": (lambda o: "/admin/kelas-live/kehadiran", ADMIN),
    # Booster Suite (sanggar.booster): the affiliate's pages and the admins' pages.
    "booster:bio_edit": (lambda o: "/affiliate/bio", (Role.AFFILIATE,)),
    "booster:optin_list": (lambda o: "/affiliate/optin", (Role.AFFILIATE,)),
    "booster:optin_create": (lambda o: "/affiliate/optin/baru", (Role.AFFILIATE,)),
    "booster:leads": (lambda o: "/affiliate/leads", (Role.AFFILIATE,)),
    "booster:leads_export": (lambda o: "/affiliate/leads/export.csv", (Role.AFFILIATE,)),
    "booster:lead_create": (lambda o: "/affiliate/leads/baru", (Role.AFFILIATE,)),
    "booster:leads_import": (lambda o: "/affiliate/leads/impor", (Role.AFFILIATE,)),
    "booster:credits": (lambda o: "/affiliate/credits", (Role.AFFILIATE,)),
    "booster:broadcasts": (lambda o: "/affiliate/broadcast", (Role.AFFILIATE,)),
    "booster:broadcast_create": (lambda o: "/affiliate/broadcast/baru", (Role.AFFILIATE,)),
    "booster:automations": (lambda o: "/affiliate/automation", (Role.AFFILIATE,)),
    "booster:automation_create": (lambda o: "/affiliate/automation/baru", (Role.AFFILIATE,)),
    "booster:admin_usage": (lambda o: "/admin/affiliate/credits", ADMIN),
    "booster:admin_packages": (lambda o: "/admin/affiliate/credits/paket", ADMIN),
    "booster:admin_templates": (lambda o: "/admin/affiliate/templates", ADMIN),
    "booster:admin_email_template_create": (lambda o: "/admin/affiliate/templates/email/baru", ADMIN),
    "booster:admin_bio_template_create": (lambda o: "/admin/affiliate/templates/bio/baru", ADMIN),
    "booster:admin_sequences": (lambda o: "/admin/affiliate/automation", ADMIN),
    "booster:admin_suppression": (lambda o: "/admin/affiliate/suppression", ADMIN),
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
    # Booster: bio pages, opt-in forms (and their lead magnet), email tracking and unsubscribe are public.
    "booster:bio",
    "booster:bio_go",
    "booster:optin",
    "booster:optin_magnet",
    "booster:track_open",
    "booster:track_click",
    "booster:unsubscribe",
    # The signed unsubscribe link of broadcast emails (sanggar/notifications/tests/test_suppression.py).
    "notifications:unsubscribe",
    "notifications:unsubscribe_one_click",  # its RFC 8058 POST target (the same signed token)
    # Reminders: the signed email open pixel and click redirect of a reminder send (sanggar/reminders/tests).
    "reminders:track_open",
    "reminders:track_click",
}
NOT_A_PAGE = {
    "core:switch_role",
    # Machine endpoints: /readyz for load balancers (public, says only ok/error per component), /metrics for
    # Prometheus (token, allowed addresses or an admin session): sanggar/ops/tests/test_observability.py.
    "ops:readyz",
    "ops:metrics",
    "booster:bio_button_add",
    "booster:bio_button_action",
    "booster:bio_buttons_reorder",
    "booster:broadcast_action",
    "accounts:admin_user_roles",
    "accounts:admin_user_deactivate",
    "accounts:admin_user_reactivate",
    "accounts:admin_api_key_revoke",
    "branding:admin_reset_colors",
    "orders:invoice_pay",
    "payments:webhook",
    "notifications:fonnte_status_webhook",
    "notifications:onesignal_event_webhook",
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
    "suppliers:contact",
    "suppliers:contact_open",
    "suppliers:report",
    "suppliers:save",
    "suppliers:rate",
    "suppliers:product_like",
}
# Detail pages whose objects the fixture does not build; each app's view tests cover them.
COVERED_BY_APP_TESTS = {
    # the old follow-up tabs: redirects to the reminder builder's "Reminder" tab, admins only
    # (sanggar/catalog/tests/test_views.py)
    "catalog:admin_plan_follow_ups",
    "catalog:admin_product_follow_ups",
    # the migration's run page and its CSV (sanggar/migration/tests/test_hashers_and_pages.py)
    "migration:admin_run",
    "migration:admin_run_csv",
    # Sejoli's old links: public redirects (sanggar/migration/tests/test_import.py)
    "migration:legacy_aff",
    "migration:legacy_aff_target",
    "migration:legacy_renew",
    "migration:legacy_member_area",
    "migration:legacy_member_area_path",
    "migration:legacy_member_download",
    # live classes: POST-only actions and a program's page (sanggar/classes/tests/test_pages.py)
    "classes:register",
    "classes:pay",
    "classes:renew",
    "classes:buy_extra",
    "classes:tutor_mark",
    "classes:excuse",  # sanggar/classes/tests/test_excuse.py
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
    "banners:admin_announce",
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
    "reminders:step_duplicate",
    "reminders:sequence_duplicate",
    "reminders:sequence_log",
    "reminders:sequence_analytics",
    "reminders:step_preview",
    "reminders:step_test",
    "reminders:broadcast_edit",
    "reminders:broadcast_send",
    "reminders:broadcast_progress",
    # POST-only admin endpoints (JSON / HTMX): sanggar/reminders/tests/test_broadcast_delivery.py checks access.
    "reminders:steps_reorder",
    "reminders:sequence_toggle",
    "reminders:sequence_move",
    "reminders:sequence_delete",
    "reminders:broadcast_audience",
    # The Reminder tab's drag-and-drop order (POST JSON): sanggar/reminders/tests/test_target_tabs.py checks access.
    "reminders:plan_reminders_reorder",
    "reminders:product_reminders_reorder",
    "reminders:course_reminders_reorder",  # sanggar/reminders/tests/test_target_tabs.py checks access
    "reminders:event_reminders_reorder",
    "reminders:supplier_reminders_reorder",  # sanggar/suppliers/tests/test_upgrade_reminders.py checks access
    # Batches and tiers the fixture does not build: sanggar/trainings/tests check who may open them.
    "trainings:register",
    "trainings:workspace",
    "trainings:admin_batch",
    # Suppliers, their products and files the fixture does not build: sanggar/suppliers/tests cover who may open
    # them (a Premium supplier's profile is public, others need a signed-in user; documents: owner, mentors, admins).
    "suppliers:product_edit",
    "suppliers:profile",
    "suppliers:product",
    "suppliers:file",
    "suppliers:document",
    "suppliers:mentor_review",
    "suppliers:admin_detail",
    # Bank accounts for manual transfer: role tests in sanggar/integrations/tests.
    "integrations:bank_edit",
    "integrations:bank_delete",
    # Directory entries, imports and documents the fixture does not build: sanggar/directory/tests cover their roles.
    "directory:buyer_detail",
    "directory:buyer_report",
    "directory:forwarder_detail",
    "directory:forwarder_report",
    "directory:document_edit",
    "directory:document_pdf",
    "directory:admin_buyer_edit",
    "directory:admin_buyer_import_detail",
    "directory:admin_forwarder_import_detail",
    "directory:admin_forwarder_import_progress",
    "directory:admin_forwarder_import_problems",
    "directory:admin_buyer_import_progress",
    "directory:admin_buyer_import_problems",
    "directory:admin_forwarder_edit",
    # Booster objects the fixture does not build: sanggar/booster/tests check owners, other affiliates and roles.
    "booster:optin_edit",
    "booster:lead_edit",
    "booster:broadcast_edit",
    "booster:broadcast_log_export",
    "booster:automation_edit",
    "booster:credit_checkout",
    "booster:admin_affiliate",
    "booster:admin_package_edit",
    "booster:admin_email_template_edit",
    "booster:admin_bio_template_edit",
    "booster:admin_sequence_edit",
    # Testimonials: role tests in sanggar/marketing/tests.
    "marketing:admin_testimonial_edit",
    "marketing:admin_testimonial_delete",
}
# The course catalogue is public; every other course page needs a course, lesson, quiz, certificate... and has its
# role and ownership tests in sanggar/learning/tests.
PUBLIC |= {"learning:catalogue", "trainings:order", "suppliers:register"}
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
    from sanggar.events.services import event_create
    from sanggar.learning.services import course_create
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
    course = course_create(actor=owner, data={"title": "Kelas Uji", "summary": "Ringkasan kelas uji"})
    start = timezone.now() + timedelta(days=3)
    event = event_create(
        actor=owner,
        data={"title": "Webinar Uji", "slug": "webinar-uji", "starts_at": start, "ends_at": start + timedelta(hours=2)},
    )
    return {
        "course": course.pk,
        "event": event.pk,
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
