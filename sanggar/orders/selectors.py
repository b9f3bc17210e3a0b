"""Reads of orders that pages, the API, exports and dashboards share. Every list runs a fixed number of queries."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.audit.selectors import activity_for
from sanggar.core.exceptions import NotFound
from sanggar.core.listing import COUNT_CAP
from sanggar.core.prepared import Prepared
from sanggar.core.roles import Role

from .constants import FollowUpStatus, ItemKind, OrderStatus
from .follow_up_log import follow_up_logs
from .models import FollowUp, HomePage, Order, OrderItem, TransferProof

SEARCH_MAX = 100


def _items_prefetch() -> Prefetch:
    return Prefetch("items", queryset=OrderItem.objects.select_related("plan", "product").order_by("id"))


# --- buyer ---------------------------------------------------------------------------------------------------


def order_list_for_buyer(*, user) -> QuerySet[Order]:
    """The user's own orders, newest first, with their items (two queries per page)."""
    return Order.objects.filter(buyer=user).prefetch_related(_items_prefetch()).order_by("-created_at", "-id")


def order_get_for_user(*, user, invoice_number: str) -> Order:
    """One order for its buyer or an admin, with items; anyone else (and an unknown number) gets NotFound, so
    an invoice number reveals nothing."""
    invoice_number = (invoice_number or "").strip().upper()
    order = None
    if user is not None and user.is_authenticated and invoice_number:
        qs = Order.objects.select_related("buyer", "coupon", "affiliate").prefetch_related(_items_prefetch())
        if not user.has_role(Role.ADMIN):
            qs = qs.filter(buyer=user)
        order = qs.filter(invoice_number=invoice_number).first()
    if order is None:
        raise NotFound(_("Pesanan tidak ditemukan."))
    return order


# --- admin sales list ------------------------------------------------------------------------------------------


PERIODS = ("today", "week", "month", "year")


@dataclass(frozen=True)
class SalesFilters:
    q: str = ""
    status: str = ""
    provider: str = ""
    kind: str = ""  # plan | product
    item: str = ""  # "plan-<id>" or "product-<id>"
    date_from: date | None = None
    date_to: date | None = None
    needs_review: bool = False


def period_range(period: str, *, today: date | None = None) -> tuple[date | None, date | None]:
    """The date range of a shortcut: today, this week (Monday–today), this month, this year."""
    today = today or timezone.localdate()
    if period == "today":
        return today, today
    if period == "week":
        return today - timedelta(days=today.weekday()), today
    if period == "month":
        return today.replace(day=1), today
    if period == "year":
        return today.replace(month=1, day=1), today
    return None, None


