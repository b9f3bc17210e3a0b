"""Shared helpers of the affiliate services: settings in force, code and IP normalisation, the referral cookie."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from ..constants import ATTRIBUTION_WINDOW_MAX, AffiliateStatus, AttributionModel, ReferralSource
from ..models import AffiliateProfile, AttributionSettings

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,39}$")
REF_COOKIE = "sanggar_ref"
REF_COOKIE_SALT = "sanggar.affiliates.ref"
CLICK_TOKEN_SALT = "sanggar.affiliates.click"
IP_HASH_SALT = "sanggar.affiliates.ip"
# Cookie source letters: a click on a referral link or through a short link.
_SOURCE_LETTERS = {ReferralSource.LINK: "l", ReferralSource.SHORT_LINK: "s"}
_LETTER_SOURCES = {v: k for k, v in _SOURCE_LETTERS.items()}


ATTRIBUTION_FIELDS = ("attribution_window_days", "attribution_model")


ATTRIBUTION_CACHE_KEY = "affiliates:attribution-settings"


def attribution_settings_current() -> AttributionSettings:
    """The attribution settings in force (the newest row); the defaults are written as the first row when there is
    none. Read on every order and referral click: cached like finance's revenue settings (same lifetime,
    REVENUE_SETTINGS_CACHE_SECONDS) and forgotten whenever a version is saved (`attribution_settings_cache_clear`)."""
    cached = cache.get(ATTRIBUTION_CACHE_KEY)
    if isinstance(cached, AttributionSettings):
        return cached
    current = AttributionSettings.objects.order_by("-created_at", "-id").first()
    if current is None:
        # Not cached: the transaction writing the defaults may still roll back.
        return AttributionSettings.objects.create()
    cache.set(ATTRIBUTION_CACHE_KEY, current, settings.REVENUE_SETTINGS_CACHE_SECONDS)
    return current


def attribution_settings_cache_clear(**_signal) -> None:
    """Forgets the cached settings now and when the writing transaction commits."""
    cache.delete(ATTRIBUTION_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(ATTRIBUTION_CACHE_KEY))


def attribution_settings_validate(values: dict) -> tuple[dict, dict]:
    """(clean values, errors by field) of attribution settings typed by an admin."""
    clean: dict = {}
    errors: dict[str, list[str]] = {}
    if "attribution_model" in values:
        if values["attribution_model"] not in AttributionModel.values:
            errors["attribution_model"] = [_("Pilih klik terakhir atau klik pertama.")]
        else:
            clean["attribution_model"] = values["attribution_model"]
    if "attribution_window_days" in values:
        raw = values["attribution_window_days"]
        try:
            if isinstance(raw, bool):
                raise ValueError
            days = int(raw)
        except (TypeError, ValueError):
            errors["attribution_window_days"] = [_("Isi dengan bilangan bulat.")]
        else:
            if not 1 <= days <= ATTRIBUTION_WINDOW_MAX:
                errors["attribution_window_days"] = [
                    _("Jendela atribusi harus antara 1 dan %(max)s hari.") % {"max": ATTRIBUTION_WINDOW_MAX}
                ]
            else:
                clean["attribution_window_days"] = days
    return clean, errors


def attribution_settings_save(*, actor, values: dict) -> AttributionSettings:
    """Writes a new version with `values` (already validated) when they change anything; returns the version in
    force. Finance's revenue settings page calls this (and writes the one activity row of the change)."""
    current = attribution_settings_current()
    merged = {field: values.get(field, getattr(current, field)) for field in ATTRIBUTION_FIELDS}
    if all(merged[field] == getattr(current, field) for field in ATTRIBUTION_FIELDS):
        return current
    return AttributionSettings.objects.create(created_by=actor, **merged)


def attribution_window() -> timedelta:
    return timedelta(days=attribution_settings_current().attribution_window_days)


def code_clean(raw) -> str:
    """An affiliate code as stored (upper case, trimmed), or "" when the text cannot be a code."""
    code = str(raw or "").strip().upper()
    return code if CODE_RE.match(code) else ""


def profile_active_by_code(code: str) -> AffiliateProfile | None:
    code = code_clean(code)
    if not code:
        return None
    return (
        AffiliateProfile.objects.select_related("user")
        .filter(code=code, status=AffiliateStatus.ACTIVE, user__is_active=True)
        .first()
    )


def ip_hash(ip: str | None) -> str:
    """A keyed hash of an IP address (the address itself is never stored by this app); "" for no address."""
    ip = (ip or "").strip()
    if not ip:
        return ""
    return salted_hmac(IP_HASH_SALT, ip, algorithm="sha256").hexdigest()


def email_normalized(email: str) -> str:
    """Mailbox identity: lower case, `+tag` dropped, dots ignored for Gmail (so dinda.s+1@gmail.com = dindas@…)."""
    local, _sep, domain = (email or "").strip().lower().partition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def is_self_referral(profile: AffiliateProfile, user) -> bool:
    """The buyer is the affiliate: the same account, or the same mailbox under another address."""
    if user is None or not getattr(user, "pk", None):
        return False
    if profile.user_id == user.pk:
        return True
    return email_normalized(profile.user.email) == email_normalized(user.email)


# --- the referral cookie ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CookieReferral:
    code: str
    clicked_at: datetime
    source: str  # ReferralSource.LINK | SHORT_LINK


def referral_cookie_value(*, code: str, clicked_at: datetime, source: str = ReferralSource.LINK) -> str:
    letter = _SOURCE_LETTERS.get(source, "l")
    return signing.Signer(salt=REF_COOKIE_SALT).sign(f"{code}.{int(clicked_at.timestamp())}.{letter}")


def referral_cookie_parse(value: str | None, *, now: datetime | None = None) -> CookieReferral | None:
    """The referral in a signed cookie value, or None when it is missing, forged, malformed or outside the window."""
    if not value:
        return None
    try:
        raw = signing.Signer(salt=REF_COOKIE_SALT).unsign(value)
        code, ts, letter = raw.split(".")
        clicked_at = datetime.fromtimestamp(int(ts), tz=UTC)
    except (signing.BadSignature, ValueError, OverflowError, OSError):
        return None
    code = code_clean(code)
    now = now or timezone.now()
    if not code or clicked_at > now + timedelta(minutes=5) or clicked_at + attribution_window() <= now:
        return None
    return CookieReferral(code=code, clicked_at=clicked_at, source=_LETTER_SOURCES.get(letter, ReferralSource.LINK))


def click_token(click_id: int) -> str:
    """Signed click id the short-link resolver adds to its redirect, so the landing page does not count it again."""
    return signing.Signer(salt=CLICK_TOKEN_SALT).sign(str(click_id))


def click_token_valid(token: str | None) -> bool:
    if not token:
        return False
    try:
        signing.Signer(salt=CLICK_TOKEN_SALT).unsign(token)
    except signing.BadSignature:
        return False
    return True
