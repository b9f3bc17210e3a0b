"""Package rules added for issue 16 (checklist §1.3 §5, §7a–b, §11): the weekly allowance of active chats per package
(enforced where chat opens a supplier conversation and where the supplier replies, shown to the supplier, set by
admins; race-safe), the per-step upgrade reminder schedule, the promo coupon after the third reminder (catalog's
coupon service, Premium supplier package only) and the anti-spam filter on uploaded text and images."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.catalog.models import Coupon
from sanggar.catalog.services import CouponLine, coupon_check
from sanggar.chat.models import Conversation, Message
from sanggar.chat.services import message_send
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.orders.checkout import checkout_place
from sanggar.orders.services import ItemRequest
from sanggar.suppliers import chat_allowance, services
from sanggar.suppliers.constants import ACTION_SETTINGS, ReminderKind
from sanggar.suppliers.models import ChatWeekUse, ReminderSent, Supplier, SupplierFile

from .conftest import png

pytestmark = pytest.mark.django_db


@pytest.fixture
def premium_members(make_user, monkeypatch):
    monkeypatch.setattr("sanggar.chat.policy.is_premium", lambda *, user: True)  # the members hold a membership
    return [make_user(full_name=f"Pembeli {i}") for i in range(3)]


def _set(admin_user, **values):
    return services.settings_update(actor=admin_user, **values)


# ---------------------------------------------------------------------------------------------------------------
# Weekly allowance of active chats


def test_free_supplier_chats_within_the_weekly_allowance(make_supplier, premium_members, admin_user):
    a, b, c = premium_members
    s_user, supplier = make_supplier("verified")
    # default: Free suppliers do not chat (§5)
    assert chat_allowance.chat_week(supplier).limit == 0
    with pytest.raises(NotAllowed):
        services.contact(supplier=supplier, member=a)
    _set(admin_user, free_chats_week=2)
    first = services.contact(supplier=supplier, member=a)
    message_send(user=s_user, conversation_id=first.pk, body="Halo, ada yang bisa kami bantu?")
    message_send(user=s_user, conversation_id=first.pk, body="Replies in one conversation count once")
    second = services.contact(supplier=supplier, member=b)
    week = chat_allowance.chat_week(supplier)
    assert (week.limit, week.used, week.remaining) == (2, 2, 0)
    with pytest.raises(NotAllowed, match="batas chat minggu ini"):
        services.contact(supplier=supplier, member=c)
    assert Conversation.objects.count() == 2  # the refused conversation was rolled back
    assert ChatWeekUse.objects.filter(supplier=supplier).count() == 2
    # next week: the old conversations still work, each counted once again when the supplier replies
    ChatWeekUse.objects.update(week=chat_allowance.week_start() - timedelta(days=7))
    assert chat_allowance.chat_week(supplier).used == 0
    message_send(user=s_user, conversation_id=second.pk, body="Minggu baru")
    message_send(user=b, conversation_id=second.pk, body="Members' messages are not counted")
    services.contact(supplier=supplier, member=c)
    with pytest.raises(NotAllowed, match="Batas 2 chat aktif per minggu") as refused:
        message_send(user=s_user, conversation_id=first.pk, body="Over the cap")
    assert "Supplier Premium" in str(refused.value)
    assert not Message.objects.filter(body="Over the cap").exists()


def test_premium_supplier_cap_and_no_cap(make_supplier, premium_members, admin_user):
    a, b, _c = premium_members
    s_user, supplier = make_supplier("verified", premium_days=30)
    assert chat_allowance.chat_week(supplier).limit is None  # default: Premium without a cap
    one = services.contact(supplier=supplier, member=a)
    _set(admin_user, premium_chats_week=1)
    with pytest.raises(NotAllowed, match="batas chat minggu ini"):
        services.contact(supplier=supplier, member=b)
    message_send(user=s_user, conversation_id=one.pk, body="Tetap bisa membalas percakapan yang sudah dihitung")
    with pytest.raises(NotAllowed) as refused:
        ChatWeekUse.objects.all().delete()
        ChatWeekUse.objects.create(supplier=supplier, week=chat_allowance.week_start(), conversation_id=999_999)
        message_send(user=s_user, conversation_id=one.pk, body="x")
    assert "Tambah batas" not in str(refused.value)  # already Premium: no upgrade line


def test_remaining_chats_on_the_pages_and_api(client, make_supplier, premium_members, admin_user):
    s_user, supplier = make_supplier("verified")
    client.force_login(s_user)
    assert "belum bisa menerima dan membalas chat" in client.get("/supplier/chat").content.decode()
    _set(admin_user, free_chats_week=3)
    services.contact(supplier=supplier, member=premium_members[0])
    for path in ("/supplier/chat", "/supplier/dasbor"):
        html = client.get(path).content.decode()
        assert "Sisa chat aktif minggu ini: <strong>2 dari 3</strong>" in html, path
    data = call(client, "get", "/me/supplier", user=s_user).json()["chat_week"]
    assert (data["limit"], data["used"], data["remaining"]) == (3, 1, 2)
    assert data["week_start"] == chat_allowance.week_start().isoformat()
    # a member hits the cap through the API: 403 with the reason, nothing opened
    _set(admin_user, free_chats_week=1)
    response = call(client, "post", f"/suppliers/{supplier.slug}/contact", user=premium_members[1])
    assert response.status_code == 403 and "batas chat minggu ini" in response.json()["message"]
    assert Conversation.objects.count() == 1


def test_admin_sets_the_allowance_page_api_denial_and_hostile_input(client, make_supplier, admin_user, make_user):
    member = make_user()
    client.force_login(member)
    assert client.post("/admin/supplier/paket", {"action": "settings", "free_chats_week": "9"}).status_code in (
        302,
        403,
    )
    assert call(client, "put", "/admin/supplier-settings", {"free_chats_week": 9}, user=member).status_code == 403
    assert call(client, "get", "/admin/supplier-settings", user=member).status_code == 403
    assert services.settings_get().free_chats_week == 0
    client.force_login(admin_user)
    page = client.get("/admin/supplier/paket").content.decode()
    assert 'name="free_chats_week"' in page and 'name="step_day_7_days"' in page and 'name="spam_words"' in page
    form = {"action": "settings", "free_max_products": "1", "premium_max_products": "0", "free_max_images": "3",
            "premium_max_images": "10", "free_max_catalogues": "0", "premium_max_catalogues": "5", "trial_days": "7",
            "free_drafts_month": "3", "premium_drafts_month": "50", "free_chats_week": "4",
            "premium_chats_week": "40", "promo_percent": "25", "promo_days": "10", "spam_max_links": "2",
            "reminders": "on", "promo": "on", "spam_words": "Murah Banget\nmurah banget\n", "step_approved_on": "on",
            "step_day_7_on": "on", "step_day_7_days": "5"}  # fmt: skip
    assert client.post("/admin/supplier/paket", form).status_code == 302
    s = services.settings_get()
    assert (s.free_chats_week, s.premium_chats_week, s.promo_percent, s.promo_days) == (4, 40, 25, 10)
    assert s.spam_words == "murah banget"
    steps = services.reminder_steps(s)
    assert steps["day_7"] == {"on": True, "days": 5} and not steps["day_14"]["on"] and steps["approved"]["on"]
    assert ActivityLog.objects.filter(action=ACTION_SETTINGS, actor=admin_user).exists()
    bad = client.post("/admin/supplier/paket", {**form, "free_chats_week": "-1", "promo_percent": "500"})
    assert bad.status_code == 200 and "Periksa kembali" in bad.content.decode()
    assert services.settings_get().free_chats_week == 4
    for payload in ({"free_chats_week": "abc"}, {"free_chats_week": "1\x00"}, {"promo_days": 0},
                    {"reminder_steps": {"day_7": {"days": "x"}}}, {"reminder_steps": {"hack": {"on": True}}},
                    {"reminder_steps": {"day_1": {"days": 0}}}, {"spam_words": "a\x00b"}):  # fmt: skip
        response = call(client, "put", "/admin/supplier-settings", payload, user=admin_user)
        assert response.status_code in (400, 422), payload
        assert response.json()["message"], payload
    ok = call(client, "put", "/admin/supplier-settings",
              {"premium_chats_week": 0, "reminder_steps": {"refused_chat": {"days": 3}}}, user=admin_user)  # fmt: skip
    assert ok.status_code == 200
    assert ok.json()["premium_chats_week"] == 0 and ok.json()["reminder_steps"]["refused_chat"]["days"] == 3
    assert ok.json()["reminder_steps"]["day_7"] == {"on": True, "days": 5}  # the rest unchanged


# ---------------------------------------------------------------------------------------------------------------
# Reminder schedule and promo coupon


def _upgrade_notifications(user):
    return user.notifications.filter(data__template="suppliers.upgrade")


def test_reminder_steps_switch_and_days(make_supplier, admin_user):
    user, supplier = make_supplier("verified")  # "approved" reminder sent on the decision
    assert ReminderSent.objects.filter(supplier=supplier, kind=ReminderKind.APPROVED).exists()
    _set(admin_user, reminder_steps={"day_1": {"on": False}, "day_7": {"days": 3}})
    Supplier.objects.filter(pk=supplier.pk).update(decided_at=timezone.now() - timedelta(days=1, hours=1))
    assert services.reminders_sweep()["upgrade"] == 0  # day 1 is off
    Supplier.objects.filter(pk=supplier.pk).update(decided_at=timezone.now() - timedelta(days=3, hours=1))
    assert services.reminders_sweep()["upgrade"] == 1  # "day_7" moved to day 3
    assert ReminderSent.objects.filter(supplier=supplier, kind=ReminderKind.DAY_7).exists()
    # a late sweep sends the latest due step only
    other_user, other = make_supplier("verified", name="PT Telat")
    Supplier.objects.filter(pk=other.pk).update(decided_at=timezone.now() - timedelta(days=15))
    _set(admin_user, reminder_steps={"day_1": {"on": True}})
    assert services.reminders_sweep()["upgrade"] == 1
    assert list(ReminderSent.objects.filter(supplier=other).exclude(kind="approved").values_list("kind", flat=True)) \
        == ["day_14"]  # fmt: skip
    # an event step switched off
    _set(admin_user, reminder_steps={"first_product": {"on": False}})
    services.product_save(supplier=other, actor=other_user, data={"title": "Kopi Gayo", "status": "active"})
    assert not ReminderSent.objects.filter(supplier=other, kind=ReminderKind.FIRST_PRODUCT).exists()


def test_refused_chat_reminder_repeats_after_the_pause(make_supplier, admin_user, premium_members):
    _user, supplier = make_supplier("verified")
    for member in premium_members[:2]:
        with pytest.raises(NotAllowed):
            services.contact(supplier=supplier, member=member)
    assert ReminderSent.objects.filter(supplier=supplier, kind=ReminderKind.REFUSED_CHAT).count() == 1  # once
    _set(admin_user, reminder_steps={"refused_chat": {"days": 2}})
    with pytest.raises(NotAllowed):
        services.contact(supplier=supplier, member=premium_members[2])
    assert ReminderSent.objects.filter(supplier=supplier, kind=ReminderKind.REFUSED_CHAT).count() == 2
    with pytest.raises(NotAllowed):
        services.contact(supplier=supplier, member=premium_members[0])
    assert ReminderSent.objects.filter(supplier=supplier, kind=ReminderKind.REFUSED_CHAT).count() == 2  # paused


def test_promo_coupon_after_the_third_reminder_for_premium_supplier_only(client, make_supplier, admin_user, settings):
    settings.PAYMENT_PROVIDERS = ["manual"]
    settings.MANUAL_UNIQUE_CODE = False
    plan = services.plan_save(actor=admin_user, name="Premium 1 Bulan", duration_days=30, price=100_000)
    user, supplier = make_supplier("verified")  # 1st reminder: approved
    services.product_save(supplier=supplier, actor=user, data={"title": "Cengkeh", "status": "active"})  # 2nd
    assert services.upgrade_remind(supplier=supplier, kind=ReminderKind.DAY_1)  # 3rd
    assert Coupon.objects.count() == 0
    assert all("kupon" not in n.message for n in _upgrade_notifications(user))
    assert services.upgrade_remind(supplier=supplier, kind=ReminderKind.DAY_7)  # 4th: the coupon
    supplier.refresh_from_db()
    coupon = Coupon.objects.get()
    assert supplier.promo_code == coupon.code and coupon.code.startswith("SUPPLIER-")
    assert coupon.item_kinds == "supplier" and coupon.value == 20 and coupon.max_uses == 1
    assert (coupon.valid_until - timezone.now()).days in (13, 14)
    latest = _upgrade_notifications(user).order_by("-id").first()
    assert coupon.code in latest.message
    assert services.upgrade_remind(supplier=supplier, kind=ReminderKind.DAY_14)  # repeated, not a second coupon
    assert Coupon.objects.count() == 1 and coupon.code in _upgrade_notifications(user).order_by("-id").first().message
    assert ActivityLog.objects.filter(data__reason="suppliers.promo").count() == 1
    client.force_login(admin_user)  # the admin's reminder log on the supplier's page
    log = client.get(f"/admin/supplier/{supplier.pk}").content.decode()
    assert 'id="reminder-log"' in log and coupon.code in log and "14 hari tanpa upgrade" in log
    # valid for the Premium supplier package only
    for line in (CouponLine("plan", 1, None, 1_200_000), CouponLine("product", None, 1, 300_000)):
        refused = coupon_check(code=coupon.code, user=user, lines=[line])
        assert not refused.valid and "tidak berlaku" in refused.message
    result = checkout_place(buyer=user, items=[ItemRequest(kind="supplier", slug=plan.slug)],
                            coupon_code=coupon.code.lower(), provider="manual")  # fmt: skip
    assert result.order.total == 80_000


def test_promo_switched_off(make_supplier, admin_user):
    _set(admin_user, promo_enabled=False)
    user, supplier = make_supplier("verified")
    for kind in (ReminderKind.DAY_1, ReminderKind.DAY_7, ReminderKind.DAY_14, ReminderKind.DAY_30):
        services.upgrade_remind(supplier=supplier, kind=kind)
    assert Coupon.objects.count() == 0 and not Supplier.objects.get(pk=supplier.pk).promo_code


# ---------------------------------------------------------------------------------------------------------------
# Anti-spam on uploads


@pytest.mark.parametrize(
    ("field", "text", "reason"),
    [
        ("title", "Slot GACOR cengkeh", "tidak diizinkan"),
        ("description", "<p>Kunjungi https://a.id https://b.id https://c.id https://d.id</p>", "Terlalu banyak tautan"),
        ("description", "Murah!!!!!!!!!!!!!!", "diulang-ulang"),
        ("description", "beli beli beli beli beli beli beli", "diulang-ulang"),
        ("description", "Hubungi WA 0812-3456-7890 sekarang", "nomor telepon atau email"),
        ("description", "Email: jual@rempah.co.id", "nomor telepon atau email"),
        ("title", "Kopi murah banget", "tidak diizinkan"),
    ],
)
def test_spam_text_is_refused_on_products(make_supplier, admin_user, field, text, reason):
    _set(admin_user, spam_words="murah banget")
    user, supplier = make_supplier("verified", premium_days=30)
    data = {"title": "Kopi Gayo", "status": "active", field: text}
    with pytest.raises(ServiceError) as refused:
        services.product_save(supplier=supplier, actor=user, data=data)
    assert reason in refused.value.errors[field][0]
    assert not supplier.products.exists()
    ok = services.product_save(
        supplier=supplier,
        actor=user,
        data={
            "title": "Kopi Gayo 2 ton, grade 1",
            "description": "<p>Kopi arabika Gayo, petik merah. Lihat https://kopi.id</p>",
        },
    )
    assert ok.pk


def test_spam_on_profile_text_captions_and_duplicate_images(client, make_supplier):
    user, supplier = make_supplier("onboarding")
    with pytest.raises(ServiceError) as refused:
        services.profile_update(supplier=supplier, actor=user, tab="profil",
                                data={"short_description": "Judi online terpercaya"})  # fmt: skip
    assert "tidak diizinkan" in refused.value.errors["short_description"][0]
    image = png(colour=7)
    services.file_add(supplier=supplier, actor=user, kind="photo", file=image)
    with pytest.raises(ServiceError, match="Gambar yang sama"):
        services.file_add(supplier=supplier, actor=user, kind="photo", file=png(colour=7))
    with pytest.raises(ServiceError, match="tidak diizinkan"):
        services.file_add(supplier=supplier, actor=user, kind="photo", file=png(), caption="slot gacor")
    assert SupplierFile.objects.filter(supplier=supplier, kind="photo").count() == 1
    # page and API say why in Indonesian
    client.force_login(user)
    page = client.post("/supplier/onboarding/profil/profil", {"short_description": "TOGEL hari ini"})
    assert page.status_code == 200 and "tidak diizinkan" in page.content.decode()
    api = call(client, "post", "/me/supplier/profile/profil", {"short_description": "pinjol cepat"}, user=user)
    assert api.status_code == 400 and "tidak diizinkan" in api.json()["errors"]["short_description"][0]
