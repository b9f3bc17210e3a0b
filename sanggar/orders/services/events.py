"""The order's own history (OrderEvent) and the activity-log rows of admin actions on orders."""

from sanggar.audit.services import activity_record

from ..models import Order, OrderEvent


def order_event_record(
    *, order: Order, kind: str, message: str = "", actor=None, data: dict | None = None
) -> OrderEvent:
    """Appends one event to an order's history. Other apps (payments: "payment_started") call this too."""
    actor = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return OrderEvent.objects.create(order=order, kind=kind, message=str(message)[:300], actor=actor, data=data or {})


def order_activity_record(*, order: Order, action: str, actor=None, data: dict | None = None) -> None:
    activity_record(action=action, actor=actor, target=order, target_label=order.invoice_number, data=data or {})
