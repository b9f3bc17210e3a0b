"""Login throttling keyed by account and address together, with a growing delay.

Failed password logins (web and API) are counted per (email, client address). The first
settings.LOGIN_FAILURES_BEFORE_DELAY failures cost nothing; after that each further attempt from that address for
that account must wait LOGIN_DELAY_BASE_SECONDS, doubling with every failure up to LOGIN_DELAY_MAX_SECONDS. A
stranger guessing from another address therefore never locks the member out: the member's own address has its own
count. A successful login clears the count of its address; a password reset clears every address's (a generation
number in the key). When an account collects LOGIN_FAILURE_NOTIFY_AFTER failures from any addresses, its owner is
told once per LOGIN_FAILURE_WINDOW_SECONDS (in-app notification, and email/WhatsApp per their preferences).
Counters live in Django's cache (Redis in production, shared by every worker)."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext as _

from sanggar.core.exceptions import RateLimited
from sanggar.notifications.services import notify

from .notifications import LOGIN_FAILURES

_PREFIX = "accounts:login:"


def _email_digest(email: str) -> str:
    return hashlib.sha256((email or "").strip().lower().encode()).hexdigest()[:32]


def _generation(digest: str) -> int:
    return cache.get(f"{_PREFIX}gen:{digest}") or 0


def _pair_key(email: str, ip: str | None) -> str:
    digest = _email_digest(email)
    return f"{_PREFIX}pair:{digest}:{_generation(digest)}:{ip or '-'}"


def delay_after(failures: int) -> int:
    """Seconds an address must wait after its `failures`-th failed login for one account."""
    free = settings.LOGIN_FAILURES_BEFORE_DELAY
    if failures < free:
        return 0
    return min(settings.LOGIN_DELAY_MAX_SECONDS, settings.LOGIN_DELAY_BASE_SECONDS * 2 ** (failures - free))


def login_throttle_check(*, email: str, ip: str | None) -> None:
    """Raises RateLimited (429 on the API, a message on the page) while this address must wait for this account."""
    if not email:
        return
    state = cache.get(_pair_key(email, ip))
    if not state:
        return
    wait = int(state["until"] - time.time()) + 1
    if wait > 1:
        raise RateLimited(
            _(
                "Terlalu banyak percobaan masuk yang gagal untuk akun ini dari alamat Anda. Coba lagi dalam "
                "%(seconds)s detik, atau atur ulang kata sandi."
            )
            % {"seconds": wait},
            retry_after=wait,
        )


def login_failure_record(*, email: str, ip: str | None, user=None) -> int:
    """Counts one failed login of `email` from `ip`; returns the delay it now costs (seconds). Notifies the owner
    (`user`, when the email belongs to one) of repeated failures."""
    if not email:
        return 0
    key = _pair_key(email, ip)
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    state = cache.get(key) or {"failures": 0, "until": 0}
    state["failures"] += 1
    delay = delay_after(state["failures"])
    state["until"] = time.time() + delay
    cache.set(key, state, timeout=window)
    if user is not None:
        _owner_count(user, email)
    return delay


def _owner_count(user, email: str) -> None:
    key = f"{_PREFIX}account:{_email_digest(email)}"
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        failures = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        failures = 1
    if failures < settings.LOGIN_FAILURE_NOTIFY_AFTER:
        return
    if not cache.add(f"{_PREFIX}notified:{user.pk}", 1, timeout=window):
        return  # told once per window
    notify(user=user, kind=LOGIN_FAILURES, link=reverse("account_reset_password"), context={"count": failures})


def login_success_record(*, email: str, ip: str | None) -> None:
    cache.delete(_pair_key(email, ip))


def login_throttle_reset(*, email: str) -> None:
    """After a password reset: every address starts again (a new generation makes the old keys unused)."""
    digest = _email_digest(email)
    gen_key = f"{_PREFIX}gen:{digest}"
    cache.set(gen_key, _generation(digest) + 1, timeout=None)
    cache.delete(f"{_PREFIX}account:{digest}")
