"""Attribution API: the affiliate's ready links and short links; admins add short-link domains."""

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from sanggar.api.auth import JWTAuth, admin_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut
from sanggar.catalog import selectors as catalog_selectors
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role

from . import selectors
from .constants import AffiliateStatus
from .link_sections import sections_for
from .schemas import DomainIn, DomainOut, LinksOut, ShortLinkCheckOut, ShortLinkIn, ShortLinkOut
from .services import (
    affiliate_profile_ensure,
    domain_for_input,
    short_link_check,
    short_link_create,
    short_link_domain_create,
    short_link_url,
)

router = Router(tags=["affiliate"])
# Mounted by `sanggar.api.api` (discovery): this app's routers, at this place in the document.
API_ORDER = 80
API_ROUTERS = ("sanggar.affiliates.api.router", "sanggar.affiliates.api_stats.router")
affiliate_auth = JWTAuth(roles=(Role.AFFILIATE,))

_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
API_PRODUCTS_MAX = 100
API_SECTION_ITEMS_MAX = 50
API_SHORT_LINKS_MAX = 50


def _profile(user):
    return selectors.profile_for_user(user) or affiliate_profile_ensure(user=user)


def _link_out(link) -> dict:
    return {"label": link.label, "url": link.url, "clicks": link.clicks, "counted_clicks": link.counted}


def _group_out(group: dict) -> dict:
    return {
        "kind": group["kind"],
        "slug": group["slug"],
        "title": group["title"],
        "links": [_link_out(link) for link in group["links"]],
    }


def short_link_data(link) -> dict:
    return {
        "id": link.pk,
        "url": short_link_url(link),
        "domain": link.domain.domain if link.domain_id else None,
        "slug": link.slug,
        "target_kind": link.target_kind,
        "target_slug": link.target_slug,
        "is_active": link.is_active,
    }


@router.get(
    "/affiliate/links",
    auth=affiliate_auth,
    response={200: LinksOut, 401: ErrorOut, 403: ErrorOut},
    summary="Link affiliate saya",
    description="Kode affiliate, link siap pakai (dengan `?ref=KODE`) untuk setiap pilihan harga paket aktif dan "
    "produk yang dipublikasikan, dengan jumlah klik per link, dan link pendek terbaru.",
)
def links(request):
    profile = _profile(request.auth)
    stats = selectors.landing_click_counts(affiliate=profile)
    plans = list(catalog_selectors.plan_list_public())
    products = list(selectors.published_products()[:API_PRODUCTS_MAX])
    shorts = list(selectors.short_link_list_for(affiliate=profile)[:API_SHORT_LINKS_MAX])
    return {
        "code": profile.code,
        "status": profile.status,
        "plans": [_group_out(g) for g in selectors.plan_links(affiliate=profile, plans=plans, stats=stats)],
        "products": [_group_out(g) for g in selectors.product_links(affiliate=profile, products=products, stats=stats)],
        "short_links": [
            {**short_link_data(s), "clicks": s.click_count, "counted_clicks": s.counted_count} for s in shorts
        ],
        "sections": [
            {"key": section["key"], "title": section["title"], "groups": [_group_out(g) for g in section["groups"]]}
            for section in sections_for(affiliate=profile, stats=stats, limit=API_SECTION_ITEMS_MAX)
        ],
    }


class CheckQuery(Schema):
    domain: str = Field(default="", max_length=253, description="Domain link pendek; kosong = domain utama.")
    slug: str = Field(default="", max_length=80)


@router.get(
    "/affiliate/short-links/check",
    auth=affiliate_auth,
    response={200: ShortLinkCheckOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Cek ketersediaan slug",
    description="`available` false dengan `reason` untuk format salah, kata khusus, slug yang sudah dipakai "
    "(oleh Anda atau affiliate lain) atau domain yang tidak tersedia.",
)
def short_link_check_endpoint(request, query: Query[CheckQuery]):
    profile = _profile(request.auth)
    try:
        domain = domain_for_input(query.domain)
    except ServiceError as exc:
        return {"available": False, "reason": exc.message}
    available, reason = short_link_check(domain=domain, slug=query.slug, affiliate=profile)
    return {"available": available, "reason": reason}


@router.post(
    "/affiliate/short-links",
    auth=affiliate_auth,
    response={201: ShortLinkOut, **_ERRORS},
    summary="Buat link pendek",
    description="Membuat `https://<domain>/<slug>` (atau `/s/<slug>` di domain utama) yang mengarah ke tujuan dengan "
    "kode affiliate Anda. Slug yang tidak tersedia atau tujuan yang tidak ada dijawab 400 dengan `errors` per field "
    "(`slug`, `domain`, `target`).",
)
@idempotent
def short_link_create_endpoint(request, payload: ShortLinkIn):
    profile = _profile(request.auth)
    if profile.status != AffiliateStatus.ACTIVE:
        raise NotAllowed(_("Akun affiliate Anda sedang ditangguhkan."))
    link = short_link_create(
        affiliate=profile,
        domain=domain_for_input(payload.domain),
        slug=payload.slug,
        target_kind=payload.target.kind,
        target_slug=payload.target.slug,
    )
    return Status(201, short_link_data(link))


@router.post(
    "/admin/short-link-domains",
    auth=admin_auth,
    response={201: DomainOut, **_ERRORS},
    summary="Tambah domain link pendek",
    description="Admin. Mendaftarkan domain (mis. `link.eksporyuk.com`) yang dilayani resolver link pendek.",
)
@idempotent
def domain_create(request, payload: DomainIn):
    domain = short_link_domain_create(actor=request.auth, domain=payload.domain)
    return Status(201, {"id": domain.pk, "domain": domain.domain, "is_active": domain.is_active})
