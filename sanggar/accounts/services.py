"""Business writes for users, roles, affiliate applications and API keys. Pages, the API and commands call these."""

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.audit.constants import Action
from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role, role_label
from sanggar.core.site import site_url
from sanggar.notifications.constants import Channel
from sanggar.notifications.registry import group_keys
from sanggar.notifications.services import notify, notify_users

from . import notifications as kinds
from .constants import API_KEY_PREFIX, PROVINCES, SOCIAL_LINK_MAX, SOCIAL_NETWORKS, AffiliateApplicationStatus
from .hooks import role_granted_run
from .models import AffiliateApplication, ApiKey, User, UserRole
from .selectors import users_with_role
from .validators import normalize_whatsapp

PROFILE_FIELDS = ("full_name", "whatsapp", "province", "city", "bio", "social_links")


def _host_ok(host: str, hosts: tuple[str, ...]) -> bool:
    return any(host == h or host.endswith("." + h) for h in hosts)


def social_links_clean(values) -> tuple[dict, dict[str, list[str]]]:
    """`{network: url}` → the links to keep (blank ones dropped) and errors keyed `social_links.<network>`. Each is
    an http(s) URL without credentials, at most SOCIAL_LINK_MAX characters, on the network's own hosts (any public
    host for "website"); unknown networks are refused."""
    errors: dict[str, list[str]] = {}
    if values is None:
        return {}, errors
    if not isinstance(values, dict):
        return {}, {"social_links": [_("Tautan media sosial harus berupa daftar jaringan → URL.")]}
    cleaned = {}
    for network, url in values.items():
        key = f"social_links.{network}"
        if network not in SOCIAL_NETWORKS:
            errors.setdefault("social_links", []).append(_("Jaringan tidak dikenal: %(n)s.") % {"n": str(network)[:30]})
            continue
        if url is None or (isinstance(url, str) and not url.strip()):
            continue
        if not isinstance(url, str):
            errors.setdefault(key, []).append(_("Isi dengan alamat URL."))
            continue
        url = url.strip()
        label, hosts = SOCIAL_NETWORKS[network]
        if "://" not in url:
            url = "https://" + url
        try:
            URLValidator(schemes=["http", "https"])(url)
            parts = urlsplit(url)
        except (ValidationError, ValueError):
            errors.setdefault(key, []).append(_("Alamat %(label)s tidak valid.") % {"label": label})
            continue
        host = (parts.hostname or "").lower()
        if len(url) > SOCIAL_LINK_MAX or "\x00" in url:
            errors.setdefault(key, []).append(_("Alamat paling banyak %(n)s karakter.") % {"n": SOCIAL_LINK_MAX})
        elif parts.username or parts.password:
            errors.setdefault(key, []).append(_("Alamat tidak boleh memuat nama pengguna atau sandi."))
        elif hosts and not _host_ok(host, hosts):
            errors.setdefault(key, []).append(
                _("Gunakan alamat %(label)s (%(hosts)s).") % {"label": label, "hosts": ", ".join(hosts)}
            )
        else:
            cleaned[network] = url
    return {n: cleaned[n] for n in SOCIAL_NETWORKS if n in cleaned}, errors


def _clean_profile(values: dict) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for field, value in values.items():
        if field not in PROFILE_FIELDS:
            continue
        if field == "social_links":
            cleaned[field], link_errors = social_links_clean(value)
            errors.update(link_errors)
            continue
        value = (value or "").strip() if isinstance(value, str) or value is None else value
        if field == "full_name":
            if not value:
                errors.setdefault(field, []).append(_("Nama lengkap wajib diisi."))
            elif len(value) > 150:
                errors.setdefault(field, []).append(_("Nama lengkap paling banyak 150 karakter."))
        elif field == "whatsapp" and value:
            try:
                value = normalize_whatsapp(value)
            except ValidationError as exc:
                errors.setdefault(field, []).extend(exc.messages)
        elif field == "province" and value and value not in PROVINCES:
            errors.setdefault(field, []).append(_("Pilih provinsi dari daftar."))
        elif field == "city" and len(value) > 100:
            errors.setdefault(field, []).append(_("Nama kota paling banyak 100 karakter."))
        elif field == "bio" and len(value) > 1000:
            errors.setdefault(field, []).append(_("Bio paling banyak 1000 karakter."))
        cleaned[field] = value
    if errors:
        raise ServiceError(_("Periksa kembali data profil."), errors=errors)
    return cleaned


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _dashboard_link() -> str:
    return site_url() + reverse("dashboard:home")


