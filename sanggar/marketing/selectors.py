"""What the public pages need from marketing: the tracking configuration of a page (global pixels plus the plan's or
product's own), the CSP sources when any pixel is configured, the testimonials of a sales page; and the visit
counts analytics reads."""

from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Case, Q, Sum, When
from django.urls import reverse

from sanggar.catalog.models import MembershipPlan, Product

from .models import SINGLETON_ID, PixelSettings, SalesPageVisit, Testimonial
from .pixel_models import PIXEL_CACHE_KEY, pixel_model_labels

PIXEL_CACHE_SECONDS = 300
TESTIMONIALS_PER_PAGE = 6
PIXEL_KEYS = ("pixel_meta_id", "pixel_google_id", "pixel_tiktok_id")

# The providers' hosts, allowed by the CSP only when a pixel is configured.
PIXEL_CSP = {
    "script-src": [
        "https://connect.facebook.net",
        "https://www.googletagmanager.com",
        "https://www.google-analytics.com",
        "https://analytics.tiktok.com",
    ],
    "img-src": [
        "https://www.facebook.com",
        "https://www.google-analytics.com",
        "https://www.googletagmanager.com",
        "https://analytics.tiktok.com",
    ],
    "connect-src": [
        "https://www.facebook.com",
        "https://connect.facebook.net",
        "https://www.google-analytics.com",
        "https://region1.google-analytics.com",
        "https://analytics.google.com",
        "https://www.googletagmanager.com",
        "https://analytics.tiktok.com",
    ],
    "frame-src": ["https://www.googletagmanager.com"],
}
# The public and checkout pages that may load pixels (the CSP stays strict everywhere else).
PIXEL_PAGE_PREFIXES = ("/membership/", "/checkout", "/produk", "/invoice/", "/kursus/")


