"""The catalog pages in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item

menu_item("catalog", 10, MenuItem(_("Membership"), "catalog:admin_plans", "crown", ADMIN, "/admin/membership"))
menu_item("catalog", 20, MenuItem(_("Produk"), "catalog:admin_products", "package", ADMIN, "/admin/produk"))
menu_item(
    "catalog", 30, MenuItem(_("Kupon & Diskon"), "catalog:admin_coupons", "ticket-percent", ADMIN, "/admin/kupon")
)
