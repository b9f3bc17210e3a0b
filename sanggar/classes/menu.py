"""The live-class pages in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item
from sanggar.core.roles import ALL_ROLES, Role

menu_item("dashboard", 46, MenuItem(_("Kelas Live"), "classes:programs", "video", ALL_ROLES, "/kelas-live"))
menu_item("catalog", 34, MenuItem(_("Jadwal Kelas Live"), "classes:tutor", "calendar", (Role.MENTOR, Role.ADMIN)))
menu_item("catalog", 35, MenuItem(_("Daftar Tunggu Kelas"), "classes:admin_waiting", "users", ADMIN))
