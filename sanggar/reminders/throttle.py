"""The broadcast sender's pace per channel: at most `REMINDERS_BROADCAST_<CHANNEL>_PER_MINUTE` messages in each clock
minute, shared by every broadcast (two broadcasts, or two workers, together stay under it). The window is the clock
minute, so the beat sweep that resumes a broadcast every minute finds a fresh budget. 0 means no limit.
Call these inside the batch's transaction: the rows are locked until it commits."""

from datetime import datetime, timedelta

from django.conf import settings

from sanggar.notifications.constants import Channel

from .models import ChannelThrottle

WINDOW = timedelta(minutes=1)


def limit(channel: str) -> int:
    """Messages per minute allowed on a channel (0: no limit)."""
    value = {
        Channel.EMAIL: settings.REMINDERS_BROADCAST_EMAILS_PER_MINUTE,
        Channel.WHATSAPP: settings.REMINDERS_BROADCAST_WHATSAPP_PER_MINUTE,
        Channel.PUSH: settings.REMINDERS_BROADCAST_PUSH_PER_MINUTE,
    }.get(channel, 0)
    return max(int(value or 0), 0)


def window_start(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def _locked(channels, now: datetime) -> dict[str, ChannelThrottle]:
    """The throttle rows of the limited channels, locked, each in the current minute's window."""
    limited = sorted(c for c in set(channels) if limit(c))
    if not limited:
        return {}
    for channel in limited:
        ChannelThrottle.objects.get_or_create(channel=channel)
    rows = {t.channel: t for t in ChannelThrottle.objects.select_for_update().filter(channel__in=limited)}
    start = window_start(now)
    for row in rows.values():
        if row.window_start != start:
            row.window_start, row.used = start, 0
    return rows


def budget(channels, now: datetime, *, cap: int) -> tuple[int, dict[str, ChannelThrottle]]:
    """How many recipients the next batch may take (at most `cap`): the smallest remaining budget of the chosen
    channels this minute (a recipient gets at most one message per channel). Returns it with the locked rows,
    which `charge` updates once the batch is written."""
    rows = _locked(channels, now)
    remaining = [max(limit(c) - row.used, 0) for c, row in rows.items()]
    return min([cap, *remaining]), rows


def charge(rows: dict[str, ChannelThrottle], used: dict[str, int]) -> None:
    """Adds the messages a batch queued per channel to this minute's count."""
    for channel, row in rows.items():
        row.used += used.get(channel, 0)
        row.save(update_fields=["window_start", "used"])


def seconds_to_next_window(now: datetime) -> float:
    return (window_start(now) + WINDOW - now).total_seconds()
