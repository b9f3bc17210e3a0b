"""Admin services of tiers, challenges, the marketing kit and affiliate status (services_ui)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanggar.affiliates import services_ui as svc
from sanggar.affiliates.models import AffiliateProfile, Challenge, ChallengeAward, MarketingKitItem, Tier
from sanggar.audit.models import ActivityLog
from sanggar.core.exceptions import ServiceError

from .ui_world import ui_world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_tier_create_update_delete_with_log(admin_user):
    tier = svc.tier_create(actor=admin_user, name=" Silver ", min_sales=5, period_days=30, bonus_percent=10)
    assert (tier.name, tier.min_sales, tier.period_days, tier.bonus_percent, tier.is_active) == (
        "Silver", 5, 30, 10, True,
    )  # fmt: skip
    svc.tier_update(
        tier=tier, actor=admin_user, name="Silver", min_sales=6, period_days=14, bonus_percent=12, is_active=False
    )
    tier.refresh_from_db()
    assert (tier.min_sales, tier.period_days, tier.bonus_percent, tier.is_active) == (6, 14, 12, False)
    log = ActivityLog.objects.get(action="affiliate.tier_updated")
    assert log.data["before"]["min_sales"] == 5 and log.data["after"]["min_sales"] == 6
    svc.tier_delete(tier=tier, actor=admin_user)
    assert Tier.objects.count() == 0
    actions = ActivityLog.objects.filter(action__startswith="affiliate.tier").order_by("id")
    assert list(actions.values_list("action", flat=True)) == [
        "affiliate.tier_created", "affiliate.tier_updated", "affiliate.tier_deleted",
    ]  # fmt: skip


def test_tier_validation(admin_user):
    with pytest.raises(ServiceError) as exc:
        svc.tier_create(actor=admin_user, name="", min_sales=0, period_days=0, bonus_percent=0)
    assert set(exc.value.errors) == {"name", "min_sales", "period_days", "bonus_percent"}
    with pytest.raises(ServiceError) as exc:
        svc.tier_create(actor=admin_user, name="X", min_sales=1, period_days=400, bonus_percent=500)
    assert set(exc.value.errors) == {"period_days", "bonus_percent"}
    assert Tier.objects.count() == 0
    assert not ActivityLog.objects.filter(action__startswith="affiliate.").exists()


def _challenge(admin, **values):
    now = timezone.now()
    data = {
        "title": "Sprint",
        "period": "weekly",
        "starts_at": now - timedelta(days=1),
        "ends_at": now + timedelta(days=6),
        "target_sales": 5,
        "reward": 500_000,
    }
    data.update(values)
    return svc.challenge_create(actor=admin, **data)


def test_challenge_validation(admin_user):
    now = timezone.now()
    with pytest.raises(ServiceError) as exc:
        svc.challenge_create(
            actor=admin_user, title=" ", period="daily", starts_at=now, ends_at=now, target_sales=0, reward=0
        )
    assert set(exc.value.errors) == {"title", "period", "ends_at", "target_sales", "reward"}
    assert exc.value.errors["ends_at"] == ["Waktu selesai harus setelah waktu mulai."]
    assert Challenge.objects.count() == 0


def test_challenge_with_awards_keeps_its_terms_and_cannot_be_deleted(ui_world):
    admin = ui_world.admin
    challenge = _challenge(admin)
    ChallengeAward.objects.create(challenge=challenge, affiliate=ui_world.affiliate, sales=5, amount=500_000)
    with pytest.raises(ServiceError) as exc:
        svc.challenge_update(
            challenge=challenge, actor=admin, title="Sprint", period="weekly", starts_at=challenge.starts_at,
            ends_at=challenge.ends_at, target_sales=3, reward=500_000,
        )  # fmt: skip
    assert set(exc.value.errors) == {"target_sales"}
    svc.challenge_update(
        challenge=challenge, actor=admin, title="Sprint Akhir Tahun", period="weekly", starts_at=challenge.starts_at,
        ends_at=challenge.ends_at, target_sales=5, reward=500_000, description="Baru", is_active=False,
    )  # fmt: skip
    challenge.refresh_from_db()
    assert (challenge.title, challenge.description, challenge.target_sales, challenge.is_active) == (
        "Sprint Akhir Tahun", "Baru", 5, False,
    )  # fmt: skip
    with pytest.raises(ServiceError):
        svc.challenge_delete(challenge=challenge, actor=admin)
    assert Challenge.objects.filter(pk=challenge.pk).exists()


def test_challenge_delete_without_awards(admin_user):
    challenge = _challenge(admin_user)
    svc.challenge_delete(challenge=challenge, actor=admin_user)
    assert Challenge.objects.count() == 0
    assert ActivityLog.objects.filter(action="affiliate.challenge_deleted", target_label="Sprint").count() == 1


def test_kit_items(admin_user, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    copy = svc.kit_item_create(
        actor=admin_user, title="Caption IG", kind="copy", text="Daftar sekarang: {link}", target_kind="plan",
        target_slug="gold",
    )  # fmt: skip
    assert (copy.target_kind, copy.target_slug, copy.file.name) == ("plan", "gold", "")
    with pytest.raises(ServiceError) as exc:
        svc.kit_item_create(actor=admin_user, title="Logo", kind="logo")
    assert exc.value.errors == {"file": ["Unggah file logo atau banner."]}
    with pytest.raises(ServiceError) as exc:
        svc.kit_item_create(actor=admin_user, title="Logo", kind="logo", file=SimpleUploadedFile("virus.exe", b"MZ"))
    assert list(exc.value.errors) == ["file"]
    with pytest.raises(ServiceError) as exc:
        svc.kit_item_create(actor=admin_user, title="Teks", kind="copy", text="", target_kind="bio", target_slug="")
    assert set(exc.value.errors) == {"text", "target_kind", "target_slug"}

    logo = svc.kit_item_create(
        actor=admin_user, title="Logo", kind="logo", file=SimpleUploadedFile("logo.png", b"\x89PNG-1")
    )
    first_name = logo.file.name
    assert first_name.startswith("marketing-kit/logo")
    with django_capture_on_commit_callbacks(execute=True):
        svc.kit_item_update(
            item=logo, actor=admin_user, title="Logo baru", kind="logo", file=SimpleUploadedFile("logo2.png", b"2")
        )
    logo.refresh_from_db()
    assert logo.title == "Logo baru"
    assert logo.file.read() == b"2"
    assert not (tmp_path / first_name).exists()
    # Editing without a new file keeps the file.
    svc.kit_item_update(item=logo, actor=admin_user, title="Logo", kind="logo")
    logo.refresh_from_db()
    assert logo.file.name != "" and (tmp_path / logo.file.name).exists()
    name = logo.file.name
    with django_capture_on_commit_callbacks(execute=True):
        svc.kit_item_delete(item=logo, actor=admin_user)
    assert not (tmp_path / name).exists()
    assert list(MarketingKitItem.objects.values_list("title", flat=True)) == ["Caption IG"]


def test_affiliate_status_set(ui_world):
    admin, affiliate = ui_world.admin, ui_world.affiliate
    with pytest.raises(ServiceError) as exc:
        svc.affiliate_status_set(affiliate=affiliate, actor=admin, status="suspended", reason=" ")
    assert exc.value.errors == {"reason": ["Alasan wajib diisi untuk menangguhkan."]}
    with pytest.raises(ServiceError):
        svc.affiliate_status_set(affiliate=affiliate, actor=admin, status="banned", reason="x")
    assert AffiliateProfile.objects.get(pk=affiliate.pk).status == "active"

    svc.affiliate_status_set(affiliate=affiliate, actor=admin, status="suspended", reason="Spam di grup")
    assert AffiliateProfile.objects.get(pk=affiliate.pk).status == "suspended"
    log = ActivityLog.objects.get(action="affiliate.suspended")
    assert (log.actor, log.data, log.target_label) == (admin, {"reason": "Spam di grup"}, "DINDA (dinda@example.com)")
    # A suspended code records no clicks.
    assert ui_world.click() is None
    svc.affiliate_status_set(affiliate=affiliate, actor=admin, status="active")
    svc.affiliate_status_set(affiliate=affiliate, actor=admin, status="active")  # no change, no second row
    assert ActivityLog.objects.filter(action="affiliate.reactivated").count() == 1
    assert ui_world.click() is not None
