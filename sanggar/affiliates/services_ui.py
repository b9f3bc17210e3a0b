"""Admin writes of the affiliate programme's booster pages: tiers, challenges, marketing-kit items, and suspending
or reactivating an affiliate. Each service is one transaction with its activity-log row."""

from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from sanggar.audit.services import activity_record
from sanggar.core.exceptions import ServiceError

from .constants import AffiliateStatus, ChallengePeriod, KitKind, TargetKind
from .models import AffiliateProfile, Challenge, MarketingKitItem, Tier

MAX_BONUS_PERCENT = 200
MAX_PERIOD_DAYS = 366
KIT_MAX_BYTES = 20 * 1024 * 1024
KIT_EXTENSIONS = {
    KitKind.LOGO: {".png", ".jpg", ".jpeg", ".svg", ".webp", ".zip"},
    KitKind.BANNER: {".png", ".jpg", ".jpeg", ".webp", ".gif", ".zip", ".pdf"},
    KitKind.COPY: {".txt", ".pdf", ".docx"},
}


class AffiliateAction:
    """Activity-log actions of the affiliate programme's admin pages (sanggar.audit's ActivityLog.action)."""

    TIER_CREATED = "affiliate.tier_created"
    TIER_UPDATED = "affiliate.tier_updated"
    TIER_DELETED = "affiliate.tier_deleted"
    CHALLENGE_CREATED = "affiliate.challenge_created"
    CHALLENGE_UPDATED = "affiliate.challenge_updated"
    CHALLENGE_DELETED = "affiliate.challenge_deleted"
    KIT_CREATED = "affiliate.kit_created"
    KIT_UPDATED = "affiliate.kit_updated"
    KIT_DELETED = "affiliate.kit_deleted"
    SUSPENDED = "affiliate.suspended"
    REACTIVATED = "affiliate.reactivated"


# --- tiers -------------------------------------------------------------------------------------------------------


def _tier_check(*, name: str, min_sales: int, period_days: int, bonus_percent: int) -> dict:
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Nama tier wajib diisi.")]
    if min_sales < 1:
        errors["min_sales"] = [_("Minimal penjualan paling sedikit 1.")]
    if not 1 <= period_days <= MAX_PERIOD_DAYS:
        errors["period_days"] = [_("Periode antara 1 dan %(max)s hari.") % {"max": MAX_PERIOD_DAYS}]
    if not 1 <= bonus_percent <= MAX_BONUS_PERCENT:
        errors["bonus_percent"] = [_("Bonus antara 1%% dan %(max)s%%.") % {"max": MAX_BONUS_PERCENT}]
    if errors:
        raise ServiceError(_("Periksa kembali data tier."), errors=errors)
    return {"name": name, "min_sales": min_sales, "period_days": period_days, "bonus_percent": bonus_percent}


def _tier_data(tier: Tier) -> dict:
    return {
        "name": tier.name,
        "min_sales": tier.min_sales,
        "period_days": tier.period_days,
        "bonus_percent": tier.bonus_percent,
        "is_active": tier.is_active,
    }


def _update_logged(obj, values: dict, *, snapshot, action: str, actor):
    """Sets `values` on a locked row, saves it and writes one activity row with the before and after snapshots."""
    before = snapshot(obj)
    for field, value in values.items():
        setattr(obj, field, value)
    obj.save()
    activity_record(action=action, actor=actor, target=obj, data={"before": before, "after": snapshot(obj)})
    return obj


@transaction.atomic
def tier_create(
    *, actor, name: str, min_sales: int, period_days: int, bonus_percent: int, is_active: bool = True
) -> Tier:
    values = _tier_check(name=name, min_sales=min_sales, period_days=period_days, bonus_percent=bonus_percent)
    tier = Tier.objects.create(**values, is_active=is_active)
    activity_record(action=AffiliateAction.TIER_CREATED, actor=actor, target=tier, data=_tier_data(tier))
    return tier


@transaction.atomic
def tier_update(
    *, tier: Tier, actor, name: str, min_sales: int, period_days: int, bonus_percent: int, is_active: bool
) -> Tier:
    values = _tier_check(name=name, min_sales=min_sales, period_days=period_days, bonus_percent=bonus_percent)
    tier = Tier.objects.select_for_update().get(pk=tier.pk)
    return _update_logged(
        tier, {**values, "is_active": is_active}, snapshot=_tier_data, action=AffiliateAction.TIER_UPDATED, actor=actor
    )


@transaction.atomic
def tier_delete(*, tier: Tier, actor) -> None:
    """Commissions record their rule as text, so deleting a tier changes no past commission."""
    data = _tier_data(tier)
    label = str(tier)
    activity_record(action=AffiliateAction.TIER_DELETED, actor=actor, target=tier, target_label=label, data=data)
    tier.delete()


