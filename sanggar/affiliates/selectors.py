"""Reads of the attribution side: profiles, ready links, short links, domains, decisions and the review queue.
(The dashboard and statistics reads are in `selectors_stats.py`.)"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from sanggar.catalog import selectors as catalog_selectors
from sanggar.catalog.constants import ProductStatus
from sanggar.core.roles import Role
from sanggar.core.site import site_url

from .constants import AffiliateStatus, CommissionStatus
from .models import AffiliateProfile, AttributionDecision, Click, Commission, ShortLink, ShortLinkDomain


def profile_for_user(user) -> AffiliateProfile | None:
    if user is None or not user.is_authenticated:
        return None
    return AffiliateProfile.objects.filter(user=user).first()


def profile_by_code(code: str) -> AffiliateProfile | None:
    return AffiliateProfile.objects.select_related("user").filter(code=(code or "").strip().upper()).first()


# --- ready links ("Link Saya") -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadyLink:
    label: str
    path: str  # the landing path a click on this link records (without ?ref)
    url: str  # the full link with ?ref=CODE
    clicks: int = 0
    counted: int = 0


def _link(label: str, path: str, params: dict, code: str, stats: dict) -> ReadyLink:
    landing = path + ("?" + urlencode(sorted(params.items())) if params else "")
    url = site_url() + path + "?" + urlencode({**params, "ref": code})
    clicks, counted = stats.get(landing, (0, 0))
    return ReadyLink(label=label, path=landing, url=url, clicks=clicks, counted=counted)


def ready_link(label: str, path: str, code: str, stats: dict, params: dict | None = None) -> ReadyLink:
    """A ready link for another app's Link Saya section (see link_sections.py)."""
    return _link(label, path, params or {}, code, stats)


def landing_click_counts(*, affiliate: AffiliateProfile) -> dict[str, tuple[int, int]]:
    """{landing path: (clicks, counted clicks)} of the affiliate. One query."""
    rows = (
        Click.objects.filter(affiliate=affiliate)
        .values("landing_path")
        .annotate(n=Count("id"), counted_n=Count("id", filter=Q(counted=True)))
        .values_list("landing_path", "n", "counted_n")
    )
    return {path: (n, counted) for path, n, counted in rows}


def plan_links(*, affiliate: AffiliateProfile, plans, stats: dict) -> list[dict]:
    """Per active plan: its sales page and a checkout link for every active price option."""
    from django.utils.translation import gettext as _

    groups = []
    for plan in plans:
        links = [
            _link(_("Halaman penjualan"), reverse("orders:plan_sales", args=[plan.slug]), {}, affiliate.code, stats)
        ]
        for price in plan.prices.all():
            if price.is_active:
                links.append(
                    _link(
                        _("Checkout %(duration)s") % {"duration": price.get_duration_display()},
                        reverse("orders:checkout_plan", args=[plan.slug]),
                        {"durasi": price.duration},
                        affiliate.code,
                        stats,
                    )
                )
        groups.append({"title": plan.title, "kind": "plan", "slug": plan.slug, "links": links})
    return groups


def product_links(*, affiliate: AffiliateProfile, products, stats: dict) -> list[dict]:
    from django.utils.translation import gettext as _

    return [
        {
            "title": product.title,
            "kind": "product",
            "slug": product.slug,
            "links": [
                _link(
                    _("Halaman produk"),
                    reverse("orders:product_detail", args=[product.slug]),
                    {},
                    affiliate.code,
                    stats,
                ),
                _link(
                    _("Checkout"), reverse("orders:checkout_product", args=[product.slug]), {}, affiliate.code, stats
                ),
            ],
        }
        for product in products
    ]


def published_products():

    return catalog_selectors.product_list_public().filter(status=ProductStatus.PUBLISHED)


# --- short links ---------------------------------------------------------------------------------------------------


def short_link_list_for(*, affiliate: AffiliateProfile) -> QuerySet[ShortLink]:
    """The affiliate's short links with click counts (newest first): one query per page."""
    return (
        ShortLink.objects.filter(affiliate=affiliate)
        .select_related("domain")
        .annotate(click_count=Count("click"), counted_count=Count("click", filter=Q(click__counted=True)))
        .order_by("-created_at", "-id")
    )


def short_link_resolve(*, domain: str | None, slug: str) -> ShortLink | None:
    """The active link of an active affiliate at `domain` (host name; None: the main domain) and `slug`. One query."""
    slug = (slug or "").strip().lower()
    if not slug or len(slug) > 60:
        return None
    qs = ShortLink.objects.select_related("affiliate").filter(
        slug=slug, is_active=True, affiliate__status=AffiliateStatus.ACTIVE, affiliate__user__is_active=True
    )
    if domain is None:
        qs = qs.filter(domain__isnull=True)
    else:
        qs = qs.filter(domain__domain=domain, domain__is_active=True)
    return qs.first()


def domain_list() -> QuerySet[ShortLinkDomain]:
    return ShortLinkDomain.objects.annotate(link_count=Count("links")).order_by("domain")


def domains_active() -> list[ShortLinkDomain]:
    return list(ShortLinkDomain.objects.filter(is_active=True).order_by("domain"))


# --- decisions and the review queue -------------------------------------------------------------------------------


def decision_list(*, kind: str = "", q: str = "") -> QuerySet[AttributionDecision]:
    qs = AttributionDecision.objects.select_related("affiliate__user", "order", "actor")
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(affiliate__code__icontains=q) | Q(order__invoice_number__icontains=q) | Q(reason__icontains=q))
    return qs.order_by("-created_at", "-id")


def review_queue() -> QuerySet[Commission]:
    """Commissions flagged for review, oldest first (they wait longest)."""
    return (
        Commission.objects.filter(status=CommissionStatus.REVIEW)
        .select_related("affiliate__user", "order")
        .order_by("created_at", "id")
    )


def review_count() -> int:
    return Commission.objects.filter(status=CommissionStatus.REVIEW).count()


def profile_api_data(user) -> dict | None:
    """The `affiliate` field of the user's own profile in the API (`GET /api/v1/me`): code and status, or None."""
    if not user.has_role(Role.AFFILIATE):
        return None
    profile = profile_for_user(user)
    return {"code": profile.code, "status": profile.status} if profile is not None else None
