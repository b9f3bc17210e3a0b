"""Members' personal API keys (D-DIR-3: quota-based API access for the member's own systems). A member creates a key
on their directory profile page or through the API; the secret is shown once and only its SHA-256 is kept; the key
reads the directory endpoints as that member (their masked contacts, their monthly quotas: opening a buyer with a
key uses the same quota as the app). Access is the quota kind "api" in the admins' quota table: 0 closes API access
for a plan (the Free default), otherwise it is the number of days a month the member's keys may be used (each day
the keys are used counts once). Each key is also rate-limited (DIRECTORY_API_KEY_RATE_LIMIT) and a member holds at
most DIRECTORY_API_KEYS_PER_USER active keys. Creating and revoking are audited."""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, NotFound, RateLimited, ServiceError
from sanggar.core.guard import has_refused_characters
from sanggar.core.ratelimit import window_take
from sanggar.core.roles import Role

from . import services as shared
from .constants import ACTION_API_KEY_CREATED, ACTION_API_KEY_REVOKED, KIND_API
from .models import MemberApiKey, QuotaUse

KEY_PREFIX = "sgm_"
TOUCH_INTERVAL = timedelta(minutes=1)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def member_keys(*, user):
    """The member's keys, newest first (revoked ones too, for their history)."""
    return MemberApiKey.objects.filter(user=user).order_by("-created_at", "-id")


def member_key_status(*, user, now: datetime | None = None) -> shared.QuotaStatus:
    """The member's API access this month ("2 dari 10 hari akses API bulan ini"; limit 0 = not in their plan)."""
    return shared.quota_status(user=user, kind=KIND_API, now=now)


def member_key_create(*, user, name: str) -> tuple[MemberApiKey, str]:
    """Returns the key and its secret (shown once). Refused when the member's plan has no API access or they hold
    the maximum of active keys."""
    if user is None or not user.is_authenticated:
        raise NotAllowed(_("Masuk terlebih dahulu."))
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        raise ServiceError(_("Nama kunci wajib diisi."), errors={"name": [_("Nama kunci wajib diisi.")]})
    if len(name) > 100 or has_refused_characters(name):
        raise ServiceError(_("Nama kunci tidak valid (maks. 100 karakter)."), errors={"name": [_("Tidak valid.")]})
    status = member_key_status(user=user)
    if status.locked:
        raise shared.QuotaExhausted(status)
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
        cap = settings.DIRECTORY_API_KEYS_PER_USER
        if MemberApiKey.objects.filter(user=user, revoked_at__isnull=True).count() >= cap:
            raise ServiceError(
                _("Paling banyak %(n)s kunci aktif. Cabut kunci lama dulu.") % {"n": cap}, code="too_many_keys"
            )
        for _attempt in range(3):
            prefix = secrets.token_hex(6)
            raw = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
            try:
                with transaction.atomic():
                    key = MemberApiKey.objects.create(user=user, name=name, prefix=prefix, key_hash=_hash(raw))
                break
            except IntegrityError:  # a prefix clash: astronomically unlikely, try another
                continue
        else:
            raise ServiceError(_("Kunci tidak bisa dibuat. Coba lagi."))
        activity_record(action=ACTION_API_KEY_CREATED, actor=user, target=key, target_label=str(key))
    return key, raw


def member_key_revoke(*, actor, key_id: int) -> MemberApiKey:
    """The member revokes their own key (admins any key); revoking twice changes nothing."""
    with transaction.atomic():
        key = MemberApiKey.objects.select_for_update().filter(pk=key_id).first()
        if key is None or (key.user_id != actor.pk and not actor.has_role(Role.ADMIN)):
            raise NotFound(_("Kunci tidak ditemukan."))
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at", "updated_at"])
            activity_record(
                action=ACTION_API_KEY_REVOKED, actor=actor, target=key, target_label=str(key),
                data={"owner": key.user_id},
            )  # fmt: skip
    return key


def member_key_authenticate(*, raw: str) -> MemberApiKey | None:
    """The active key of an active member matching `raw`, or None (the API-key guard calls this)."""
    if not isinstance(raw, str) or not raw.startswith(KEY_PREFIX) or len(raw) > 200:
        return None
    key = (
        MemberApiKey.objects.select_related("user")
        .filter(key_hash=_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if key is None:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > TOUCH_INTERVAL:
        MemberApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


def member_key_use(*, key: MemberApiKey, now: datetime | None = None) -> shared.QuotaStatus:
    """One request with a key: within the key's rate limit and the member's API access (a day of the month counts
    once; QuotaExhausted when the plan has no API access or the month's days are used up)."""
    wait = window_take(f"member-key:{key.pk}", setting="DIRECTORY_API_KEY_RATE_LIMIT")
    if wait:
        raise RateLimited(
            _("Terlalu banyak permintaan dengan kunci ini. Coba lagi dalam %(s)s detik.") % {"s": wait},
            retry_after=wait,
        )
    now = now or timezone.now()
    day = int(timezone.localdate(now).strftime("%Y%m%d"))
    if QuotaUse.objects.filter(user=key.user, kind=KIND_API, month=shared.month_of(now), object_id=day).exists():
        status = member_key_status(user=key.user, now=now)
        if status.locked:  # the plan lost API access since the day's first request
            raise shared.QuotaExhausted(status)
        return status
    try:
        return shared.directory_charge(user=key.user, kind=KIND_API, object_id=day, now=now)
    except IntegrityError:  # a parallel request charged today already
        return member_key_status(user=key.user, now=now)
