"""The banners' admin page in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item

menu_item("tools", 85, MenuItem(_("Banner & Iklan"), "banners:admin_list", "megaphone", ADMIN, "/admin/banner"))