# --- challenges --------------------------------------------------------------------------------------------------


def _challenge_check(
    *, title: str, period: str, starts_at: datetime | None, ends_at: datetime | None, target_sales: int, reward: int
) -> dict:
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Judul challenge wajib diisi.")]
    if period not in ChallengePeriod.values:
        errors["period"] = [_("Pilih mingguan atau bulanan.")]
    if starts_at is None:
        errors["starts_at"] = [_("Waktu mulai wajib diisi.")]
    if ends_at is None:
        errors["ends_at"] = [_("Waktu selesai wajib diisi.")]
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = [_("Waktu selesai harus setelah waktu mulai.")]
    if target_sales < 1:
        errors["target_sales"] = [_("Target penjualan paling sedikit 1.")]
    if reward < 1:
        errors["reward"] = [_("Hadiah paling sedikit Rp 1.")]
    if errors:
        raise ServiceError(_("Periksa kembali data challenge."), errors=errors)
    return {
        "title": title,
        "period": period,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "target_sales": target_sales,
        "reward": reward,
    }


def _challenge_data(challenge: Challenge) -> dict:
    return {
        "title": challenge.title,
        "period": challenge.period,
        "starts_at": challenge.starts_at.isoformat(),
        "ends_at": challenge.ends_at.isoformat(),
        "target_sales": challenge.target_sales,
        "reward": challenge.reward,
        "is_active": challenge.is_active,
    }


@transaction.atomic
def challenge_create(
    *,
    actor,
    title: str,
    period: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    target_sales: int,
    reward: int,
    description: str = "",
    is_active: bool = True,
) -> Challenge:
    values = _challenge_check(
        title=title, period=period, starts_at=starts_at, ends_at=ends_at, target_sales=target_sales, reward=reward
    )
    challenge = Challenge.objects.create(**values, description=(description or "").strip(), is_active=is_active)
    activity_record(
        action=AffiliateAction.CHALLENGE_CREATED, actor=actor, target=challenge, data=_challenge_data(challenge)
    )
    return challenge


@transaction.atomic
def challenge_update(
    *,
    challenge: Challenge,
    actor,
    title: str,
    period: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    target_sales: int,
    reward: int,
    description: str = "",
    is_active: bool = True,
) -> Challenge:
    """A challenge whose rewards were already posted keeps its window, target and reward (only its text and
    visibility change), so the posted rewards always match what the page shows."""
    values = _challenge_check(
        title=title, period=period, starts_at=starts_at, ends_at=ends_at, target_sales=target_sales, reward=reward
    )
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.awards.exists():
        locked = ("period", "starts_at", "ends_at", "target_sales", "reward")
        changed = [f for f in locked if getattr(challenge, f) != values[f]]
        if changed:
            raise ServiceError(
                _("Hadiah challenge ini sudah dibagikan: periode, target dan hadiah tidak bisa diubah lagi."),
                errors={f: [_("Tidak bisa diubah setelah hadiah dibagikan.")] for f in changed},
            )
    return _update_logged(
        challenge,
        {**values, "description": (description or "").strip(), "is_active": is_active},
        snapshot=_challenge_data,
        action=AffiliateAction.CHALLENGE_UPDATED,
        actor=actor,
    )


@transaction.atomic
def challenge_delete(*, challenge: Challenge, actor) -> None:
    """Only a challenge without posted rewards can be deleted; otherwise switch it off."""
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.awards.exists():
        raise ServiceError(_("Hadiah challenge ini sudah dibagikan, jadi tidak bisa dihapus. Nonaktifkan saja."))
    activity_record(
        action=AffiliateAction.CHALLENGE_DELETED,
        actor=actor,
        target=challenge,
        target_label=challenge.title,
        data=_challenge_data(challenge),
    )
    challenge.delete()


# --- marketing kit -----------------------------------------------------------------------------------------------


def _kit_check(*, title: str, kind: str, file, text: str, target_kind: str, target_slug: str, has_file: bool) -> dict:
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    text = (text or "").strip()
    target_slug = (target_slug or "").strip()
    if not title:
        errors["title"] = [_("Judul wajib diisi.")]
    if kind not in KitKind.values:
        errors["kind"] = [_("Pilih jenis materi.")]
    if file is not None:
        extension = Path(file.name or "").suffix.lower()
        allowed = KIT_EXTENSIONS.get(kind, set())
        if kind in KitKind.values and extension not in allowed:
            errors["file"] = [_("Jenis file tidak didukung. Gunakan: %(ext)s.") % {"ext": ", ".join(sorted(allowed))}]
        elif file.size > KIT_MAX_BYTES:
            errors["file"] = [_("Ukuran file maksimal 20 MB.")]
    if kind == KitKind.COPY and not text:
        errors["text"] = [_("Tulis teks copywriting-nya. Pakai {link} untuk link affiliate.")]
    if kind in (KitKind.LOGO, KitKind.BANNER) and file is None and not has_file:
        errors["file"] = [_("Unggah file logo atau banner.")]
    if target_kind and target_kind not in (TargetKind.PLAN, TargetKind.PRODUCT):
        errors["target_kind"] = [_("Link materi hanya bisa ke paket membership atau produk.")]
    if target_kind and not target_slug:
        errors["target_slug"] = [_("Pilih paket atau produk tujuan link.")]
    if errors:
        raise ServiceError(_("Periksa kembali materi marketing."), errors=errors)
    return {
        "title": title,
        "kind": kind,
        "text": text,
        "target_kind": target_kind or "",
        "target_slug": target_slug if target_kind else "",
    }


