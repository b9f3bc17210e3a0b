"""Pricing of an order: every line priced the same way for the checkout preview and for `order_create`.

A line costs its list price (after promo) minus, in this order, the member discount (products, for premium members),
the upgrade credit (plans, accumulate mode, from `memberships.services.membership_quote`) and the coupon discount
(`catalog.services.coupon_check`). Every reduction is floored to whole rupiah by the function that computes it and
clamped so a line never goes below 0."""

from dataclasses import dataclass, replace
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.catalog.constants import AccessLevel, PlanStatus, PriceType, ProductStatus
from sanggar.catalog.models import Coupon, MembershipPlan, PlanPrice, Product
from sanggar.catalog.selectors import effective_price, product_member_discount, product_price_effective
from sanggar.catalog.services import CouponLine, coupon_check
from sanggar.core.exceptions import ServiceError
from sanggar.core.prepared import Prepared
from sanggar.memberships.selectors import is_premium
from sanggar.memberships.services import membership_quote

from ..constants import MAX_ITEMS_PER_ORDER, ItemKind, PricingKind
from ..sellables import sellable_kind
from .charges import order_charges


@dataclass(frozen=True)
class ItemRequest:
    """One thing a buyer asks for: `ItemRequest("plan", "gold", "12m")` or `ItemRequest("product", "ebook-ekspor")`."""

    kind: str
    slug: str
    duration: str | None = None


@dataclass(frozen=True)
class PricedLine:
    kind: str
    title: str
    list_price: int  # catalogue price after promo
    member_discount: int = 0
    upgrade_credit: int = 0
    coupon_discount: int = 0
    amount: int = 0  # list_price - member_discount - upgrade_credit - coupon_discount, never below 0
    pricing: str = PricingKind.NEW
    duration: str = ""
    plan: MembershipPlan | None = None
    plan_price: PlanPrice | None = None
    product: Product | None = None
    ref: str = ""  # what a line of another app's kind sells (stored on OrderItem.ref)
    resource_id: int | None = None  # the access resource such a line sells (a course's), for coupons limited to it
    note: str = ""  # e.g. the membership quote's explanation ("Upgrade dari Silver, sisa nilai Rp …")
    pay_before: datetime | None = None  # a deadline the sold thing already has (e.g. a class approval's 24 hours)

    @property
    def discount(self) -> int:
        return self.member_discount + self.upgrade_credit + self.coupon_discount

    @property
    def price_before_coupon(self) -> int:
        return max(0, self.list_price - self.member_discount - self.upgrade_credit)


@dataclass(frozen=True)
class OrderQuote:
    """What an order would cost now. `total` = subtotal - discount + tax + admin fee; it excludes the manual-transfer
    unique code (added by `order_create`)."""

    lines: tuple[PricedLine, ...]
    subtotal: int
    discount: int
    total: int
    coupon: Coupon | None = None
    coupon_code: str = ""
    # A code was entered: True when it applies, False (with `coupon_message`) when it does not.
    coupon_valid: bool = False
    coupon_message: str = ""
    tax: int = 0  # see services.charges for the rounding
    tax_label: str = ""
    admin_fee: int = 0

    @property
    def goods(self) -> int:
        """What the lines cost (subtotal - discount): the base of commissions."""
        return self.subtotal - self.discount


def _refuse(message: str, key: str = "items") -> ServiceError:
    return ServiceError(message, errors={key: [message]})


