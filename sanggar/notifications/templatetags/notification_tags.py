"""Display helpers for notification and delivery pages."""

from django import template

from sanggar.core.exceptions import ServiceError

from ..constants import DeliveryStatus
from ..realtime import notification_payload
from ..registry import group_get, group_label
from ..services import notification_popups_take, subscription_follow_state

register = template.Library()

STATUS_BADGES = {
    DeliveryStatus.QUEUED: "badge-yellow",
    DeliveryStatus.SENT: "badge-green",
    DeliveryStatus.LOGGED: "badge-gray",
    DeliveryStatus.SKIPPED: "badge-gray",
    DeliveryStatus.FAILED: "badge-red",
}


@register.filter
def kind_icon(kind: str) -> str:
    """The icon of a notification's preference group (Notification.kind)."""
    group = group_get(kind)
    return group.icon if group is not None else "bell"


@register.filter
def kind_label(kind: str) -> str:
    return group_label(kind)


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "badge-gray")


@register.filter
def badge_count(count) -> str:
    """The bell's number: empty for none, 99+ above 99."""
    count = int(count or 0)
    if count <= 0:
        return ""
    return "99+" if count > 99 else str(count)


@register.simple_tag(takes_context=True)
def notification_popups(context) -> list[dict]:
    """The important notifications no open page showed (the popup fallback): shown once, on this page load."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return [notification_payload(n) | {"popup": True} for n in notification_popups_take(user=user)]


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def follow_button(context, source: str) -> dict:
    """ "Ikuti notifikasi" / "Berhenti mengikuti" for a group, course or event page; nothing for a user who may not
    follow the source (not a member, learner or registrant)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    try:
        following = subscription_follow_state(user=user, source=source)
    except ServiceError:
        return {"source": ""}
    return {
        "source": source,
        "following": following,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
