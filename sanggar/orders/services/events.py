"""An order's events: each is ONE activity-log row on the order (pretix's `log_action`), written in the transaction of
the change. The order's timeline (`selectors.order_timeline`) and the admin's activity log read the same rows."""

from datetime import datetime

from sanggar.audit.services import activity_record

from ..models import Order


def order_log(
    *,
    order: Order,
    action: str,
    actor=None,
    message: str = "",
    data: dict | None = None,
    at: datetime | None = None,
):
    """Writes the one audit row of an order event. `message` (a reason, a note) shows on the timeline."""
    payload = dict(data or {})
    message = str(message or "").strip()[:300]
    if message:
        payload["message"] = message
    return activity_record(
        action=action, actor=actor, target=order, target_label=order.invoice_number, data=payload, at=at
    )
