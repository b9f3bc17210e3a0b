"""The ticket pages in the sidebar (assembled by `sanggar.core.menu`): "Bantuan → Tiket Support" for everyone,
"Support → Tiket" for agents and admins, the report for admins."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item, menu_section
from sanggar.core.roles import ALL_ROLES, Role

STAFF_ROLES = (Role.ADMIN, Role.SUPPORT)
menu_section("support", _("Support"), 75)
menu_item("support", 10, MenuItem(_("Tiket Support"), "tickets:list", "life-buoy", ALL_ROLES, "/tiket"))
menu_item(
    "support",
    20,
    MenuItem(_("Antrean Tiket"), "tickets:staff_queue", "inbox", (Role.ADMIN, Role.SUPPORT), "/support/tiket"),
)
menu_item(
    "support", 30, MenuItem(_("Laporan Tiket"), "tickets:staff_report", "chart-column", ADMIN, "/support/laporan")
)
menu_item(
    "support",
    25,
    MenuItem(
        _("Balasan Cepat"),
        "tickets:canned_list",
        "message-square",
        (Role.ADMIN, Role.SUPPORT),
        "/support/balasan-cepat",
    ),
)
