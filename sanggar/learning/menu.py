"""The course pages in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, AFFILIATE, MenuItem, menu_item
from sanggar.core.roles import ALL_ROLES, Role

AUTHORS = (Role.MENTOR, Role.ADMIN)

menu_item("dashboard", 45, MenuItem(_("Kursus Saya"), "learning:mine", "graduation-cap", ALL_ROLES, "/kursus-saya"))
menu_item("affiliates", 25, MenuItem(_("Kursus Affiliate"), "learning:affiliate", "book-open", AFFILIATE))
menu_item("catalog", 30, MenuItem(_("Kelola Kursus"), "learning:manage", "book-open", AUTHORS, "/mentor/kursus"))
menu_item("catalog", 31, MenuItem(_("Review Kursus"), "learning:admin_review", "clipboard-check", ADMIN))
menu_item("catalog", 32, MenuItem(_("Penilaian Tugas"), "learning:grading", "pen-line", AUTHORS, "/mentor/penilaian"))
menu_item("users", 40, MenuItem(_("Pendaftaran Mentor"), "learning:admin_mentor_applications", "user-plus", ADMIN))
menu_item("catalog", 33, MenuItem(_("Statistik Kursus"), "learning:stats", "chart-bar", AUTHORS))
menu_item("catalog", 34, MenuItem(_("Progres Murid"), "learning:admin_progress", "activity", ADMIN))
menu_item("catalog", 35, MenuItem(_("Pengingat Belajar"), "learning:admin_reminder_settings", "bell-ring", ADMIN))
menu_item("catalog", 36, MenuItem(_("Host Video"), "learning:admin_video_hosts", "video", ADMIN))
