"""Supplier upgrade and Premium-ending reminders on the one reminder engine (issue 14, checklist §5.9; spec Supplier
§7b and §8): each trigger, the stop rule (upgraded), the coupon after the third reminder, the trial offer, once
under repeated sweeps, the data migration from the supplier app's own reminders, and the admin tab's access."""

from datetime import UTC, datetime, time, timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanggar.catalog.models import Coupon
from sanggar.chat.models import SupplierRefusal
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.reminders import services as reminders
from sanggar.reminders.models import ReminderSend, ReminderSequence
from sanggar.suppliers import services
from sanggar.suppliers.models import ReminderSent, SupplierSettings

MIGRATION = import_module("sanggar.reminders.migrations.0012_supplier_default_sequences")
UPGRADE = "supplier_upgrade:approved"


@pytest.fixture(autouse=True)
def _only_supplier_sequences(db):
    """The default supplier sequences of data migration 0012 (made again when a transactional test flushed the
    database); the other default sequences are switched off so the sweep's counts are the suppliers' only."""
    MIGRATION.forwards(django_apps, None)  # idempotent: nothing when they exist
    ReminderSequence.objects.exclude(origin__startswith="supplier_").update(is_active=False)


@pytest.fixture
def premium_members(make_user, monkeypatch):
    monkeypatch.setattr("sanggar.chat.policy.is_premium", lambda *, user: True)  # the members hold a membership
    return [make_user(full_name=f"Pembeli {i}") for i in range(3)]


def _sent(user, origin=None):
    qs = ReminderSend.objects.filter(user=user, status="sent")
    if origin:
        qs = qs.filter(step__sequence__origin=origin)
    return sorted(qs.values_list("step__sequence__origin", "step__delay_hours"))


def _last_message(user) -> str:
    return user.notifications.order_by("-id").first().message


def test_default_sequences_exist_with_the_spec_schedule():
    seq = ReminderSequence.objects.get(origin=UPGRADE)
    assert (seq.trigger, seq.target_type, seq.stop_on, seq.is_active) == (
        "supplier_approved",
        "supplier",
        "upgraded",
        True,
    )
    assert [s.delay_hours for s in seq.steps.all()] == [0, 24, 7 * 24, 14 * 24, 30 * 24]  # §7b: 1, 7, 14, 30 days
    ending = ReminderSequence.objects.get(origin="supplier_premium:ending")
    assert sorted(s.delay_hours for s in ending.steps.all()) == [24, 7 * 24]
    for origin in ("supplier_upgrade:first_product", "supplier_upgrade:refused_chat", "supplier_premium:ended"):
        assert ReminderSequence.objects.get(origin=origin).steps.count() == 1


def test_after_approval_then_1_7_14_30_days_once_each_under_repeated_sweeps(make_supplier):
    user, _supplier = make_supplier("verified")
    t0 = timezone.now()
    assert reminders.reminders_send_due(now=t0 + timedelta(minutes=1)) == 1
    assert _sent(user) == [(UPGRADE, 0)]
    assert "Selamat, supplier Anda sudah disetujui!" in _last_message(user)
    assert "Coba Supplier Premium gratis 7 hari" in _last_message(user)  # the trial offer (spec §7b)
    assert reminders.reminders_send_due(now=t0 + timedelta(minutes=2)) == 0  # a repeated sweep: nothing twice
    assert reminders.reminders_send_due(now=t0 + timedelta(hours=23)) == 0  # day 1 not due yet
    for days in (1, 7, 14, 30):
        assert reminders.reminders_send_due(now=t0 + timedelta(days=days, minutes=5)) == 1
        assert reminders.reminders_send_due(now=t0 + timedelta(days=days, minutes=6)) == 0
    assert _sent(user) == [(UPGRADE, h) for h in (0, 24, 7 * 24, 14 * 24, 30 * 24)]
    assert ReminderSend.objects.filter(user=user).values("step", "object_key").distinct().count() == 5


