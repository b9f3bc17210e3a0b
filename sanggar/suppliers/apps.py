from django.apps import AppConfig

from sanggar.accounts.hooks import admin_user_section_register
from sanggar.chat.registry import (
    supplier_auto_reply_register,
    supplier_chat_gate_register,
    supplier_premium_register,
)
from sanggar.directory.exporters import exporter_source_register
from sanggar.directory.kinds import directory_kind_register


class SuppliersConfig(AppConfig):
    name = "sanggar.suppliers"
    label = "suppliers"
    verbose_name = "Supplier"

    def ready(self):
        from . import admin_user, chat_allowance, services
        from .kinds import SUPPLIER_KIND

        admin_user_section_register(admin_user.SECTION)  # the admin's user detail page (accounts sits below)

        # The shared directory rules: opening a supplier's contact uses the member's monthly quota.
        directory_kind_register(SUPPLIER_KIND)

        # Chat lets a member reach, and a supplier reply, only when the supplier is premium (and listed).
        supplier_premium_register(services.premium_for_user)
        # ... and a premium supplier's auto-reply becomes its first answer in a new conversation.
        supplier_auto_reply_register(services.auto_reply_for_user)
        # ... within the package's weekly allowance of active chats (charged inside chat's transaction).
        supplier_chat_gate_register(chat_allowance.gate)
        # Export documents start from an approved supplier's company profile (exporter name, address, NPWP).
        exporter_source_register("supplier", services.exporter_for_user)
