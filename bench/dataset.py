"""The bench dataset, at the scale of the client's Sejoli data ("DATA MIGRASI SEJOLI"): 20,000 users, 20,000 orders
(with their items, payments and follow-ups), 10,000 memberships. The catalog is made through the catalog services;
the bulk rows with bulk_create (what a data migration does), in batches."""

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from sanggar.accounts.models import User, UserRole
from sanggar.catalog import services as catalog
from sanggar.catalog.models import PlanPrice, Product
from sanggar.catalog.services import PriceInput
from sanggar.core.dates import add_months
from sanggar.core.roles import Role
from sanggar.memberships.models import UserMembership
from sanggar.orders.constants import INVOICE_SEQUENCE_NAME, FollowUpStatus, ItemKind, OrderStatus
from sanggar.orders.models import FollowUp, InvoiceSequence, Order, OrderItem
from sanggar.payments.models import Payment

BATCH = 2000
PASSWORD = "bench-sandi-123"
ADMIN_EMAIL = "admin@bench.test"
PLANS = (
    ("Silver", "silver", 1, {"1m": 150_000, "6m": 600_000, "12m": 1_000_000}),
    ("Gold", "gold", 2, {"1m": 250_000, "6m": 1_100_000, "12m": 1_800_000, "lifetime": 4_500_000}),
    ("Platinum", "platinum", 3, {"12m": 3_000_000, "lifetime": 7_500_000}),
)
PRODUCTS = (
    ("Ebook Panduan Ekspor", 99_000),
    ("Template Dokumen Ekspor", 149_000),
    ("Webinar Riset Pasar", 249_000),
    ("Kelas Negosiasi Buyer", 499_000),
    ("Konsultasi Privat", 999_000),
)
# Order statuses of the historic orders, as shares of 100.
STATUS_MIX = (
    (OrderStatus.PAID, 62),
    (OrderStatus.EXPIRED, 28),
    (OrderStatus.PENDING, 5),
    (OrderStatus.REFUNDED, 3),
    (OrderStatus.CANCELLED, 2),
)
PROVIDERS = ("manual", "xendit", "midtrans")
FEATURES = ("Akses database buyer", "Grup komunitas eksportir", "Kelas dasar ekspor", "Template dokumen")


def _catalog(admin):
    plans = {}
    for title, slug, rank, prices in PLANS:
        plan = catalog.plan_create(
            actor=admin, title=title, slug=slug, rank=rank, upgrade_mode="accumulate", badge_best_seller=slug == "gold"
        )
        catalog.plan_prices_set(
            plan=plan, actor=admin, prices=[PriceInput(duration=d, price=p) for d, p in prices.items()]
        )
        catalog.plan_features_set(plan=plan, actor=admin, labels=list(FEATURES[: rank + 1]))
        plans[slug] = catalog.plan_update(plan=plan, actor=admin, status="active")
    products = [
        catalog.product_create(
            actor=admin,
            title=title,
            price=price,
            price_type="one_time",
            status="published",
            short_description="Produk pelengkap untuk eksportir pemula.",
        )
        for title, price in PRODUCTS
    ]
    return plans, products


def _users(count: int, password_hash: str, now) -> list[int]:
    ids: list[int] = []
    for start in range(0, count, BATCH):
        rows = [
            User(
                email=f"pembeli{n}@bench.test",
                full_name=f"Pembeli Bench {n}",
                whatsapp=f"+62812{n:08d}",
                password=password_hash,
                date_joined=now - timedelta(minutes=n),
            )
            for n in range(start, min(start + BATCH, count))
        ]
        created = User.objects.bulk_create(rows)
        UserRole.objects.bulk_create([UserRole(user=u, role=Role.MEMBER) for u in created])
        ids.extend(u.pk for u in created)
    return ids


