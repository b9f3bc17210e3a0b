"""The pace of outgoing messages, shared by every worker through the locked `ChannelThrottle` rows (one per key,
counting the messages of the current clock minute; the window is the clock minute, so the beat sweeps that run every
minute find a fresh budget). Two kinds of key:

- a channel (`email`, `whatsapp`, `push`): the broadcast sender's pace, `REMINDERS_BROADCAST_<CHANNEL>_PER_MINUTE`;
- a channel and its provider (`whatsapp:fonnte`, `whatsapp:starsender`, `push:onesignal`): the provider's rate,
  `REMINDERS_<PROVIDER>_PER_MINUTE`, shared by broadcasts and the reminder sweep (§5.5: respect the provider's
  rate limits). The log provider (nothing configured) has no limit.

0 means no limit. `budget` / `charge` run inside the broadcast batch's transaction (the rows stay locked until it
commits); `reserve` / `refund` are the reminder sweep's: a short transaction of their own per batch."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F

from sanggar.notifications.channels import get_channel
from sanggar.notifications.constants import Channel

from .models import ChannelThrottle

WINDOW = timedelta(minutes=1)
# The channels whose provider has a rate limit, and the setting of each provider's messages per minute.
PACED_CHANNELS = (Channel.WHATSAPP, Channel.PUSH)
PROVIDER_LIMITS = {
    "fonnte": "REMINDERS_FONNTE_PER_MINUTE",
    "starsender": "REMINDERS_STARSENDER_PER_MINUTE",
    "onesignal": "REMINDERS_ONESIGNAL_PER_MINUTE",
}


def provider_name(channel: str) -> str:
    """The provider that sends `channel` now (as the deliveries will pick it: the first configured one)."""
    return get_channel(channel).provider().name


def provider_key(channel: str) -> str:
    """`whatsapp:fonnte`: the throttle key of a channel's provider ("" when the channel or provider is not paced)."""
    if channel not in PACED_CHANNELS:
        return ""
    name = provider_name(channel)
    return f"{channel}:{name}" if name in PROVIDER_LIMITS else ""


def limit(key: str) -> int:
    """Messages per minute allowed on a key (0: no limit)."""
    if ":" in key:
        setting = PROVIDER_LIMITS.get(key.split(":", 1)[1])
        value = getattr(settings, setting, 0) if setting else 0
    else:
        value = {
            Channel.EMAIL: settings.REMINDERS_BROADCAST_EMAILS_PER_MINUTE,
            Channel.WHATSAPP: settings.REMINDERS_BROADCAST_WHATSAPP_PER_MINUTE,
            Channel.PUSH: settings.REMINDERS_BROADCAST_PUSH_PER_MINUTE,
        }.get(key, 0)
    return max(int(value or 0), 0)


def window_start(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def _locked(keys, now: datetime) -> dict[str, ChannelThrottle]:
    """The throttle rows of the limited keys, locked, each in the current minute's window."""
    limited = sorted(k for k in set(keys) if k and limit(k))
    if not limited:
        return {}
    for key in limited:
        ChannelThrottle.objects.get_or_create(channel=key)
    rows = {t.channel: t for t in ChannelThrottle.objects.select_for_update().filter(channel__in=limited)}
    start = window_start(now)
    for row in rows.values():
        if row.window_start != start:
            row.window_start, row.used = start, 0
    return rows


def broadcast_keys(channels) -> list[str]:
    """A broadcast's keys: each chosen channel's own pace and its provider's rate."""
    return [key for channel in channels for key in (channel, provider_key(channel)) if key]


def budget(channels, now: datetime, *, cap: int) -> tuple[int, dict[str, ChannelThrottle]]:
    """How many recipients the next broadcast batch may take (at most `cap`): the smallest remaining budget this
    minute of the chosen channels and their providers (a recipient gets at most one message per channel). Returns
    it with the locked rows, which `charge` updates once the batch is written."""
    rows = _locked(broadcast_keys(channels), now)
    remaining = [max(limit(k) - row.used, 0) for k, row in rows.items()]
    return min([cap, *remaining]), rows


def charge(rows: dict[str, ChannelThrottle], used: dict[str, int]) -> None:
    """Adds the messages a batch queued per channel (`used`) to this minute's count of each key of that channel."""
    for key, row in rows.items():
        row.used += used.get(key.split(":", 1)[0], 0)
        row.save(update_fields=["window_start", "used"])


def reserve(wanted: dict[str, int], now: datetime) -> dict[str, int | None]:
    """The reminder sweep takes, per channel, up to `wanted` messages of its provider's budget this minute (locked
    and counted at once, so two sweeps on two workers together stay under the rate). Returns per channel how many
    it got (None: that channel or its provider has no limit). What a batch does not use goes back (`refund`)."""
    keys = {channel: provider_key(channel) for channel, n in wanted.items() if n}
    limited = {channel: key for channel, key in keys.items() if key and limit(key)}
    granted: dict[str, int | None] = {channel: None for channel in wanted if channel not in limited}
    if not limited:
        return granted
    with transaction.atomic():
        rows = _locked(limited.values(), now)
        for channel, key in limited.items():
            row = rows[key]
            got = min(wanted[channel], max(limit(key) - row.used, 0))
            row.used += got
            granted[channel] = got
        for row in rows.values():
            row.save(update_fields=["window_start", "used"])
    return granted


def refund(unused: dict[str, int], now: datetime) -> None:
    """Gives back what a batch reserved and did not send (a member skipped, sent by the other sweep)."""
    for channel, n in unused.items():
        key = provider_key(channel) if n > 0 else ""
        if key and limit(key):
            ChannelThrottle.objects.filter(channel=key, window_start=window_start(now), used__gte=n).update(
                used=F("used") - n
            )


def seconds_to_next_window(now: datetime) -> float:
    return (window_start(now) + WINDOW - now).total_seconds()
