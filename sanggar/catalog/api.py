"""Catalog API (public, no token): active membership plans and published / coming-soon products."""

from django.conf import settings
from django.utils import timezone
from ninja import Query, Router
from ninja.renderers import JSONRenderer

from sanggar.api.schemas import ErrorOut
from sanggar.core.public_cache import cached_json

from . import selectors
from .constants import PriceType, ProductStatus
from .schemas import (
    PAGE_SIZE,
    PageFilter,
    PlanDetailOut,
    PlanPageOut,
    ProductDetailOut,
    ProductFilters,
    ProductPageOut,
)

router = Router(tags=["katalog"])
# Mounted by `sanggar.api.api` (discovery): this app's routers, at this place in the document.
API_ORDER = 40


def _absolute(request, field) -> str | None:
    return request.build_absolute_uri(field.url) if field else None


def _page(queryset, page: int) -> tuple[int, list, int | None]:
    count = queryset.count()
    start = (page - 1) * PAGE_SIZE
    rows = list(queryset[start : start + PAGE_SIZE]) if start < count else []
    return count, rows, page + 1 if start + PAGE_SIZE < count else None


def _promo(price: int, promo_price, promo_ends_at, effective: int) -> tuple[int | None, object]:
    """The promo that is running now (price and end), or (None, None)."""
    return (promo_price, promo_ends_at) if effective < price else (None, None)


def plan_data(request, plan, now) -> dict:
    prices = []
    for option in plan.prices.all():
        effective = selectors.plan_price_effective(plan_price=option, now=now)
        promo_price, promo_ends_at = _promo(option.price, option.promo_price, option.promo_ends_at, effective)
        prices.append(
            {
                "duration": option.duration,
                "duration_label": str(option.get_duration_display()),
                "price": option.price,
                "promo_price": promo_price,
                "promo_ends_at": promo_ends_at,
                "effective_price": effective,
            }
        )
    return {
        "slug": plan.slug,
        "title": plan.title,
        "description": plan.description,
        "badges": {"best_seller": plan.badge_best_seller, "cheapest": plan.badge_cheapest},
        "rank": plan.rank,
        "upgrade_mode": plan.upgrade_mode,
        "features": [feature.label for feature in plan.features.all()],
        "prices": prices,
        "logo_url": _absolute(request, plan.logo),
        "banner_url": _absolute(request, plan.banner),
        "sales_url": plan.external_sales_url or request.build_absolute_uri(f"/membership/{plan.slug}"),
        "checkout_url": request.build_absolute_uri(f"/checkout/{plan.slug}"),
    }


def _json(request, schema, data: dict) -> bytes:
    """`data` as the API would answer it: validated by its response schema, rendered by ninja's JSON renderer (the
    API's own: `sanggar.api.api` sets no other)."""
    content = JSONRenderer().render(request, schema.model_validate(data).model_dump(), response_status=200)
    return content.encode() if isinstance(content, str) else content


def _resources(resources) -> list[dict]:
    return [{"kind": r.kind, "kind_label": str(r.get_kind_display()), "title": r.title} for r in resources]


def _product_ref(request, product) -> dict:
    return {"slug": product.slug, "title": product.title, "url": request.build_absolute_uri(f"/produk/{product.slug}")}


def product_data(request, product, now) -> dict:
    effective = selectors.product_price_effective(product=product, now=now)
    promo_price, promo_ends_at = _promo(product.price, product.promo_price, product.promo_ends_at, effective)
    stock_left = None if product.stock is None else max(0, product.stock - product.sold_count)
    return {
        "slug": product.slug,
        "title": product.title,
        "kind": product.kind,
        "kind_label": str(product.get_kind_display()),
        "status": product.status,
        "short_description": product.short_description,
        "cover_url": _absolute(request, product.cover),
        "price_type": product.price_type,
        "price": product.price,
        "promo_price": promo_price,
        "promo_ends_at": promo_ends_at,
        "effective_price": effective,
        "categories": [{"slug": c.slug, "name": c.name} for c in product.categories.all()],
        "tags": list(product.tags or []),
        "access_level": product.access_level,
        "stock_left": stock_left,
        "sold_out": stock_left == 0,
        "url": request.build_absolute_uri(f"/produk/{product.slug}"),
    }