def normalize_items(items) -> list[ItemRequest]:
    """Checks the shape of the request: 1–10 items, known kinds, one plan at most, no item twice."""
    items = list(items or [])
    if not items:
        raise _refuse(_("Pilih paket membership atau produk yang ingin dibeli."))
    if len(items) > MAX_ITEMS_PER_ORDER:
        raise _refuse(_("Satu pesanan paling banyak berisi %(n)s item.") % {"n": MAX_ITEMS_PER_ORDER})
    normalized: list[ItemRequest] = []
    seen: set[tuple[str, str]] = set()
    for item in items:
        kind = str(getattr(item, "kind", "") or "").strip().lower()
        slug = str(getattr(item, "slug", "") or "").strip().lower()
        duration = getattr(item, "duration", None)
        duration = str(duration).strip().lower() if duration else None
        if sellable_kind(kind) is None:
            raise _refuse(_("Jenis item tidak dikenal: gunakan membership (plan) atau produk (product)."))
        if not slug:
            raise _refuse(_("Setiap item harus menyebutkan paket atau produk yang dibeli."))
        if (kind, slug) in seen:
            raise _refuse(_("Item yang sama hanya bisa dibeli sekali dalam satu pesanan."))
        seen.add((kind, slug))
        normalized.append(ItemRequest(kind=kind, slug=slug, duration=duration))
    if sum(1 for item in normalized if item.kind == ItemKind.PLAN) > 1:
        raise _refuse(_("Satu pesanan hanya boleh berisi satu paket membership."))
    return normalized


# A plan's active prices with the plan, compiled once per process (a prepared query, the same statement).
_PLAN_PRICES = Prepared(
    lambda slug: PlanPrice.objects.select_related("plan").filter(
        plan__slug=slug, plan__status=PlanStatus.ACTIVE, is_active=True
    ),
    slug="\x00plan",
)


def plan_line(*, buyer, item: ItemRequest, premium: bool, now: datetime) -> PricedLine:
    """The `plan` kind's price: the option's price after promo, less the upgrade credit for the buyer."""
    # The plan with its active prices in one query; the plan alone only when it has none (to say why).
    prices = _PLAN_PRICES.all(slug=item.slug)
    plan = prices[0].plan if prices else None
    if plan is None:
        plan = MembershipPlan.objects.filter(slug=item.slug, status=PlanStatus.ACTIVE).first()
    if plan is None:
        raise _refuse(_("Paket membership tidak ditemukan atau sedang tidak dijual."))
    if item.duration:
        plan_price = next((p for p in prices if p.duration == item.duration), None)
        if plan_price is None:
            raise _refuse(
                _("Pilihan durasi ini tidak tersedia untuk paket %(plan)s.") % {"plan": plan.title}, key="duration"
            )
    elif len(prices) == 1:
        plan_price = prices[0]
    elif not prices:
        raise _refuse(_("Paket %(plan)s sedang tidak dijual.") % {"plan": plan.title})
    else:
        raise _refuse(_("Pilih durasi paket %(plan)s.") % {"plan": plan.title}, key="duration")
    plan_price.plan = plan
    duration_label = str(plan_price.get_duration_display())
    # "Gold (12 Bulan)"; a plan named after its duration ("12 Bulan") keeps its name alone.
    title = plan.title if duration_label.lower() in plan.title.lower() else f"{plan.title} ({duration_label})"
    if buyer is None:
        list_price = effective_price(
            price=plan_price.price, promo_price=plan_price.promo_price, promo_ends_at=plan_price.promo_ends_at, now=now
        )
        return PricedLine(
            kind=ItemKind.PLAN, title=title, list_price=list_price, amount=list_price, duration=plan_price.duration,
            plan=plan, plan_price=plan_price,
        )  # fmt: skip
    quote = membership_quote(user=buyer, plan_price=plan_price, now=now)
    if not quote.allowed:
        raise _refuse(quote.message or _("Paket ini tidak bisa dibeli saat ini."))
    list_price = int(quote.list_price)
    credit = max(0, min(int(quote.credit), list_price))
    return PricedLine(
        kind=ItemKind.PLAN,
        title=title,
        list_price=list_price,
        upgrade_credit=credit,
        amount=list_price - credit,
        pricing=str(quote.pricing),
        duration=plan_price.duration,
        plan=plan,
        plan_price=plan_price,
        note=quote.message or "",
    )