@transaction.atomic
def user_register(*, email: str, full_name: str, whatsapp: str, password: str, send_welcome: bool = True) -> User:
    """Creates a Member account. Used by the API; the web signup goes through allauth, which calls
    `user_setup_new` after saving the user."""
    email = (email or "").strip().lower()
    errors: dict[str, list[str]] = {}
    if not email:
        errors["email"] = [_("Email wajib diisi.")]
    elif not _is_email(email):
        errors["email"] = [_("Format email tidak valid, contoh: nama@gmail.com.")]
    elif User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("Email ini sudah terdaftar. Silakan masuk.")]
    try:
        cleaned = _clean_profile({"full_name": full_name, "whatsapp": whatsapp})
    except ServiceError as exc:
        errors.update(exc.errors)
        cleaned = {}
    if not (whatsapp or "").strip():
        errors.setdefault("whatsapp", []).append(_("Nomor WhatsApp wajib diisi."))
    if password:
        try:
            validate_password(password, User(email=email, full_name=full_name or ""))
        except ValidationError as exc:
            errors["password"] = exc.messages
    else:
        errors["password"] = [_("Kata sandi wajib diisi.")]
    if errors:
        raise ServiceError(_("Pendaftaran belum bisa diproses."), errors=errors)
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password, **cleaned)
    except IntegrityError:
        raise ServiceError(
            _("Pendaftaran belum bisa diproses."), errors={"email": [_("Email ini sudah terdaftar. Silakan masuk.")]}
        ) from None
    user_setup_new(user=user, send_welcome=send_welcome)
    return user


@transaction.atomic
def user_setup_new(*, user: User, send_welcome: bool = True) -> User:
    """Everything a new account gets: the Member role, an audit row and the welcome message."""
    UserRole.objects.get_or_create(user=user, role=Role.MEMBER)
    user.__dict__.pop("role_set", None)
    role_granted_run(role=Role.MEMBER, user=user)  # e.g. booster: a lead who registers is bound to the affiliate
    activity_record(action=Action.USER_REGISTERED, actor=user, target=user)
    if send_welcome:
        notify(
            user=user,
            kind=kinds.WELCOME,
            link=reverse("dashboard:home"),
            context={"dashboard_link": _dashboard_link()},
        )
    return user


@transaction.atomic
def user_update_profile(*, user: User, actor: User, **values) -> User:
    cleaned = _clean_profile(values)
    avatar = values.get("avatar")
    changed = [f for f, v in cleaned.items() if getattr(user, f) != v]
    for field, value in cleaned.items():
        setattr(user, field, value)
    update_fields = list(cleaned)
    if avatar is not None:
        user.avatar = avatar
        update_fields.append("avatar")
        changed.append("avatar")
    if values.get("remove_avatar") and user.avatar:
        user.avatar = ""
        update_fields.append("avatar")
        changed.append("avatar")
    if update_fields:
        user.save(update_fields=update_fields)
    if changed and actor.pk != user.pk:
        activity_record(action=Action.USER_UPDATED, actor=actor, target=user, data={"fields": sorted(set(changed))})
    return user


def user_set_notification_prefs(*, user: User, prefs: dict) -> User:
    """`prefs` maps kind → {channel: bool}; unknown kinds and channels are refused."""
    valid_kinds = set(group_keys())
    valid_channels = set(Channel.values)
    new = dict(user.notification_prefs or {})
    for kind, channels in prefs.items():
        if kind not in valid_kinds or not isinstance(channels, dict):
            raise ServiceError(_("Jenis notifikasi tidak dikenal: %(kind)s") % {"kind": kind})
        for channel, enabled in channels.items():
            if channel not in valid_channels:
                raise ServiceError(_("Kanal notifikasi tidak dikenal: %(channel)s") % {"channel": channel})
            new.setdefault(kind, {})[channel] = bool(enabled)
    user.notification_prefs = new
    user.save(update_fields=["notification_prefs"])
    return user


