from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sanggar.access.kinds import ResourceKindEntry, resource_kind, resource_kind_register
from sanggar.tickets.links import ticket_link_register

from .constants import RESOURCE_KIND

# A program as an access resource: a membership plan or a product that includes it gives its periods without paying
# (still through the waiting list and the admin's approval into a section: seats are limited).
LIVE_CLASS_KIND = ResourceKindEntry(
    kind=RESOURCE_KIND,
    label=_("Kelas Live"),
    this_label=_("Kelas live ini"),
    unlock=_(
        "Jadi member paket yang memuatnya atau membeli produk yang memuatnya (periode tanpa bayar setelah disetujui "
        "admin), atau diberi akses oleh admin"
    ),
)


class ClassesConfig(AppConfig):
    name = "sanggar.classes"
    label = "classes"
    verbose_name = "Kelas Live"

    def ready(self):
        if resource_kind(RESOURCE_KIND) is None:
            resource_kind_register(LIVE_CLASS_KIND)
        # A member may say which of their live classes a support ticket is about.
        from .ticket_links import TICKET_LINK

        ticket_link_register(TICKET_LINK)
