"""The dashboard's top banner: the one banner of the "dashboard" placement this viewer should see (role and
membership status checked on the server), shown as the first card; showing it counts one view."""

from django.urls import reverse
from django.utils.translation import gettext as _

from sanggar.core.context_processors import active_role
from sanggar.core.roles import ALL_ROLES
from sanggar.dashboard.registry import Card, card

from . import selectors, services
from .constants import Placement


def _roles(request) -> list[str]:
    role = active_role(request)
    return [role] if role else []


@card(roles=ALL_ROLES, order=1)
def dashboard_banner(request) -> Card | None:
    banners = selectors.banners_for(user=request.user, placement=Placement.DASHBOARD, roles=_roles(request))
    if not banners:
        return None
    banner = banners[0]
    services.banners_record_views(banners)
    return Card(
        title=banner.title,
        icon="megaphone",
        hint=banner.description,
        link=reverse("banners:click", args=[banner.pk]),
        link_label=banner.cta_text or _("Lihat"),
        style="wide",
    )
