from django.apps import AppConfig

from sanggar.chat.registry import supplier_premium_register
from sanggar.directory.kinds import directory_kind_register


class SuppliersConfig(AppConfig):
    name = "sanggar.suppliers"
    label = "suppliers"
    verbose_name = "Supplier"

    def ready(self):
        from . import services
        from .kinds import SUPPLIER_KIND

        # The shared directory rules: opening a supplier's contact uses the member's monthly quota.
        directory_kind_register(SUPPLIER_KIND)

        # Chat lets a member reach, and a supplier reply, only when the supplier is premium (and listed).
        supplier_premium_register(services.premium_for_user)
