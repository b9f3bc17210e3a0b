"""Reads of banners: which banners a viewer sees in a placement (server-side targeting) and the admin's statistics."""

from django.db.models import IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from sanggar.memberships.selectors import is_premium

from .constants import Audience
from .models import Banner


def banners_for(*, user, placement: str, roles, limit: int = 1, now=None) -> list[Banner]:
    """Active banners in `placement` for this viewer: within their dates, for one of `roles` (the page passes the
    active role, the API every role of the user; a banner without roles is for everyone), and
    for their membership status (premium / free / all). Highest priority first, then the newest. Two queries at most
    (membership status, banners)."""
    now = now or timezone.now()
    qs = Banner.objects.filter(placement=placement, active=True, start_at__lte=now).filter(
        Q(end_at__isnull=True) | Q(end_at__gt=now)
    )
    premium = bool(user and user.is_authenticated and is_premium(user=user, now=now))
    qs = qs.filter(audience__in=[Audience.ALL, Audience.PREMIUM if premium else Audience.FREE])
    # The roles are matched here, not in SQL: a JSON "contains" lookup exists on PostgreSQL but not on SQLite (which
    # `make run` uses). The banners running in one placement at one time are a handful.
    wanted = set(roles or ())
    shown = []
    for banner in qs.order_by("-priority", "-start_at", "-id"):
        if not banner.target_roles or wanted & set(banner.target_roles):
            shown.append(banner)
            if len(shown) >= limit:
                break
    return shown


def banner_admin_list():
    """Every banner with its total views and clicks (one query; CTR computed on the row)."""
    zero = Value(0, output_field=IntegerField())
    return Banner.objects.annotate(
        total_views=Coalesce(Sum("daily_stats__views"), zero),
        total_clicks=Coalesce(Sum("daily_stats__clicks"), zero),
    ).order_by("-active", "-priority", "-id")


def ctr(views: int, clicks: int) -> str:
    if not views:
        return "0%"
    return f"{clicks * 100 / views:.1f}%".replace(".", ",")
