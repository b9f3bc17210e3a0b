"""The supplier pages in the sidebar: "Direktori Ekspor → Database Supplier" for members, the supplier's own pages,
the mentors' review queue and the admins' supplier list."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item, menu_section
from sanggar.core.roles import ALL_ROLES, Role

# The "directory" section ("Direktori Ekspor (Premium)") is declared by sanggar.directory.
menu_section("supplier", _("Supplier"), 12)
menu_item(
    "directory", 20, MenuItem(_("Database Supplier"), "suppliers:directory", "store", ALL_ROLES, "/direktori/supplier")
)
menu_item("supplier", 10, MenuItem(_("Dasbor Supplier"), "suppliers:home", "layout-dashboard", (Role.SUPPLIER,),
                                   "/supplier/dasbor"))  # fmt: skip
menu_item(
    "supplier", 20, MenuItem(_("Produk Saya"), "suppliers:products", "package", (Role.SUPPLIER,), "/supplier/produk")
)
menu_item("supplier", 30, MenuItem(_("Statistik"), "suppliers:statistics", "chart-column", (Role.SUPPLIER,),
                                   "/supplier/statistik"))  # fmt: skip
menu_item(
    "supplier", 40, MenuItem(_("Paket Premium"), "suppliers:package", "crown", (Role.SUPPLIER,), "/supplier/paket")
)
menu_item("supplier", 50, MenuItem(_("Onboarding"), "suppliers:onboarding", "clipboard-check", (Role.SUPPLIER,),
                                   "/supplier/onboarding"))  # fmt: skip
menu_item("tools", 45, MenuItem(_("Review Supplier"), "suppliers:mentor_queue", "badge-check", (Role.MENTOR,),
                                "/mentor/supplier"))  # fmt: skip
menu_item("users", 60, MenuItem(_("Supplier"), "suppliers:admin_list", "store", ADMIN, "/admin/supplier"))
