"""Memberships API: the signed-in user's active membership."""

from django.utils import timezone
from ninja import Router

from sanggar.api.auth import jwt_auth
from sanggar.api.schemas import ErrorOut
from sanggar.core.dates import days_between

from .models import UserMembership
from .schemas import MembershipOut
from .selectors import membership_active_for

router = Router(tags=["membership"], auth=jwt_auth)
# Mounted by `sanggar.api.api` (discovery): this app's routers, at this place in the document.
API_ORDER = 50
API_ROUTERS = ("sanggar.memberships.api.router", "sanggar.memberships.admin_api.router")


def membership_data(membership: UserMembership, now) -> dict:
    plan = membership.plan
    return {
        "plan": {"slug": plan.slug, "title": plan.title, "rank": plan.rank},
        "duration": membership.duration,
        "duration_label": str(membership.get_duration_display()),
        "status": membership.status,
        "starts_at": membership.starts_at,
        "ends_at": membership.ends_at,
        "days_left": None if membership.ends_at is None else max(0, days_between(now, membership.ends_at)),
        "is_lifetime": membership.ends_at is None,
    }


@router.get(
    "/me/membership",
    response={200: MembershipOut | None, 401: ErrorOut},
    summary="Membership saya",
    description="Membership aktif pengguna (paket, durasi, status, awal, akhir, sisa hari), atau `null` bila "
    "pengguna belum atau tidak lagi memiliki membership aktif.",
)
def my_membership(request):
    now = timezone.now()
    membership = membership_active_for(user=request.auth, now=now)
    return None if membership is None else membership_data(membership, now)
