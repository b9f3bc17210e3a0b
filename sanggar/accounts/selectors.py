from datetime import timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from sanggar.core.roles import Role

from .constants import AffiliateApplicationStatus
from .models import AffiliateApplication, ApiKey, User, UserRole


def user_list(*, q: str = "", role: str = "", status: str = "") -> QuerySet[User]:
    """Users for the admin list, with their roles prefetched (two queries per page)."""
    qs = User.objects.prefetch_related(Prefetch("roles", queryset=UserRole.objects.only("user_id", "role")))
    if q:
        qs = qs.filter(Q(full_name__icontains=q) | Q(email__icontains=q) | Q(whatsapp__icontains=q))
    if role:
        qs = qs.filter(roles__role=role)
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "inactive":
        qs = qs.filter(is_active=False)
    return qs.order_by("-date_joined", "-id").distinct() if role else qs.order_by("-date_joined", "-id")


def user_counts_by_role() -> dict[str, int]:
    rows = UserRole.objects.filter(user__is_active=True).values("role").annotate(n=Count("id"))
    counts = dict.fromkeys(Role.values, 0)
    counts.update({row["role"]: row["n"] for row in rows})
    return counts


def user_registrations_since(*, days: int = 7) -> int:
    return User.objects.filter(date_joined__gte=timezone.now() - timedelta(days=days)).count()


def affiliate_applications_for_user(*, user: User) -> list[AffiliateApplication]:
    return list(
        AffiliateApplication.objects.filter(user=user).select_related("decided_by").order_by("-created_at")[:10]
    )


def affiliate_application_list(*, status: str = "") -> QuerySet[AffiliateApplication]:
    qs = AffiliateApplication.objects.select_related("user", "decided_by").order_by("-created_at", "-id")
    if status:
        qs = qs.filter(status=status)
    return qs


def affiliate_applications_pending_count() -> int:
    return AffiliateApplication.objects.filter(status=AffiliateApplicationStatus.PENDING).count()


def api_key_list() -> QuerySet[ApiKey]:
    return ApiKey.objects.select_related("created_by", "revoked_by").order_by("-created_at", "-id")
