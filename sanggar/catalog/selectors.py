"""Reads of the catalog that pages, the API, checkout and orders share. Every list is one queryset with its
related rows fetched once (a fixed number of queries whatever the row count)."""

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.access.constants import ResourceKind
from sanggar.access.models import Resource
from sanggar.core.exceptions import NotFound
from sanggar.core.roles import Role

from .constants import DURATION_ORDER, CouponState, PlanStatus, ProductStatus
from .models import Coupon, MembershipPlan, PlanPrice, Product, ProductCategory
from .pricing import discount_amount
from .pricing import effective_price as _effective_price

PUBLIC_PRODUCT_STATUSES = (ProductStatus.PUBLISHED, ProductStatus.COMING_SOON)


class CatalogNotFound(NotFound, Http404):
    """A plan or product that does not exist or is not public: a 404 for pages (Http404) and for the API
    (NotFound, answered with the API's error shape)."""


def effective_price(*, price: int, promo_price: int | None, promo_ends_at, now=None) -> int:
    """The price to pay now: the promo price while it is set, lower and not over; the normal price otherwise."""
    return _effective_price(price=price, promo_price=promo_price, promo_ends_at=promo_ends_at, now=now)


def plan_price_effective(*, plan_price: PlanPrice, now=None) -> int:
    return effective_price(
        price=plan_price.price, promo_price=plan_price.promo_price, promo_ends_at=plan_price.promo_ends_at, now=now
    )


def product_price_effective(*, product: Product, now=None) -> int:
    if product.price_type == "free":
        return 0
    return effective_price(
        price=product.price, promo_price=product.promo_price, promo_ends_at=product.promo_ends_at, now=now
    )


def product_member_discount(*, product: Product, amount: int) -> int:
    """The premium-member discount on `amount` (floor for percent, capped at the amount)."""
    return discount_amount(
        discount_type=product.member_discount_type, value=product.member_discount_value, amount=amount
    )


def duration_order():
    """An expression ordering price options 1m, 3m, 6m, 12m, lifetime."""
    return Case(
        *[When(duration=d, then=Value(i)) for i, d in enumerate(DURATION_ORDER)],
        default=Value(len(DURATION_ORDER)),
        output_field=IntegerField(),
    )


def _prices(active_only: bool) -> Prefetch:
    queryset = PlanPrice.objects.all()
    if active_only:
        queryset = queryset.filter(is_active=True)
    return Prefetch("prices", queryset=queryset.annotate(duration_rank=duration_order()).order_by("duration_rank"))


# Public -----------------------------------------------------------------------------------------------------------


def public_prices_stable_seconds(now=None) -> int | None:
    """Seconds until a public price changes by itself (the next promo to end), None when none will: how long a
    cached public page or API answer stays true without an edit (one query)."""
    now = now or timezone.now()
    running = Q(promo_ends_at__gt=now, promo_price__isnull=False)
    ends = (
        PlanPrice.objects.filter(running)
        .order_by()  # the models' default ordering: SQLite refuses ORDER BY inside a UNION's parts
        .values_list("promo_ends_at", flat=True)
        .union(Product.objects.filter(running).order_by().values_list("promo_ends_at", flat=True))
    )
    upcoming = min(ends, default=None)
    return max(1, int((upcoming - now).total_seconds())) if upcoming else None


def plan_list_public() -> QuerySet[MembershipPlan]:
    """Active plans (sort order, then rank), each with its active prices (1m → lifetime) and features."""
    return (
        MembershipPlan.objects.filter(status=PlanStatus.ACTIVE)
        .prefetch_related(_prices(active_only=True), "features")
        .order_by("sort_order", "rank", "id")
    )


def plan_get_public(*, slug: str) -> MembershipPlan:
    """An active plan with its active prices, features, included resources and products; CatalogNotFound (404)
    for an unknown, draft or archived plan."""
    plan = (
        plan_list_public()
        .prefetch_related(
            "included_resources", Prefetch("included_products", queryset=Product.objects.order_by("title"))
        )
        .filter(slug=slug)
        .first()
    )
    if plan is None:
        raise CatalogNotFound(_("Paket membership tidak ditemukan."))
    return plan


def plans_get_public(*, slugs: list[str]) -> list[MembershipPlan]:
    """The active plans among `slugs`, in the order given (unknown or inactive slugs are left out)."""
    plans = {plan.slug: plan for plan in plan_list_public().filter(slug__in=slugs)}
    return [plans[slug] for slug in dict.fromkeys(slugs) if slug in plans]


def product_list_public(*, q: str = "", category: str = "", kind: str = "") -> QuerySet[Product]:
    """Published and coming-soon products, newest first, with their categories. `category` is a category slug."""
    products = Product.objects.filter(status__in=PUBLIC_PRODUCT_STATUSES).prefetch_related("categories")
    if q:
        products = products.filter(Q(title__icontains=q) | Q(short_description__icontains=q))
    if category:
        products = products.filter(categories__slug=category).distinct()
    if kind:
        products = products.filter(kind=kind)
    return products.order_by("-created_at", "-id")


def product_get_public(*, slug: str) -> Product:
    """A published or coming-soon product with its categories, gallery, file titles, public bundled products and
    creator; CatalogNotFound (404) for an unknown or draft product."""
    product = (
        Product.objects.filter(slug=slug, status__in=PUBLIC_PRODUCT_STATUSES)
        .select_related("creator", "resource")
        .prefetch_related(
            "categories",
            "gallery",
            "files",
            "included_resources",
            Prefetch("bundled_products", queryset=Product.objects.filter(status__in=PUBLIC_PRODUCT_STATUSES)),
        )
        .first()
    )
    if product is None:
        raise CatalogNotFound(_("Produk tidak ditemukan."))
    return product


