"""Reads shared by the admin pages, the dashboards and the API."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanggar.audit.models import ActivityLog
from sanggar.core.roles import Role

from .constants import SOCIAL_NETWORKS, AffiliateApplicationStatus
from .models import AffiliateApplication, ApiKey, User, UserRole

_PHONE_QUERY = re.compile(r"^\+?[\d\s.\-()]+$")


def _whatsapp_query(q: str) -> str:
    """A typed phone number in the form stored (+62…), so `0812 3456` finds `+628123456…`."""
    if not _PHONE_QUERY.match(q):
        return q
    digits = re.sub(r"\D", "", q)
    if digits.startswith("0"):
        return "+62" + digits[1:]
    if digits.startswith("62"):
        return "+" + digits
    return digits


def _roles_prefetch() -> Prefetch:
    return Prefetch("roles", queryset=UserRole.objects.only("id", "user_id", "role"))


def user_list(*, q: str = "", role: str = "", status: str = "") -> QuerySet[User]:
    """Users for the admin list, with their roles prefetched (two queries per page). `q` matches name, email or
    WhatsApp (a number typed as 0812…, 62812… or +62 812… all match); `status` is "active" or "inactive"."""
    qs = User.objects.prefetch_related(_roles_prefetch())
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(full_name__icontains=q) | Q(email__icontains=q) | Q(whatsapp__icontains=_whatsapp_query(q)))
    if role:
        qs = qs.filter(roles__role=role)
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "inactive":
        qs = qs.filter(is_active=False)
    return qs.order_by("-date_joined", "-id").distinct() if role else qs.order_by("-date_joined", "-id")


def users_with_role(*, role: str) -> QuerySet[User]:
    """The active users holding `role` (e.g. every admin to notify), in one query."""
    return User.objects.filter(is_active=True, roles__role=role).distinct().order_by("pk")


def user_get(*, pk: int) -> User | None:
    """One user with roles prefetched, active or not (for the admin pages)."""
    return User.objects.prefetch_related(_roles_prefetch()).filter(pk=pk).first()


def user_activity_recent(*, user: User, limit: int = 20) -> list[ActivityLog]:
    """The newest activity-log rows where `user` is the actor or the target (one query)."""
    return list(
        ActivityLog.objects.filter(Q(actor_id=user.pk) | Q(target_type="accounts.user", target_id=str(user.pk)))
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class UserStats:
    total: int
    active: int
    inactive: int
    joined_today: int
    joined_week: int


def _start_of_today() -> datetime:
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def user_stats() -> UserStats:
    """Account totals in one query. "Today" is the calendar day in WIB; "week" is the last 7 days. New signups
    count the accounts that are still active, like "Total member" beside them (a signup since deactivated is in
    neither), so the new never outnumber the total."""
    now = timezone.now()
    active = Q(is_active=True)
    row = User.objects.aggregate(
        total=Count("id"),
        active=Count("id", filter=active),
        joined_today=Count("id", filter=active & Q(date_joined__gte=_start_of_today())),
        joined_week=Count("id", filter=active & Q(date_joined__gte=now - timedelta(days=7))),
    )
    return UserStats(
        total=row["total"],
        active=row["active"],
        inactive=row["total"] - row["active"],
        joined_today=row["joined_today"],
        joined_week=row["joined_week"],
    )


def user_count_with_role(*, role: str) -> int:
    """Active accounts holding `role`."""
    return UserRole.objects.filter(role=role, user__is_active=True).count()


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


@dataclass(frozen=True)
class AffiliateStatus:
    is_affiliate: bool
    since: datetime | None
    latest_application: AffiliateApplication | None

    @property
    def pending(self) -> bool:
        app = self.latest_application
        return app is not None and app.status == AffiliateApplicationStatus.PENDING


def affiliate_status_for_user(*, user: User) -> AffiliateStatus:
    """Whether `user` is an affiliate, since when (the role's grant time) and their latest application."""
    since = UserRole.objects.filter(user=user, role=Role.AFFILIATE).values_list("created_at", flat=True).first()
    latest = AffiliateApplication.objects.filter(user=user).order_by("-created_at", "-id").first()
    return AffiliateStatus(is_affiliate=since is not None, since=since, latest_application=latest)


def affiliate_application_get(*, pk: int) -> AffiliateApplication | None:
    return AffiliateApplication.objects.select_related("user", "decided_by").filter(pk=pk).first()


def affiliate_application_list(*, status: str = "") -> QuerySet[AffiliateApplication]:
    qs = AffiliateApplication.objects.select_related("user", "decided_by").order_by("-created_at", "-id")
    if status:
        qs = qs.filter(status=status)
    return qs


def affiliate_applications_pending_count() -> int:
    return AffiliateApplication.objects.filter(status=AffiliateApplicationStatus.PENDING).count()


def api_key_list() -> QuerySet[ApiKey]:
    return ApiKey.objects.select_related("created_by", "revoked_by").order_by("-created_at", "-id")


# --- Profile completeness -------------------------------------------------------------------------------

PROFILE_COMPLETENESS_FIELDS = (
    ("full_name", _("Nama lengkap")),
    ("whatsapp", _("Nomor WhatsApp")),
    ("avatar", _("Foto profil")),
    ("province", _("Provinsi")),
    ("city", _("Kota/Kabupaten")),
    ("bio", _("Bio")),
)


@dataclass(frozen=True)
class ProfileCompleteness:
    percent: int
    missing: tuple[str, ...]


def user_profile_completeness(*, user: User) -> ProfileCompleteness:
    """How complete the profile is (no query): the share of filled fields and the labels of the missing ones."""
    missing = tuple(str(label) for field, label in PROFILE_COMPLETENESS_FIELDS if not getattr(user, field))
    total = len(PROFILE_COMPLETENESS_FIELDS)
    return ProfileCompleteness(percent=round(100 * (total - len(missing)) / total), missing=missing)


def members_daily(*, days: int = 30, today: date | None = None) -> list[dict]:
    """Active accounts per local day over the last `days` days (oldest first, every day present): [{"date", "joined",
    "total"}], `total` being the active accounts that had joined by the end of that day. Two queries."""
    today = today or timezone.localdate()
    start = today - timedelta(days=days - 1)
    active = User.objects.filter(is_active=True)
    start_at = timezone.make_aware(datetime.combine(start, time.min))
    before = active.filter(date_joined__lt=start_at).count()
    rows = (
        active.filter(date_joined__gte=start_at)
        .annotate(day=TruncDate("date_joined", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("day")
        .annotate(n=Count("id"))
    )
    joined = {row["day"]: row["n"] for row in rows}
    points, total = [], before
    for offset in range(days):
        day = start + timedelta(days=offset)
        total += joined.get(day, 0)
        points.append({"date": day, "joined": joined.get(day, 0), "total": total})
    return points


def social_links(user) -> list[tuple[str, str, str]]:
    """(network, label, url) of the user's social links, in the networks' order (the stored dict was validated by
    `services.social_links_clean`; anything else there is left out)."""
    stored = getattr(user, "social_links", None) or {}
    return [
        (network, str(label), stored[network])
        for network, (label, _hosts) in SOCIAL_NETWORKS.items()
        if isinstance(stored.get(network), str) and stored[network].startswith(("https://", "http://"))
    ]
