"""The finance pages in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, EARNERS, MenuItem, menu_item
from sanggar.core.roles import FINANCE_ROLES, Role

menu_item("finance", 10, MenuItem(_("Dompet"), "finance:wallet", "wallet", EARNERS, "/dompet"))
menu_item(
    "finance",
    15,
    MenuItem(_("Penjualan Saya"), "finance:mentor_sales", "shopping-bag", (Role.MENTOR,), "/penjualan-saya"),
)
menu_item(
    "finance", 20, MenuItem(_("Pendapatan"), "finance:admin_report", "chart-line", FINANCE_ROLES, "/admin/finance")
)
menu_item("finance", 40, MenuItem(_("Penarikan Dana"), "finance:admin_payouts", "banknote", ADMIN, "/admin/payouts"))
menu_item(
    "finance",
    50,
    MenuItem(_("Bagi Hasil"), "finance:admin_revenue_settings", "percent", ADMIN, "/admin/settings/revenue"),
)
