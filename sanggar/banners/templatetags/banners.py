"""`{% banner_slot "sidebar" %}` shows the banner this viewer should see in that placement (chosen on the server)
and counts the showing; `{% banner_feed_slot forloop.counter %}` shows a feed banner after every fifth post (the
feed's banners are chosen once per page and rotate down the feed). Links go through a signed `/b/<id>`, which counts
the click (`{{ banner.pk|banner_href }}`)."""

from django import template

from sanggar.core.context_processors import active_role

from .. import links, selectors, services
from ..constants import CAROUSEL_MAX, FEED_EVERY, Placement

register = template.Library()


def _roles(request) -> list[str]:
    role = active_role(request)
    return [role] if role else []


@register.filter
def banner_href(banner_id) -> str:
    return links.click_url(int(banner_id))


@register.inclusion_tag("banners/_slot.html", takes_context=True)
def banner_slot(context, placement: str):
    request = context.get("request")
    if request is None:
        return {"banners": []}
    banners = selectors.banners_for(user=request.user, placement=placement, roles=_roles(request))
    services.banners_record_views(banners, user=request.user)
    return {"banners": banners, "placement": placement, "request": request}


@register.inclusion_tag("banners/_slot.html", takes_context=True)
def banner_feed_slot(context, position):
    """After post number `position` (1-based) when it is a multiple of five: the next feed banner of this page, if
    any is left (at most five per page; each counted as it is shown)."""
    request = context.get("request")
    try:
        position = int(position)
    except (TypeError, ValueError):
        return {"banners": []}
    if request is None or position % FEED_EVERY:
        return {"banners": []}
    if not hasattr(request, "_feed_banners"):
        request._feed_banners = selectors.banners_for(
            user=request.user, placement=Placement.FEED, roles=_roles(request), limit=CAROUSEL_MAX
        )
    index = position // FEED_EVERY - 1
    if index >= len(request._feed_banners):
        return {"banners": []}
    banner = request._feed_banners[index]
    services.banners_record_views([banner], user=request.user)
    return {"banners": [banner], "placement": Placement.FEED, "request": request}
