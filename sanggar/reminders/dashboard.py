"""The global reminder dashboard (REM-P5): over the last 7 / 30 / 90 days of reminder sends, the delivery success rate
per channel, the best-performing reminder (conversion rate, then click rate, with at least
REMINDERS_DASHBOARD_MIN_SENT sends), the best hour and day to send (opened or clicked per send, WIB) and the
engagement heatmap (day of week × hour, WIB, of the opened and clicked moments).

Everything is grouped in the database (GROUP BY with ExtractHour / ExtractWeekDay in Asia/Jakarta, portable to
SQLite and PostgreSQL) in a fixed number of queries (QUERIES); Python only fills the 7 × 24 grid and picks maxima."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import ExtractHour, ExtractWeekDay
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanggar.notifications.models import Delivery

from .constants import IN_APP, SendStatus
from .models import BroadcastRecipient, ReminderSend

WIB = ZoneInfo("Asia/Jakarta")
PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
QUERIES = 8  # 5 over the reminder sends, 3 over the broadcast recipients
BROADCASTS_SHOWN = 50  # the most recent broadcasts of the period, each with its numbers (the totals cover all)
CHANNELS = (
    ("email", _("Email")),
    ("whatsapp", _("WhatsApp")),
    ("push", _("Push")),
    (IN_APP, _("In-app")),
)
# Monday first; ExtractWeekDay gives 1 = Sunday … 7 = Saturday on every database.
DAYS = (_("Senin"), _("Selasa"), _("Rabu"), _("Kamis"), _("Jumat"), _("Sabtu"), _("Minggu"))
DELIVERED = ("sent", "logged")
FAILED = "failed"


def _pct(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _monday_index(week_day: int) -> int:
    return (week_day + 5) % 7


def parse_period(raw) -> int:
    """The page's ?hari=: one of PERIODS, anything else the default."""
    try:
        days = int(raw)
    except (TypeError, ValueError):
        return DEFAULT_PERIOD
    return days if days in PERIODS else DEFAULT_PERIOD


def _channels(sends, sequences: list[dict]) -> list[dict]:
    """Query 1: the deliveries behind the period's sends, per channel; in-app is the notification itself (a send
    logged `sent` wrote it, a `failed` one did not)."""
    rows = _delivery_channels(sends)
    sent = sum(s["sent"] for s in sequences)
    failed = sum(s["failed"] for s in sequences)
    rows[IN_APP] = {"total": sent + failed, "delivered": sent, "failed": failed, "confirmed": sent}
    return _channel_rows(rows)


def _delivery_channels(rows) -> dict:
    """One GROUP BY: the external deliveries behind `rows` (sends or broadcast recipients) per channel, with how many
    were handed over, failed, and confirmed by the provider's webhook (Fonnte status, OneSignal events)."""
    return {
        r["channel"]: r
        for r in Delivery.objects.filter(notification_id__in=rows.values("notification_id"))
        .values("channel")
        .annotate(
            total=Count("id"),
            delivered=Count("id", filter=Q(status__in=DELIVERED)),
            failed=Count("id", filter=Q(status=FAILED)),
            confirmed=Count("id", filter=Q(delivered_at__isnull=False)),
        )
        .order_by()
    }


def _channel_rows(rows: dict) -> list[dict]:
    out = []
    for key, label in CHANNELS:
        row = rows.get(key, {"total": 0, "delivered": 0, "failed": 0, "confirmed": 0})
        finished = row["delivered"] + row["failed"]
        out.append(
            {
                "channel": key,
                "label": str(label),
                "total": row["total"],
                "delivered": row["delivered"],
                "failed": row["failed"],
                "confirmed": row["confirmed"],
                "pending": row["total"] - finished,
                # of the messages whose fate is known (queued ones are not counted yet)
                "success_rate": _pct(row["delivered"], finished),
            }
        )
    return out


