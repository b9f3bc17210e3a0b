"""Reads of notifications, deliveries and message templates that pages, the API and dashboards share."""

import re
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from sanggar.core.exceptions import NotFound
from sanggar.core.prepared import Prepared

from .constants import DROPDOWN_SIZE, Channel, DeliveryStatus
from .models import Delivery, EmailSuppression, MessageTemplate, Notification, NotificationRoleRule, Subscription
from .registry import group_keys, kind_exists, kind_get, kinds, source_kind, source_parse


def notification_list(
    *, user, kind: str = "", unread: bool = False, archived: bool = False, source: str = ""
) -> QuerySet[Notification]:
    """The user's notifications, newest first: the ones not archived, or with `archived` only the archived ones. An
    unknown `kind` or `source` is ignored (shows everything)."""
    qs = Notification.objects.filter(user=user, archived_at__isnull=not archived)
    if kind and kind in group_keys():
        qs = qs.filter(kind=kind)
    if source and source_parse(source) is not None:
        qs = qs.filter(source=source)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notification_latest(*, user, limit: int = DROPDOWN_SIZE, kind: str = "") -> list[Notification]:
    """The bell dropdown's latest notifications, of one preference group when `kind` names one (the "Kelas" tab)."""
    return list(notification_list(user=user, kind=kind)[:limit])


# The bell's count on every signed-in page: its statement compiled once per process (one row, or none at zero).
_UNREAD = Prepared(
    lambda user_id: (
        Notification.objects.filter(user_id=user_id, read_at__isnull=True)
        .order_by()
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    ),
    user_id=-1_000_302,
)


def unread_count(*, user) -> int:
    if user.pk is None:
        return 0
    counts = _UNREAD.all(user_id=user.pk)
    return counts[0] if counts else 0


