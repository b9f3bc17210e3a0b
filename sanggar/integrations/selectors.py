"""Effective configuration of the outside services, read by the code that calls them.

Precedence for every value: an environment variable that is set (non-empty) wins; else the value the admin stored
(decrypted); else the Django setting (its default, or a test's override). The stored rows are cached as one snapshot
(secrets stay encrypted in the cache) and the cache is cleared after every committed change."""

import os
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils import timezone

from .constants import PENDING_HOURS_LIMIT, SNAPSHOT_CACHE_KEY, UNIQUE_CODE_LIMIT, Mode
from .crypto import UnreadableSecrets, decrypt_values, mask
from .models import SINGLETON_ID, BankAccount, Integration, IntegrationStatus, PaymentOptions
from .registry import IntegrationDef, integration_for_setting, integration_get, integrations_all

SNAPSHOT_TIMEOUT = 300


@dataclass(frozen=True)
class BankAccountData:
    id: int
    bank_name: str
    account_number: str
    account_holder: str
    logo_url: str


def env_set(name: str) -> bool:
    return bool(name and os.environ.get(name))


def _build_integrations() -> dict:
    return {
        row.key: {"enabled": row.enabled, "mode": row.mode, "token": row.values_encrypted}
        for row in Integration.objects.all()
    }


def _build_options() -> dict:
    row = PaymentOptions.objects.filter(pk=SINGLETON_ID).values("unique_code_min", "unique_code_max", "pending_hours")
    return dict(row[0]) if row else {}


def _build_banks() -> list:
    return [
        {
            "id": bank.pk,
            "bank_name": bank.bank_name,
            "account_number": bank.account_number,
            "account_holder": bank.account_holder,
            "logo_url": bank.logo.url if bank.logo else "",
        }
        for bank in BankAccount.objects.filter(is_active=True).order_by("sort_order", "id")
    ]


_PARTS = {"integrations": _build_integrations, "options": _build_options, "banks": _build_banks}


class _Snapshot:
    """The stored rows, each part read (one query) and cached only when asked for."""

    def __getitem__(self, part: str):
        key = f"{SNAPSHOT_CACHE_KEY}:{part}"
        data = cache.get(key)
        if data is None:
            data = _PARTS[part]()
            cache.set(key, data, SNAPSHOT_TIMEOUT)
        return data


def snapshot() -> _Snapshot:
    return _Snapshot()


def snapshot_clear() -> None:
    keys = [f"{SNAPSHOT_CACHE_KEY}:{part}" for part in _PARTS]
    transaction.on_commit(lambda: cache.delete_many(keys))
    cache.delete_many(keys)


def _stored(key: str) -> dict:
    return snapshot()["integrations"].get(key) or {}


def stored_values(key: str) -> dict[str, str]:
    """The admin's stored values of one integration, decrypted ({} when none or unreadable)."""
    try:
        return decrypt_values(_stored(key).get("token", ""))
    except UnreadableSecrets:
        return {}


def stored_unreadable(key: str) -> bool:
    try:
        decrypt_values(_stored(key).get("token", ""))
    except UnreadableSecrets:
        return True
    return False


def setting_value(name: str) -> str:
    """The effective value of a credential or option named like its setting (e.g. "XENDIT_SECRET_KEY")."""
    if env_set(name):
        return str(getattr(settings, name, "") or os.environ.get(name, ""))
    definition = integration_for_setting(name)
    if definition is not None:
        value = stored_values(definition.key).get(name, "")
        if value:
            return value
    return str(getattr(settings, name, "") or "")


def value_source(name: str) -> str:
    """Where the effective value comes from: "env", "stored", "settings" or "" (none)."""
    if env_set(name):
        return "env"
    definition = integration_for_setting(name)
    if definition is not None and stored_values(definition.key).get(name):
        return "stored"
    return "settings" if getattr(settings, name, "") else ""


def integration_enabled(key: str) -> bool:
    """The on/off switch (not whether it is configured)."""
    definition = integration_get(key)
    if definition is None:
        return False
    if definition.switch_env and env_set(definition.switch_env):
        return bool(definition.switch_default())
    stored = _stored(key).get("enabled")
    if stored is not None:
        return bool(stored)
    return bool(definition.switch_default())


def switch_from_env(definition: IntegrationDef) -> bool:
    return bool(definition.switch_env and env_set(definition.switch_env))


def integration_mode(key: str) -> str:
    definition = integration_get(key)
    if definition is not None and definition.mode_env and env_set(definition.mode_env) and definition.mode_from_env:
        return definition.mode_from_env()
    return _stored(key).get("mode") or Mode.SANDBOX


def mode_from_env(definition: IntegrationDef) -> bool:
    return bool(definition.mode_env and env_set(definition.mode_env))


def integration_configured(key: str) -> bool:
    definition = integration_get(key)
    if definition is None:
        return False
    if definition.always_configured:
        return True
    required = [f.setting for f in definition.fields if f.required]
    if not all(setting_value(name) for name in required):
        return False
    if definition.required_any:
        return any(setting_value(name) for name in definition.required_any)
    return True


# --- payment options -----------------------------------------------------------------------------------------------


def _option(name: str) -> int | None:
    value = snapshot()["options"].get(name)
    return int(value) if value is not None else None


def pending_hours() -> int:
    """How long a pending order may wait for its payment (ORDER_PENDING_HOURS when set in the environment)."""
    if env_set("ORDER_PENDING_HOURS"):
        return int(settings.ORDER_PENDING_HOURS)
    stored = _option("pending_hours")
    if stored:
        return max(1, min(stored, PENDING_HOURS_LIMIT))
    return int(settings.ORDER_PENDING_HOURS)