def product_line(*, buyer, item: ItemRequest, premium: bool, now: datetime) -> PricedLine:
    """The `product` kind's price: after promo, less the member discount for premium members."""
    product = Product.objects.select_related("resource").filter(slug=item.slug).first()
    if product is None or product.status == ProductStatus.DRAFT:
        raise _refuse(_("Produk tidak ditemukan."))
    if product.status == ProductStatus.COMING_SOON:
        raise _refuse(_("%(title)s segera hadir dan belum bisa dibeli.") % {"title": product.title})
    if product.access_level == AccessLevel.PREMIUM and not premium:
        raise _refuse(
            _("%(title)s khusus Member Premium. Silakan upgrade membership untuk membelinya.")
            % {"title": product.title}
        )
    if product.stock is not None and product.sold_count >= product.stock:
        raise _refuse(_("Kuota %(title)s sudah habis.") % {"title": product.title})
    list_price = product_price_effective(product=product, now=now)
    if product.price_type != PriceType.FREE and list_price <= 0:
        raise _refuse(_("%(title)s belum memiliki harga, jadi belum bisa dibeli.") % {"title": product.title})
    member_discount = product_member_discount(product=product, amount=list_price) if premium else 0
    return PricedLine(
        kind=ItemKind.PRODUCT,
        title=product.title,
        list_price=list_price,
        member_discount=member_discount,
        amount=list_price - member_discount,
        product=product,
    )


def _with_coupon(line: PricedLine, discount: int) -> PricedLine:
    base = line.price_before_coupon
    discount = max(0, min(int(discount), base))
    return replace(line, coupon_discount=discount, amount=base - discount)


def order_price(*, buyer, items, coupon_code: str = "", now: datetime | None = None, strict: bool = True) -> OrderQuote:
    """Prices `items` for `buyer` (None: a visitor who has not signed in yet). Item problems always raise
    ServiceError; an unusable coupon raises only when `strict` (order creation), else it is reported on the quote."""
    now = now or timezone.now()
    requests = normalize_items(items)
    # Whether the buyer is a premium member matters for products only (asked once, when there is one).
    has_product = any(item.kind != ItemKind.PLAN for item in requests)
    premium = bool(has_product and buyer is not None and is_premium(user=buyer))
    lines: list[PricedLine] = []
    for item in requests:
        lines.append(sellable_kind(item.kind).price(buyer=buyer, item=item, premium=premium, now=now))

    code = (coupon_code or "").strip().upper()
    coupon = None
    coupon_valid = False
    coupon_message = ""
    if code:
        check = coupon_check(
            code=code,
            user=buyer,
            now=now,
            lines=[
                CouponLine(
                    kind=line.kind,
                    plan_id=line.plan.pk if line.plan else None,
                    product_id=line.product.pk if line.product else None,
                    amount=line.price_before_coupon,
                    resource_id=line.resource_id,
                )
                for line in lines
            ],
        )
        coupon_message = check.message or ""
        if check.valid:
            coupon = check.coupon
            coupon_valid = True
            lines = [_with_coupon(line, check.discounts.get(i, 0)) for i, line in enumerate(lines)]
        elif strict:
            raise _refuse(coupon_message or _("Kupon tidak bisa dipakai."), key="coupon")

    subtotal = sum(line.list_price for line in lines)
    goods = sum(line.amount for line in lines)
    charges = order_charges(lines)
    return OrderQuote(
        lines=tuple(lines),
        subtotal=subtotal,
        discount=subtotal - goods,
        total=goods + charges.tax + charges.admin_fee,
        tax=charges.tax,
        tax_label=charges.tax_label,
        admin_fee=charges.admin_fee,
        coupon=coupon,
        coupon_code=code,
        coupon_valid=coupon_valid,
        coupon_message=coupon_message,
    )


def order_preview(*, buyer, items, coupon_code: str = "", now: datetime | None = None) -> OrderQuote:
    """The same pricing as `order_create`, without writing anything (checkout pages' live total). A coupon that does
    not apply is reported on the quote (`coupon_valid=False`, `coupon_message`) instead of raising."""
    return order_price(buyer=buyer, items=items, coupon_code=coupon_code, now=now, strict=False)
