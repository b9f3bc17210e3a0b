"""Seat / stock quotas of products (webinar seats, limited runs). One conditional UPDATE with F(): the database
re-checks `sold_count < stock` on the row it updates, so concurrent buyers can never take more than the quota
(and the `product_not_oversold` check constraint is the last guard)."""

from django.db.models import F, Q
from django.utils.translation import gettext as _

from sanggar.core.exceptions import ServiceError
from sanggar.core.public_cache import generation_bump

from ..models import Product


def product_stock_take(*, product: Product) -> None:
    """Counts one sale against the product's quota (no quota: just counts). Raises ServiceError "Kuota habis"
    when the quota is reached. Call it inside the transaction that marks the order paid."""
    taken = (
        Product.objects.filter(pk=product.pk)
        .filter(Q(stock__isnull=True) | Q(sold_count__lt=F("stock")))
        .update(sold_count=F("sold_count") + 1)
    )
    if not taken:
        message = _("Kuota habis: %(title)s sudah terjual sesuai kuota.") % {"title": product.title}
        raise ServiceError(message, errors={"stock": [_("Kuota habis.")]}, code="sold_out")
    product.refresh_from_db(fields=["sold_count"])
    generation_bump()  # the seats left on the public pages (an update sends no signal)


def product_stock_release(*, product: Product) -> None:
    """Gives one sale back to the quota (a refund or cancellation of a paid order); never below zero."""
    Product.objects.filter(pk=product.pk, sold_count__gt=0).update(sold_count=F("sold_count") - 1)
    product.refresh_from_db(fields=["sold_count"])
    generation_bump()
