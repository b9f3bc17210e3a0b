"""Every write of the payments app. Callers import from here: `from sanggar.payments.services import payment_start`."""

from .payments import (
    ConfirmResult,
    PaymentAmountMismatch,
    payment_close,
    payment_confirm,
    payment_mark_paid_manual,
    payment_start,
    payment_starts_offline,
)
from .refunds import payment_refund
from .webhooks import WebhookResult, webhook_events_purge, webhook_receive

__all__ = [
    "ConfirmResult",
    "PaymentAmountMismatch",
    "WebhookResult",
    "payment_close",
    "payment_confirm",
    "payment_mark_paid_manual",
    "payment_refund",
    "payment_start",
    "payment_starts_offline",
    "webhook_events_purge",
    "webhook_receive",
]