def _sequences(sends, min_sent: int) -> tuple[list[dict], dict | None]:
    """Query 2: per reminder (sequence) sent, failed, opened, clicked, converted; the best one by conversion rate,
    then click rate, then sends, among those with at least `min_sent` sends."""
    rows = list(
        sends.values("step__sequence_id", "step__sequence__name")
        .annotate(
            sent=Count("id", filter=Q(status=SendStatus.SENT)),
            failed=Count("id", filter=Q(status=SendStatus.FAILED)),
            opened=Count("id", filter=Q(opened_at__isnull=False)),
            clicked=Count("id", filter=Q(clicked_at__isnull=False)),
            converted=Count("id", filter=Q(converted_at__isnull=False)),
        )
        .order_by("step__sequence_id")
    )
    sequences = []
    for r in rows:
        sent = r["sent"]
        sequences.append(
            {
                "id": r["step__sequence_id"],
                "name": r["step__sequence__name"],
                **{k: r[k] for k in ("sent", "failed", "opened", "clicked", "converted")},
                "open_rate": _pct(r["opened"], sent),
                "click_rate": _pct(r["clicked"], sent),
                "conversion_rate": _pct(r["converted"], sent),
                # exact ratios for the ranking (rounded percentages would tie too often)
                "_rank": (r["converted"] / sent, r["clicked"] / sent, sent) if sent else (0, 0, 0),
            }
        )
    eligible = [s for s in sequences if s["sent"] >= min_sent]
    best = max(eligible, key=lambda s: s["_rank"]) if eligible else None
    for s in sequences:
        del s["_rank"]
    return sequences, best


def _send_times(sends, min_sent: int) -> tuple[list[dict], list[dict], dict | None, dict | None]:
    """Query 3: sends of the period by WIB day of week × hour of sending, with how many were opened or clicked;
    summed per hour and per day, the best of each by engaged per send (at least `min_sent` sends)."""
    rows = (
        sends.filter(status=SendStatus.SENT)
        .annotate(wd=ExtractWeekDay("created_at", tzinfo=WIB), hr=ExtractHour("created_at", tzinfo=WIB))
        .values("wd", "hr")
        .annotate(n=Count("id"), engaged=Count("id", filter=Q(opened_at__isnull=False) | Q(clicked_at__isnull=False)))
        .order_by()
    )
    hours = [{"hour": h, "sent": 0, "engaged": 0} for h in range(24)]
    days = [{"day": d, "label": str(DAYS[d]), "sent": 0, "engaged": 0} for d in range(7)]
    for r in rows:
        for bucket in (hours[r["hr"]], days[_monday_index(r["wd"])]):
            bucket["sent"] += r["n"]
            bucket["engaged"] += r["engaged"]
    for bucket in (*hours, *days):
        bucket["rate"] = _pct(bucket["engaged"], bucket["sent"])

    def best(buckets):
        eligible = [b for b in buckets if b["sent"] >= min_sent]
        return max(eligible, key=lambda b: (b["engaged"] / b["sent"], b["sent"])) if eligible else None

    return hours, days, best(hours), best(days)


def _cell(hour: int, n: int, top: int) -> dict:
    level = _pct(n, top)
    # the cell's shade: an empty cell is a faint grid, the busiest one is solid
    alpha = f"{0.12 + 0.88 * level / 100:.2f}" if n else "0.04"
    return {"hour": hour, "n": n, "level": level, "alpha": alpha}


def _heatmap(sends) -> dict:
    """Queries 4 and 5: the moments the period's sends were opened and clicked, by WIB day of week × hour."""
    grid = [[0] * 24 for _ in range(7)]
    for field in ("opened_at", "clicked_at"):
        rows = (
            sends.filter(**{f"{field}__isnull": False})
            .annotate(wd=ExtractWeekDay(field, tzinfo=WIB), hr=ExtractHour(field, tzinfo=WIB))
            .values("wd", "hr")
            .annotate(n=Count("id"))
            .order_by()
        )
        for r in rows:
            grid[_monday_index(r["wd"])][r["hr"]] += r["n"]
    top = max(max(row) for row in grid)
    return {
        "top": top,
        "total": sum(sum(row) for row in grid),
        "rows": [
            {
                "day": d,
                "label": str(DAYS[d]),
                "cells": [_cell(h, n, top) for h, n in enumerate(grid[d])],
            }
            for d in range(7)
        ],
    }


