"""Revenue settings: versioned rows, the newest in force. A change writes a new row, so an order split earlier
keeps the version it used."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from sanggar.affiliates import services as affiliate_services
from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role

from ..constants import (
    HOLDING_DAYS_MAX,
    MIN_PAYOUT_MAX,
    PERCENT_FIELDS,
    FinanceAction,
)
from ..models import RevenueSettings

SETTINGS_FIELDS = (
    "enabled",
    "company_fee_percent",
    "founder_percent",
    "cofounder_percent",
    "holding_days",
    "min_payout",
)
# Attribution settings are owned by affiliates; the revenue settings page edits them too.
ATTRIBUTION_FIELDS = ("attribution_window_days", "attribution_model")
PAGE_FIELDS = SETTINGS_FIELDS + ATTRIBUTION_FIELDS
SETTINGS_CACHE_KEY = "finance:revenue-settings"


def revenue_settings_current() -> RevenueSettings:
    """The settings in force (the newest row); the defaults are written as the first row when there is none.

    Read on every order and every split, changed a few times a year: kept in the cache (no query) until a new
    version is saved (`revenue_settings_cache_clear`, wired to the model's saves in `finance.apps`) or
    REVENUE_SETTINGS_CACHE_SECONDS pass. A split records the version it used (`data.settings`)."""
    cached = cache.get(SETTINGS_CACHE_KEY)
    if isinstance(cached, RevenueSettings):
        return cached
    current = RevenueSettings.objects.order_by("-created_at", "-id").first()
    if current is None:
        # Not cached: the transaction writing the defaults may still roll back.
        return RevenueSettings.objects.create()
    cache.set(SETTINGS_CACHE_KEY, current, settings.REVENUE_SETTINGS_CACHE_SECONDS)
    return current


def revenue_settings_cache_clear(**_signal) -> None:
    """Forgets the cached settings now and again when the writing transaction commits (a read in between, inside
    that transaction, may have cached the new row before it was visible to anyone else)."""
    cache.delete(SETTINGS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(SETTINGS_CACHE_KEY))


def _as_int(value, field: str, errors: dict) -> int | None:
    try:
        if isinstance(value, bool):
            raise ValueError
        return int(value)
    except (TypeError, ValueError):
        errors.setdefault(field, []).append(_("Isi dengan bilangan bulat."))
        return None


def _validate(values: dict) -> tuple[dict, dict]:
    errors: dict[str, list[str]] = {}
    clean: dict = {}
    for field, value in values.items():
        if field in ATTRIBUTION_FIELDS:
            continue  # validated by affiliates
        if field not in SETTINGS_FIELDS:
            errors.setdefault(field, []).append(_("Pengaturan tidak dikenal."))
            continue
        if field == "enabled":
            clean[field] = bool(value)
        else:
            number = _as_int(value, field, errors)
            if number is None:
                continue
            if field in PERCENT_FIELDS and not 0 <= number <= 100:
                errors.setdefault(field, []).append(_("Persentase harus antara 0 dan 100."))
            elif field == "holding_days" and not 0 <= number <= HOLDING_DAYS_MAX:
                errors.setdefault(field, []).append(
                    _("Masa tahan harus antara 0 dan %(max)s hari.") % {"max": HOLDING_DAYS_MAX}
                )
            elif field == "min_payout" and not 0 <= number <= MIN_PAYOUT_MAX:
                errors.setdefault(field, []).append(_("Minimal penarikan tidak wajar."))
            else:
                clean[field] = number
    return clean, errors


@transaction.atomic
def revenue_settings_update(*, actor, **values) -> RevenueSettings:
    """Writes a new settings version from the current one with `values` changed (any of PAGE_FIELDS: the
    attribution fields are saved by affiliates as its own version). Founder + Co-Founder together may not exceed
    100%. Applies to orders paid from now on. One activity row for the whole change."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang dapat mengubah pengaturan bagi hasil."))
    current = revenue_settings_current()
    clean, errors = _validate(values)
    attribution_clean, attribution_errors = affiliate_services.attribution_settings_validate(
        {field: values[field] for field in ATTRIBUTION_FIELDS if field in values}
    )
    errors.update(attribution_errors)
    merged = {field: getattr(current, field) for field in SETTINGS_FIELDS}
    merged.update(clean)
    if (
        "founder_percent" not in errors
        and "cofounder_percent" not in errors
        and merged["founder_percent"] + merged["cofounder_percent"] > 100
    ):
        message = _("Bagian Founder dan Co-Founder bersama-sama paling banyak 100%.")
        errors.setdefault("cofounder_percent", []).append(message)
    if errors:
        first = next(iter(errors.values()))[0]
        raise ServiceError(_("Pengaturan bagi hasil belum valid: %(first)s") % {"first": first}, errors=errors)
    attribution = affiliate_services.attribution_settings_current()
    before = {field: getattr(current, field) for field in SETTINGS_FIELDS}
    before.update({field: getattr(attribution, field) for field in ATTRIBUTION_FIELDS})
    after = {**merged, **{field: attribution_clean.get(field, before[field]) for field in ATTRIBUTION_FIELDS}}
    changed = [field for field in PAGE_FIELDS if after[field] != before[field]]
    if not changed:
        return current
    new = current
    if any(field in SETTINGS_FIELDS for field in changed):
        new = RevenueSettings.objects.create(created_by=actor, **merged)
    if any(field in ATTRIBUTION_FIELDS for field in changed):
        affiliate_services.attribution_settings_save(actor=actor, values=attribution_clean)
    activity_record(
        action=FinanceAction.REVENUE_SETTINGS_CHANGED,
        actor=actor,
        target=new,
        target_label=_("Bagi hasil (versi %(id)s)") % {"id": new.pk},
        data={
            "what": "revenue",
            "fields": changed,
            "before": {field: before[field] for field in changed},
            "after": {field: after[field] for field in changed},
        },
    )
    return new
