"""The migration page in the admin's sidebar."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item

menu_item("system", 90, MenuItem(_("Migrasi Sejoli"), "migration:admin_runs", "database", ADMIN, "/admin/migrasi"))
