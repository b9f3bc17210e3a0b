"""The memberships pages in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item
from sanggar.core.roles import ALL_ROLES

menu_item("dashboard", 40, MenuItem(_("Membership Saya"), "memberships:mine", "crown", ALL_ROLES))
menu_item(
    "users",
    40,
    MenuItem(_("Membership Anggota"), "memberships:admin_list", "crown", ADMIN, "/admin/memberships"),
)
