"""Reminders and broadcasts in the admin's sidebar."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item

menu_item("tools", 40, MenuItem(_("Pengingat Otomatis"), "reminders:sequences", "bell", ADMIN, "/admin/pengingat"))
menu_item(
    "tools",
    42,
    MenuItem(_("Dasbor Pengingat"), "reminders:dashboard", "chart-column", ADMIN, "/admin/pengingat/dasbor"),
)
menu_item("tools", 41, MenuItem(_("Broadcast"), "reminders:broadcasts", "send", ADMIN, "/admin/broadcast"))
