"""The analytics page in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item

menu_item("finance", 25, MenuItem(_("Analitik"), "analytics:admin", "chart-column", ADMIN, "/admin/analytics"))
