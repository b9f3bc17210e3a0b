"""Reads of suppliers: the members' directory (filters, Premium first, a fixed number of queries), a listed
supplier's profile and products, the mentor's queue, the admins' list, and the statistics."""

from datetime import datetime, time, timedelta

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, Sum, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from sanggar.chat.selectors import supplier_inquiry_stats
from sanggar.directory.models import DirectoryLike

from .constants import LISTED_STATUSES, ProductStatus, Status
from .kinds import KIND
from .models import ProductCategory, ProductLike, Supplier, SupplierFile, SupplierProduct, SupplierView


def _logos():
    return Prefetch("files", queryset=SupplierFile.objects.filter(kind=SupplierFile.Kind.LOGO), to_attr="logo_files")


def directory(*, q: str = "", province: str = "", supplier_type: str = "", field: str = "", status: str = "",
              premium: bool = False, hs: str = "", now=None):  # fmt: skip
    """Listed suppliers (verified or limited, active account), Premium first (priority listing), then verified, then
    newest. `q` searches company, main products and active product titles."""
    now = now or timezone.now()
    qs = Supplier.objects.filter(status__in=LISTED_STATUSES, user__is_active=True)
    if q:
        products = SupplierProduct.objects.filter(
            supplier=OuterRef("pk"), status=ProductStatus.ACTIVE, title__icontains=q
        )
        qs = qs.filter(Q(company_name__icontains=q) | Q(main_products__icontains=q) | Exists(products))
    if hs:
        qs = qs.filter(Exists(SupplierProduct.objects.filter(supplier=OuterRef("pk"), status=ProductStatus.ACTIVE,
                                                             hs_code__startswith=hs)))  # fmt: skip
    if province:
        qs = qs.filter(province=province)
    if supplier_type:
        qs = qs.filter(supplier_type=supplier_type)
    if field:
        in_field = ProductCategory.objects.filter(
            product__supplier=OuterRef("pk"), product__status=ProductStatus.ACTIVE, code=field
        )
        qs = qs.filter(Q(business_field=field) | Exists(in_field))
    if status in (Status.VERIFIED, Status.LIMITED):
        qs = qs.filter(status=status)
    if premium:
        qs = qs.filter(premium_until__gt=now)
    active = SupplierProduct.objects.filter(supplier=OuterRef("pk"), status=ProductStatus.ACTIVE)
    return (
        qs.annotate(
            is_premium_now=Case(
                When(premium_until__gt=now, then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
            is_verified=Case(
                When(status=Status.VERIFIED, then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
            has_products=Exists(active),
        )
        .prefetch_related(_logos())
        .order_by("-is_premium_now", "-is_verified", "-decided_at", "-id")
    )


def listed(*, slug: str) -> Supplier | None:
    return (
        Supplier.objects.select_related("user")
        .prefetch_related(_logos())
        .filter(slug=slug, status__in=LISTED_STATUSES, user__is_active=True)
        .first()
    )


def public_files(supplier: Supplier) -> dict:
    rows = list(supplier.files.filter(product__isnull=True).order_by("id"))
    return {
        "logo": next((f for f in rows if f.kind == SupplierFile.Kind.LOGO), None),
        "banner": next((f for f in rows if f.kind == SupplierFile.Kind.BANNER), None),
        "photos": [f for f in rows if f.kind == SupplierFile.Kind.PHOTO],
    }


def products_of(supplier: Supplier, *, active_only: bool = True, user=None):
    qs = supplier.products.all()
    if active_only:
        qs = qs.filter(status=ProductStatus.ACTIVE)
    qs = qs.prefetch_related(
        Prefetch("files", queryset=SupplierFile.objects.order_by("id"), to_attr="all_files"),
        Prefetch("categories", to_attr="category_rows"),
    )
    if user is not None and user.is_authenticated:
        qs = qs.annotate(liked=Exists(ProductLike.objects.filter(product=OuterRef("pk"), user=user)))
    return qs.order_by("-created_at", "-id")


def mentor_queue(*, status: str = Status.WAITING_REVIEW, q: str = ""):
    qs = Supplier.objects.select_related("user")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(company_name__icontains=q) | Q(user__email__icontains=q))
    return qs.order_by("submitted_at", "id")


def admin_list(*, status: str = "", package: str = "", supplier_type: str = "", q: str = "", now=None):
    now = now or timezone.now()
    qs = Supplier.objects.select_related("user")
    if status:
        qs = qs.filter(status=status)
    if package == "premium":
        qs = qs.filter(premium_until__gt=now)
    elif package == "free":
        qs = qs.filter(Q(premium_until__isnull=True) | Q(premium_until__lte=now))
    if supplier_type:
        qs = qs.filter(supplier_type=supplier_type)
    if q:
        qs = qs.filter(Q(company_name__icontains=q) | Q(user__email__icontains=q) | Q(nib=q) | Q(npwp=q))
    return qs.annotate(product_count=Count("products")).order_by("-updated_at", "-id")


# The statistics periods (days) a supplier chooses from ("Filter harian, mingguan, bulanan": the last 7, 30, 90 days).
STATS_PERIODS = (7, 30, 90)
STATS_DEFAULT_DAYS = 30


def stats_days(value, *, premium: bool) -> int:
    """The period asked for (`?days=` / `?periode=`), one of STATS_PERIODS; anything else, and every free supplier
    (the period filter is Premium), gets the default 30 days."""
    try:
        days = int(str(value or "")[:4])
    except ValueError:
        return STATS_DEFAULT_DAYS
    return days if premium and days in STATS_PERIODS else STATS_DEFAULT_DAYS


def supplier_stats(supplier: Supplier, *, days: int = STATS_DEFAULT_DAYS, detailed: bool = False) -> dict:
    """Views and likes for every package; the views and the chat figures (inquiries, replies, refused attempts and
    the distinct members behind them) of the last `days` days; with `detailed` (Premium) the daily series and the
    supplier's rank among listed suppliers by views. A fixed number of queries."""
    since = timezone.localdate() - timedelta(days=days - 1)
    since_at = timezone.make_aware(datetime.combine(since, time.min))
    products = supplier.products.aggregate(likes=Sum("likes_count"), views=Sum("views_count"), n=Count("id"))
    out = {
        "profile_views": supplier.views_count,
        "product_views": products["views"] or 0,
        "likes": products["likes"] or 0,
        "products": products["n"] or 0,
        "views_period": SupplierView.objects.filter(supplier=supplier, day__gte=since).count(),
        "days": days,
    }
    chat = supplier_inquiry_stats(supplier_user_ids=[supplier.user_id], since=since_at)[supplier.user_id]
    out["inquiries"] = chat["inquiries"]
    out["refused"] = chat["refused"]
    out["refused_members"] = chat["refused_members"]
    out["reply_rate"] = round(100 * chat["replied"] / chat["inquiries"]) if chat["inquiries"] else None
    out["response_minutes"] = chat["response_minutes"]
    if detailed:
        per_day = dict(
            SupplierView.objects.filter(supplier=supplier, day__gte=since)
            .values_list("day")
            .annotate(n=Count("id"))
            .values_list("day", "n")
        )
        series = [(since + timedelta(days=i), per_day.get(since + timedelta(days=i), 0)) for i in range(days)]
        top = max([n for _d, n in series] or [1]) or 1
        out["series"] = [{"day": d, "n": n, "pct": round(100 * n / top)} for d, n in series]
        out["week"] = sum(n for d, n in series if d > timezone.localdate() - timedelta(days=7))
        out["rank"] = (
            Supplier.objects.filter(status__in=LISTED_STATUSES, views_count__gt=supplier.views_count).count() + 1
        )
        out["listed_total"] = Supplier.objects.filter(status__in=LISTED_STATUSES).count()
    return out


def admin_numbers(*, now=None) -> dict:
    """The admins' dashboard: suppliers per status, Premium count and conversion, reviews waiting."""
    now = now or timezone.now()
    per_status = dict(Supplier.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    approved = per_status.get(Status.VERIFIED, 0) + per_status.get(Status.LIMITED, 0)
    premium = Supplier.objects.filter(status__in=LISTED_STATUSES, premium_until__gt=now).count()
    ever_premium = Supplier.objects.filter(status__in=LISTED_STATUSES, premium_periods__isnull=False).distinct()
    registrations = (
        Supplier.objects.filter(created_at__gte=now - timedelta(days=84))
        .annotate(day=TruncDate("created_at"))
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    return {
        "per_status": per_status,
        "total": sum(per_status.values()),
        "approved": approved,
        "premium": premium,
        "conversion": round(100 * premium / approved) if approved else 0,
        "ever_premium": ever_premium.count(),
        "waiting": per_status.get(Status.WAITING_REVIEW, 0),
        "recommended": per_status.get(Status.RECOMMENDED, 0),
        "registrations_12w": sum(n for _d, n in registrations),
    }


def favourites(*, user, now=None):
    """The listed suppliers this member saved, newest saved first."""
    now = now or timezone.now()
    saved = DirectoryLike.objects.filter(user=user, kind=KIND)
    return (
        Supplier.objects.filter(status__in=LISTED_STATUSES, user__is_active=True, pk__in=saved.values("object_id"))
        .annotate(
            is_premium_now=Case(
                When(premium_until__gt=now, then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
        )
        .prefetch_related(_logos())
        .order_by("company_name", "id")
    )