def _local_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _follow_up_count(**filters) -> Coalesce:
    counts = (
        FollowUp.objects.filter(order=OuterRef("pk"), **filters)
        .exclude(status=FollowUpStatus.MOVED)  # counted in the reminder builder's log
        .order_by()
        .values("order")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def _list_items_prefetch() -> Prefetch:
    """The items a list row shows (title, kind, pricing): their own columns only, no plan or product joined."""
    return Prefetch("items", queryset=OrderItem.objects.only("order_id", "kind", "title", "pricing").order_by("id"))


def _sales_base(logs: tuple) -> QuerySet[Order]:
    """The sales list before its filters: joins, the follow-up counts of every registered log, the order. Built once
    per process and set of logs (`_SALES_BASE`) and cloned for each request: building the follow-up expressions (four
    correlated subqueries) was ~2.6 ms of CPU a page."""
    total, sent = _follow_up_count(), _follow_up_count(status=FollowUpStatus.SENT)
    for log in logs:  # the reminder builder's log (registered by reminders)
        total, sent = total + log.total(), sent + log.sent()
    return (
        Order.objects.select_related("affiliate", "commission")
        .annotate(follow_ups_total=total, follow_ups_sent=sent)
        .order_by("-created_at", "-id")
    )


_SALES_BASE: dict[tuple, QuerySet[Order]] = {}


def _sales_where(f: SalesFilters) -> dict:
    """The active filters of the sales list as values by name (an inactive or invalid one is left out): what
    `_sales_filtered` applies, on the ORM's path and on the prepared one."""
    values: dict = {}
    if f.status in OrderStatus.values:
        values["status"] = f.status
    if f.provider:
        values["provider"] = f.provider
    if f.kind in ItemKind.values:
        values["kind"] = f.kind
    if f.item:
        kind, _sep, pk = f.item.partition("-")
        if kind in ItemKind.values and pk.isdigit():
            values[f"{kind}_pk"] = int(pk)
    if f.date_from:
        values["created_from"] = _local_start(f.date_from)
    if f.date_to:
        values["created_before"] = _local_start(f.date_to + timedelta(days=1))
    if f.needs_review:
        values["needs_review"] = True
    q = (f.q or "").strip()[:SEARCH_MAX]
    if q:
        values["q"] = q
    return values


def _sales_filtered(qs: QuerySet[Order], values: dict) -> QuerySet[Order]:
    if "status" in values:
        qs = qs.filter(status=values["status"])
    if "provider" in values:
        qs = qs.filter(provider=values["provider"])
    if "kind" in values:
        qs = qs.filter(items__kind=values["kind"])
    for kind in ItemKind.values:
        if f"{kind}_pk" in values:
            qs = qs.filter(**{f"items__{kind}_id": values[f"{kind}_pk"]})
    if "created_from" in values:
        qs = qs.filter(created_at__gte=values["created_from"])
    if "created_before" in values:
        qs = qs.filter(created_at__lt=values["created_before"])
    if values.get("needs_review"):
        qs = qs.filter(needs_review=True)
    if q := values.get("q"):
        qs = qs.filter(
            Q(invoice_number__icontains=q)
            | Q(buyer_name__icontains=q)
            | Q(buyer_email__icontains=q)
            | Q(buyer_whatsapp__icontains=q)
            | Q(coupon_code__iexact=q)
        )
    if "kind" in values or any(f"{kind}_pk" in values for kind in ItemKind.values):
        qs = qs.distinct()
    return qs


def _sales_base_get() -> QuerySet[Order]:
    logs = tuple(follow_up_logs)
    base = _SALES_BASE.get(logs)
    if base is None:
        base = _SALES_BASE[logs] = _sales_base(logs)
    return base


def sales_list(*, filters: SalesFilters | None = None, with_items: bool = True) -> QuerySet[Order]:
    """Orders for the admin's sales list and its CSV export, newest first. Each row carries its affiliate,
    commission, items and follow-up counts (sent / total) — two queries per page whatever the number of rows. The
    buyer's name, email and WhatsApp are the order's own columns (as at checkout): no user row is joined.
    `with_items=False`: without the items' prefetch (the list page reads them with `sales_items`)."""
    qs = _sales_base_get().all()
    if with_items:
        qs = qs.prefetch_related(_list_items_prefetch())
    return _sales_filtered(qs, _sales_where(filters or SalesFilters()))


# The columns of a row of the sales list page, in this order (`sales_page_rows`).
SALES_ROW_COLUMNS = (
    "pk", "invoice_number", "created_at", "buyer_name", "buyer_email", "total", "status", "needs_review", "provider",
    "affiliate_id", "affiliate__full_name", "commission__amount", "commission__status", "follow_ups_sent",
    "follow_ups_total",
)  # fmt: skip
# Stand-ins for the filters' values while a page's statement is compiled (values no request can send).
_SALES_PLACEHOLDERS = {
    "status": "\x00status",
    "provider": "\x00provider",
    "kind": "\x00kind",
    "plan_pk": -1_000_101,
    "product_pk": -1_000_102,
    "created_from": datetime(1901, 1, 1, 1, 1, 1, tzinfo=UTC),
    "created_before": datetime(1901, 1, 2, 2, 2, 2, tzinfo=UTC),
}
# Statements compiled per process: one per set of active filters and page (within the list's capped count; a page
# past it is compiled for its request).
SALES_PAGES_PREPARED_MAX = 512
_SALES_PAGES: dict[tuple, Prepared] = {}


def sales_page_rows(*, filters: SalesFilters | None = None, start: int, stop: int) -> list[tuple]:
    """The rows `start:stop` of the sales list as tuples of `SALES_ROW_COLUMNS`, in one query. The statement of a
    page without a search is compiled once per process for its set of active filters (their values are
    parameters): compiling the list's statement (joins, four follow-up subqueries) cost ~0.9 ms a page, building
    its model instances ~1 ms more. A search runs through the ORM (its LIKE patterns are built from the text)."""
    if stop <= start:  # an empty list (Django compiles no statement for an empty slice)
        return []
    values = _sales_where(filters or SalesFilters())
    logs = tuple(follow_up_logs)
    if "q" in values or start >= COUNT_CAP:
        rows = _sales_filtered(_sales_base_get(), values).values_list(*SALES_ROW_COLUMNS)[start:stop]
        return list(rows)
    needs_review = values.pop("needs_review", False)
    key = (logs, tuple(sorted(values)), needs_review, start, stop)
    prepared = _SALES_PAGES.get(key)
    if prepared is None:
        placeholders = {name: _SALES_PLACEHOLDERS[name] for name in values}

        def build(**given):
            qs = _sales_filtered(_sales_base_get(), {**given, "needs_review": needs_review})
            return qs.values_list(*SALES_ROW_COLUMNS)[start:stop]

        prepared = Prepared(build, **placeholders)
        if len(_SALES_PAGES) < SALES_PAGES_PREPARED_MAX:
            _SALES_PAGES[key] = prepared
    return prepared.all(**values)


def sales_items(*, order_ids) -> dict[int, list[tuple[str, str, str]]]:
    """The items of the sales list's orders as (kind, title, pricing) by order, in one query of plain tuples (no
    model instances: the prefetch's ~2 ms a page)."""
    items: dict[int, list[tuple[str, str, str]]] = {}
    rows = OrderItem.objects.filter(order_id__in=list(order_ids)).order_by("id")
    for order_id, kind, title, pricing in rows.values_list("order_id", "kind", "title", "pricing"):
        items.setdefault(order_id, []).append((kind, title, pricing))
    return items


def sales_providers() -> list[str]:
    """Providers that appear on orders (for the filter), in a stable order."""
    return sorted(Order.objects.order_by().values_list("provider", flat=True).distinct())


@dataclass(frozen=True)
class SalesSummary:
    revenue_today: int
    revenue_month: int
    paid_today: int
    paid_month: int
    pending: int
    needs_review: int


def sales_summary(*, now: datetime | None = None) -> SalesSummary:
    """The figures on top of the sales page and on the admin dashboard, in one statement. Revenue = totals of orders
    paid in the period that are still paid (refunded ones do not count).

    Three parts, each served by its own index: the paid orders of this month (paid_at), the pending count (status)
    and the review count (needs_review). One aggregate over the OR of the three read every pending order's row from
    the heap (~17 ms at 8,000 pending orders); the counts alone stay in the indexes (~4 ms)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    day_start = _local_start(today)
    month_start = min(day_start, _local_start(today.replace(day=1)))
    table = connection.ops.quote_name(Order._meta.db_table)
    # The table's name from the model; every value a parameter.
    sql = (
        "SELECT COALESCE(SUM(CASE WHEN paid_at >= %s THEN total END), 0), COALESCE(SUM(total), 0),"  # noqa: S608
        " COUNT(CASE WHEN paid_at >= %s THEN 1 END), COUNT(*),"
        f" (SELECT COUNT(*) FROM {table} WHERE status = %s),"
        f" (SELECT COUNT(*) FROM {table} WHERE needs_review = %s)"
        f" FROM {table} WHERE status = %s AND paid_at >= %s"
    )
    day, month = (connection.ops.adapt_datetimefield_value(value) for value in (day_start, month_start))
    with connection.cursor() as cursor:
        cursor.execute(sql, [day, day, OrderStatus.PENDING, True, OrderStatus.PAID, month])
        row = cursor.fetchone()
    revenue_today, revenue_month, paid_today, paid_month, pending, needs_review = (int(value or 0) for value in row)
    return SalesSummary(
        revenue_today=revenue_today,
        revenue_month=revenue_month,
        paid_today=paid_today,
        paid_month=paid_month,
        pending=pending,
        needs_review=needs_review,
    )


# --- admin sale detail ---------------------------------------------------------------------------------------------


def sale_get(*, invoice_number: str) -> Order:
    order = (
        Order.objects.select_related("buyer", "coupon", "affiliate", "commission")
        .prefetch_related(_items_prefetch())
        .filter(invoice_number=(invoice_number or "").strip().upper())
        .first()
    )
    if order is None:
        raise NotFound(_("Pesanan tidak ditemukan."))
    return order


@dataclass(frozen=True)
class TimelineEntry:
    """One event of an order's timeline, read from its activity-log row."""

    action: str
    label: str
    message: str
    created_at: datetime
    actor: object | None


def order_timeline(*, order: Order) -> list[TimelineEntry]:
    """The order's events, oldest first, from the activity log (one row per event, the payments' rows included):
    one query."""
    return [
        TimelineEntry(
            action=row.action,
            label=row.action_label,
            message=str(row.data.get("message") or row.data.get("note") or row.data.get("reason") or ""),
            created_at=row.created_at,
            actor=row.actor,
        )
        for row in activity_for(target_type=Order._meta.label_lower, target_id=order.pk)
    ]


def order_follow_ups(*, order: Order) -> list[FollowUp]:
    """The order's own follow-ups (course lines, rows scheduled before plans' and products' moved to the reminder
    builder), without those handed to the builder (its rows: `follow_up_log.follow_up_rows`)."""
    return list(
        FollowUp.objects.filter(order=order)
        .exclude(status=FollowUpStatus.MOVED)
        .select_related("delivery")
        .order_by("send_at", "id")
    )


def home_page_current():
    """The front door's settings as saved, or the defaults (everything shown) before an admin saved any."""
    return HomePage.objects.prefetch_related("featured_products").filter(pk=HomePage.SINGLETON_ID).first() or HomePage()


def sales_daily(*, days: int = 30, today: date | None = None) -> list[dict]:
    """Paid orders per local day over the last `days` days (oldest first, every day present): [{"date", "revenue",
    "orders"}], counted by the paid time like the sales summary. One query."""
    today = today or timezone.localdate()
    start = today - timedelta(days=days - 1)
    rows = (
        Order.objects.filter(status=OrderStatus.PAID, paid_at__gte=_local_start(start))
        .annotate(day=TruncDate("paid_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("day")
        .annotate(revenue=Sum("total"), orders=Count("id"))
    )
    by_day = {row["day"]: row for row in rows}
    points = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        row = by_day.get(day, {})
        points.append({"date": day, "revenue": int(row.get("revenue") or 0), "orders": int(row.get("orders") or 0)})
    return points


def order_proofs(*, order: Order) -> list[TransferProof]:
    return list(TransferProof.objects.filter(order=order).order_by("-created_at", "-id"))


def proof_get_for_user(*, user, invoice_number: str, proof_id: int) -> TransferProof:
    """A transfer proof for its order's buyer or an admin; anyone else gets NotFound."""
    order = order_get_for_user(user=user, invoice_number=invoice_number)
    proof = TransferProof.objects.filter(order=order, pk=proof_id).first()
    if proof is None:
        raise NotFound(_("Bukti transfer tidak ditemukan."))
    return proof


def orders_awaiting_confirmation() -> QuerySet[Order]:
    """Pending orders with a transfer proof ("Menunggu konfirmasi"), oldest proof first, each with its newest proof
    (`latest_proof_at`) and its buyer: one query per page plus the count."""
    latest = TransferProof.objects.filter(order=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        Order.objects.filter(status=OrderStatus.PENDING, proofs__isnull=False)
        .distinct()
        .select_related("buyer")
        .annotate(
            latest_proof_at=Subquery(latest.values("created_at")[:1]), latest_proof_id=Subquery(latest.values("pk")[:1])
        )
        .order_by("latest_proof_at", "id")
    )


def coupon_use_count(*, coupon, user=None) -> int:
    """Orders that use the coupon and are pending or paid (of `user` when given): the catalog's coupon limits."""
    orders = Order.objects.filter(coupon=coupon, status__in=(OrderStatus.PENDING, OrderStatus.PAID))
    if user is not None:
        orders = orders.filter(buyer=user)
    return orders.count()
