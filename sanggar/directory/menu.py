"""The directory pages in the sidebar: the section "Direktori Ekspor (Premium)" for everyone (suppliers add
"Database Supplier" to it), and the admins' / mentors' management pages."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item, menu_section
from sanggar.core.roles import ALL_ROLES, Role

MANAGERS = (Role.ADMIN, Role.MENTOR)

menu_section("directory", _("Direktori Ekspor (Premium)"), 17)
menu_item("directory", 10, MenuItem(_("Database Buyer"), "directory:buyers", "globe", ALL_ROLES, "/direktori/buyer"))
menu_item(
    "directory",
    30,
    MenuItem(_("Database Forwarder"), "directory:forwarders", "ship", ALL_ROLES, "/direktori/forwarder"),
)
menu_item(
    "directory", 40, MenuItem(_("Dokumen Ekspor"), "directory:documents", "file-text", ALL_ROLES, "/dokumen-ekspor")
)
menu_item(
    "directory", 50, MenuItem(_("Member Directory"), "directory:members", "map-pin", ALL_ROLES, "/direktori/member")
)
menu_item(
    "directory",
    60,
    MenuItem(_("Kelola Buyer"), "directory:admin_buyers", "database", MANAGERS, "/admin/direktori/buyer"),
)
menu_item(
    "directory",
    70,
    MenuItem(_("Statistik Buyer"), "directory:admin_buyer_stats", "chart-column", ADMIN, "/admin/direktori/statistik"),
)
menu_item(
    "directory",
    80,
    MenuItem(_("Kelola Forwarder"), "directory:admin_forwarders", "truck", ADMIN, "/admin/direktori/forwarder"),
)
menu_item(
    "directory",
    85,
    MenuItem(
        _("Templat Dokumen Ekspor"),
        "directory:admin_document_templates",
        "file-text",
        ADMIN,
        "/admin/direktori/templat-dokumen",
    ),
)
menu_item(
    "directory",
    90,
    MenuItem(_("Laporan Data"), "directory:admin_reports", "flag", ADMIN, "/admin/direktori/laporan"),
)
menu_item(
    "directory",
    92,
    MenuItem(_("Rating & Ulasan"), "directory:admin_ratings", "star", ADMIN, "/admin/direktori/rating"),
)
menu_item(
    "directory", 95, MenuItem(_("Kuota Direktori"), "directory:admin_quotas", "gauge", ADMIN, "/admin/direktori/kuota")
)