def test_not_for_premium_pending_or_upgraded_suppliers(make_supplier):
    premium_user, _premium = make_supplier("verified", name="PT Premium", premium_days=30)
    waiting_user, _waiting = make_supplier("waiting_review", name="PT Antre")
    user, supplier = make_supplier("verified")
    t0 = timezone.now()
    assert reminders.reminders_send_due(now=t0 + timedelta(minutes=1)) == 1
    assert _sent(premium_user) == [] and _sent(waiting_user) == []
    services.trial_start(supplier=supplier, actor=user)  # upgraded (the 7-day trial): the sequence stops
    reminders.reminders_send_due(now=t0 + timedelta(days=1, minutes=5))
    assert _sent(user, UPGRADE) == [(UPGRADE, 0)]  # (the trial's "Premium ends in 7 days" may go out)
    # the send converts (the stop action happened after it)
    assert reminders.reminders_conversions_sweep(now=t0 + timedelta(days=1, minutes=6)) == 1
    assert ReminderSend.objects.get(user=user, step__sequence__origin=UPGRADE).converted_at is not None


def test_after_the_first_product(make_supplier):
    user, supplier = make_supplier("verified")
    t0 = timezone.now()
    reminders.reminders_send_due(now=t0 + timedelta(minutes=1))  # the approval reminder
    services.product_save(supplier=supplier, actor=user, data={"title": "Cengkeh Maluku", "status": "active"})
    assert reminders.reminders_send_due(now=t0 + timedelta(minutes=3)) == 1
    assert reminders.reminders_send_due(now=t0 + timedelta(minutes=4)) == 0
    assert ("supplier_upgrade:first_product", 0) in _sent(user)
    assert "Produk pertama Anda sudah tayang." in _last_message(user)
    assert ReminderSend.objects.get(user=user, step__sequence__origin="supplier_upgrade:first_product").object_key \
        == f"sf:{supplier.pk}"  # fmt: skip


def test_after_views_without_replies_once_then_per_pause(make_supplier, premium_members):
    origin = "supplier_upgrade:refused_chat"
    user, supplier = make_supplier("verified")
    for member in premium_members[:2]:
        with pytest.raises(NotAllowed):
            services.contact(supplier=supplier, member=member)  # chat counts each refused attempt
    t0 = timezone.now()
    reminders.reminders_send_due(now=t0 + timedelta(minutes=1))
    reminders.reminders_send_due(now=t0 + timedelta(minutes=2))
    assert len(_sent(user, origin)) == 1  # pause 0: once
    send = ReminderSend.objects.select_related("notification").get(user=user, step__sequence__origin=origin)
    assert "belum bisa menerima chat" in send.notification.message and send.object_key == f"sr:{supplier.pk}:once"
    ReminderSequence.objects.filter(origin=origin).update(days=1)  # a pause of one day between two reminders
    other, _other_supplier = make_supplier("verified", name="PT Jeda")
    tomorrow = timezone.localdate() + timedelta(days=1)
    base = timezone.make_aware(datetime.combine(tomorrow, time(10, 0)))
    for at, expected in ((base, 1), (base + timedelta(hours=1), 1), (base + timedelta(days=1), 2)):
        SupplierRefusal.objects.create(supplier=other, member=premium_members[2], created_at=at)
        reminders.reminders_send_due(now=at + timedelta(minutes=1))
        reminders.reminders_send_due(now=at + timedelta(minutes=2))
        assert len(_sent(other, origin)) == expected, at


