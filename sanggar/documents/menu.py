"""The documents pages in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item
from sanggar.core.roles import ALL_ROLES

menu_item("dashboard", 55, MenuItem(_("Dokumen Saya"), "documents:list", "file-text", ALL_ROLES, "/dokumen"))
menu_item(
    "catalog",
    60,
    MenuItem(_("Dokumen Membership"), "documents:admin_documents", "folder-lock", ADMIN, "/admin/dokumen"),
)
