"""The affiliate status card on the admin's user detail page (registered with accounts.hooks from apps.py)."""

from django.db.models import Count, Sum

from sanggar.accounts.hooks import AdminUserSection

from .constants import CommissionStatus
from .models import AffiliateProfile, Commission


def section_context(user) -> dict:
    """The user's affiliate profile and their commissions by status: at most two queries."""
    profile = AffiliateProfile.objects.filter(user=user).first()
    if profile is None:
        return {"profile": None}
    by_status = {
        row["status"]: row
        for row in Commission.objects.filter(affiliate=profile)
        .order_by()
        .values("status")
        .annotate(count=Count("id"), amount=Sum("amount"))
    }
    rows = [
        {
            "label": label,
            "count": by_status.get(value, {}).get("count", 0),
            "amount": int(by_status.get(value, {}).get("amount") or 0),
        }
        for value, label in CommissionStatus.choices
    ]
    return {
        "profile": profile,
        "commissions": rows,
        "sales": sum(row["count"] for row in rows),
        "bank_ready": bool(profile.bank_name and profile.bank_account_number and profile.bank_account_holder),
    }


SECTION = AdminUserSection(
    name="affiliate", order=50, template="affiliates/admin/_user_section.html", context=section_context
)
