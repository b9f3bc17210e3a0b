from django.apps import AppConfig

from sanggar.orders.payments_port import PaymentsPort, payments_register


class PaymentsConfig(AppConfig):
    name = "sanggar.payments"
    label = "payments"

    def ready(self):
        # Orders sits below payments: it reaches payment attempts through the port this app registers.
        from . import integration_defs, selectors, services
        from .constants import PaymentStatus

        payments_register(
            PaymentsPort(
                start=services.payment_start,
                starts_offline=services.payment_starts_offline,
                providers_enabled=selectors.providers_enabled,
                provider_label=selectors.provider_label,
                payments_for_order=selectors.payments_for_order,
                webhooks_for_order=selectors.webhooks_for_order,
                mark_paid_manual=services.payment_mark_paid_manual,
                refund=services.payment_refund,
                paid_status=PaymentStatus.PAID,
            )
        )
        integration_defs.register()
