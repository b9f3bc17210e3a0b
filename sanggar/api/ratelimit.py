"""Fixed-window counters of failed attempts in Django's cache (Redis in production, so shared by every worker).

`settings.API_TOKEN_RATE_LIMIT` is "<attempts>/<seconds>": e.g. "10/300" refuses a client (per IP and per email)
after 10 failed attempts until 300 seconds have passed since the first of them."""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from .errors import RateLimited

_PREFIX = "api:ratelimit:login:"


@dataclass(frozen=True)
class Bucket:
    scope: str  # "ip" or "email"
    key: str


def limit(setting: str = "API_TOKEN_RATE_LIMIT") -> tuple[int, int]:
    """(attempts, seconds) from a "<attempts>/<seconds>" setting (settings.API_TOKEN_RATE_LIMIT by default)."""
    try:
        attempts, seconds = (int(part) for part in getattr(settings, setting).split("/", 1))
    except (TypeError, ValueError):
        raise ImproperlyConfigured(f'{setting} must look like "10/300" (attempts/seconds).') from None
    if attempts < 1 or seconds < 1:
        raise ImproperlyConfigured(f"{setting} needs at least 1 attempt and 1 second.")
    return attempts, seconds


def login_buckets(*, ip: str | None, email: str) -> list[Bucket]:
    buckets = []
    if ip:
        buckets.append(Bucket("ip", f"{_PREFIX}ip:{ip}"))
    if email:
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
        buckets.append(Bucket("email", f"{_PREFIX}email:{digest}"))
    return buckets


def check(buckets: list[Bucket], *, setting: str = "API_TOKEN_RATE_LIMIT", message: str = "") -> None:
    """Raises RateLimited when any bucket has reached the limit."""
    attempts, seconds = limit(setting)
    now = time.time()
    for bucket in buckets:
        if (cache.get(bucket.key) or 0) >= attempts:
            started = cache.get(bucket.key + ":start") or now
            wait = int(started + seconds - now) + 1
            minutes = max(1, (wait + 59) // 60)
            raise RateLimited(
                (message or _("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam %(minutes)s menit."))
                % {"minutes": minutes},
                retry_after=wait,
            )


def hit(buckets: list[Bucket], *, setting: str = "API_TOKEN_RATE_LIMIT") -> None:
    """Counts one failed attempt in each bucket."""
    _attempts, seconds = limit(setting)
    now = time.time()
    for bucket in buckets:
        if cache.add(bucket.key, 0, timeout=seconds):
            cache.set(bucket.key + ":start", now, timeout=seconds)
        try:
            cache.incr(bucket.key)
        except ValueError:  # expired between add and incr: start a new window
            cache.set(bucket.key, 1, timeout=seconds)
            cache.set(bucket.key + ":start", now, timeout=seconds)


def clear(buckets: list[Bucket]) -> None:
    cache.delete_many([key for b in buckets for key in (b.key, b.key + ":start")])


def register_guard(*, ip: str | None) -> None:
    """Counts one registration from `ip` and refuses it past settings.API_REGISTER_RATE_LIMIT (a script cannot
    create accounts in bulk through the API)."""
    if not ip:
        return
    buckets = [Bucket("ip", f"api:ratelimit:register:ip:{ip}")]
    check(
        buckets,
        setting="API_REGISTER_RATE_LIMIT",
        message=_("Terlalu banyak pendaftaran dari alamat ini. Coba lagi dalam %(minutes)s menit."),
    )
    hit(buckets, setting="API_REGISTER_RATE_LIMIT")
