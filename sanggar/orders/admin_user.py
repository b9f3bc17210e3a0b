"""The orders card on the admin's user detail page (registered with accounts.hooks from apps.py)."""

from django.db.models import Count, Q, Sum

from sanggar.accounts.hooks import AdminUserSection

from .constants import OrderStatus
from .models import Order

LIMIT = 10


def section_context(user) -> dict:
    """The buyer's latest orders and their totals: two queries."""
    rows = list(Order.objects.filter(buyer=user).order_by("-created_at", "-id")[:LIMIT])
    totals = Order.objects.filter(buyer=user).aggregate(
        count=Count("id"),
        paid_count=Count("id", filter=Q(status=OrderStatus.PAID)),
        paid_total=Sum("total", filter=Q(status=OrderStatus.PAID)),
    )
    return {
        "rows": rows,
        "count": totals["count"] or 0,
        "paid_count": totals["paid_count"] or 0,
        "paid_total": int(totals["paid_total"] or 0),
        "email": user.email,
    }


SECTION = AdminUserSection(name="orders", order=20, template="orders/admin/_user_section.html", context=section_context)
