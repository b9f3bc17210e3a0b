"""The notifications pages in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item
from sanggar.core.roles import ALL_ROLES

menu_item("dashboard", 30, MenuItem(_("Notifikasi"), "notifications:list", "bell", ALL_ROLES))
menu_item(
    "tools",
    10,
    MenuItem(_("Log Pengiriman"), "notifications:admin_deliveries", "send", ADMIN, "/admin/notifications/deliveries"),
)
menu_item(
    "templates",
    10,
    MenuItem(
        _("Template Pesan"), "notifications:admin_templates", "mail", ADMIN, "/admin/settings/notification-templates"
    ),
)
menu_item(
    "tools",
    11,
    MenuItem(
        _("Berhenti Berlangganan"),
        "notifications:admin_suppression",
        "mail-x",
        ADMIN,
        "/admin/notifications/suppression",
    ),
)
menu_item(
    "templates",
    11,
    MenuItem(
        _("Aturan Notifikasi"), "notifications:admin_rules", "bell-ring", ADMIN, "/admin/settings/notification-rules"
    ),
)
menu_item(
    "templates",
    12,
    MenuItem(_("Aturan Otomatis"), "notifications:admin_smart_rules", "sparkles", ADMIN, "/admin/settings/smart-rules"),
)
