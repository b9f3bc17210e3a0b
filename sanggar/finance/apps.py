from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

from sanggar.accounts.hooks import admin_user_section_register
from sanggar.affiliates.finance_port import FinancePort, finance_register


class FinanceConfig(AppConfig):
    name = "sanggar.finance"
    label = "finance"

    def ready(self):
        from . import admin_user, selectors, services

        admin_user_section_register(admin_user.SECTION)  # the admin's user detail page (accounts sits below)

        # Affiliates sits below finance: its wallet figures and commission reviews come through this port.
        finance_register(
            FinancePort(
                affiliate_wallet=selectors.affiliate_wallet,
                payouts_recent=selectors.affiliate_payouts_recent,
                commission_review_decide=services.commission_review_decide,
            )
        )

        # A framework hook, not a business flow: any write of a settings row (the service, the Django admin, a
        # test) drops the cached current settings.
        from .models import RevenueSettings
        from .services.revenue import revenue_settings_cache_clear

        post_save.connect(revenue_settings_cache_clear, sender=RevenueSettings, dispatch_uid="finance-settings-save")
        post_delete.connect(revenue_settings_cache_clear, sender=RevenueSettings, dispatch_uid="finance-settings-del")
