"""Banners API for the app: the banners this user sees in a placement (targeting on the server; each answer counts
one view per banner) and the click count. The app opens `link_url` itself after reporting the click."""

from typing import Literal

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from sanggar.api.auth import jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.schemas import ErrorOut
from sanggar.core.exceptions import NotFound
from sanggar.core.site import absolute

from . import selectors, services
from .constants import API_MAX_ITEMS
from .models import Banner

router = Router(tags=["banner"], auth=jwt_auth)
API_ORDER = 67


class BannerFilters(Schema):
    placement: Literal["dashboard", "sidebar", "feed"] = "dashboard"
    limit: int = Field(default=1, ge=1, le=API_MAX_ITEMS)


class BannerOut(Schema):
    id: int
    title: str
    description: str
    image_url: str
    link_url: str
    cta_text: str
    placement: str
    priority: int


class BannerClickOut(Schema):
    link_url: str


@router.get("/banners", response={200: list[BannerOut], 401: ErrorOut, 422: ErrorOut}, summary="Banner untuk saya")
def banners(request, filters: Query[BannerFilters]):
    user = request.auth
    rows = selectors.banners_for(user=user, placement=filters.placement, roles=user.role_set, limit=filters.limit)
    services.banners_record_views(rows)
    return [
        {
            "id": b.pk,
            "title": b.title,
            "description": b.description,
            "image_url": absolute(b.image.url),
            "link_url": b.link_url,
            "cta_text": b.cta_text,
            "placement": b.placement,
            "priority": b.priority,
        }  # fmt: skip
        for b in rows
    ]


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
