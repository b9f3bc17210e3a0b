"""A mentor's own sales ("Penjualan Saya"): the paid orders of the plans, products, courses and classes they share
in, and their share of each from the ledger. Shared by the page and the API."""

from datetime import date, datetime, time, timedelta

from django.db.models import BigIntegerField, Count, Exists, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from sanggar.orders.constants import OrderStatus
from sanggar.orders.models import Order, OrderItem
from sanggar.orders.sellables import creator_lines

from .constants import AccountKind, TransactionKind
from .models import LedgerEntry

MONTHS = 12  # the monthly totals cover this many months, this one included
SOLD = (OrderStatus.PAID, OrderStatus.REFUNDED)


def _mine(user) -> Q:
    """Order lines whose creator share goes to `user`: plans and products they created, courses they are the
    responsible mentor of, class sections they teach (each sellable kind says which of its lines)."""
    return creator_lines(user)


def _own_entries(user):
    return LedgerEntry.objects.filter(account__kind=AccountKind.MENTOR, account__user=user)


def mentor_sales(*, user):
    """The orders (paid, or paid then refunded) with at least one line `user` created, newest first, each with
    `mine_amount` (what those lines paid), `share` (the mentor's share posted by the split), `net_share` (after any
    refund) and `mine_items` (those lines). Three queries per page whatever its length (count, rows, items)."""
    items = OrderItem.objects.filter(_mine(user))
    entries = _own_entries(user).filter(transaction__order=OuterRef("pk")).order_by().values("transaction__order")
    money = BigIntegerField()
    return (
        Order.objects.filter(status__in=SOLD)
        .filter(Exists(items.filter(order=OuterRef("pk"))))
        .annotate(
            mine_amount=Coalesce(
                Subquery(
                    items.filter(order=OuterRef("pk")).order_by().values("order").annotate(s=Sum("amount")).values("s")
                ),
                Value(0),
                output_field=money,
            ),
            share=Coalesce(
                Subquery(
                    entries.filter(transaction__kind=TransactionKind.SALE_SPLIT).annotate(s=Sum("amount")).values("s"),
                ),
                Value(0),
                output_field=money,
            ),
            net_share=Coalesce(Subquery(entries.annotate(s=Sum("amount")).values("s")), Value(0), output_field=money),
        )
        .prefetch_related(Prefetch("items", queryset=items.order_by("id"), to_attr="mine_items"))
        .order_by("-paid_at", "-id")
    )


def _month_start(day: date) -> date:
    return day.replace(day=1)


def mentor_months(*, user, today: date | None = None, months: int = MONTHS) -> list[dict]:
    """The last `months` months, newest first, every month present: [{"month": date (1st), "sales": orders paid
    (refunded ones excluded), "amount": what the mentor's lines of those paid, "share": the mentor's share of them
    from the ledger (a refund's reversal included, so a refunded sale counts 0)}]. Two queries."""
    today = today or timezone.localdate()
    first = _month_start(today)
    for _ in range(months - 1):
        first = _month_start(first - timedelta(days=1))
    since = timezone.make_aware(datetime.combine(first, time.min))
    sales = (
        OrderItem.objects.filter(_mine(user), order__status=OrderStatus.PAID, order__paid_at__gte=since)
        .annotate(month=TruncMonth("order__paid_at"))
        .order_by()
        .values("month")
        .annotate(sales=Count("order", distinct=True), amount=Sum("amount"))
    )
    shares = (
        _own_entries(user)
        .filter(transaction__order__paid_at__gte=since)
        .annotate(month=TruncMonth("transaction__order__paid_at"))
        .order_by()
        .values("month")
        .annotate(share=Sum("amount"))
    )
    by_month: dict[date, dict] = {}
    for row in sales:
        by_month.setdefault(timezone.localdate(row["month"]), {}).update(sales=row["sales"], amount=row["amount"])
    for row in shares:
        by_month.setdefault(timezone.localdate(row["month"]), {})["share"] = row["share"]
    out = []
    month = _month_start(today)
    for _ in range(months):
        row = by_month.get(month, {})
        out.append(
            {
                "month": month,
                "sales": int(row.get("sales") or 0),
                "amount": int(row.get("amount") or 0),
                "share": int(row.get("share") or 0),
            }
        )
        month = _month_start(month - timedelta(days=1))
    return out


def mentor_totals(months: list[dict]) -> dict:
    return {key: sum(row[key] for row in months) for key in ("sales", "amount", "share")}
