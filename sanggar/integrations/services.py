"""Writes of the integrations app: switches, modes and encrypted credentials; payment options; bank accounts; the
connection test. Admin only. Every change is one activity-log row naming what changed, never a value of a secret."""

import logging
import uuid

from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from sanggar.audit.constants import Action
from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.permissions import user_has_any_role
from sanggar.core.roles import Role
from sanggar.core.transactions import service_atomic

from . import selectors
from .constants import PENDING_HOURS_LIMIT, UNIQUE_CODE_LIMIT, Group, Mode
from .crypto import UnreadableSecrets, decrypt_values, encrypt_values
from .models import SINGLETON_ID, BankAccount, Integration, PaymentOptions
from .registry import TestResult, integration_get, integrations_all

logger = logging.getLogger(__name__)

LOGO_MAX_BYTES = 1024 * 1024
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
TEXT_MAX = 500


def _admin(actor) -> None:
    if actor is None or not user_has_any_role(actor, [Role.ADMIN]):
        raise NotAllowed(_("Hanya admin yang dapat mengubah pengaturan integrasi."))


def _clean_text(value, *, field: str, limit: int = TEXT_MAX) -> str:
    value = "" if value is None else str(value)
    if "\x00" in value:
        message = _("Isian mengandung karakter yang tidak diizinkan.")
        raise ServiceError(message, errors={field: [message]})
    value = value.strip()
    if len(value) > limit:
        message = _("Isian terlalu panjang (maksimal %(limit)s karakter).") % {"limit": limit}
        raise ServiceError(message, errors={field: [message]})
    return value


def _payment_others_on(key: str) -> bool:
    """Whether another payment integration stays on and configured when `key` is switched off."""
    return any(
        d.key != key and selectors.integration_enabled(d.key) and selectors.integration_configured(d.key)
        for d in integrations_all(Group.PAYMENT)
    )


@service_atomic
def integration_update(
    *,
    actor,
    key: str,
    enabled: bool | None = None,
    mode: str | None = None,
    values: dict[str, str] | None = None,
    clear: set[str] | frozenset[str] = frozenset(),
) -> Integration:
    """Saves one integration. `values` maps setting names to new values (an empty value keeps the stored one);
    `clear` lists settings whose stored value is removed. Values of settings set in the environment are refused
    (the environment wins, the page says so)."""
    _admin(actor)
    definition = integration_get(key)
    if definition is None:
        raise ServiceError(_("Integrasi tidak dikenal."))
    row = Integration.objects.select_for_update().filter(key=key).first() or Integration(key=key)
    try:
        stored = decrypt_values(row.values_encrypted)
    except UnreadableSecrets:
        stored = {}  # written with another key: what the admin enters now replaces it
    known = {f.setting: f for f in definition.fields}
    changed: list[str] = []
    for name, raw in (values or {}).items():
        if name not in known:
            continue
        value = _clean_text(raw, field=name)
        if not value:
            continue
        if selectors.env_set(name):
            message = _("%(label)s diatur lewat variabel lingkungan %(name)s, jadi tidak bisa diubah di sini.") % {
                "label": known[name].label,
                "name": name,
            }
            raise ServiceError(message, errors={name: [message]})
        if stored.get(name) != value:
            stored[name] = value
            changed.append(name)
    for name in clear:
        if name in known and name in stored:
            stored.pop(name)
            changed.append(name)
    data: dict = {"what": "integration", "key": key, "fields": sorted(set(changed))}
    if enabled is not None and not selectors.switch_from_env(definition) and enabled != row.enabled:
        if (
            definition.group == Group.PAYMENT
            and not enabled
            and selectors.integration_enabled(key)
            and not _payment_others_on(key)
        ):
            message = _("Minimal satu metode pembayaran harus tetap aktif.")
            raise ServiceError(message, errors={"enabled": [message]})
        data["enabled"] = {"old": row.enabled, "new": enabled}
        row.enabled = enabled
    if mode is not None and definition.has_mode and not selectors.mode_from_env(definition):
        if mode not in Mode.values:
            message = _("Pilih mode sandbox atau produksi.")
            raise ServiceError(message, errors={"mode": [message]})
        if mode != row.mode:
            data["mode"] = {"old": row.mode, "new": mode}
            row.mode = mode
    row.values_encrypted = encrypt_values(stored)
    row.updated_by = actor
    row.save()
    activity_record(
        action=Action.SETTINGS_CHANGED, actor=actor, target=row, target_label=str(definition.label), data=data
    )
    selectors.snapshot_clear()
    return row


def integration_test(*, actor, key: str, target: str = "") -> TestResult:
    """Asks the service with the effective credentials and records the answer as the integration's status."""
    _admin(actor)
    definition = integration_get(key)
    if definition is None or definition.test is None:
        raise ServiceError(_("Integrasi ini tidak punya tes koneksi."))
    target = _clean_text(target, field="target", limit=200)
    if not selectors.integration_configured(key):
        return TestResult(False, _("Kunci belum diisi, jadi koneksi belum bisa dites."))
    try:
        result = definition.test(target)
    except Exception as exc:  # a test must show an answer, never a 500
        logger.warning("Connection test of %s failed: %s", key, type(exc).__name__)
        result = TestResult(False, _("Tes gagal: %(error)s") % {"error": type(exc).__name__})
    selectors.status_record(key, ok=result.ok, detail=result.message)
    return result


# --- payment options -----------------------------------------------------------------------------------------------