def _admin_count() -> int:
    return UserRole.objects.filter(role=Role.ADMIN, user__is_active=True).count()


def _lock_admin_roles() -> None:
    """Serialises every change that can remove an active admin: two admins revoking or deactivating each other
    at the same moment must not both pass the "last admin" check. Count with `_admin_count()` after this call:
    that new statement sees whatever the transaction we waited for committed."""
    list(UserRole.objects.select_for_update().filter(role=Role.ADMIN).order_by("pk").values_list("pk", flat=True))


@transaction.atomic
def role_grant(*, user: User, role: str, actor: User) -> UserRole:
    if role not in Role.values:
        raise ServiceError(_("Role tidak dikenal."))
    obj, created = UserRole.objects.get_or_create(user=user, role=role, defaults={"granted_by": actor})
    user.__dict__.pop("role_set", None)
    role_granted_run(role=role, user=user)
    if created:
        activity_record(action=Action.ROLE_GRANTED, actor=actor, target=user, data={"role": role})
        notify(user=user, kind=kinds.ROLE_GRANTED, link=reverse("dashboard:home"), context={"role": role_label(role)})
    return obj


@transaction.atomic
def role_revoke(*, user: User, role: str, actor: User) -> None:
    if role not in Role.values:
        raise ServiceError(_("Role tidak dikenal."))
    if role == Role.MEMBER:
        raise ServiceError(_("Role Member dimiliki setiap pengguna terdaftar dan tidak bisa dicabut."))
    if role == Role.ADMIN:
        if user.pk == actor.pk:
            raise NotAllowed(_("Anda tidak bisa mencabut role Admin dari akun Anda sendiri."))
        _lock_admin_roles()
        if UserRole.objects.filter(user=user, role=Role.ADMIN).exists() and user.is_active and _admin_count() <= 1:
            raise ServiceError(_("Tidak bisa mencabut role Admin dari admin terakhir."))
    deleted, _rows = UserRole.objects.filter(user=user, role=role).delete()
    user.__dict__.pop("role_set", None)
    if deleted:
        activity_record(action=Action.ROLE_REVOKED, actor=actor, target=user, data={"role": role})


@transaction.atomic
def user_deactivate(*, user: User, actor: User, reason: str = "") -> User:
    if user.pk == actor.pk:
        raise NotAllowed(_("Anda tidak bisa menonaktifkan akun Anda sendiri."))
    reason = (reason or "").strip()[:500]
    is_admin = UserRole.objects.filter(user_id=user.pk, role=Role.ADMIN).exists()
    if is_admin:
        # Admin rows first, then the user row: the same lock order as role_revoke, so no deadlock.
        _lock_admin_roles()
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        return user
    if is_admin and _admin_count() <= 1:
        raise ServiceError(_("Tidak bisa menonaktifkan admin terakhir."))
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.save(update_fields=["is_active", "deactivated_at"])
    activity_record(action=Action.USER_DEACTIVATED, actor=actor, target=user, data={"reason": reason})
    notify(user=user, kind=kinds.ACCOUNT_DEACTIVATED, context={"reason": reason or "-"}, channels=(Channel.EMAIL,))
    return user


@transaction.atomic
def user_reactivate(*, user: User, actor: User) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        return user
    user.is_active = True
    user.deactivated_at = None
    user.save(update_fields=["is_active", "deactivated_at"])
    activity_record(action=Action.USER_REACTIVATED, actor=actor, target=user)
    return user


