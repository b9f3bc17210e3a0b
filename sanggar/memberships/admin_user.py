"""The memberships card on the admin's user detail page (registered with accounts.hooks from apps.py)."""

from django.utils import timezone

from sanggar.accounts.hooks import AdminUserSection

from .constants import MembershipStatus
from .models import UserMembership

LIMIT = 20


def section_context(user) -> dict:
    """The member's memberships, newest first (history), at most LIMIT: one query."""
    rows = list(
        UserMembership.objects.filter(user=user).select_related("plan").order_by("-created_at", "-id")[: LIMIT + 1]
    )
    now = timezone.now()
    current = next(
        (m for m in rows if m.status == MembershipStatus.ACTIVE and (m.ends_at is None or m.ends_at > now)), None
    )
    return {"rows": rows[:LIMIT], "more": len(rows) > LIMIT, "current": current, "user_id": user.pk}


SECTION = AdminUserSection(
    name="memberships", order=10, template="memberships/admin/_user_section.html", context=section_context
)
