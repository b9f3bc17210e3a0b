"""Package rules added for issue 16 (checklist §1.3 §5, §7a–b, §11): the weekly allowance of active chats per package
(enforced where chat opens a supplier conversation and where the supplier replies, shown to the supplier, set by
admins; race-safe), the per-step upgrade reminder schedule, the promo coupon after the third reminder (catalog's
coupon service, Premium supplier package only) and the anti-spam filter on uploaded text and images."""

from datetime import timedelta

import pytest

from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.chat.models import Conversation, Message
from sanggar.chat.services import message_send
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.suppliers import chat_allowance, services
from sanggar.suppliers.constants import ACTION_SETTINGS
from sanggar.suppliers.models import ChatWeekUse, SupplierFile

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
    assert 'name="free_chats_week"' in page and 'name="spam_words"' in page
    assert 'name="step_day_7_days"' not in page and 'data-tab="pengingat"' in page  # the engine's tab now
    form = {"action": "settings", "free_max_products": "1", "premium_max_products": "0", "free_max_images": "3",
            "premium_max_images": "10", "free_max_catalogues": "0", "premium_max_catalogues": "5", "trial_days": "7",
            "free_drafts_month": "3", "premium_drafts_month": "50", "free_chats_week": "4",
            "premium_chats_week": "40", "promo_percent": "25", "promo_days": "10", "spam_max_links": "2",
            "promo": "on", "spam_words": "Murah Banget\nmurah banget\n"}  # fmt: skip
    assert client.post("/admin/supplier/paket", form).status_code == 302
    s = services.settings_get()
    assert (s.free_chats_week, s.premium_chats_week, s.promo_percent, s.promo_days) == (4, 40, 25, 10)
    assert s.spam_words == "murah banget"
    assert ActivityLog.objects.filter(action=ACTION_SETTINGS, actor=admin_user).exists()
    bad = client.post("/admin/supplier/paket", {**form, "free_chats_week": "-1", "promo_percent": "500"})
    assert bad.status_code == 200 and "Periksa kembali" in bad.content.decode()
    assert services.settings_get().free_chats_week == 4
    for payload in ({"free_chats_week": "abc"}, {"free_chats_week": "1\x00"}, {"promo_days": 0},
                    {"spam_words": "a\x00b"}):  # fmt: skip
        response = call(client, "put", "/admin/supplier-settings", payload, user=admin_user)
        assert response.status_code in (400, 422), payload
        assert response.json()["message"], payload
    ok = call(client, "put", "/admin/supplier-settings", {"premium_chats_week": 0}, user=admin_user)
    assert ok.status_code == 200
    assert ok.json()["premium_chats_week"] == 0 and ok.json()["promo_percent"] == 25  # the rest unchanged
    assert set(ok.json()["reminder_steps"]) >= {"approved", "day_30"}  # read from the engine's sequences


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
