"""`{% banner_slot "sidebar" %}` shows the banner this viewer should see in that placement (chosen on the server)
and counts one view; the link goes through /b/<id>, which counts the click."""

from django import template

from sanggar.core.context_processors import active_role

from .. import selectors, services

register = template.Library()


def _roles(request) -> list[str]:
    role = active_role(request)
    return [role] if role else []


@register.inclusion_tag("banners/_slot.html", takes_context=True)
def banner_slot(context, placement: str):
    request = context.get("request")
    if request is None:
        return {"banners": []}
    banners = selectors.banners_for(user=request.user, placement=placement, roles=_roles(request))
    services.banners_record_views(banners)
    return {"banners": banners, "placement": placement}
