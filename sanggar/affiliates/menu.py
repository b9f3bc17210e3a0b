"""The affiliates pages in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, AFFILIATE, MenuItem, menu_item
from sanggar.core.roles import Role

menu_item("affiliates", 10, MenuItem(_("Statistik"), "affiliates:stats", "chart-line", AFFILIATE))
menu_item("affiliates", 20, MenuItem(_("Link Saya"), "affiliates:links", "link", AFFILIATE, "/affiliate/link"))
menu_item(
    "affiliates",
    30,
    MenuItem(_("Link Pendek"), "affiliates:short_links", "link-2", AFFILIATE, "/affiliate/short-links"),
)
menu_item(
    "affiliates", 40, MenuItem(_("Leaderboard"), "affiliates:leaderboard", "trophy", (Role.AFFILIATE, Role.ADMIN))
)
menu_item("affiliates", 50, MenuItem(_("Challenge"), "affiliates:challenges", "flag", AFFILIATE))
menu_item(
    "affiliates", 60, MenuItem(_("Marketing Kit"), "affiliates:kit", "megaphone", AFFILIATE, "/affiliate/marketing-kit")
)
menu_item("affiliates", 70, MenuItem(_("Affiliate"), "affiliates:admin_affiliates", "users", ADMIN))
menu_item(
    "affiliates",
    80,
    MenuItem(_("Domain Link Pendek"), "affiliates:admin_domains", "globe", ADMIN, "/admin/affiliate/domains"),
)
menu_item(
    "affiliates",
    90,
    MenuItem(
        _("Keputusan Atribusi"), "affiliates:admin_decisions", "shield-alert", ADMIN, "/admin/affiliate/keputusan"
    ),
)
