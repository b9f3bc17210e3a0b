"""Banners API for the app: the banners this user sees in a placement (targeting on the server; each answer counts
the showings), the click count (the app opens `link_url` itself after reporting the click), closing a banner; a
sponsor's banners and purchases, submitting a sponsor banner (multipart); the admin's statistics of one banner."""

from datetime import date, datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from sanggar.api.auth import JWTAuth, jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut
from sanggar.core.exceptions import NotFound
from sanggar.core.roles import Role
from sanggar.core.site import absolute

from . import links, selectors, services
from .constants import API_MAX_ITEMS, CTA_MAX, DESCRIPTION_MAX, SPONSOR_NAME_MAX, TITLE_MAX, URL_MAX
from .models import Banner, SponsorPackage

router = Router(tags=["banner"], auth=jwt_auth)
API_ORDER = 67
admin_auth = JWTAuth(roles=(Role.ADMIN,))

PlacementName = Literal["dashboard", "sidebar", "feed", "grup", "profil", "kursus", "event", "produk"]


class BannerFilters(Schema):
    placement: PlacementName = "dashboard"
    limit: int = Field(default=1, ge=1, le=API_MAX_ITEMS)


class BannerOut(Schema):
    id: int
    title: str
    description: str
    image_url: str
    link_url: str
    click_url: str
    cta_text: str
    placement: str
    priority: int
    kind: str
    sponsor_name: str


class BannerClickOut(Schema):
    link_url: str


def _out(b: Banner) -> dict:
    return {
        "id": b.pk, "title": b.title, "description": b.description,
        "image_url": absolute(b.image.url) if b.image else "",
        "link_url": b.link_url, "click_url": absolute(links.click_url(b.pk)), "cta_text": b.cta_text,
        "placement": b.placement, "priority": b.priority, "kind": b.kind, "sponsor_name": b.sponsor_name,
    }  # fmt: skip


@router.get(
    "/banners",
    response={200: list[BannerOut], 401: ErrorOut, 422: ErrorOut},
    summary="Banner untuk saya",
    description="Banner yang boleh dilihat pengguna ini di satu penempatan (peran, membership, paket, provinsi, jam "
    "tayang, batas tayang harian dan banner yang sudah ditutup diperiksa di server). Setiap jawaban dihitung sebagai "
    "tayangan; tampilan dihitung sekali per orang per hari.",
)
def banners(request, filters: Query[BannerFilters]):
    user = request.auth
    rows = selectors.banners_for(user=user, placement=filters.placement, roles=user.role_set, limit=filters.limit)
    services.banners_record_views(rows, user=user)
    return [_out(b) for b in rows]