def _memberships(user_ids: list[int], plans: dict, count: int, now, rng: random.Random) -> None:
    plan_list = list(plans.values())
    rows = []
    for index, user_id in enumerate(user_ids[:count]):
        plan = plan_list[index % len(plan_list)]
        active = rng.random() < 0.7
        starts = now - timedelta(days=rng.randint(10, 300) if active else rng.randint(400, 700))
        ends = add_months(starts, 12)
        rows.append(
            UserMembership(
                user_id=user_id,
                plan=plan,
                duration="12m",
                starts_at=starts,
                ends_at=ends,
                status="active" if active else "expired",
                ended_at=None if active else ends,
            )
        )
    UserMembership.objects.bulk_create(rows, batch_size=BATCH)


def _pick_status(rng: random.Random) -> str:
    roll = rng.randint(1, 100)
    for status, share in STATUS_MIX:
        if roll <= share:
            return status
        roll -= share
    return OrderStatus.PAID


def _orders(user_ids, plans, products, count: int, now, rng: random.Random) -> int:
    prices = {
        (p.plan_id, p.duration): p for p in PlanPrice.objects.filter(plan__in=plans.values()).select_related("plan")
    }
    options = list(prices.values())
    created_field = Order._meta.get_field("created_at")
    created_field.auto_now_add = False  # historic orders keep their own dates
    pending_codes: set[tuple[int, int]] = set()  # (amount, code) of pending manual orders: unique, as in production
    try:
        number = 0
        for start in range(0, count, BATCH):
            orders, lines = [], []
            for _ in range(start, min(start + BATCH, count)):
                number += 1
                user_id = user_ids[rng.randrange(len(user_ids))]
                created = now - timedelta(minutes=rng.randint(60, 365 * 24 * 60))
                status = _pick_status(rng)
                if rng.random() < 0.6:
                    option = options[rng.randrange(len(options))]
                    item = OrderItem(
                        kind=ItemKind.PLAN,
                        plan_id=option.plan_id,
                        plan_price=option,
                        duration=option.duration,
                        title=f"{option.plan.title} ({option.get_duration_display()})",
                        list_price=option.price,
                        amount=option.price,
                    )
                else:
                    product = products[rng.randrange(len(products))]
                    item = OrderItem(
                        kind=ItemKind.PRODUCT,
                        product=product,
                        title=product.title,
                        list_price=product.price,
                        amount=product.price,
                    )
                provider = PROVIDERS[rng.randrange(len(PROVIDERS))]
                code = rng.randint(1, 999) if provider == "manual" else 0
                if code and status == OrderStatus.PENDING:
                    while (item.amount, code) in pending_codes:
                        code = code % 999 + 1
                    pending_codes.add((item.amount, code))
                paid = status in (OrderStatus.PAID, OrderStatus.REFUNDED)
                orders.append(
                    Order(
                        invoice_number=f"INV{number:06d}",
                        buyer_id=user_id,
                        buyer_name=f"Pembeli Bench {user_id}",
                        buyer_email=f"pembeli{user_id}@bench.test",
                        status=status,
                        subtotal=item.amount,
                        unique_code=code,
                        total=item.amount + code,
                        provider=provider,
                        created_at=created,
                        expires_at=created + timedelta(hours=24),
                        paid_at=created + timedelta(hours=2) if paid else None,
                        closed_at=None
                        if status in (OrderStatus.PAID, OrderStatus.PENDING)
                        else created + timedelta(days=1),
                    )
                )
                lines.append(item)
            Order.objects.bulk_create(orders)
            for order, item in zip(orders, lines):
                item.order = order
            OrderItem.objects.bulk_create(lines)
            Payment.objects.bulk_create(
                [
                    Payment(
                        order=o,
                        provider=o.provider,
                        amount=o.total,
                        paid_amount=o.total,
                        paid_at=o.paid_at,
                        status="paid" if o.status == OrderStatus.PAID else "refunded",
                        provider_reference=f"hist-{o.invoice_number}" if o.provider != "manual" else "",
                    )
                    for o in orders
                    if o.paid_at
                ]
            )
            FollowUp.objects.bulk_create(
                [
                    FollowUp(
                        order=o,
                        message="Halo, bagaimana kabar belajar ekspornya?",
                        send_at=o.paid_at + timedelta(days=d),
                        status=FollowUpStatus.SENT,
                        sent_at=o.paid_at + timedelta(days=d),
                    )
                    for o in orders
                    if o.status == OrderStatus.PAID
                    for d in (0, 3)
                ]
            )
    finally:
        created_field.auto_now_add = True
    return number


