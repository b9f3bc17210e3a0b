"""The marketing pages in the sidebar (assembled by `sanggar.core.menu`)."""

from django.utils.translation import gettext_lazy as _

from sanggar.core.menu import ADMIN, MenuItem, menu_item

menu_item(
    "system", 34, MenuItem(_("Tracking Pixel"), "marketing:admin_pixels", "radar", ADMIN, "/admin/settings/pixel")
)
menu_item(
    "system",
    36,
    MenuItem(_("Testimoni"), "marketing:admin_testimonials", "message-square-quote", ADMIN, "/admin/testimoni"),
)
