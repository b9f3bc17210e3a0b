"""The one menu definition. Every role's sidebar is built from it.

Sections follow the client's "Struktur Menu (Modular)". An item lists the roles that see it in their sidebar
(a user with several roles sees the menu of the role they have switched to). Only pages that exist are listed:
`tests/test_menu.py` opens every item as every role that sees it and expects 200.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sanggar.core.roles import ALL_ROLES, FINANCE_ROLES, Role

ADMIN = (Role.ADMIN,)
AFFILIATE = (Role.AFFILIATE,)
EARNERS = (Role.AFFILIATE, Role.MENTOR, Role.FOUNDER, Role.COFOUNDER)


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    icon: str
    roles: tuple[str, ...]
    # Other URL names that highlight this item (its detail and edit pages).
    active_prefix: str = ""


@dataclass(frozen=True)
class MenuSection:
    title: str
    items: tuple[MenuItem, ...]


MENU: tuple[MenuSection, ...] = (
    MenuSection(
        _("Dashboard"),
        (
            MenuItem(_("Dashboard"), "dashboard:home", "layout-dashboard", ALL_ROLES),
            MenuItem(_("Profil"), "accounts:profile", "user-round", ALL_ROLES, "/profil"),
            MenuItem(_("Notifikasi"), "notifications:list", "bell", ALL_ROLES),
            MenuItem(_("Membership Saya"), "memberships:mine", "crown", ALL_ROLES),
            MenuItem(_("Produk Saya"), "access:my_products", "package", ALL_ROLES, "/produk-saya"),
            MenuItem(_("Riwayat Pembelian"), "orders:purchases", "receipt", ALL_ROLES, "/riwayat-pembelian"),
        ),
    ),
    MenuSection(
        _("Manajemen Pengguna"),
        (
            MenuItem(_("Pengguna"), "accounts:admin_users", "users", ADMIN, "/admin/users"),
            MenuItem(_("Pengajuan Affiliate"), "accounts:admin_affiliate_applications", "user-check", ADMIN,
                     "/admin/affiliate-applications"),
            MenuItem(_("Hak Akses"), "access:admin_grants", "shield-check", ADMIN, "/admin/akses"),
            MenuItem(_("Membership Anggota"), "memberships:admin_list", "crown", ADMIN, "/admin/memberships"),
        ),
    ),
    MenuSection(
        _("Afiliasi"),
        (
            MenuItem(_("Statistik"), "affiliates:stats", "chart-line", AFFILIATE),
            MenuItem(_("Link Saya"), "affiliates:links", "link", AFFILIATE, "/affiliate/link"),
            MenuItem(_("Link Pendek"), "affiliates:short_links", "link-2", AFFILIATE, "/affiliate/short-links"),
            MenuItem(_("Leaderboard"), "affiliates:leaderboard", "trophy", (Role.AFFILIATE, Role.ADMIN)),
            MenuItem(_("Challenge"), "affiliates:challenges", "flag", AFFILIATE),
            MenuItem(_("Marketing Kit"), "affiliates:kit", "megaphone", AFFILIATE, "/affiliate/marketing-kit"),
            MenuItem(_("Affiliate"), "affiliates:admin_affiliates", "users", ADMIN),
            MenuItem(_("Domain Link Pendek"), "affiliates:admin_domains", "globe", ADMIN, "/admin/affiliate/domains"),
            MenuItem(_("Keputusan Atribusi"), "affiliates:admin_decisions", "shield-alert", ADMIN,
                     "/admin/affiliate/keputusan"),
        ),
    ),
    MenuSection(
        _("Produk & Membership"),
        (
            MenuItem(_("Membership"), "catalog:admin_plans", "crown", ADMIN, "/admin/membership"),
            MenuItem(_("Produk"), "catalog:admin_products", "package", ADMIN, "/admin/produk"),
            MenuItem(_("Kupon & Diskon"), "catalog:admin_coupons", "ticket-percent", ADMIN, "/admin/kupon"),
        ),
    ),
    MenuSection(
        _("Keuangan"),
        (
            MenuItem(_("Dompet"), "finance:wallet", "wallet", EARNERS, "/dompet"),
            MenuItem(_("Pendapatan"), "finance:admin_report", "chart-line", FINANCE_ROLES, "/admin/finance"),
            MenuItem(_("Analitik"), "analytics:admin", "chart-column", ADMIN, "/admin/analytics"),
            MenuItem(_("Penjualan"), "orders:admin_sales", "receipt-text", ADMIN, "/admin/sales"),
            MenuItem(_("Menunggu Konfirmasi"), "orders:admin_sales_awaiting", "file-check", ADMIN,
                     "/admin/sales/menunggu-konfirmasi"),
            MenuItem(_("Penarikan Dana"), "finance:admin_payouts", "banknote", ADMIN, "/admin/payouts"),
            MenuItem(_("Bagi Hasil"), "finance:admin_revenue_settings", "percent", ADMIN, "/admin/settings/revenue"),
        ),
    ),
    MenuSection(
        _("Alat"),
        (
            MenuItem(_("Log Pengiriman"), "notifications:admin_deliveries", "send", ADMIN,
                     "/admin/notifications/deliveries"),
            MenuItem(_("Activity Logs"), "audit:admin_list", "scroll-text", ADMIN, "/admin/activity-log"),
        ),
    ),
    MenuSection(
        _("Template"),
        (
            MenuItem(_("Template Pesan"), "notifications:admin_templates", "mail", ADMIN,
                     "/admin/settings/notification-templates"),
        ),
    ),
    MenuSection(
        _("Sistem"),
        (
            MenuItem(_("Branding"), "branding:admin_settings", "palette", ADMIN, "/admin/settings/branding"),
            MenuItem(_("API Keys"), "accounts:admin_api_keys", "key-round", ADMIN, "/admin/settings/api-keys"),
        ),
    ),
)  # fmt: skip


def _under(path: str, prefix: str) -> bool:
    """`/admin/membership/3` is under `/admin/membership`; `/admin/memberships` is not."""
    return path == prefix or path.startswith(prefix.rstrip("/") + "/")


@dataclass(frozen=True)
class ResolvedItem:
    label: str
    url: str
    icon: str
    active: bool


@dataclass(frozen=True)
class ResolvedSection:
    title: str
    items: tuple[ResolvedItem, ...]


def items_for_role(role: str) -> list[MenuItem]:
    return [item for section in MENU for item in section.items if role in item.roles]


def menu_for(role: str, path: str) -> list[ResolvedSection]:
    sections = []
    for section in MENU:
        items = []
        for item in section.items:
            if role not in item.roles:
                continue
            url = reverse(item.url_name)
            active = path == url or bool(item.active_prefix and _under(path, item.active_prefix))
            items.append(ResolvedItem(str(item.label), url, item.icon, active))
        if items:
            sections.append(ResolvedSection(str(section.title), tuple(items)))
    return sections
