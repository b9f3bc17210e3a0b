"""Fixed-window counters in Django's cache (Redis in production, so shared by every worker) for limits that count
every attempt, not only failed ones (order creation, unverified webhook deliveries).

A limit is a setting "<count>/<seconds>", e.g. ORDER_CREATE_RATE_LIMIT = "10/600": ten per ten minutes."""

import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured


def parse_limit(setting: str) -> tuple[int, int]:
    """(count, seconds) from a "<count>/<seconds>" setting."""
    try:
        count, seconds = (int(part) for part in getattr(settings, setting).split("/", 1))
    except (TypeError, ValueError):
        raise ImproperlyConfigured(f'{setting} must look like "10/600" (count/seconds).') from None
    if count < 1 or seconds < 1:
        raise ImproperlyConfigured(f"{setting} needs at least 1 and 1 second.")
    return count, seconds


def window_take(key: str, *, setting: str) -> int:
    """Counts one attempt under `key`; returns 0 when it is within the limit, else the seconds until the window
    ends (the attempt is then refused and still counted, so a flood does not reset the window)."""
    count, seconds = parse_limit(setting)
    now = time.time()
    full_key = f"ratelimit:{setting}:{key}"
    if cache.add(full_key, 0, timeout=seconds):
        cache.set(full_key + ":start", now, timeout=seconds)
    try:
        used = cache.incr(full_key)
    except ValueError:  # expired between add and incr: a new window
        cache.set(full_key, 1, timeout=seconds)
        cache.set(full_key + ":start", now, timeout=seconds)
        used = 1
    if used <= count:
        return 0
    started = cache.get(full_key + ":start") or now
    return max(1, int(started + seconds - now) + 1)