@router.post(
    "/banners/{banner_id}/click",
    response={200: BannerClickOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Catat klik banner",
)
@idempotent
def banner_click(request, banner_id: int):
    banner = Banner.objects.filter(pk=banner_id).first()
    if banner is None:
        raise NotFound(_("Banner tidak ditemukan."))
    services.banner_record_click(banner)
    return {"link_url": banner.link_url}


class BannerDismissOut(Schema):
    dismissed: bool


@router.post(
    "/banners/{banner_id}/dismiss",
    response={200: BannerDismissOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Tutup banner",
    description="Banner tidak ditampilkan lagi untuk pengguna ini. Mengulang tidak mengubah apa pun.",
)
@idempotent
def banner_dismiss(request, banner_id: int):
    banner = Banner.objects.filter(pk=banner_id).first()
    if banner is None:
        raise NotFound(_("Banner tidak ditemukan."))
    services.banner_dismiss(user=request.auth, banner=banner)
    return {"dismissed": True}


# --- sponsors ------------------------------------------------------------------------------------------------------


class SponsorEntitlementOut(Schema):
    package_id: int
    product: str
    placement: str
    days: int
    ref: str


class SponsorBannerOut(Schema):
    id: int
    title: str
    placement: str
    review: str
    review_label: str
    review_note: str
    start_at: datetime | None
    end_at: datetime | None
    views: int
    clicks: int


class SponsorPageOut(Schema):
    entitlements: list[SponsorEntitlementOut]
    banners: list[SponsorBannerOut]


@router.get("/me/sponsor-banners", response={200: SponsorPageOut, 401: ErrorOut}, summary="Iklan saya")
def sponsor_list(request):
    user = request.auth
    entitlements = [
        {
            "package_id": e.package.pk,
            "product": e.package.product.title,
            "placement": e.package.placement,
            "days": e.package.days,
            "ref": e.source_ref,
        }  # fmt: skip
        for e in selectors.sponsor_entitlements(user=user)
    ]
    rows = [
        {
            "id": b.pk,
            "title": b.title,
            "placement": b.placement,
            "review": b.review,
            "review_label": b.get_review_display(),
            "review_note": b.review_note,
            "start_at": b.start_at if b.review == "approved" else None,
            "end_at": b.end_at if b.review == "approved" else None,
            "views": b.total_views,
            "clicks": b.total_clicks,
        }  # fmt: skip
        for b in selectors.sponsor_banners(user=user)[:50]
    ]
    return {"entitlements": entitlements, "banners": rows}


@router.post(
    "/me/sponsor-banners",
    response={
        201: SponsorBannerOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },  # fmt: skip
    summary="Kirim banner sponsor",
    description="Multipart: `package_id` dan `ref` (dari daftar paket siap pakai), `sponsor_name`, `title`, "
    "`description`, `link_url`, `cta_text`, dan `image` (PNG/JPEG/WebP, maks. 2 MB, diperiksa dari isinya). Banner "
    "menunggu review admin sebelum tayang.",
)
@idempotent
def sponsor_submit(
    request,
    package_id: Form[int],
    ref: Form[str],
    title: Form[str],
    link_url: Form[str],
    image: File[UploadedFile],
    sponsor_name: Form[str] = "",
    description: Form[str] = "",
    cta_text: Form[str] = "",
):
    package = SponsorPackage.objects.filter(pk=package_id).first()
    if package is None:
        raise NotFound(_("Paket sponsor tidak ditemukan."))
    # One character over each limit is kept so the service answers "too long" instead of silently cutting.
    data = {
        "title": title[: TITLE_MAX + 1], "link_url": link_url[: URL_MAX + 1],
        "sponsor_name": sponsor_name[: SPONSOR_NAME_MAX + 1], "description": description[: DESCRIPTION_MAX + 1],
        "cta_text": cta_text[: CTA_MAX + 1],
    }  # fmt: skip
    b = services.sponsor_banner_submit(user=request.auth, package=package, source_ref=ref[:64], data=data, image=image)
    out = {"id": b.pk, "title": b.title, "placement": b.placement, "review": b.review,
           "review_label": b.get_review_display(), "review_note": "", "start_at": None, "end_at": None,
           "views": 0, "clicks": 0}  # fmt: skip
    return Status(201, out)


# --- admin ---------------------------------------------------------------------------------------------------------


class BannerDayOut(Schema):
    day: date
    views: int
    clicks: int


class BannerStatsOut(Schema):
    id: int
    title: str
    views: int
    clicks: int
    ctr: str
    days: list[BannerDayOut]


class BannerStatsFilters(Schema):
    periode: Literal["7", "30", "90", "semua"] = "30"


@router.get(
    "/admin/banners/{banner_id}/stats",
    response={200: BannerStatsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=admin_auth,
    summary="Statistik banner (admin)",
)
def banner_stats(request, banner_id: int, filters: Query[BannerStatsFilters]):
    banner = get_object_or_404(Banner, pk=banner_id)
    days = selectors.banner_daily(banner=banner, since=selectors.period_start(filters.periode))
    views, clicks = sum(d.views for d in days), sum(d.clicks for d in days)
    rows = [{"day": d.day, "views": d.views, "clicks": d.clicks} for d in days]
    return {"id": banner.pk, "title": banner.title, "views": views, "clicks": clicks,
            "ctr": selectors.ctr(views, clicks), "days": rows}  # fmt: skip
