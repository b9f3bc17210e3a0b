"""Sidebar: "Booster Suite" for affiliates (bio page, opt-in forms, leads, broadcast, automation, credits) and the
admins' Booster pages."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, AFFILIATE, MenuItem, menu_item, menu_section

menu_section("booster", _("Booster Suite"), 35)
menu_item("booster", 10, MenuItem(_("Bio Page"), "booster:bio_edit", "user-round", AFFILIATE, "/affiliate/bio"))
menu_item(
    "booster", 20, MenuItem(_("Optin Forms"), "booster:optin_list", "clipboard-list", AFFILIATE, "/affiliate/optin")
)
menu_item("booster", 30, MenuItem(_("Leads (CRM)"), "booster:leads", "contact", AFFILIATE, "/affiliate/leads"))
menu_item(
    "booster", 40, MenuItem(_("Broadcast Email"), "booster:broadcasts", "send", AFFILIATE, "/affiliate/broadcast")
)
menu_item(
    "booster", 50, MenuItem(_("Automation"), "booster:automations", "workflow", AFFILIATE, "/affiliate/automation")
)
menu_item("booster", 60, MenuItem(_("Kredit"), "booster:credits", "coins", AFFILIATE, "/affiliate/credits"))
menu_item(
    "booster", 70, MenuItem(_("Kredit & Penggunaan"), "booster:admin_usage", "coins", ADMIN, "/admin/affiliate/credits")
)
menu_item(
    "booster",
    80,
    MenuItem(_("Template Booster"), "booster:admin_templates", "layout-template", ADMIN, "/admin/affiliate/templates"),
)
menu_item(
    "booster",
    90,
    MenuItem(_("Automation Bawaan"), "booster:admin_sequences", "workflow", ADMIN, "/admin/affiliate/automation"),
)
menu_item(
    "booster",
    100,
    MenuItem(_("Blokir Email"), "booster:admin_suppression", "mail-x", ADMIN, "/admin/affiliate/suppression"),
)