def unread_counts(*, user_ids) -> dict[int, int]:
    """user id → unread notifications, for many users in one query."""
    rows = (
        Notification.objects.filter(user_id__in=list(user_ids), read_at__isnull=True)
        .values("user_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["user_id"]: row["n"] for row in rows}


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


def message_template_list(*, group: str = "", q: str = "") -> list[MessageTemplate]:
    """The template of every registered kind, by group and label (one query). A kind whose row is missing shows with
    its default texts. `group` and `q` (name or key) narrow the list."""
    rows = {t.key: t for t in MessageTemplate.objects.select_related("updated_by")}
    q = (q or "").strip().lower()
    result = []
    for kind in kinds():
        if group and kind.group != group:
            continue
        template = rows.get(kind.key) or default_template(kind.key)
        if q and q not in template.name.lower() and q not in kind.key.lower():
            continue
        result.append(template)
    return result


def message_template_get(*, key: str) -> MessageTemplate:
    """The stored template of a registered kind, or an unsaved one with the kind's default texts when its row is
    missing (so a message always goes out)."""
    if not kind_exists(key):
        raise NotFound(_("Template pesan tidak ditemukan."))
    template = MessageTemplate.objects.select_related("updated_by").filter(key=key).first()
    return template or default_template(key)


TEMPLATE_CACHE_PREFIX = "notifications:template:"


def message_template_for_sending(*, key: str) -> MessageTemplate:
    """`message_template_get` for sending: every payment sends two or more messages, each reading its template, and
    templates change when an admin edits one. Kept in the cache (no query) until the row is saved again
    (`message_template_cache_clear`, wired to the model's saves in `notifications.apps`) or
    MESSAGE_TEMPLATE_CACHE_SECONDS pass."""
    cache_key = TEMPLATE_CACHE_PREFIX + key
    cached = cache.get(cache_key)
    if isinstance(cached, MessageTemplate):
        return cached
    template = message_template_get(key=key)
    if template.pk is not None:  # a missing row falls back to the defaults without being remembered
        template.updated_by = None  # not needed to send; keeps the cached copy small
        cache.set(cache_key, template, settings.MESSAGE_TEMPLATE_CACHE_SECONDS)
    return template


def message_template_cache_clear(sender=None, instance=None, **_signal) -> None:
    if instance is not None and instance.key:
        cache.delete(TEMPLATE_CACHE_PREFIX + instance.key)


def default_template(key: str) -> MessageTemplate:
    """An unsaved template with the kind's default texts (the preview of "reset to default")."""
    kind = kind_get(key)
    d = kind.defaults
    return MessageTemplate(
        key=key,
        name=str(kind.label),
        inapp_title=d.inapp_title,
        inapp_body=d.inapp_body,
        email_subject=d.email_subject,
        email_body=d.email_body,
        whatsapp_body=d.whatsapp,
        push_body=d.push,
    )


SOURCE_CHOICES_MAX = 50


def source_choices(*, user, kinds) -> dict[str, list[tuple[str, str]]]:
    """kind ("course") → (source, title) of the sources of that kind the user has notifications from, for the
    notification centre's filters: ONE query for the user's distinct sources of every kind (at most
    SOURCE_CHOICES_MAX each), then each kind's titles through its registered describer (only for kinds present)."""
    entries = {kind: source_kind(kind) for kind in kinds}
    entries = {kind: entry for kind, entry in entries.items() if entry is not None}
    if not entries:
        return {}
    wanted = Q()
    for kind in entries:
        wanted |= Q(source__startswith=f"{kind}:")
    values = (
        Notification.objects.filter(wanted, user=user)
        .order_by("source")
        .values_list("source", flat=True)
        .distinct()[: SOURCE_CHOICES_MAX * len(entries)]
    )
    by_kind: dict[str, list[str]] = {}
    for value in values:
        kind, _, key = value.partition(":")
        if kind in entries and len(by_kind.setdefault(kind, [])) < SOURCE_CHOICES_MAX:
            by_kind[kind].append(key)
    choices = {}
    for kind, keys in by_kind.items():
        titles = entries[kind].describe(keys)
        pairs = ((f"{kind}:{key}", titles.get(key, f"{kind}:{key}")) for key in keys)
        choices[kind] = sorted(pairs, key=lambda c: str(c[1]).lower())
    return choices


def is_subscribed(*, user, source: str) -> bool:
    """Whether the user follows the source (the default: yes, until they unfollow)."""
    return not Subscription.objects.filter(user=user, source=source, subscribed=False).exists()


def suppressed_emails(*, emails) -> set[str]:
    """The lower-cased addresses among `emails` on the suppression list; one query."""
    wanted = {str(e).strip().lower() for e in emails if e}
    if not wanted:
        return set()
    return set(EmailSuppression.objects.filter(email__in=wanted).values_list("email", flat=True))


def suppressed_emails_query():
    """Every address on the suppression list, as a subquery (`email__in=...`) for other apps' audiences."""
    return EmailSuppression.objects.values("email")


def suppression_list(*, q: str = "") -> QuerySet[EmailSuppression]:
    qs = EmailSuppression.objects.select_related("created_by")
    q = (q or "").strip()[:100]
    if q:
        qs = qs.filter(email__icontains=q)
    return qs.order_by("-created_at", "-id")


# --- role rules (which roles receive which preference groups) -------------------------------------------------

ROLE_RULES_CACHE_KEY = "notifications:role-rules"


def role_rules_disabled() -> dict[str, frozenset[str]]:
    """group → the roles the admin switched off for it (no entry: every role receives the group). Cached until a
    rule is saved (`role_rules_cache_clear`); sending a notification reads it without a query."""
    cached = cache.get(ROLE_RULES_CACHE_KEY)
    if isinstance(cached, dict):
        return cached
    disabled: dict[str, set[str]] = {}
    for group, role in NotificationRoleRule.objects.filter(enabled=False).values_list("group", "role"):
        disabled.setdefault(group, set()).add(role)
    result = {group: frozenset(roles) for group, roles in disabled.items()}
    cache.set(ROLE_RULES_CACHE_KEY, result, settings.MESSAGE_TEMPLATE_CACHE_SECONDS)
    return result


def role_rules_cache_clear() -> None:
    cache.delete(ROLE_RULES_CACHE_KEY)


def role_rule_matrix() -> dict[tuple[str, str], bool]:
    """(group, role) → enabled, for the admin's grid (missing pairs are enabled)."""
    return {(r.group, r.role): r.enabled for r in NotificationRoleRule.objects.all()}


def user_roles(*, user_ids) -> dict[int, tuple[str, ...]]:
    """user id → the user's roles, for many users in one query (a user without a role row is a member)."""
    result: dict[int, list[str]] = {}
    for pk, role in get_user_model().objects.filter(pk__in=list(user_ids)).values_list("pk", "roles__role"):
        result.setdefault(pk, [])
        if role:
            result[pk].append(role)
    return {pk: tuple(roles) for pk, roles in result.items()}