# Admin ------------------------------------------------------------------------------------------------------------


def plan_list_admin(*, q: str = "", status: str = "") -> QuerySet[MembershipPlan]:
    """Every plan with all its prices and the number of active memberships."""
    plans = MembershipPlan.objects.prefetch_related(_prices(active_only=False)).annotate(
        active_members=Count("memberships", filter=Q(memberships__status="active"), distinct=True)
    )
    if q:
        plans = plans.filter(Q(title__icontains=q) | Q(slug__icontains=q))
    if status:
        plans = plans.filter(status=status)
    return plans.order_by("sort_order", "rank", "id")


def plan_get(*, pk: int) -> MembershipPlan | None:
    return (
        MembershipPlan.objects.prefetch_related(
            _prices(active_only=False), "features", "follow_ups", "included_resources", "included_products"
        )
        .filter(pk=pk)
        .first()
    )


def product_list_admin(*, q: str = "", status: str = "", kind: str = "", category: str = "") -> QuerySet[Product]:
    products = (
        Product.objects.select_related("creator")
        .prefetch_related("categories")
        .annotate(file_count=Count("files", distinct=True))
    )
    if q:
        products = products.filter(Q(title__icontains=q) | Q(slug__icontains=q))
    if status:
        products = products.filter(status=status)
    if kind:
        products = products.filter(kind=kind)
    if category:
        products = products.filter(categories__slug=category)
    return products.order_by("-created_at", "-id")


def product_get(*, pk: int) -> Product | None:
    return (
        Product.objects.select_related("creator", "resource")
        .prefetch_related("categories", "gallery", "files", "follow_ups", "included_resources", "bundled_products")
        .filter(pk=pk)
        .first()
    )


def category_list_admin(*, q: str = "") -> QuerySet[ProductCategory]:
    categories = ProductCategory.objects.annotate(product_count=Count("products", distinct=True))
    if q:
        categories = categories.filter(name__icontains=q)
    return categories.order_by("name")


def category_get(*, pk: int) -> ProductCategory | None:
    return ProductCategory.objects.filter(pk=pk).first()


def coupon_state(coupon: Coupon, now=None) -> str:
    now = now or timezone.now()
    if not coupon.is_active:
        return CouponState.INACTIVE
    if coupon.valid_until and coupon.valid_until <= now:
        return CouponState.EXPIRED
    if coupon.valid_from and coupon.valid_from > now:
        return CouponState.SCHEDULED
    return CouponState.ACTIVE


def coupon_list_admin(*, q: str = "", state: str = "", now=None) -> QuerySet[Coupon]:
    """Coupons with their uses (orders pending or paid), affiliate, and the counts of plans / products they are
    limited to."""
    now = now or timezone.now()
    coupons = Coupon.objects.select_related("affiliate").annotate(
        uses=Count("orders", filter=Q(orders__status__in=("pending", "paid")), distinct=True),
        plan_count=Count("plans", distinct=True),
        product_count=Count("products", distinct=True),
        course_count=Count("resources", distinct=True),
    )
    if q:
        coupons = coupons.filter(Q(code__icontains=q) | Q(description__icontains=q))
    if state == CouponState.INACTIVE:
        coupons = coupons.filter(is_active=False)
    elif state == CouponState.EXPIRED:
        coupons = coupons.filter(is_active=True, valid_until__lte=now)
    elif state == CouponState.SCHEDULED:
        coupons = coupons.filter(is_active=True, valid_from__gt=now).exclude(valid_until__lte=now)
    elif state == CouponState.ACTIVE:
        coupons = coupons.filter(is_active=True).exclude(valid_from__gt=now).exclude(valid_until__lte=now)
    return coupons.order_by("-created_at", "-id")


def coupon_get(*, pk: int) -> Coupon | None:
    return (
        Coupon.objects.select_related("affiliate")
        .prefetch_related("plans", "products", "resources")
        .filter(pk=pk)
        .first()
    )


# Choices for the admin forms ----------------------------------------------------------------------------------------


def resource_options() -> list:
    """Groups, courses, events, documents and features (not products) that plans and products can include."""

    return list(Resource.objects.exclude(kind=ResourceKind.PRODUCT).filter(is_active=True).order_by("kind", "title"))


def product_options() -> list[Product]:
    return list(Product.objects.only("pk", "title", "status", "kind").order_by("title"))


def course_resource_options() -> list[Resource]:
    """The course resources a coupon may be limited to (courses sell as their own order line), by title."""
    return list(Resource.objects.filter(kind=ResourceKind.COURSE).only("pk", "title").order_by("title", "id")[:500])


def plan_options() -> list[MembershipPlan]:
    return list(MembershipPlan.objects.only("pk", "title", "status").order_by("sort_order", "rank", "id"))


def category_options() -> list[ProductCategory]:
    return list(ProductCategory.objects.order_by("name"))


def affiliate_options() -> list:
    return list(
        get_user_model()
        .objects.filter(roles__role=Role.AFFILIATE, is_active=True)
        .only("pk", "full_name", "email")
        .order_by("full_name", "email")
    )


def mentor_options() -> list:
    return list(
        get_user_model()
        .objects.filter(roles__role=Role.MENTOR, is_active=True)
        .only("pk", "full_name", "email")
        .order_by("full_name", "email")
    )
