"""Creating orders and the transitions that do not involve money arriving: cancel, expire, resend a notification."""

import secrets
from datetime import UTC, datetime, timedelta
from functools import partial
from random import SystemRandom

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.catalog.services import product_stock_release, product_stock_take
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.models import prefetched_set
from sanggar.core.prepared import Prepared, create, first_row, insert_many
from sanggar.core.roles import Role
from sanggar.core.transactions import service_atomic
from sanggar.integrations.selectors import pending_hours, unique_code_range

from ..constants import (
    EXPIRE_BATCH,
    FREE_PROVIDER,
    INVOICE_DIGITS,
    INVOICE_PREFIX,
    INVOICE_SEQUENCE_NAME,
    UNIQUE_CODE_LOCK_SPACE,
    FollowUpStatus,
    ItemKind,
    OrderAction,
    OrderStatus,
)
from ..models import FollowUp, InvoiceSequence, Order, OrderItem
from ..payments_port import payments
from . import messages
from .events import order_log
from .pricing import OrderQuote, order_price

MANUAL_PROVIDER = "manual"


# --- invoice numbers and unique codes --------------------------------------------------------------------------


def invoice_number_next() -> str:
    """The next invoice number (`INV000001`, …). The counter row stays locked until the caller's transaction ends,
    so two orders never get the same number and a number is never reused (a rolled-back order gives its number
    back with the rollback). One statement advances and locks the counter (`UPDATE … RETURNING`)."""
    while True:
        value, taken = _invoice_counter_advance()
        number = f"{INVOICE_PREFIX}{value:0{INVOICE_DIGITS}d}"
        # Numbers imported from an older system may already be taken: skip them. (PostgreSQL answers that in the
        # statement that advances the counter; elsewhere it is asked here.)
        if taken is None or taken[0] != number:
            taken = (number, Order.objects.filter(invoice_number=number).exists())
        if not taken[1]:
            return number


def _invoice_counter_advance() -> tuple[int, tuple[str, bool] | None]:
    """Adds one to the invoice counter and returns the new value; the row stays locked until the transaction ends.
    On PostgreSQL the same statement also tells whether an order already has that number: (the number as the
    database wrote it, taken); None elsewhere."""
    quote = connection.ops.quote_name
    table = quote(InvoiceSequence._meta.db_table)
    advance = f"UPDATE {table} SET last_value = last_value + 1 WHERE name = %s RETURNING last_value"  # noqa: S608
    params: list = [INVOICE_SEQUENCE_NAME]
    postgres = connection.vendor == "postgresql"
    if postgres:
        digits = int(INVOICE_DIGITS)
        text = "next.last_value::text"
        number = f"%s || CASE WHEN length({text}) >= {digits} THEN {text} ELSE lpad({text}, {digits}, '0') END"
        orders = quote(Order._meta.db_table)
        sql = (
            f"WITH next AS ({advance}) SELECT next.last_value, {number}, "  # noqa: S608
            f"EXISTS (SELECT 1 FROM {orders} WHERE invoice_number = {number}) FROM next"
        )
        params += [INVOICE_PREFIX, INVOICE_PREFIX]
    else:
        sql = advance
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:  # the first order ever: create the counter, then advance it
        InvoiceSequence.objects.get_or_create(name=INVOICE_SEQUENCE_NAME)
        return _invoice_counter_advance()
    return int(row[0]), ((row[1], bool(row[2])) if postgres else None)


class UniqueCodesExhausted(ServiceError):
    def __init__(self):
        message = _(
            "Terlalu banyak pesanan transfer manual dengan nominal yang sama sedang menunggu pembayaran. "
            "Coba lagi beberapa saat lagi atau pilih metode pembayaran lain."
        )
        super().__init__(message, errors={"provider": [message]}, code="unique_codes_exhausted")


