from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "sanggar.finance"
    label = "finance"

    def ready(self):
        # Affiliates sits below finance: its wallet figures and commission reviews come through this port.
        from sanggar.affiliates.finance_port import FinancePort, finance_register

        from . import selectors, services

        finance_register(
            FinancePort(
                affiliate_wallet=selectors.affiliate_wallet,
                payouts_recent=selectors.affiliate_payouts_recent,
                commission_review_decide=services.commission_review_decide,
            )
        )
