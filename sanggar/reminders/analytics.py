"""Analytics of one reminder sequence (or of every sequence of one plan / product together), from its send log
and the deliveries behind it (a fixed number of queries): sent, delivered (and confirmed by the provider's webhook),
failed, opened (email pixel, a WhatsApp read or a push tapped, as the providers report), clicked (signed redirect or
a tapped push), converted (the stop action within REMINDERS_CONVERSION_DAYS); per step, per channel, per day (last 30
days) and per hour of the day (best hour)."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import ExtractHour, TruncDate
from django.utils import timezone

from sanggar.notifications.models import Delivery

from .constants import IN_APP, SendStatus, channel_label
from .models import LinkClick, ReminderSend

DAYS = 30
DELIVERED = ("sent", "logged")


def _pct(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def sequence_analytics(*, sequence, now=None) -> dict:
    return _analytics(ReminderSend.objects.filter(step__sequence=sequence), now=now)


def target_analytics(*, target_type: str, target_id: int, now=None) -> dict:
    """The same numbers over every sequence of a plan or product (the same fixed number of queries)."""
    sends = ReminderSend.objects.filter(step__sequence__target_type=target_type, step__sequence__target_id=target_id)
    return _analytics(sends, now=now)


def _analytics(sends, *, now=None) -> dict:
    now = now or timezone.now()
    counts = sends.aggregate(
        sent=Count("id", filter=Q(status=SendStatus.SENT)),
        failed=Count("id", filter=Q(status=SendStatus.FAILED)),
        skipped=Count("id", filter=Q(status__in=(SendStatus.SKIPPED, SendStatus.CONDITION))),
        opened=Count("id", filter=Q(opened_at__isnull=False)),
        clicked=Count("id", filter=Q(clicked_at__isnull=False)),
        converted=Count("id", filter=Q(converted_at__isnull=False)),
    )
    deliveries = Delivery.objects.filter(notification__in=sends.values("notification_id"))
    by_channel_rows = deliveries.values("channel").annotate(
        total=Count("id"),
        delivered=Count("id", filter=Q(status__in=DELIVERED)),
        failed=Count("id", filter=Q(status="failed")),
        # confirmed by the provider's webhook (Fonnte status, OneSignal events): delivered and opened (read / tapped)
        confirmed=Count("id", filter=Q(delivered_at__isnull=False)),
        provider_opened=Count("id", filter=Q(opened_at__isnull=False)),
    )
    channels = [
        {
            "channel": IN_APP,
            "total": counts["sent"],
            "delivered": counts["sent"],
            "failed": 0,
            "confirmed": counts["sent"],
            "provider_opened": 0,
        },
        *sorted(by_channel_rows, key=lambda r: r["channel"]),
    ]
    clicks = dict(
        sends.filter(clicked_at__isnull=False).values_list("clicked_channel").annotate(n=Count("id")).order_by()
    )
    top = max((c["total"] for c in channels), default=0)
    for row in channels:
        row["clicked"] = clicks.get(row["channel"], 0)
        row["label"] = channel_label(row["channel"])
        row["width"] = _pct(row["total"], top)
        row["delivered_rate"] = _pct(row["delivered"], row["total"])
    counts["delivered"] = sum(r["delivered"] for r in channels if r["channel"] != IN_APP)
    counts["confirmed"] = sum(r["confirmed"] for r in channels if r["channel"] != IN_APP)
    counts["failed"] += sum(r["failed"] for r in channels)
    for key in ("opened", "clicked", "converted"):
        counts[f"{key}_rate"] = _pct(counts[key], counts["sent"])

    tz = timezone.get_current_timezone()
    start = now - timedelta(days=DAYS - 1)
    per_day = dict(
        sends.filter(status=SendStatus.SENT, created_at__gte=start.replace(hour=0, minute=0))
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by()
    )
    first = timezone.localtime(start).date()
    days = [{"day": first + timedelta(days=i), "n": per_day.get(first + timedelta(days=i), 0)} for i in range(DAYS)]
    top_day = max((d["n"] for d in days), default=0)
    for d in days:
        d["height"] = _pct(d["n"], top_day)

    hours_rows = (
        sends.filter(status=SendStatus.SENT)
        .annotate(hour=ExtractHour("created_at", tzinfo=tz))
        .values("hour")
        .annotate(n=Count("id"), engaged=Count("id", filter=Q(opened_at__isnull=False) | Q(clicked_at__isnull=False)))
        .order_by()
    )
    by_hour = {r["hour"]: r for r in hours_rows}
    hours = []
    for h in range(24):
        row = by_hour.get(h, {"n": 0, "engaged": 0})
        hours.append({"hour": h, "n": row["n"], "engaged": row["engaged"], "rate": _pct(row["engaged"], row["n"])})
    candidates = [h for h in hours if h["n"]]
    best = max(candidates, key=lambda h: (h["rate"], h["n"])) if candidates else None
    top_rate = max((h["rate"] for h in hours), default=0)
    for h in hours:
        h["height"] = _pct(h["rate"], top_rate)

    steps = list(
        sends.values("step_id", "step__subject", "step__sort_order", "step__sequence__name")
        .annotate(
            sent=Count("id", filter=Q(status=SendStatus.SENT)),
            opened=Count("id", filter=Q(opened_at__isnull=False)),
            clicked=Count("id", filter=Q(clicked_at__isnull=False)),
            converted=Count("id", filter=Q(converted_at__isnull=False)),
        )
        .order_by("step__sequence__sort_order", "step__sequence_id", "step__sort_order", "step_id")
    )
    # the external deliveries of each step's sends (one more query): handed over (sent / logged), confirmed by the
    # provider's webhook (delivered_at), read or tapped as the provider reports (opened_at), failed
    d = "notification__deliveries__"
    per_step = {
        r["step_id"]: r
        for r in sends.filter(notification__isnull=False)
        .values("step_id")
        .annotate(
            deliveries=Count(d + "id"),
            delivered=Count(d + "id", filter=Q(**{d + "status__in": DELIVERED})),
            confirmed=Count(d + "id", filter=Q(**{d + "delivered_at__isnull": False})),
            provider_opened=Count(d + "id", filter=Q(**{d + "opened_at__isnull": False})),
            failed=Count(d + "id", filter=Q(**{d + "status": "failed"})),
        )
        .order_by()
    }
    empty = {"deliveries": 0, "delivered": 0, "confirmed": 0, "provider_opened": 0, "failed": 0}
    for row in steps:
        extra = per_step.get(row["step_id"], empty)
        for key in empty:
            row[key] = extra[key]
        row["confirmed_rate"] = _pct(row["confirmed"], row["delivered"])
    for row in channels:
        row["confirmed_rate"] = _pct(row["confirmed"], row["delivered"])
    links = link_clicks(steps=[r["step_id"] for r in steps]) if steps else []
    return {
        "totals": counts,
        "channels": channels,
        "days": days,
        "hours": hours,
        "best_hour": best,
        "steps": steps,
        "links": links,
    }


def link_clicks(*, broadcast=None, steps=None, limit: int | None = None) -> list[dict]:
    """The most-clicked links of the email bodies of a broadcast or of some steps (ids), most clicks first, at most
    `limit` (`REMINDERS_LINK_CLICKS_SHOWN`, pages and API alike): one query. Each click through the signed redirect
    counts (a member clicking twice counts twice)."""
    limit = settings.REMINDERS_LINK_CLICKS_SHOWN if limit is None else limit
    rows = (
        LinkClick.objects.filter(broadcast=broadcast)
        if broadcast is not None
        else LinkClick.objects.filter(step_id__in=steps)
    )
    return list(rows.order_by("-clicks", "pk").values("url", "clicks", "step_id", "step__subject")[: max(limit, 0)])
