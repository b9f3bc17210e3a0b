"""Catalog and order rows for the access and membership tests, built directly (these tests are about the
access and membership layers; the catalog's own services are tested in sanggar/catalog)."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from sanggar.access.services import resource_ensure
from sanggar.catalog.models import MembershipPlan, PlanPrice, Product, ProductFile
from sanggar.orders.models import Order, OrderItem

DEFAULT_PRICES = {"1m": 100_000, "6m": 500_000, "12m": 900_000, "lifetime": 3_000_000}
_invoice = count(1)


def make_resource(kind="course", key="dasar-ekspor", title="Dasar Ekspor"):
    return resource_ensure(kind=kind, key=key, title=title)


def make_plan(
    slug="gold", *, rank=2, title=None, prices=None, mode="accumulate", status="active", resources=(), products=()
) -> MembershipPlan:
    plan = MembershipPlan.objects.create(
        title=title or slug.title(), slug=slug, rank=rank, upgrade_mode=mode, status=status
    )
    for duration, price in (prices or DEFAULT_PRICES).items():
        PlanPrice.objects.create(plan=plan, duration=duration, price=price)
    plan.included_resources.set(resources)
    plan.included_products.set(products)
    return plan


def price_of(plan, duration="1m") -> PlanPrice:
    return PlanPrice.objects.select_related("plan").get(plan=plan, duration=duration)


def make_product(
    slug="ebook-ekspor", *, title=None, status="published", access_level="public", price=150_000, creator=None,
    access_days=None, kind="ebook",
) -> Product:  # fmt: skip
    title = title or slug.replace("-", " ").title()
    resource = resource_ensure(kind="product", key=slug, title=title)
    return Product.objects.create(
        title=title, slug=slug, status=status, access_level=access_level, price=price, creator=creator,
        access_days=access_days, resource=resource, kind=kind,
    )  # fmt: skip


def make_file(product, *, title="Panduan Ekspor", content=b"%PDF-1.4 isi berkas", name="panduan.pdf") -> ProductFile:
    from django.core.files.base import ContentFile

    product_file = ProductFile(product=product, title=title, size=len(content), original_name=name)
    product_file.file.save(name, ContentFile(content), save=False)
    product_file.save()
    return product_file


def make_order(buyer, *, plan_price=None, list_price=None, status="paid", total=None) -> Order:
    """A paid order row (with a plan line when `plan_price` is given)."""
    now = timezone.now()
    amount = list_price if list_price is not None else (plan_price.price if plan_price else 0)
    order = Order.objects.create(
        invoice_number=f"INVT{next(_invoice):06d}", buyer=buyer, buyer_name=buyer.full_name,
        buyer_email=buyer.email, status=status, subtotal=amount, total=total if total is not None else amount,
        provider="manual", expires_at=now + timedelta(hours=24), paid_at=now if status == "paid" else None,
    )  # fmt: skip
    if plan_price is not None:
        OrderItem.objects.create(
            order=order, kind="plan", plan=plan_price.plan, plan_price=plan_price, duration=plan_price.duration,
            title=str(plan_price), list_price=amount, amount=amount,
        )  # fmt: skip
    return order
