"""Orders' door to payments. `payments` sits above orders in the stack (it marks orders paid through
`orders.services.order_mark_paid`), so orders never imports it: at start-up `PaymentsConfig.ready` registers the
functions orders needs (start a payment, list an order's payments, confirm a manual transfer, refund)."""

from collections.abc import Callable
from dataclasses import dataclass

from sanggar.core.registry import Slot


@dataclass(frozen=True)
class PaymentsPort:
    start: Callable  # start(*, order, created_here=False) -> Payment: starts (or returns the open) attempt
    starts_offline: (
        Callable  # (provider) -> True when starting asks no one outside (can run in the order's transaction)
    )
    providers_enabled: Callable  # () -> list of ProviderInfo the buyer may choose
    provider_label: Callable  # (identifier) -> the provider's display name
    payments_for_order: Callable  # (*, order) -> the order's payment attempts, newest first
    webhooks_for_order: Callable  # (*, order) -> the provider notifications about the order
    mark_paid_manual: Callable  # (*, order, actor, note="", proof=None) -> Payment
    refund: Callable  # (*, payment, amount, actor, reason) -> Refund
    paid_status: str  # a payment's status once paid


payments: Slot[PaymentsPort] = Slot("orders' payments (add sanggar.payments to INSTALLED_APPS)")
payments_register = payments.register
