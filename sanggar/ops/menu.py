"""The "Kesehatan Sistem" page in the admin's sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item

menu_item(
    "system",
    90,
    MenuItem(_("Kesehatan Sistem"), "ops:health", "activity", ADMIN, "/admin/sistem/kesehatan"),
)
