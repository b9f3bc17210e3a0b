from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item
from sanggar.core.roles import ALL_ROLES

menu_item("community", 30, MenuItem(_("Event & Webinar"), "events:index", "calendar-days", ALL_ROLES, "/event"))
menu_item("catalog", 37, MenuItem(_("Buat Event"), "events:admin_create", "calendar-plus", ADMIN, "/admin/event"))
