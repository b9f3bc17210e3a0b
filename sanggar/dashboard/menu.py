"""The dashboard pages in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import MenuItem, menu_item
from sanggar.core.roles import ALL_ROLES

menu_item("dashboard", 10, MenuItem(_("Dashboard"), "dashboard:home", "layout-dashboard", ALL_ROLES))