def _state() -> dict:
    """The global pixels, the consent flag and whether any plan or product has its own pixel: one query, cached."""
    data = cache.get(PIXEL_CACHE_KEY)
    if data is None:
        any_pixel = " OR ".join(f"{key} <> ''" for key in PIXEL_KEYS)
        models = {MembershipPlan, Product, *(apps.get_model(label) for label in pixel_model_labels())}
        tables = sorted(model._meta.db_table for model in models)
        exists = ", ".join(f"EXISTS (SELECT 1 FROM {table} WHERE {any_pixel})" for table in tables)  # noqa: S608
        sql = (
            f"SELECT p.pixel_meta_id, p.pixel_google_id, p.pixel_tiktok_id, p.consent_required, {exists} "  # noqa: S608
            f"FROM (SELECT 1) AS one LEFT JOIN {PixelSettings._meta.db_table} AS p ON p.id = %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [SINGLETON_ID])
            meta, google, tiktok, consent, *item_pixels = cursor.fetchone()
        ids = {"pixel_meta_id": meta or "", "pixel_google_id": google or "", "pixel_tiktok_id": tiktok or ""}
        data = {
            "global": ids,
            "consent": True if consent is None else bool(consent),
            "any": bool(any(item_pixels) or any(ids.values())),
        }
        cache.set(PIXEL_CACHE_KEY, data, PIXEL_CACHE_SECONDS)
    return data


def pixel_settings_row() -> PixelSettings:
    return PixelSettings.objects.filter(pk=SINGLETON_ID).first() or PixelSettings(pk=SINGLETON_ID)


def pixels_configured() -> bool:
    return bool(_state()["any"])


def pixel_csp_sources(request) -> dict:
    """The providers' hosts for a public or checkout page when any pixel is configured; nothing elsewhere (and
    nothing when the database cannot answer: the page keeps the strict policy)."""
    path = getattr(request, "path_info", "") or ""
    if not path.startswith(PIXEL_PAGE_PREFIXES):
        return {}
    try:
        configured = pixels_configured()
    except DatabaseError:
        return {}
    return PIXEL_CSP if configured else {}


@dataclass
class Tracking:
    """What `marketing/_tracking.html` renders: the pixel IDs, consent, the events and the visit beacon."""

    meta: list[str] = field(default_factory=list)
    google: list[str] = field(default_factory=list)
    tiktok: list[str] = field(default_factory=list)
    consent: bool = True
    events: list[dict] = field(default_factory=list)
    visit_url: str = ""

    @property
    def has_pixels(self) -> bool:
        return bool(self.meta or self.google or self.tiktok)

    @property
    def config(self) -> dict:
        return {
            "meta": self.meta,
            "google": self.google,
            "tiktok": self.tiktok,
            "consent": self.consent,
            "events": self.events,
        }


def _content_kind(item) -> str:
    """`plan`, `product`, or the item's model name for the apps above (`course` for a course)."""
    if isinstance(item, MembershipPlan):
        return "plan"
    if isinstance(item, Product):
        return "product"
    return item._meta.model_name


def tracking_for(*, item=None, event: str = "", value: int | None = None, extra: dict | None = None) -> Tracking:
    """The tracking of a public page: global pixels plus `item`'s (a plan, product or course), and one event
    (ViewContent, InitiateCheckout, Purchase) with its value in rupiah."""
    state = _state()
    tracking = Tracking(consent=bool(state["consent"]))
    for key, bucket in (("pixel_meta_id", tracking.meta), ("pixel_google_id", tracking.google),
                        ("pixel_tiktok_id", tracking.tiktok)):  # fmt: skip
        for source in (state["global"].get(key, ""), getattr(item, key, "") if item is not None else ""):
            if source and source not in bucket:
                bucket.append(source)
    if event and tracking.has_pixels:
        payload = {"name": event, "currency": "IDR"}
        if value is not None:
            payload["value"] = int(value)
        if item is not None:
            payload["content_name"] = str(getattr(item, "title", ""))[:150]
            payload["content_ids"] = [f"{_content_kind(item)}-{item.pk}"]
        payload.update(extra or {})
        tracking.events.append(payload)
    return tracking


def tracking_with_visit(tracking: Tracking, *, item) -> Tracking:
    """Adds the sales-page visit beacon (counted even when the page comes from the cache)."""
    kind = "plan" if isinstance(item, MembershipPlan) else "product"
    tracking.visit_url = reverse("marketing:visit", args=[kind, item.slug])
    return tracking


def testimonials_for(*, plan=None, product=None, limit: int = TESTIMONIALS_PER_PAGE) -> list[Testimonial]:
    """Active testimonials of this plan or product first, then the global ones (one query)."""
    target = Q(plan=plan) if plan is not None else Q(product=product) if product is not None else Q(pk__in=[])
    rows = (
        Testimonial.objects.filter(Q(is_active=True) & (target | Q(plan__isnull=True, product__isnull=True)))
        .annotate(is_global=Case(When(plan__isnull=True, product__isnull=True, then=1), default=0))
        .order_by("is_global", "sort_order", "-id")
    )
    return list(rows[:limit])


def testimonial_list():
    return Testimonial.objects.select_related("plan", "product").order_by("sort_order", "-id")


def visits_by_plan(*, start: date, end: date) -> dict[int, int]:
    """Sales-page visits per plan id between two days (inclusive): one aggregated query."""
    rows = (
        SalesPageVisit.objects.filter(plan__isnull=False, day__gte=start, day__lte=end)
        .values("plan_id")
        .annotate(total=Sum("count"))
    )
    return {row["plan_id"]: int(row["total"] or 0) for row in rows}


def visits_by_product(*, start: date, end: date) -> dict[int, int]:
    rows = (
        SalesPageVisit.objects.filter(product__isnull=False, day__gte=start, day__lte=end)
        .values("product_id")
        .annotate(total=Sum("count"))
    )
    return {row["product_id"]: int(row["total"] or 0) for row in rows}
