"""The accounts pages in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item
from sanggar.core.roles import ALL_ROLES

menu_item("dashboard", 20, MenuItem(_("Profil"), "accounts:profile", "user-round", ALL_ROLES, "/profil"))
menu_item("users", 10, MenuItem(_("Pengguna"), "accounts:admin_users", "users", ADMIN, "/admin/users"))
menu_item(
    "users",
    20,
    MenuItem(
        _("Pengajuan Affiliate"),
        "accounts:admin_affiliate_applications",
        "user-check",
        ADMIN,
        "/admin/affiliate-applications",
    ),
)
menu_item(
    "system", 20, MenuItem(_("API Keys"), "accounts:admin_api_keys", "key-round", ADMIN, "/admin/settings/api-keys")
)