def unique_code_range() -> tuple[int, int]:
    """The range of the manual-transfer unique code (MANUAL_UNIQUE_CODE_MIN/MAX when set in the environment)."""
    low = int(getattr(settings, "MANUAL_UNIQUE_CODE_MIN", 1))
    high = int(getattr(settings, "MANUAL_UNIQUE_CODE_MAX", UNIQUE_CODE_LIMIT))
    if not env_set("MANUAL_UNIQUE_CODE_MIN"):
        low = _option("unique_code_min") or low
    if not env_set("MANUAL_UNIQUE_CODE_MAX"):
        high = _option("unique_code_max") or high
    low = max(1, min(low, UNIQUE_CODE_LIMIT))
    high = max(low, min(high, UNIQUE_CODE_LIMIT))
    return low, high


def bank_accounts_active() -> list[BankAccountData]:
    """The accounts buyers may transfer to, in order; without any, the one from the settings (MANUAL_BANK_*)."""
    banks = [BankAccountData(**row) for row in snapshot()["banks"]]
    if banks:
        return banks
    if settings.MANUAL_BANK_ACCOUNT_NUMBER:
        return [
            BankAccountData(
                id=0,
                bank_name=settings.MANUAL_BANK_NAME,
                account_number=settings.MANUAL_BANK_ACCOUNT_NUMBER,
                account_holder=settings.MANUAL_BANK_ACCOUNT_HOLDER,
                logo_url="",
            )
        ]
    return []


def bank_accounts_all():
    return BankAccount.objects.order_by("sort_order", "id")


def payment_options_row() -> PaymentOptions:
    return PaymentOptions.objects.filter(pk=SINGLETON_ID).first() or PaymentOptions(pk=SINGLETON_ID)


# --- status --------------------------------------------------------------------------------------------------------


STATUS_CACHE_KEY = "integrations:status:{key}"
STATUS_CACHE_SECONDS = 7 * 24 * 3600


def status_record(key: str, *, ok: bool, detail: str = "", at: datetime | None = None) -> None:
    """Records one call out to a service. Never raises: the caller's work matters more. The cache keeps it at once
    (a failure inside a transaction that is then rolled back is not lost); the row is written now, or after the
    caller's transaction commits."""
    at = at or timezone.now()
    key = key[:40]
    detail = (detail or "").replace("\x00", "")[:300]
    cache_key = STATUS_CACHE_KEY.format(key=key)
    cached = cache.get(cache_key) or {}
    if ok:
        cached["last_success_at"] = at
    else:
        cached["last_error_at"], cached["last_error"] = at, detail
    cache.set(cache_key, cached, STATUS_CACHE_SECONDS)

    def write():
        row = IntegrationStatus(key=key)
        if ok:
            row.last_success_at, fields = at, ["last_success_at"]
        else:
            row.last_error_at, row.last_error, fields = at, detail, ["last_error_at", "last_error"]
        try:
            with transaction.atomic():
                IntegrationStatus.objects.bulk_create(
                    [row], update_conflicts=True, unique_fields=["key"], update_fields=fields
                )
        except DatabaseError:
            pass

    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(write)
    else:
        write()


def statuses() -> dict[str, IntegrationStatus]:
    """The last status of every integration (one query), newer calls kept in the cache laid over the rows."""
    rows = {row.key: row for row in IntegrationStatus.objects.all()}
    for definition in integrations_all():
        cached = cache.get(STATUS_CACHE_KEY.format(key=definition.key))
        if not cached:
            continue
        row = rows.setdefault(definition.key, IntegrationStatus(key=definition.key))
        for stamp, extra in (("last_success_at", None), ("last_error_at", "last_error")):
            value = cached.get(stamp)
            if value and (getattr(row, stamp) is None or value > getattr(row, stamp)):
                setattr(row, stamp, value)
                if extra:
                    setattr(row, extra, cached.get(extra, ""))
    return rows


# --- what the settings pages show ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldView:
    setting: str
    label: str
    secret: bool
    required: bool
    help: str
    source: str  # env / stored / settings / ""
    display: str  # masked for a secret, the value otherwise


@dataclass(frozen=True)
class IntegrationView:
    definition: IntegrationDef
    enabled: bool
    switch_from_env: bool
    mode: str
    mode_from_env: bool
    configured: bool
    unreadable: bool
    fields: list[FieldView] = field(default_factory=list)
    status: IntegrationStatus | None = None

    @property
    def key(self):
        return self.definition.key

    @property
    def label(self):
        return self.definition.label

    @property
    def mode_label(self):
        return Mode(self.mode).label if self.mode in Mode.values else self.mode


def integration_view(definition: IntegrationDef, status: IntegrationStatus | None = None) -> IntegrationView:
    fields = []
    for f in definition.fields:
        value = setting_value(f.setting)
        fields.append(
            FieldView(
                setting=f.setting,
                label=f.label,
                secret=f.secret,
                required=f.required,
                help=f.help,
                source=value_source(f.setting),
                display=mask(value) if f.secret else value,
            )
        )
    return IntegrationView(
        definition=definition,
        enabled=integration_enabled(definition.key),
        switch_from_env=switch_from_env(definition),
        mode=integration_mode(definition.key),
        mode_from_env=mode_from_env(definition),
        configured=integration_configured(definition.key),
        unreadable=stored_unreadable(definition.key),
        fields=fields,
        status=status,
    )


def integration_views(group: str | None = None) -> list[IntegrationView]:
    """Every integration (of a group) with its switch, mode, masked values and last status: two queries at most."""
    rows = statuses()
    return [integration_view(d, rows.get(d.key)) for d in integrations_all(group)]