def _broadcasts(recipients) -> dict:
    """Queries 6–8: the broadcasts whose recipients were written in the period. Per broadcast (the most recent
    BROADCASTS_SHOWN): recipients sent / skipped, their external deliveries handed over, confirmed by the provider
    and failed, opened and clicked; per channel the same as the reminders' (in-app: the notification written); the
    totals over all of them."""
    d = "notification__deliveries__"
    per_recipient = {
        "recipients": Count("id", distinct=True),
        "sent": Count("id", filter=Q(status=SendStatus.SENT), distinct=True),
        "skipped": Count("id", filter=Q(status=SendStatus.SKIPPED), distinct=True),
        "opened": Count("id", filter=Q(opened_at__isnull=False), distinct=True),
        "clicked": Count("id", filter=Q(clicked_at__isnull=False), distinct=True),
        "delivered": Count(d + "id", filter=Q(**{d + "status__in": DELIVERED})),
        "confirmed": Count(d + "id", filter=Q(**{d + "delivered_at__isnull": False})),
        "failed": Count(d + "id", filter=Q(**{d + "status": FAILED})),
    }
    rows = list(
        recipients.values("broadcast_id", "broadcast__title", "broadcast__status")
        .annotate(**per_recipient)
        .order_by("-broadcast_id")[:BROADCASTS_SHOWN]
    )
    items = [
        {
            "id": r["broadcast_id"],
            "title": r["broadcast__title"],
            "status": r["broadcast__status"],
            **{k: r[k] for k in per_recipient},
            "open_rate": _pct(r["opened"], r["sent"]),
            "click_rate": _pct(r["clicked"], r["sent"]),
        }
        for r in rows
    ]
    totals = recipients.aggregate(**per_recipient, broadcasts=Count("broadcast_id", distinct=True))
    channel_rows = _delivery_channels(recipients)
    sent = totals["sent"]
    channel_rows[IN_APP] = {"total": sent, "delivered": sent, "failed": 0, "confirmed": sent}
    for key in ("opened", "clicked"):
        totals[f"{key}_rate"] = _pct(totals[key], sent)
    return {"items": items, "channels": _channel_rows(channel_rows), "totals": totals}


def reminders_dashboard(*, days: int = DEFAULT_PERIOD, now=None, min_sent: int | None = None) -> dict:
    now = now or timezone.now()
    min_sent = settings.REMINDERS_DASHBOARD_MIN_SENT if min_sent is None else min_sent
    since = now - timedelta(days=days)
    sends = ReminderSend.objects.filter(created_at__gte=since, created_at__lte=now, step__sequence__realm="")
    sequences, best_reminder = _sequences(sends, min_sent)
    channels = _channels(sends, sequences)
    hours, week_days, best_hour, best_day = _send_times(sends, min_sent)
    totals = {k: sum(s[k] for s in sequences) for k in ("sent", "failed", "opened", "clicked", "converted")}
    for key in ("opened", "clicked", "converted"):
        totals[f"{key}_rate"] = _pct(totals[key], totals["sent"])
    return {
        "days": days,
        "since": since,
        "min_sent": min_sent,
        "totals": totals,
        "channels": channels,
        "sequences": sorted(sequences, key=lambda s: (-s["sent"], s["id"])),
        "best_reminder": best_reminder,
        "hours": hours,
        "week_days": week_days,
        "best_hour": best_hour,
        "best_day": best_day,
        "heatmap": _heatmap(sends),
        "broadcasts": _broadcasts(BroadcastRecipient.objects.filter(created_at__gte=since, created_at__lte=now)),
    }