def _amount_lock(base_total: int) -> None:
    """Serialises code picking for one base amount until the transaction ends (PostgreSQL advisory lock; SQLite
    runs one writing transaction at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [UNIQUE_CODE_LOCK_SPACE, base_total % 2**31])


# The fixed reads of order creation, compiled once per process (prepared queries: the same statements).
_CODES_IN_USE = Prepared(
    lambda base: (
        Order.objects.filter(status=OrderStatus.PENDING, unique_code__gt=0)
        .alias(base=F("total") - F("unique_code"))
        .filter(base=base)
        .order_by()
        .values_list("unique_code", flat=True)
    ),
    base=-1_000_012,
)
_random = SystemRandom()  # the codes are drawn as secrets.choice draws them
# How many random codes one probe asks about (below).
UNIQUE_CODE_PROBES = 16
_CODES_PROBED = Prepared(
    lambda base, **codes: (
        Order.objects.filter(status=OrderStatus.PENDING, unique_code__gt=0, unique_code__in=list(codes.values()))
        .alias(base=F("total") - F("unique_code"))
        .filter(base=base)
        .order_by()
        .values_list("unique_code", flat=True)
    ),
    base=-1_000_015,
    **{f"code{n}": -1_000_100 - n for n in range(UNIQUE_CODE_PROBES)},
)
_BUYER_LOCK = Prepared(
    lambda pk: first_row(get_user_model().objects.select_for_update().filter(pk=pk).values_list("pk", flat=True)),
    pk=-1_000_013,
)
_PENDING_LINES = Prepared(
    lambda buyer_id, now: (
        OrderItem.objects.filter(order__buyer_id=buyer_id, order__status=OrderStatus.PENDING, order__expires_at__gt=now)
        .order_by("-order__created_at", "-order_id")
        .values_list("order__invoice_number", "product_id", "plan_id")
    ),
    buyer_id=-1_000_014,
    now=datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=UTC),
)


def unique_code_pick(*, base_total: int) -> int:
    """A code (1–999, or the range set at /admin/settings/payments) added to a manual-transfer total so the admin
    can match a transfer to its order: one that no other pending order with the same base amount is using. Call it
    inside the order's transaction: the amount stays locked until it ends, so parallel orders never pick the same
    code (the unique index `order_pending_unique_code` is the last guard). Raises UniqueCodesExhausted when none is
    left."""
    _amount_lock(base_total)
    low, high = unique_code_range()
    if high - low + 1 > 2 * UNIQUE_CODE_PROBES:
        # A handful of random codes, asked about in one indexed read (`order_pending_unique_code`): the first one
        # not in use is as random a pick among the free codes as any. Reading every code in use cost a row per
        # pending order of the amount, up to 999 in a flash sale of one plan.
        candidates = _random.sample(range(low, high + 1), UNIQUE_CODE_PROBES)
        taken = set(_CODES_PROBED.all(base=base_total, **{f"code{n}": c for n, c in enumerate(candidates)}))
        for code in candidates:
            if code not in taken:
                return code
    # A small range, or a nearly full one: every code in use.
    used = set(_CODES_IN_USE.all(base=base_total))
    free = [code for code in range(low, high + 1) if code not in used]
    if not free:
        raise UniqueCodesExhausted()
    return secrets.choice(free)


# --- limits on unpaid orders ---------------------------------------------------------------------------------------


class PendingOrderLimit(ServiceError):
    """The buyer already holds as many unpaid orders as allowed (in total, or for this item). `order` is the
    pending order to pay or cancel first; pages link to it."""

    def __init__(self, message: str, *, invoice_number: str):
        super().__init__(message, errors={"pending_order": [invoice_number]}, code="pending_limit")
        self.invoice_number = invoice_number


def _pending_orders_check(*, buyer, quote: OrderQuote, now: datetime) -> None:
    """Refuses a new order while the buyer holds settings.ORDER_MAX_PENDING_PER_BUYER unpaid orders, or
    settings.ORDER_MAX_PENDING_PER_ITEM unpaid orders of one of its items. The buyer's row is locked first, so
    parallel requests of one buyer are counted one after the other. Two queries."""
    _BUYER_LOCK.all(pk=buyer.pk)
    rows = _PENDING_LINES.all(buyer_id=buyer.pk, now=now)
    products = {line.product.pk for line in quote.lines if line.product is not None}
    plans = {line.plan.pk for line in quote.lines if line.plan is not None}
    held: list[str] = []
    same_item: list[str] = []
    for invoice_number, product_id, plan_id in rows:
        if invoice_number not in held:
            held.append(invoice_number)
        if (product_id in products or plan_id in plans) and invoice_number not in same_item:
            same_item.append(invoice_number)
    if len(same_item) >= settings.ORDER_MAX_PENDING_PER_ITEM:
        raise PendingOrderLimit(
            _(
                "Anda masih punya pesanan %(invoice)s untuk item ini yang menunggu pembayaran. Selesaikan atau "
                "batalkan pesanan itu dulu."
            )
            % {"invoice": same_item[0]},
            invoice_number=same_item[0],
        )
    if len(held) >= settings.ORDER_MAX_PENDING_PER_BUYER:
        raise PendingOrderLimit(
            _(
                "Anda sudah punya %(count)s pesanan yang menunggu pembayaran (paling banyak %(limit)s). Selesaikan "
                "atau batalkan salah satunya dulu, misalnya %(invoice)s."
            )
            % {"count": len(held), "limit": settings.ORDER_MAX_PENDING_PER_BUYER, "invoice": held[0]},
            invoice_number=held[0],
        )


def order_expires_at(*, quote: OrderQuote, now: datetime) -> datetime:
    """A pending order that holds seats of a product with a quota keeps them only settings.ORDER_STOCK_HOLD_MINUTES
    (default 30), so unpaid orders cannot hoard a limited product; other orders keep the pending lifetime
    (/admin/settings/payments, ORDER_PENDING_HOURS when set in the environment). A line that must be paid before
    its own deadline (a live-class approval's payment window) caps the order's: it is not a new window."""
    if any(line.product is not None and line.product.stock is not None for line in quote.lines):
        expires = now + timedelta(minutes=settings.ORDER_STOCK_HOLD_MINUTES)
    else:
        expires = now + timedelta(hours=pending_hours())
    return min([expires, *(line.pay_before for line in quote.lines if line.pay_before is not None)])


# --- create ------------------------------------------------------------------------------------------------------


def _enabled_provider(provider: str) -> str:
    provider = (provider or "").strip().lower()
    enabled = {info.identifier for info in payments().providers_enabled()}
    if provider not in enabled:
        message = _("Metode pembayaran ini tidak tersedia. Pilih metode pembayaran lain.")
        raise ServiceError(message, errors={"provider": [message]})
    return provider


def _order_items(order: Order, quote: OrderQuote) -> list[OrderItem]:
    return insert_many(  # one INSERT of the lines, compiled once per process
        [
            OrderItem(
                order=order,
                kind=line.kind,
                plan=line.plan,
                plan_price=line.plan_price,
                duration=line.duration,
                product=line.product,
                ref=line.ref[:64],
                title=line.title[:250],
                pricing=line.pricing,
                list_price=line.list_price,
                member_discount=line.member_discount,
                upgrade_credit=line.upgrade_credit,
                coupon_discount=line.coupon_discount,
                amount=line.amount,
            )
            for line in quote.lines
        ]
    )


@service_atomic
def order_create(
    *, buyer, items, coupon_code: str = "", provider: str, affiliate=None, now: datetime | None = None
) -> Order:
    """Creates a pending order with every line priced (see `pricing`). Products with a seat quota hold their seat
    while the order is pending (released when it expires, is cancelled or refunded). A total of 0 (free product,
    100% coupon) is paid at once with provider "free". Raises ServiceError with an Indonesian message (and
    field errors: items, duration, coupon, provider) when the order cannot be made."""
    from .fulfilment import order_mark_paid

    backdated = now is not None
    now = now or timezone.now()
    if buyer is None or not buyer.is_active:
        raise NotAllowed(_("Akun Anda tidak aktif, jadi tidak bisa membuat pesanan."))
    quote = order_price(buyer=buyer, items=items, coupon_code=coupon_code, now=now, strict=True)
    is_free = quote.total == 0
    provider = FREE_PROVIDER if is_free else _enabled_provider(provider)
    if not is_free and not backdated:  # demo data and tests that place orders in the past skip the limits
        _pending_orders_check(buyer=buyer, quote=quote, now=now)
    for line in quote.lines:
        if line.product is not None:
            product_stock_take(product=line.product)
    order = order_insert(
        buyer=buyer, quote=quote, provider=provider, affiliate=affiliate, now=now, backdated=backdated, actor=buyer
    )
    if is_free:
        order = order_mark_paid(order=order, note=_("Pesanan gratis, tidak perlu pembayaran."), now=now)
    return order


def order_insert(
    *, buyer, quote: OrderQuote, provider: str, affiliate, now: datetime, backdated: bool, actor, log_data=None
) -> Order:
    """Writes a priced order and its lines (pending; the caller pays a free one): its invoice number, the manual
    transfer's unique code, and the "created" event in its log (by `actor`, with `log_data`)."""
    unique_code = 0
    if provider == MANUAL_PROVIDER and settings.MANUAL_UNIQUE_CODE:
        unique_code = unique_code_pick(base_total=quote.total)
    order = create(  # the INSERT compiled once per process
        Order,
        invoice_number=invoice_number_next(),
        buyer=buyer,
        buyer_name=(buyer.full_name or buyer.email)[:150],
        buyer_email=buyer.email,
        buyer_whatsapp=(buyer.whatsapp or "")[:20],
        status=OrderStatus.PENDING,
        subtotal=quote.subtotal,
        discount=quote.discount,
        unique_code=unique_code,
        tax=quote.tax,
        tax_label=quote.tax_label,
        admin_fee=quote.admin_fee,
        total=quote.total + unique_code,
        coupon=quote.coupon,
        coupon_code=quote.coupon_code if quote.coupon else "",
        affiliate=affiliate,
        provider=provider,
        expires_at=order_expires_at(quote=quote, now=now),
    )
    if backdated:  # `created_at` is automatic; demo data and tests place orders in the past
        Order.objects.filter(pk=order.pk).update(created_at=now)
        order.created_at = now
    # The new lines stay with the order (`order.items.all()` without a query: the API answer, a free order's
    # fulfilment).
    prefetched_set(order, "items", _order_items(order, quote))
    order_log(
        order=order,
        action=OrderAction.CREATED,
        actor=actor,
        data={
            "total": order.total, "provider": provider, "coupon": order.coupon_code, "unique_code": unique_code,
            **({"tax": order.tax, "admin_fee": order.admin_fee} if order.tax or order.admin_fee else {}),
            **(log_data or {}),
        },
        at=now if backdated else None,
    )  # fmt: skip
    return order


# --- cancel and expire ---------------------------------------------------------------------------------------------


def _lock(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def sync_state(target: Order, source: Order) -> None:
    """Copies the state of the locked, current row onto the caller's (possibly stale) instance."""
    for name in ("status", "paid_at", "closed_at", "needs_review", "review_reason"):
        setattr(target, name, getattr(source, name))


def release_stock(order: Order) -> None:
    """Gives back the seats a pending order held."""
    for item in order.items.filter(kind=ItemKind.PRODUCT).select_related("product"):
        product_stock_release(product=item.product)


def _close(order: Order, *, status: str, now: datetime) -> None:
    order.status = status
    order.closed_at = now
    order.save(update_fields=["status", "closed_at"])
    release_stock(order)
    FollowUp.objects.filter(order=order, status=FollowUpStatus.SCHEDULED).update(status=FollowUpStatus.CANCELLED)


@transaction.atomic
def order_cancel(*, order: Order, actor) -> Order:
    """Cancels a pending order (an admin, or the buyer their own). A payment that still arrives later is recorded
    and flagged for an admin's review by `payments`."""
    locked = _lock(order)
    if not (actor.has_role(Role.ADMIN) or actor.pk == locked.buyer_id):
        raise NotAllowed(_("Anda tidak berhak membatalkan pesanan ini."))
    if locked.status != OrderStatus.PENDING:
        raise ServiceError(
            _("Hanya pesanan yang menunggu pembayaran yang bisa dibatalkan (status sekarang: %(status)s).")
            % {"status": locked.get_status_display()}
        )
    _close(locked, status=OrderStatus.CANCELLED, now=timezone.now())
    order_log(order=locked, action=OrderAction.CANCELLED, actor=actor)
    sync_state(order, locked)
    return locked


def _expire_one(order_id: int, now: datetime) -> bool:
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(skip_locked=True)
            .filter(pk=order_id, status=OrderStatus.PENDING, expires_at__lte=now)
            .first()
        )
        if order is None:  # paid, cancelled or being handled by another worker meanwhile
            return False
        _close(order, status=OrderStatus.EXPIRED, now=now)
        order_log(order=order, action=OrderAction.EXPIRED)
        transaction.on_commit(partial(messages.notify_order_expired, order.pk), robust=True)
    return True


def order_expire_sweep(*, now: datetime | None = None) -> int:
    """Expires every pending order past its deadline (one short transaction each); returns how many. Safe to run
    twice or at the same time in several workers."""
    now = now or timezone.now()
    expired = 0
    while True:
        ids = list(
            Order.objects.filter(status=OrderStatus.PENDING, expires_at__lte=now)
            .order_by("expires_at", "id")
            .values_list("pk", flat=True)[:EXPIRE_BATCH]
        )
        if not ids:
            return expired
        done = sum(1 for order_id in ids if _expire_one(order_id, now))
        expired += done
        if done == 0:  # every remaining one is locked by another worker
            return expired


@transaction.atomic
def order_provider_change(*, order: Order, provider: str, actor) -> Order:
    """The buyer (or an admin) pays a pending order with another enabled provider. The amounts never change after
    creation (a unique code stays on the total), so a payment started earlier at the old provider still matches."""
    locked = _lock(order)
    if not (actor is not None and (actor.has_role(Role.ADMIN) or actor.pk == locked.buyer_id)):
        raise NotAllowed(_("Anda tidak berhak mengubah pesanan ini."))
    if locked.status != OrderStatus.PENDING:
        raise ServiceError(_("Pesanan ini tidak menunggu pembayaran lagi."))
    provider = _enabled_provider(provider)
    if provider != locked.provider:
        old = locked.provider
        locked.provider = provider
        locked.save(update_fields=["provider"])
        order_log(order=locked, action=OrderAction.PROVIDER_CHANGED, actor=actor, data={"from": old, "to": provider})
    order.provider = locked.provider
    return locked


# --- notifications -------------------------------------------------------------------------------------------------


@transaction.atomic
def order_resend_notification(*, order: Order, actor) -> Order:
    """Sends the buyer the order's message again: "payment received" for a paid order, the payment reminder with
    the link to pay for a pending one."""
    locked = _lock(order)
    if locked.status == OrderStatus.PAID:
        send = messages.notify_payment_success
    elif locked.status == OrderStatus.PENDING:
        send = messages.notify_payment_pending
    else:
        raise ServiceError(_("Notifikasi hanya bisa dikirim ulang untuk pesanan yang lunas atau menunggu pembayaran."))
    order_log(order=locked, action=OrderAction.NOTIFICATION_RESENT, actor=actor, data={"status": locked.status})
    transaction.on_commit(partial(send, locked.pk), robust=True)
    return locked
