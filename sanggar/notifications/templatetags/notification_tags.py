"""Display helpers for notification and delivery pages."""

from django import template

from ..constants import DeliveryStatus, NotificationKind

register = template.Library()

KIND_ICONS = {
    NotificationKind.CHAT: "message-circle",
    NotificationKind.COURSE: "graduation-cap",
    NotificationKind.GROUP: "users",
    NotificationKind.EVENT: "calendar-days",
    NotificationKind.TRANSACTION: "receipt",
    NotificationKind.AFFILIATE: "megaphone",
    NotificationKind.SUPPORT: "life-buoy",
    NotificationKind.SYSTEM: "info",
}

STATUS_BADGES = {
    DeliveryStatus.QUEUED: "badge-yellow",
    DeliveryStatus.SENT: "badge-green",
    DeliveryStatus.LOGGED: "badge-gray",
    DeliveryStatus.SKIPPED: "badge-gray",
    DeliveryStatus.FAILED: "badge-red",
}


@register.filter
def kind_icon(kind: str) -> str:
    return KIND_ICONS.get(kind, "bell")


@register.filter
def kind_label(kind: str) -> str:
    try:
        return str(NotificationKind(kind).label)
    except ValueError:
        return kind


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
