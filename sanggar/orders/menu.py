"""The orders pages in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item
from sanggar.core.roles import ALL_ROLES

menu_item(
    "dashboard", 60, MenuItem(_("Riwayat Pembelian"), "orders:purchases", "receipt", ALL_ROLES, "/riwayat-pembelian")
)
menu_item("finance", 30, MenuItem(_("Penjualan"), "orders:admin_sales", "receipt-text", ADMIN, "/admin/sales"))
menu_item(
    "finance",
    31,
    MenuItem(
        _("Menunggu Konfirmasi"), "orders:admin_sales_awaiting", "file-check", ADMIN, "/admin/sales/menunggu-konfirmasi"
    ),
)
menu_item("system", 15, MenuItem(_("Beranda"), "orders:admin_home_settings", "house", ADMIN, "/admin/settings/beranda"))
menu_item(
    "system",
    16,
    MenuItem(_("Pajak & Biaya Admin"), "orders:admin_charge_settings", "percent", ADMIN, "/admin/settings/pajak-biaya"),
)
