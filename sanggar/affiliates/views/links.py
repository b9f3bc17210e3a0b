""" "Link Saya": a ready referral link for every active plan price option and published product, with copy
buttons and the clicks each link brought."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from sanggar.catalog import selectors as catalog_selectors
from sanggar.core.listing import paginate
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from .. import selectors
from ..link_sections import sections_for
from ..services import affiliate_profile_ensure

PRODUCTS_PER_PAGE = 20
SECTION_ITEMS_MAX = 50  # per registered section (courses, ...)


def affiliate_profile(request):
    """The signed-in affiliate's profile (created on first need for an affiliate granted before profiles existed)."""
    if not hasattr(request, "_affiliate_profile"):
        request._affiliate_profile = selectors.profile_for_user(request.user) or affiliate_profile_ensure(
            user=request.user
        )
    return request._affiliate_profile


@role_required(Role.AFFILIATE)
@require_GET
def links(request):
    profile = affiliate_profile(request)
    stats = selectors.landing_click_counts(affiliate=profile)
    plans = list(catalog_selectors.plan_list_public())
    page = paginate(request, selectors.published_products(), per_page=PRODUCTS_PER_PAGE)
    return render(
        request,
        "affiliates/links.html",
        {
            "profile": profile,
            "plan_groups": selectors.plan_links(affiliate=profile, plans=plans, stats=stats),
            "product_groups": selectors.product_links(affiliate=profile, products=page.object_list, stats=stats),
            "page_obj": page,
            "sections": sections_for(affiliate=profile, stats=stats, limit=SECTION_ITEMS_MAX),
        },
    )