def test_coupon_after_the_third_reminder_created_once(make_supplier):
    user, supplier = make_supplier("verified")
    t0 = timezone.now()
    reminders.reminders_send_due(now=t0 + timedelta(minutes=1))  # 1st: approved
    services.product_save(supplier=supplier, actor=user, data={"title": "Cengkeh", "status": "active"})
    reminders.reminders_send_due(now=t0 + timedelta(minutes=3))  # 2nd: first product
    reminders.reminders_send_due(now=t0 + timedelta(days=1, minutes=5))  # 3rd: day 1
    assert len(_sent(user)) == 3 and Coupon.objects.count() == 0
    assert "kupon" not in _last_message(user).lower()
    reminders.reminders_send_due(now=t0 + timedelta(days=7, minutes=5))  # 4th: the coupon
    coupon = Coupon.objects.get()
    supplier.refresh_from_db()
    assert supplier.promo_code == coupon.code and coupon.item_kinds == "supplier" and coupon.max_uses == 1
    assert coupon.code in _last_message(user)
    reminders.reminders_send_due(now=t0 + timedelta(days=14, minutes=5))  # 5th: the same coupon again
    assert Coupon.objects.count() == 1 and coupon.code in _last_message(user)


def test_coupon_switched_off_by_the_admins(make_supplier, admin_user):
    services.settings_update(actor=admin_user, promo_enabled=False)
    user, _supplier = make_supplier("verified")
    t0 = timezone.now()
    for days in (0, 1, 7, 14, 30):
        reminders.reminders_send_due(now=t0 + timedelta(days=days, minutes=5))
    assert len(_sent(user)) == 5 and Coupon.objects.count() == 0


def test_premium_ending_7_and_1_days_before_and_ended(make_supplier):
    user, supplier = make_supplier("verified", premium_days=10)
    until = supplier.premium_until
    assert reminders.reminders_send_due(now=until - timedelta(days=7) + timedelta(minutes=1)) == 1
    assert reminders.reminders_send_due(now=until - timedelta(days=7) + timedelta(minutes=2)) == 0
    assert reminders.reminders_send_due(now=until - timedelta(days=1) + timedelta(minutes=1)) == 1
    assert reminders.reminders_send_due(now=until + timedelta(minutes=1)) == 1
    assert _sent(user) == [("supplier_premium:ended", 0), ("supplier_premium:ending", 24),
                           ("supplier_premium:ending", 7 * 24)]  # fmt: skip
    keys = set(ReminderSend.objects.filter(user=user).values_list("object_key", flat=True))
    assert keys == {f"sx:{supplier.pk}:{until.astimezone(UTC):%Y%m%d}"}


def test_builder_keeps_supplier_triggers_on_the_supplier_target(admin_user):
    with pytest.raises(ServiceError, match="Pemicu supplier"):
        reminders.sequence_save(actor=admin_user, name="Salah", trigger="supplier_approved", target_type="")
    with pytest.raises(ServiceError, match="Pemicu supplier"):
        reminders.sequence_save(actor=admin_user, name="Salah", trigger="after_purchase", target_type="supplier")
    with pytest.raises(ServiceError, match="Premium"):
        reminders.sequence_save(actor=admin_user, name="Salah", trigger="inactivity", stop_on="upgraded")
    with pytest.raises(ServiceError):
        reminders.sequence_save(
            actor=admin_user, name="Salah", trigger="supplier_approved", target_type="supplier", target_id=5
        )
    seq = reminders.sequence_save(
        actor=admin_user, name="Promo akhir bulan", trigger="supplier_approved", target_type="supplier",
        stop_on="upgraded",
    )  # fmt: skip
    step = reminders.step_save(actor=admin_user, sequence=seq, delay_hours=0, channels=["in_app"],
                               subject="Halo {company}", body="{trial_offer} {promo} {upgrade_link}")  # fmt: skip
    preview = reminders.step_preview(step)
    assert preview["unknown"] == [] and "CV Rempah Nusantara" in preview["in_app"]["title"]


