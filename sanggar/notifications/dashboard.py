"""Dashboard cards of the notification system."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from sanggar.core.roles import ALL_ROLES, Role
from sanggar.dashboard.registry import Card, Stat, card

from .constants import DeliveryStatus
from .selectors import delivery_status_counts, unread_count


@card(roles=ALL_ROLES, order=90)
def unread_notifications(request) -> Card:
    count = unread_count(user=request.user)
    return Card(
        title=_("Notifikasi belum dibaca"),
        icon="bell",
        value=str(count),
        hint=_("Semua notifikasi sudah dibaca.") if count == 0 else _("Buka untuk melihat yang terbaru."),
        link=reverse("notifications:list") + ("?unread=1" if count else ""),
        link_label=_("Lihat notifikasi"),
    )


@card(roles=(Role.ADMIN,), order=95)
def deliveries_last_week(request) -> Card:
    counts = delivery_status_counts(since=timezone.now() - timedelta(days=7))
    base = reverse("notifications:admin_deliveries")
    return Card(
        title=_("Pengiriman 7 hari terakhir"),
        icon="send",
        value=str(sum(counts.values())),
        stats=tuple(
            Stat(label=str(label), value=str(counts[status]), link=f"{base}?{urlencode({'status': status})}")
            for status, label in DeliveryStatus.choices
        ),
        link=base,
        link_label=_("Buka log pengiriman"),
        style="list",
    )