@router.get(
    "/plans",
    response={200: PlanPageOut, 422: ErrorOut},
    summary="Daftar paket membership",
    description="Paket aktif, 20 per halaman, dengan opsi harga aktif (1m, 3m, 6m, 12m, lifetime), badge dan fitur. "
    "Publik, tanpa token.",
)
def plan_list(request, filters: Query[PageFilter]):
    def data() -> dict:
        count, rows, next_page = _page(selectors.plan_list_public(), filters.page)
        now = timezone.now()
        return {"count": count, "next_page": next_page, "results": [plan_data(request, plan, now) for plan in rows]}

    if settings.PUBLIC_PAGE_CACHE_SECONDS <= 0:
        return data()
    # The same for everyone (no token needed): the serialized answer is kept until the catalogue changes
    # (sanggar.core.public_cache), so a request costs one query instead of the listing, validation and rendering.
    return cached_json(
        request,
        f"plans:page={filters.page}",
        lambda: _json(request, PlanPageOut, data()),
        timeout=selectors.public_prices_stable_seconds,
    )


@router.get(
    "/plans/{slug}",
    response={200: PlanDetailOut, 404: ErrorOut},
    summary="Detail paket membership",
    description="Paket aktif dengan grup, kelas, fitur dan produk yang dibukanya. Paket draft atau diarsipkan: 404.",
)
def plan_detail(request, slug: str):
    plan = selectors.plan_get_public(slug=slug)
    data = plan_data(request, plan, timezone.now())
    data["resources"] = _resources(r for r in plan.included_resources.all() if r.is_active)
    data["products"] = [
        _product_ref(request, p) for p in plan.included_products.all() if p.status != ProductStatus.DRAFT
    ]
    return data


@router.get(
    "/products",
    response={200: ProductPageOut, 422: ErrorOut},
    summary="Daftar produk",
    description="Produk yang dipublikasikan dan yang segera hadir, terbaru dulu, 20 per halaman. Filter: q, category "
    "(slug), kind. Publik, tanpa token.",
)
def product_list(request, filters: Query[ProductFilters]):
    queryset = selectors.product_list_public(q=filters.q.strip(), category=filters.category.strip(), kind=filters.kind)
    count, rows, next_page = _page(queryset, filters.page)
    now = timezone.now()
    return {"count": count, "next_page": next_page, "results": [product_data(request, p, now) for p in rows]}


@router.get(
    "/products/{slug}",
    response={200: ProductDetailOut, 404: ErrorOut},
    summary="Detail produk",
    description="Produk yang dipublikasikan atau segera hadir, dengan galeri, FAQ, judul file unduhan (unduhan hanya "
    "untuk pembeli), bundel dan akses yang dibuka. Produk draft: 404.",
)
def product_detail(request, slug: str):
    product = selectors.product_get_public(slug=slug)
    data = product_data(request, product, timezone.now())
    has_discount = product.price_type == PriceType.ONE_TIME and product.member_discount_value > 0
    data.update(
        {
            "description": product.description,
            "video_url": product.video_url,
            "gallery": [request.build_absolute_uri(image.image.url) for image in product.gallery.all()],
            "faq": [{"question": item.get("q", ""), "answer": item.get("a", "")} for item in product.faq or []],
            "cta_text": product.cta_text,
            "member_discount": (
                {"type": product.member_discount_type, "value": product.member_discount_value} if has_discount else None
            ),
            "access_days": product.access_days,
            "files": [{"title": f.title, "size": f.size} for f in product.files.all()],
            "resources": _resources(r for r in product.included_resources.all() if r.is_active),
            "bundled_products": [_product_ref(request, p) for p in product.bundled_products.all()],
            "creator": {"name": product.creator.full_name or ""} if product.creator else None,
            "seo_title": product.seo_title,
            "seo_description": product.seo_description,
            "checkout_url": request.build_absolute_uri(f"/produk/{product.slug}/checkout"),
        }
    )
    return data