def test_data_migration_maps_settings_and_sent_reminders(make_supplier):
    user, supplier = make_supplier("verified")
    SupplierSettings.objects.update_or_create(pk=1, defaults={
        "reminders_enabled": True,
        "reminder_steps": {"day_7": {"on": False}, "day_1": {"days": 2}, "refused_chat": {"days": 3},
                           "first_product": {"on": False}},
    })  # fmt: skip
    for kind, ref in (("approved", ""), ("day_1", ""), ("day_7", ""), ("refused_chat", ""),
                      ("ending_7", "20270101")):  # fmt: skip
        ReminderSent.objects.create(supplier=supplier, kind=kind, ref=ref)
    ReminderSequence.objects.filter(origin__startswith="supplier_").delete()
    MIGRATION.forwards(django_apps, None)
    MIGRATION.forwards(django_apps, None)  # idempotent
    upgrade = ReminderSequence.objects.get(origin=UPGRADE)
    assert [s.delay_hours for s in upgrade.steps.all()] == [0, 48, 14 * 24, 30 * 24]  # day 7 was off
    assert ReminderSequence.objects.get(origin="supplier_upgrade:refused_chat").days == 3
    assert not ReminderSequence.objects.get(origin="supplier_upgrade:first_product").is_active
    assert "{trial_offer}" in upgrade.steps.first().body and "{promo}" in upgrade.steps.first().body
    sends = set(ReminderSend.objects.filter(user=user).values_list("step__sequence__origin", "step__delay_hours",
                                                                   "object_key"))  # fmt: skip
    assert sends == {
        (UPGRADE, 0, f"sa:{supplier.pk}"),
        (UPGRADE, 48, f"sa:{supplier.pk}"),
        ("supplier_upgrade:refused_chat", 0, f"sr:{supplier.pk}:once"),
        ("supplier_premium:ending", 7 * 24, f"sx:{supplier.pk}:20270101"),
    }
    # nobody gets a reminder twice: the approval was sent by the old sweep
    assert reminders.reminders_send_due(now=timezone.now() + timedelta(minutes=1)) == 0
    assert ReminderSend.objects.filter(user=user).count() == 4


def test_admin_tab_lists_supplier_sequences_admin_only(client, make_user, admin_user, make_supplier):
    url = "/admin/supplier/pengingat"
    supplier_user, _supplier = make_supplier("verified")
    order = list(ReminderSequence.objects.filter(target_type="supplier").order_by("-id").values_list("pk", flat=True))
    for user in (make_user(full_name="Member Biasa"), supplier_user):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.get(f"{url}/analitik").status_code == 403
        response = client.post(f"{url}/urutan", {"sequence_ids": order}, content_type="application/json")
        assert response.status_code == 403
    client.force_login(admin_user)
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as first:
        html = client.get(url).content.decode()
    assert 'aria-current="page" data-tab="pengingat"' in html and "Upgrade Supplier: setelah disetujui" in html
    assert html.count("data-sequence=") == 5 and "?target=supplier:" in html
    for i in range(3):
        reminders.sequence_save(actor=admin_user, name=f"Tambahan {i}", trigger="supplier_approved",
                                target_type="supplier", stop_on="upgraded")  # fmt: skip
    with CaptureQueriesContext(connection) as more:
        html = client.get(url).content.decode()
    assert len(more) == len(first) <= 20 and html.count("data-sequence=") == 8
    assert client.get(f"{url}/analitik").status_code == 200
    assert 'data-tab="pengingat"' in client.get("/admin/supplier/paket").content.decode()
    # drag-and-drop order of the cards (every supplier sequence once)
    order = list(ReminderSequence.objects.filter(target_type="supplier").order_by("-id").values_list("pk", flat=True))
    saved = client.post(f"{url}/urutan", {"sequence_ids": order}, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["sequence_ids"] == order
    bad = client.post(f"{url}/urutan", {"sequence_ids": order[:1]}, content_type="application/json")
    assert bad.status_code == 400 and "muat ulang" in bad.json()["message"]
    assert client.post(f"{url}/urutan", b"\x00{", content_type="application/json").status_code == 400
    # the builder opens prefilled with the supplier target and saves there
    create = client.get("/admin/pengingat/baru?target=supplier:").content.decode()
    assert 'value="supplier:" selected' in create
