"""The dashboard's top banners: the banners of the "dashboard" placement this viewer should see (role, membership,
plan, province, hours, daily cap and dismissals checked on the server), shown as the first card — a carousel that
moves every five seconds when there are several; showing them counts the showings."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sanggar.core.context_processors import active_role
from sanggar.core.roles import ALL_ROLES
from sanggar.dashboard.registry import Card, card

from . import links, selectors, services
from .constants import CAROUSEL_MAX, Placement


@dataclass(frozen=True)
class CarouselCard(Card):
    template: str = "banners/_carousel.html"
    context: dict = field(default_factory=dict)


def _roles(request) -> list[str]:
    role = active_role(request)
    return [role] if role else []


@card(roles=ALL_ROLES, order=1)
def dashboard_banner(request) -> Card | None:
    banners = selectors.banners_for(
        user=request.user, placement=Placement.DASHBOARD, roles=_roles(request), limit=CAROUSEL_MAX
    )
    if not banners:
        return None
    first = banners[0]
    services.banners_record_views(banners, user=request.user)
    if len(banners) == 1:
        return CarouselCard(
            title=first.title, icon="megaphone", hint=first.description, link=links.click_url(first.pk),
            link_label=first.cta_text or _("Lihat"), style="wide", context={"banners": banners, "single": True},
        )  # fmt: skip
    return CarouselCard(title=_("Info & Promo"), icon="megaphone", style="wide", context={"banners": banners})
