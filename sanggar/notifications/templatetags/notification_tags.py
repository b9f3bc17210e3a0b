"""Display helpers for notification and delivery pages."""

from django import template

from ..constants import DeliveryStatus
from ..registry import group_get, group_label

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
