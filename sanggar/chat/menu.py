"""Chat in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item
from sanggar.core.roles import ALL_ROLES

menu_item("tools", 20, MenuItem(_("Chat"), "chat:inbox", "message-circle", ALL_ROLES, "/chat"))
menu_item("tools", 21, MenuItem(_("Laporan Chat"), "chat:admin_reports", "flag", ADMIN, "/admin/chat"))
menu_item(
    "tools", 22, MenuItem(_("Statistik Chat"), "chat:admin_stats", "chart-column", ADMIN, "/admin/chat/statistik")
)
menu_item("tools", 23, MenuItem(_("Stiker"), "chat:admin_stickers", "sticker", ADMIN, "/admin/stiker"))
