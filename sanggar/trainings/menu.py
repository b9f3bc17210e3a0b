"""The training pages in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item
from sanggar.core.roles import ALL_ROLES

menu_item("dashboard", 47, MenuItem(_("Training Saya"), "trainings:mine", "award", ALL_ROLES, "/training"))
menu_item(
    "catalog", 37, MenuItem(_("Batch Training"), "trainings:admin_batches", "calendar", ADMIN, "/admin/trainings")
)
