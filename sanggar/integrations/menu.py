"""The integrations pages in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item

menu_item(
    "system",
    30,
    MenuItem(_("Pembayaran"), "integrations:payments", "credit-card", ADMIN, "/admin/settings/payments"),
)
menu_item(
    "system",
    32,
    MenuItem(_("Integrasi"), "integrations:integrations", "plug", ADMIN, "/admin/settings/integrations"),
)
