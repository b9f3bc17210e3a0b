"""The community pages in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item, menu_section
from sanggar.core.roles import ALL_ROLES, Role

menu_section("community", _("Komunitas"), 15)
menu_item("community", 10, MenuItem(_("Feed Komunitas"), "community:feed", "users", ALL_ROLES, "/komunitas"))
menu_item("community", 20, MenuItem(_("Grup"), "community:groups", "users-round", ALL_ROLES, "/komunitas/grup"))
menu_item("community", 40, MenuItem(_("Peringkat Komunitas"), "community:leaderboard", "trophy", ALL_ROLES))
menu_item("community", 42, MenuItem(_("Pencapaian Saya"), "community:achievements", "medal", ALL_ROLES))
menu_item("community", 55, MenuItem(_("Undangan Grup"), "community:invitations", "mail", ALL_ROLES))
menu_item("community", 60, MenuItem(_("Postingan Tersimpan"), "community:saved", "bookmark", ALL_ROLES))
menu_item("catalog", 35, MenuItem(_("Kelola Grup"), "community:admin_groups", "users", ADMIN, "/admin/grup"))
menu_item(
    "catalog", 38, MenuItem(_("Gamifikasi"), "community:admin_gamification", "trophy", ADMIN, "/admin/gamifikasi")
)
menu_item("catalog", 36, MenuItem(_("Moderasi Komunitas"), "community:moderation", "shield", ADMIN))
menu_item(
    "community",
    25,
    MenuItem(_("Buat Grup Kursus"), "community:group_new", "users-round", (Role.MENTOR,), "/komunitas/grup-baru"),
)
menu_item("catalog", 36, MenuItem(_("Usulan Grup"), "community:admin_proposals", "users", ADMIN, "/admin/grup/usulan"))
menu_item(
    "catalog",
    39,
    MenuItem(_("Statistik Komunitas"), "community:admin_stats", "chart-column", ADMIN, "/admin/komunitas/statistik"),
)
