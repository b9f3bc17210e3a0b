"""Reads of notifications, deliveries and message templates that pages, the API and dashboards share."""

import re
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from sanggar.core.exceptions import NotFound

from .constants import DROPDOWN_SIZE, Channel, DeliveryStatus, NotificationKind, TemplateKey
from .defaults import DEFAULT_TEMPLATES
from .models import Delivery, MessageTemplate, Notification


def notification_list(*, user, kind: str = "", unread: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first. An unknown `kind` is ignored (shows every kind)."""
    qs = Notification.objects.filter(user=user)
    if kind and kind in NotificationKind.values:
        qs = qs.filter(kind=kind)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notification_latest(*, user, limit: int = DROPDOWN_SIZE) -> list[Notification]:
    return list(notification_list(user=user)[:limit])


def unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def delivery_list(*, channel: str = "", status: str = "", q: str = "") -> QuerySet[Delivery]:
    """The delivery log, newest first; `q` searches the recipient (email, number or user id) and the user."""
    qs = Delivery.objects.select_related("user")
    if channel and channel in Channel.values:
        qs = qs.filter(channel=channel)
    if status and status in DeliveryStatus.values:
        qs = qs.filter(status=status)
    q = (q or "").strip()
    if q:
        match = Q(recipient__icontains=q) | Q(user__email__icontains=q) | Q(user__full_name__icontains=q)
        phone = _phone_search(q)
        if phone:
            match |= Q(recipient__contains=phone)
        qs = qs.filter(match)
    return qs.order_by("-created_at", "-id")


def _phone_search(q: str) -> str:
    """A number typed the local way (`0812…`) also finds the stored `+62812…` form."""
    if not re.fullmatch(r"[+\d\s().-]{4,}", q):
        return ""
    digits = re.sub(r"\D", "", q)
    if digits.startswith("0"):
        return "+62" + digits[1:]
    if digits.startswith("62"):
        return "+" + digits
    return digits


def delivery_get(*, delivery_id: int) -> Delivery:
    delivery = Delivery.objects.select_related("user", "notification").filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound(_("Data pengiriman tidak ditemukan."))
    return delivery


def delivery_status_counts(*, since: datetime) -> dict[str, int]:
    """Deliveries created since `since`, counted by status (every status present, zero when none)."""
    rows = Delivery.objects.filter(created_at__gte=since).values("status").annotate(n=Count("id")).order_by()
    counts = dict.fromkeys(DeliveryStatus.values, 0)
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def message_template_list() -> list[MessageTemplate]:
    """Every global template in a fixed order. A template whose row is missing shows with its default text."""
    rows = {t.key: t for t in MessageTemplate.objects.select_related("updated_by")}
    return [rows.get(key) or _default_template(key) for key in TemplateKey.values]


def message_template_get(*, key: str) -> MessageTemplate:
    """The stored template, or an unsaved one with the default texts when its row is missing."""
    if key not in TemplateKey.values:
        raise NotFound(_("Template pesan tidak ditemukan."))
    template = MessageTemplate.objects.select_related("updated_by").filter(key=key).first()
    return template or _default_template(key)


def _default_template(key: str) -> MessageTemplate:
    return MessageTemplate(key=key, **DEFAULT_TEMPLATES[key])
