"""The tracking pixels' Purchase event is fired once per paid order, from the invoice page: the first render after
payment claims it (one conditional UPDATE, so two tabs or a reload never fire it twice)."""

from django.utils import timezone

from ..constants import OrderStatus
from ..models import Order


def order_pixel_purchase_claim(*, order: Order) -> bool:
    """True for the one caller that may fire Purchase for this paid order; False afterwards (and while unpaid)."""
    if order.status != OrderStatus.PAID or order.pixel_purchase_at is not None:
        return False
    now = timezone.now()
    claimed = Order.objects.filter(pk=order.pk, status=OrderStatus.PAID, pixel_purchase_at__isnull=True).update(
        pixel_purchase_at=now
    )
    if claimed:
        order.pixel_purchase_at = now
    return bool(claimed)
