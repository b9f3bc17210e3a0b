"""The access pages in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item
from sanggar.core.roles import ALL_ROLES

menu_item("dashboard", 50, MenuItem(_("Produk Saya"), "access:my_products", "package", ALL_ROLES, "/produk-saya"))
menu_item("users", 30, MenuItem(_("Hak Akses"), "access:admin_grants", "shield-check", ADMIN, "/admin/akses"))