@service_atomic
def payment_options_update(
    *, actor, unique_code_min: int | None, unique_code_max: int | None, pending_hours: int | None
) -> PaymentOptions:
    _admin(actor)
    errors: dict[str, list[str]] = {}
    for name, value, low, high in (
        ("unique_code_min", unique_code_min, 1, UNIQUE_CODE_LIMIT),
        ("unique_code_max", unique_code_max, 1, UNIQUE_CODE_LIMIT),
        ("pending_hours", pending_hours, 1, PENDING_HOURS_LIMIT),
    ):
        if value is not None and not (low <= int(value) <= high):
            errors[name] = [_("Isi angka %(low)s sampai %(high)s.") % {"low": low, "high": high}]
    if not errors and unique_code_min and unique_code_max and unique_code_min > unique_code_max:
        errors["unique_code_max"] = [_("Batas atas kode unik harus sama dengan atau lebih besar dari batas bawah.")]
    if not errors and unique_code_min and unique_code_max and unique_code_max - unique_code_min < 9:
        errors["unique_code_max"] = [_("Rentang kode unik minimal 10 angka agar pesanan tidak kehabisan kode.")]
    if errors:
        raise ServiceError(_("Periksa kembali isian opsi pembayaran."), errors=errors)
    row = PaymentOptions.objects.select_for_update().filter(pk=SINGLETON_ID).first() or PaymentOptions(pk=SINGLETON_ID)
    changes = {}
    for name, value in (
        ("unique_code_min", unique_code_min),
        ("unique_code_max", unique_code_max),
        ("pending_hours", pending_hours),
    ):
        if getattr(row, name) != value:
            changes[name] = {"old": getattr(row, name), "new": value}
            setattr(row, name, value)
    row.save()
    activity_record(
        action=Action.SETTINGS_CHANGED,
        actor=actor,
        target=row,
        target_label=_("Opsi pembayaran"),
        data={"what": "payment_options", "fields": sorted(changes), "changes": changes},
    )
    selectors.snapshot_clear()
    return row


# --- bank accounts -------------------------------------------------------------------------------------------------


def _logo_checked(file) -> str:
    def fail(message):
        raise ServiceError(message, errors={"logo": [message]})

    size = getattr(file, "size", None) or 0
    if size == 0:
        fail(_("Logo: file kosong."))
    if size > LOGO_MAX_BYTES:
        fail(_("Ukuran logo maksimal 1 MB."))
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        fail(_("Logo harus berupa gambar PNG, JPEG atau WebP."))
    finally:
        file.seek(0)
    if image_format not in LOGO_FORMATS:
        fail(_("Logo harus berupa gambar PNG, JPEG atau WebP."))
    if width > 2000 or height > 2000:
        fail(_("Logo maksimal 2000 piksel per sisi."))
    return LOGO_FORMATS[image_format]


@service_atomic
def bank_account_save(
    *,
    actor,
    account: BankAccount | None = None,
    bank_name: str,
    account_number: str,
    account_holder: str,
    is_active: bool = True,
    sort_order: int = 0,
    logo=None,
    logo_clear: bool = False,
) -> BankAccount:
    """Creates (`account` None) or updates a bank account for manual transfer."""
    _admin(actor)
    bank_name = _clean_text(bank_name, field="bank_name", limit=60)
    account_number = _clean_text(account_number, field="account_number", limit=40)
    account_holder = _clean_text(account_holder, field="account_holder", limit=120)
    errors = {}
    if not bank_name:
        errors["bank_name"] = [_("Isi nama bank.")]
    if not account_number:
        errors["account_number"] = [_("Isi nomor rekening.")]
    elif not all(ch.isdigit() or ch in " -." for ch in account_number):
        errors["account_number"] = [_("Nomor rekening hanya berisi angka (boleh dengan spasi atau tanda hubung).")]
    if not account_holder:
        errors["account_holder"] = [_("Isi nama pemilik rekening.")]
    if not (0 <= int(sort_order) <= 999):
        errors["sort_order"] = [_("Isi angka 0 sampai 999.")]
    if errors:
        raise ServiceError(_("Periksa kembali data rekening."), errors=errors)
    creating = account is None
    account = account or BankAccount()
    before = {
        "bank_name": account.bank_name,
        "account_number": account.account_number,
        "account_holder": account.account_holder,
        "is_active": account.is_active,
        "sort_order": account.sort_order,
    }
    account.bank_name, account.account_number, account.account_holder = bank_name, account_number, account_holder
    account.is_active, account.sort_order = bool(is_active), int(sort_order)
    old_logo = account.logo.name if account.logo else ""
    if logo is not None:
        extension = _logo_checked(logo)
        account.logo.save(f"{uuid.uuid4().hex}.{extension}", logo, save=False)
    elif logo_clear:
        account.logo = ""
    account.save()
    if old_logo and old_logo != (account.logo.name if account.logo else ""):
        storage = BankAccount._meta.get_field("logo").storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    after = {name: getattr(account, name) for name in before}
    activity_record(
        action=Action.SETTINGS_CHANGED,
        actor=actor,
        target=account,
        target_label=str(account),
        data={
            "what": "bank_account",
            "created": creating,
            "changes": {k: {"old": before[k], "new": after[k]} for k in before if before[k] != after[k]},
        },
    )
    selectors.snapshot_clear()
    return account


@service_atomic
def bank_account_delete(*, actor, account: BankAccount) -> None:
    _admin(actor)
    label = str(account)
    logo = account.logo.name if account.logo else ""
    activity_record(
        action=Action.SETTINGS_CHANGED,
        actor=actor,
        target=account,
        target_label=label,
        data={"what": "bank_account", "deleted": True},
    )
    account.delete()
    if logo:
        storage = BankAccount._meta.get_field("logo").storage
        transaction.on_commit(lambda: storage.delete(logo))
    selectors.snapshot_clear()