@transaction.atomic
def affiliate_apply(*, user: User, motivation: str, channels: str = "") -> AffiliateApplication:
    motivation = (motivation or "").strip()
    if user.has_role(Role.AFFILIATE):
        raise ServiceError(_("Anda sudah menjadi affiliate."))
    if len(motivation) < 20:
        raise ServiceError(
            _("Ceritakan alasan Anda minimal 20 karakter."), errors={"motivation": [_("Minimal 20 karakter.")]}
        )
    # Lock the user row so two submissions at once cannot both pass the "no pending application" check.
    User.objects.select_for_update().get(pk=user.pk)
    if AffiliateApplication.objects.filter(user=user, status=AffiliateApplicationStatus.PENDING).exists():
        raise ServiceError(_("Pengajuan Anda sebelumnya masih menunggu persetujuan admin."))
    application = AffiliateApplication.objects.create(
        user=user, motivation=motivation[:2000], channels=(channels or "").strip()[:500]
    )
    activity_record(action=Action.AFFILIATE_APPLIED, actor=user, target=user, data={"application": application.pk})
    notify_users(
        users=list(users_with_role(role=Role.ADMIN)),
        kind=kinds.AFFILIATE_APPLIED,
        link=reverse("accounts:admin_affiliate_applications"),
        context={"applicant": user.full_name},
    )
    return application


@transaction.atomic
def affiliate_application_decide(
    *, application: AffiliateApplication, actor: User, approve: bool, note: str = ""
) -> AffiliateApplication:
    application = AffiliateApplication.objects.select_for_update().select_related("user").get(pk=application.pk)
    if application.status != AffiliateApplicationStatus.PENDING:
        raise ServiceError(_("Pengajuan ini sudah diputuskan sebelumnya."))
    note = (note or "").strip()
    if not approve and not note:
        raise ServiceError(
            _("Tuliskan alasan penolakan agar pemohon tahu apa yang perlu diperbaiki."),
            errors={"note": [_("Alasan penolakan wajib diisi.")]},
        )
    application.status = AffiliateApplicationStatus.APPROVED if approve else AffiliateApplicationStatus.REJECTED
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.decision_note = note[:2000]
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    user = application.user
    if approve:
        _role, created = UserRole.objects.get_or_create(user=user, role=Role.AFFILIATE, defaults={"granted_by": actor})
        user.__dict__.pop("role_set", None)
        role_granted_run(role=Role.AFFILIATE, user=user)
        activity_record(action=Action.AFFILIATE_APPROVED, actor=actor, target=user, data={"note": note})
        if created:
            activity_record(action=Action.ROLE_GRANTED, actor=actor, target=user, data={"role": Role.AFFILIATE})
    else:
        activity_record(action=Action.AFFILIATE_REJECTED, actor=actor, target=user, data={"note": note})
    if approve:
        kind = kinds.AFFILIATE_APPROVED_NOTE if note else kinds.AFFILIATE_APPROVED
    else:
        kind = kinds.AFFILIATE_REJECTED
    notify(user=user, kind=kind, link=reverse("accounts:profile_affiliate"), context={"note": note})
    return application


# --- API keys -----------------------------------------------------------------------------------------

API_KEY_TOUCH_INTERVAL = timedelta(minutes=1)


def _hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_key_create(*, name: str, actor: User) -> tuple[ApiKey, str]:
    """Returns the key and its secret. The secret is shown once; only its SHA-256 is stored."""
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Nama aplikasi wajib diisi."), errors={"name": [_("Nama aplikasi wajib diisi.")]})
    if len(name) > 100:
        raise ServiceError(_("Nama aplikasi paling banyak 100 karakter."), errors={"name": [_("Terlalu panjang.")]})
    # 12 hex characters: a clash is astronomically unlikely, and the unique constraint still guards it.
    prefix = secrets.token_hex(6)
    while ApiKey.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(6)
    raw = f"{API_KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(name=name, prefix=prefix, key_hash=_hash_key(raw), created_by=actor)
    activity_record(action=Action.API_KEY_CREATED, actor=actor, target=key, target_label=str(key))
    return key, raw


@transaction.atomic
def api_key_revoke(*, key: ApiKey, actor: User) -> ApiKey:
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at:
        return key
    key.revoked_at = timezone.now()
    key.revoked_by = actor
    key.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    activity_record(action=Action.API_KEY_REVOKED, actor=actor, target=key, target_label=str(key))
    return key


def api_key_authenticate(*, raw: str) -> ApiKey | None:
    """The active key matching `raw`, or None. Records when it was last used (at most once a minute)."""
    if not raw or not raw.startswith(API_KEY_PREFIX):
        return None
    key = ApiKey.objects.filter(key_hash=_hash_key(raw), revoked_at__isnull=True).first()
    if key is None:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > API_KEY_TOUCH_INTERVAL:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key
