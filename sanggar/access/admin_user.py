"""The access grants card on the admin's user detail page (registered with accounts.hooks from apps.py)."""

from django.utils import timezone

from sanggar.accounts.hooks import AdminUserSection

from .models import Grant

LIMIT = 20


def section_context(user) -> dict:
    """The user's latest grants with their resources, at most LIMIT: one query."""
    rows = list(Grant.objects.filter(user=user).select_related("resource").order_by("-created_at", "-id")[: LIMIT + 1])
    now = timezone.now()
    for grant in rows:
        grant.is_open = (
            grant.revoked_at is None and grant.starts_at <= now and (grant.ends_at is None or grant.ends_at > now)
        )
    return {"rows": rows[:LIMIT], "more": len(rows) > LIMIT, "email": user.email}


SECTION = AdminUserSection(name="access", order=30, template="access/admin/_user_section.html", context=section_context)
