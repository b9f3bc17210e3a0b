"""The branding pages in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item

menu_item(
    "system", 10, MenuItem(_("Branding"), "branding:admin_settings", "palette", ADMIN, "/admin/settings/branding")
)