def _kit_data(item: MarketingKitItem) -> dict:
    return {
        "title": item.title,
        "kind": item.kind,
        "file": item.file.name if item.file else "",
        "target": f"{item.target_kind}:{item.target_slug}" if item.target_kind else "",
        "is_active": item.is_active,
    }


@transaction.atomic
def kit_item_create(
    *,
    actor,
    title: str,
    kind: str,
    file=None,
    text: str = "",
    target_kind: str = "",
    target_slug: str = "",
    is_active: bool = True,
) -> MarketingKitItem:
    """`file`: an uploaded file (logos and banners need one). `text` may hold {link}: the affiliate's link is put
    in its place on their kit page."""
    values = _kit_check(
        title=title,
        kind=kind,
        file=file,
        text=text,
        target_kind=target_kind,
        target_slug=target_slug,
        has_file=False,
    )
    item = MarketingKitItem(**values, is_active=is_active)
    if file is not None:
        item.file.save(Path(file.name).name, file, save=False)
    item.save()
    activity_record(action=AffiliateAction.KIT_CREATED, actor=actor, target=item, data=_kit_data(item))
    return item


@transaction.atomic
def kit_item_update(
    *,
    item: MarketingKitItem,
    actor,
    title: str,
    kind: str,
    file=None,
    text: str = "",
    target_kind: str = "",
    target_slug: str = "",
    is_active: bool = True,
) -> MarketingKitItem:
    """A new `file` replaces the old one (the old file is deleted after commit)."""
    item = MarketingKitItem.objects.select_for_update().get(pk=item.pk)
    values = _kit_check(
        title=title,
        kind=kind,
        file=file,
        text=text,
        target_kind=target_kind,
        target_slug=target_slug,
        has_file=bool(item.file),
    )
    before = _kit_data(item)
    old_file = item.file.name if (file is not None and item.file) else ""
    for field, value in {**values, "is_active": is_active}.items():
        setattr(item, field, value)
    if file is not None:
        item.file.save(Path(file.name).name, file, save=False)
    item.save()
    activity_record(
        action=AffiliateAction.KIT_UPDATED, actor=actor, target=item, data={"before": before, "after": _kit_data(item)}
    )
    if old_file:
        storage = item.file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return item


@transaction.atomic
def kit_item_delete(*, item: MarketingKitItem, actor) -> None:
    data = _kit_data(item)
    name = item.file.name if item.file else ""
    storage = item.file.storage
    activity_record(action=AffiliateAction.KIT_DELETED, actor=actor, target=item, target_label=item.title, data=data)
    item.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- affiliate status --------------------------------------------------------------------------------------------


@transaction.atomic
def affiliate_status_set(*, affiliate: AffiliateProfile, actor, status: str, reason: str = "") -> AffiliateProfile:
    """Suspend (links stop recording clicks and attributing orders; the code is kept) or reactivate an affiliate.
    Setting the status it already has changes nothing and writes no log row."""
    if status not in AffiliateStatus.values:
        raise ServiceError(_("Status affiliate tidak dikenal."), errors={"status": [_("Status tidak dikenal.")]})
    reason = (reason or "").strip()[:300]
    if status == AffiliateStatus.SUSPENDED and not reason:
        raise ServiceError(
            _("Tulis alasan penangguhan."), errors={"reason": [_("Alasan wajib diisi untuk menangguhkan.")]}
        )
    affiliate = AffiliateProfile.objects.select_for_update().select_related("user").get(pk=affiliate.pk)
    if affiliate.status == status:
        return affiliate
    affiliate.status = status
    affiliate.save(update_fields=["status", "updated_at"])
    action = AffiliateAction.SUSPENDED if status == AffiliateStatus.SUSPENDED else AffiliateAction.REACTIVATED
    activity_record(
        action=action,
        actor=actor,
        target=affiliate,
        target_label=f"{affiliate.code} ({affiliate.user.email})",
        data={"reason": reason} if reason else {},
    )
    return affiliate
