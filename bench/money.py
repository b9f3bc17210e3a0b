"""The money part of the bench: affiliates with short links (for the redirect target) and the time to post the
revenue split of 20,000 paid orders (`finance.services.revenue_split_post`, one transaction per order as in
fulfilment)."""

import random
import time
from datetime import timedelta

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanggar.accounts.models import User, UserRole
from sanggar.affiliates.models import AffiliateProfile, ShortLink
from sanggar.catalog.models import PlanPrice
from sanggar.core.roles import Role
from sanggar.finance.models import LedgerTransaction
from sanggar.orders.constants import INVOICE_SEQUENCE_NAME, ItemKind, OrderStatus
from sanggar.orders.models import InvoiceSequence, Order, OrderItem

AFFILIATES = 200
SLUG_PREFIX = "bench-aff-"
BATCH = 2000


def affiliates_build(*, log) -> None:
    """200 affiliates (the first bench buyers, with the Affiliate role and a profile) with one short link each on
    the main domain (`/s/bench-aff-<n>` → the Gold checkout); a third of the historic orders carry an affiliate so
    the splits compute commissions. Idempotent."""
    if ShortLink.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        return
    users = list(User.objects.filter(email__startswith="pembeli").order_by("pk")[:AFFILIATES])
    with transaction.atomic():
        UserRole.objects.bulk_create([UserRole(user=u, role=Role.AFFILIATE) for u in users], ignore_conflicts=True)
        profiles = AffiliateProfile.objects.bulk_create(
            [AffiliateProfile(user=u, code=f"BENCH{i:04d}") for i, u in enumerate(users, start=1)]
        )
        ShortLink.objects.bulk_create(
            [
                ShortLink(affiliate=p, slug=f"{SLUG_PREFIX}{i}", target_kind="plan", target_slug="gold")
                for i, p in enumerate(profiles, start=1)
            ]
        )
        rng = random.Random(7)
        ids = list(Order.objects.filter(affiliate__isnull=True).values_list("pk", flat=True))
        chosen = [pk for pk in ids if rng.random() < 1 / 3]
        for start in range(0, len(chosen), BATCH):
            part = chosen[start : start + BATCH]
            Order.objects.filter(pk__in=part).update(affiliate=users[start // BATCH % len(users)])
    log(f"{len(profiles)} affiliates with short links; {len(chosen):,} historic orders carry an affiliate")


def short_link_slugs() -> list[str]:
    return list(ShortLink.objects.filter(slug__startswith=SLUG_PREFIX).order_by("pk").values_list("slug", flat=True))


def _unsplit_paid():
    posted = LedgerTransaction.objects.filter(key__startswith="split:").values("order_id")
    return Order.objects.filter(status=OrderStatus.PAID, total__gt=0).exclude(pk__in=posted)


def paid_orders_ensure(*, count: int, log) -> None:
    """Adds paid Gold orders (half of them referred) until `count` paid orders have no split yet."""
    missing = count - _unsplit_paid().count()
    if missing <= 0:
        return
    option = PlanPrice.objects.select_related("plan").filter(plan__slug="gold", duration="12m").first()
    buyers = list(User.objects.filter(email__startswith="pembeli").order_by("-pk").values_list("pk", flat=True)[:5000])
    affiliates = list(AffiliateProfile.objects.values_list("user_id", flat=True))
    sequence = InvoiceSequence.objects.get(name=INVOICE_SEQUENCE_NAME)
    number = max(sequence.last_value, 0)
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, missing, BATCH):
            orders = []
            for i in range(start, min(start + BATCH, missing)):
                number += 1
                paid_at = now - timedelta(minutes=i % 10_000)
                orders.append(
                    Order(
                        invoice_number=f"INV{number:06d}", buyer_id=buyers[i % len(buyers)],
                        buyer_name="Pembeli Bench", buyer_email=f"split{number}@bench.test", status=OrderStatus.PAID,
                        subtotal=option.price, total=option.price, provider="xendit",
                        affiliate_id=affiliates[i % len(affiliates)] if affiliates and i % 2 else None,
                        expires_at=paid_at + timedelta(hours=24), paid_at=paid_at,
                    )
                )  # fmt: skip
            Order.objects.bulk_create(orders)
            OrderItem.objects.bulk_create(
                [
                    OrderItem(
                        order=o,
                        kind=ItemKind.PLAN,
                        plan_id=option.plan_id,
                        plan_price=option,
                        duration="12m",
                        title=option.plan.title,
                        list_price=option.price,
                        amount=option.price,
                    )  # fmt: skip
                    for o in orders
                ]
            )
        sequence.last_value = number
        sequence.save(update_fields=["last_value"])
    log(f"{missing:,} paid orders added for the split measurement")


def splits_measure(*, count: int, log) -> dict:
    """Posts the split of `count` paid orders (one transaction each, as fulfilment does) and times the orders after
    the first two (the first creates the ledger accounts; the second runs alone to count its queries)."""
    from sanggar.finance.services import revenue_split_post

    paid_orders_ensure(count=count, log=log)
    orders = list(_unsplit_paid().order_by("pk")[:count])
    with transaction.atomic():
        revenue_split_post(order=orders[0])
    with CaptureQueriesContext(connection) as one, transaction.atomic():
        revenue_split_post(order=orders[1])
    started = time.monotonic()
    for order in orders[2:]:
        with transaction.atomic():
            revenue_split_post(order=order)
    seconds = time.monotonic() - started
    done = len(orders)
    return {
        "orders": done,
        "seconds": round(seconds, 1),
        "per_second": round((done - 2) / seconds, 1) if seconds else 0.0,
        "queries_per_split": len(one.captured_queries),
    }
