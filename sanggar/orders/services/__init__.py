"""Order services (see README.md). Import from here: `from sanggar.orders.services import order_create`."""

from .events import order_log
from .follow_ups import follow_ups_send_due
from .fulfilment import FulfilmentRefused, order_mark_paid, order_source_ref, product_grants_plan
from .orders import (
    PendingOrderLimit,
    UniqueCodesExhausted,
    invoice_number_next,
    order_cancel,
    order_create,
    order_expire_sweep,
    order_provider_change,
    order_resend_notification,
    unique_code_pick,
)
from .plan_change import plan_change_order_create
from .pricing import ItemRequest, OrderQuote, PricedLine, order_preview, order_price
from .proofs import order_proof_upload, proof_kind
from .refunds import order_refund, order_review_flag, order_review_resolve, paid_payment_for
from .tracking import order_pixel_purchase_claim

__all__ = [
    "FulfilmentRefused",
    "plan_change_order_create",
    "ItemRequest",
    "OrderQuote",
    "PendingOrderLimit",
    "UniqueCodesExhausted",
    "PricedLine",
    "follow_ups_send_due",
    "invoice_number_next",
    "order_log",
    "order_cancel",
    "order_create",
    "order_expire_sweep",
    "order_mark_paid",
    "order_pixel_purchase_claim",
    "order_preview",
    "order_proof_upload",
    "order_provider_change",
    "order_price",
    "order_refund",
    "order_resend_notification",
    "order_review_flag",
    "order_review_resolve",
    "order_source_ref",
    "paid_payment_for",
    "product_grants_plan",
    "proof_kind",
    "unique_code_pick",
]
