"""The audit pages in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item

menu_item("tools", 20, MenuItem(_("Activity Logs"), "audit:admin_list", "scroll-text", ADMIN, "/admin/activity-log"))