def _webhook_pool(user_ids, plans, start_number: int, count: int, now) -> int:
    """Pending Xendit orders with an open payment each: one per webhook the bench delivers."""
    option = PlanPrice.objects.get(plan=plans["gold"], duration="12m")
    number = start_number
    for start in range(0, count, BATCH):
        orders = []
        for index in range(start, min(start + BATCH, count)):
            number += 1
            user_id = user_ids[-1 - (index % len(user_ids))]
            orders.append(
                Order(
                    invoice_number=f"INV{number:06d}",
                    buyer_id=user_id,
                    buyer_name=f"Pembeli Bench {user_id}",
                    buyer_email=f"pembeli{user_id}@bench.test",
                    status=OrderStatus.PENDING,
                    subtotal=option.price,
                    total=option.price,
                    provider="xendit",
                    expires_at=now + timedelta(days=7),
                )
            )
        Order.objects.bulk_create(orders)
        OrderItem.objects.bulk_create(
            [
                OrderItem(
                    order=o,
                    kind=ItemKind.PLAN,
                    plan_id=option.plan_id,
                    plan_price=option,
                    duration="12m",
                    title="Gold (12 Bulan)",
                    list_price=option.price,
                    amount=option.price,
                )
                for o in orders
            ]
        )
        Payment.objects.bulk_create(
            [
                Payment(
                    order=o,
                    provider="xendit",
                    provider_reference=f"bench-{o.invoice_number}",
                    amount=o.total,
                    checkout_url=f"https://checkout.xendit.co/web/bench-{o.invoice_number}",
                )
                for o in orders
            ]
        )
    return number


def build(*, users: int, orders: int, memberships: int, webhooks: int, log) -> None:
    rng = random.Random(20251123)  # the same dataset every run
    now = timezone.now()
    with transaction.atomic():
        admin = User.objects.create_user(email=ADMIN_EMAIL, password=PASSWORD, full_name="Admin Bench")
        UserRole.objects.bulk_create([UserRole(user=admin, role=r) for r in (Role.MEMBER, Role.ADMIN)])
        plans, products = _catalog(admin)
    log(f"catalog: {len(plans)} plans, {len(products)} products")
    password_hash = make_password(PASSWORD)
    with transaction.atomic():
        user_ids = _users(users, password_hash, now)
    log(f"{len(user_ids):,} users")
    with transaction.atomic():
        _memberships(user_ids, plans, memberships, now, rng)
    log(f"{min(memberships, len(user_ids)):,} memberships")
    products = list(Product.objects.filter(pk__in=[p.pk for p in products]))
    with transaction.atomic():
        last = _orders(user_ids, plans, products, orders, now, rng)
    log(f"{last:,} orders with items, payments and follow-ups")
    with transaction.atomic():
        last = _webhook_pool(user_ids[memberships:] or user_ids, plans, last, webhooks, now)
        InvoiceSequence.objects.update_or_create(name=INVOICE_SEQUENCE_NAME, defaults={"last_value": last})
    log(f"{webhooks:,} pending Xendit orders for the webhook target")
    _statistics_refresh()


def _statistics_refresh() -> None:
    """What autovacuum does on a running database after a data migration: planner statistics and the visibility
    map, so the measured queries get the plans they get in production (not a bulk load's first guesses)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def is_built(*, users: int, orders: int) -> bool:
    return (
        User.objects.filter(email=ADMIN_EMAIL).exists()
        and User.objects.filter(email__startswith="pembeli").count() >= users
        and Order.objects.count() >= orders
    )
