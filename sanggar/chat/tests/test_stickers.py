"""Stickers (COM-D13): the built-in pack shipped as static SVGs (no CDN), admin packs by upload (checked by content,
re-encoded), enable / disable; a chat message may be a sticker alone, on the page, in the API and live over the
websocket; GET /stickers lists the active packs."""

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from sanggar.api.testing import call
from sanggar.chat import services, stickers
from sanggar.chat.constants import BUILTIN_STICKERS
from sanggar.chat.models import Message, Sticker, StickerPack
from sanggar.core.exceptions import NotAllowed, ServiceError

pytestmark = pytest.mark.django_db


def _png(size=(300, 200)):
    buffer = io.BytesIO()
    Image.new("RGBA", size, (20, 120, 200, 255)).save(buffer, format="PNG")
    return SimpleUploadedFile("stiker.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def pack():
    return stickers.builtin_ensure()


def test_builtin_pack_ships_at_least_16_static_svgs_served_locally(pack):
    assert len(BUILTIN_STICKERS) >= 16
    rows = list(pack.stickers.all())
    assert len(rows) == len(BUILTIN_STICKERS) and pack.is_builtin
    assert StickerPack.objects.filter(slug=pack.slug).count() == 1  # the migration and builtin_ensure agree
    for sticker in rows:
        found = finders.find(sticker.static_path)
        assert found, sticker.static_path
        text = Path(found).read_text()
        assert text.startswith("<svg") and "http://www.w3.org/2000/svg" in text
        assert "<script" not in text and "href=" not in text  # self-contained: nothing loaded from elsewhere
        assert sticker.url.startswith(django_settings.STATIC_URL)
    assert {s.name for s in rows} >= {"Semangat!", "Terima kasih", "Mantap", "Siap kirim", "Closing!"}
    stickers.builtin_ensure()  # idempotent
    assert pack.stickers.count() == len(BUILTIN_STICKERS)


def test_message_can_be_a_sticker_alone_page_and_api(pack, mentor, student, client):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    semangat = pack.stickers.get(name="Semangat!")
    sent = services.message_send(user=mentor, conversation_id=conversation.pk, body="", sticker=semangat.pk)
    assert sent.message.sticker == semangat and sent.message.body == ""
    payload = services.message_payload(sent.message)
    assert payload["sticker"] == {"id": semangat.pk, "name": "Semangat!", "url": semangat.url}
    client.force_login(student)
    page = client.get(f"/chat/{conversation.pk}").content.decode()
    assert semangat.url in page and 'alt="Semangat!"' in page and "data-sticker-picker" in page
    # the page form: a sticker button sends it
    mantap = pack.stickers.get(name="Mantap")
    r = client.post(f"/chat/{conversation.pk}/kirim", {"body": "", "sticker": str(mantap.pk)})
    assert r.status_code == 302 and Message.objects.filter(sender=student, sticker=mantap).exists()
    # the API: sticker with or without text; the list shows it
    url = f"/chat/conversations/{conversation.pk}/messages"
    r = call(client, "post", url, {"sticker": semangat.pk}, user=student)
    assert r.status_code == 201 and r.json()["sticker"]["id"] == semangat.pk and r.json()["body"] == ""
    listed = call(client, "get", f"/chat/conversations/{conversation.pk}/messages", user=mentor).json()
    assert any(m["sticker"] and m["sticker"]["name"] == "Mantap" for m in listed["results"])


def test_hostile_or_disabled_sticker_is_refused_with_a_reason(pack, mentor, student, client, admin_user):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    url = f"/chat/conversations/{conversation.pk}/messages"
    for bad in ("1; drop", True, 10**12, -1, [1], {"id": 1}):
        r = call(client, "post", url, {"sticker": bad}, user=mentor)
        assert 400 <= r.status_code < 500, bad
    r = call(client, "post", url, {"sticker": 999_999}, user=mentor)
    assert r.status_code == 400 and "Stiker" in r.json()["message"]
    sticker = pack.stickers.first()
    stickers.sticker_set_active(actor=admin_user, sticker=sticker, active=False)
    with pytest.raises(ServiceError):
        services.message_send(user=mentor, conversation_id=conversation.pk, body="", sticker=sticker.pk)
    stickers.sticker_set_active(actor=admin_user, sticker=sticker, active=True)
    stickers.pack_set_active(actor=admin_user, pack=pack, active=False)
    with pytest.raises(ServiceError):
        services.message_send(user=mentor, conversation_id=conversation.pk, body="", sticker=sticker.pk)
    with pytest.raises(ServiceError):  # no sticker and no text: still refused
        services.message_send(user=mentor, conversation_id=conversation.pk, body="  ")
    assert Message.objects.count() == 0


def test_stickers_api_lists_active_packs_only(pack, admin_user, student, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    own = stickers.pack_create(actor=admin_user, name="Tim Ekspor Kopi")
    uploaded = stickers.sticker_add(actor=admin_user, pack=own, name="Kopi siap", image=_png())
    hidden = stickers.pack_create(actor=admin_user, name="Paket Lama")
    stickers.sticker_add(actor=admin_user, pack=hidden, name="Lama", image=_png())
    stickers.pack_set_active(actor=admin_user, pack=hidden, active=False)
    off = pack.stickers.get(name="Cuan!")
    stickers.sticker_set_active(actor=admin_user, sticker=off, active=False)
    r = call(client, "get", "/stickers", user=student)
    assert r.status_code == 200
    names = [p["name"] for p in r.json()]
    assert names == ["Sanggar Ekspor", "Tim Ekspor Kopi"]
    builtin = r.json()[0]
    assert builtin["builtin"] is True and "Cuan!" not in [s["name"] for s in builtin["stickers"]]
    mine = r.json()[1]["stickers"][0]
    assert mine["id"] == uploaded.pk and mine["url"].startswith("http") and "/media/chat/stickers/" in mine["url"]
    assert call(client, "get", "/stickers").status_code == 401


def test_admin_upload_is_checked_by_content_reencoded_and_admin_only(admin_user, student, settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path
    own = stickers.pack_create(actor=admin_user, name="Tim Ekspor")
    sticker = stickers.sticker_add(actor=admin_user, pack=own, name="Siap ekspor", image=_png((900, 300)))
    assert sticker.image.name.startswith("chat/stickers/") and sticker.image.name.endswith(".png")
    with Image.open(sticker.image.path) as stored:
        assert stored.format == "PNG" and stored.size == (512, 512) and stored.getpixel((0, 0))[3] == 0
    fake = SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", content_type="image/png")
    with pytest.raises(ServiceError):
        stickers.sticker_add(actor=admin_user, pack=own, name="Jahat", image=fake)
    settings.CHAT_STICKER_MAX_BYTES = 50
    with pytest.raises(ServiceError):
        stickers.sticker_add(actor=admin_user, pack=own, name="Besar", image=_png())
    with pytest.raises(ServiceError):
        stickers.sticker_add(actor=admin_user, pack=own, name="a\x00b", image=_png())
    with pytest.raises(NotAllowed):
        stickers.pack_create(actor=student, name="Punyaku")
    assert Sticker.objects.filter(pack=own).count() == 1


def test_admin_page_creates_uploads_and_toggles(pack, admin_user, student, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(admin_user)
    page = client.get("/admin/stiker")
    assert page.status_code == 200 and "Sanggar Ekspor" in page.content.decode()
    r = client.post("/admin/stiker", {"action": "pack", "name": "Paket Ramadan"})
    assert r.status_code == 302
    own = StickerPack.objects.get(name="Paket Ramadan")
    r = client.post("/admin/stiker", {"action": "sticker", "pack": own.pk, "name": "Berkah", "image": _png()})
    assert r.status_code == 302 and own.stickers.filter(name="Berkah").exists()
    r = client.post("/admin/stiker", {"action": "pack_toggle", "pack": own.pk}, follow=True)
    own.refresh_from_db()
    assert not own.is_active
    sticker = pack.stickers.first()
    client.post("/admin/stiker", {"action": "sticker_toggle", "sticker": sticker.pk})
    sticker.refresh_from_db()
    assert not sticker.is_active
    bad = client.post(
        "/admin/stiker",
        {"action": "sticker", "pack": own.pk, "name": "Rusak", "image": SimpleUploadedFile("a.png", b"bukan")},
        follow=True,
    )
    assert bad.status_code == 200 and not own.stickers.filter(name="Rusak").exists()
    assert client.post("/admin/stiker", {"action": "sticker_toggle", "sticker": "abc"}).status_code == 302
    client.force_login(student)
    assert client.get("/admin/stiker").status_code in (302, 403)
    assert client.post("/admin/stiker", {"action": "pack", "name": "X"}).status_code in (302, 403)
    assert not StickerPack.objects.filter(name="X").exists()


def test_message_list_query_count_does_not_grow_with_stickers(
    pack, mentor, student, client, django_assert_max_num_queries
):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    client.force_login(mentor)
    client.get(f"/chat/{conversation.pk}")  # warm the picker cache
    services.message_send(user=student, conversation_id=conversation.pk, body="halo")
    with CaptureQueriesContext(connection) as one:  # one unread text message
        client.get(f"/chat/{conversation.pk}")
    for sticker in pack.stickers.all()[:10]:
        services.message_send(user=student, conversation_id=conversation.pk, body="", sticker=sticker.pk)
    with django_assert_max_num_queries(len(one.captured_queries)):  # ten unread sticker messages
        page = client.get(f"/chat/{conversation.pk}")
    assert page.content.decode().count("data-sticker=") >= 10
