"""The signed-in user's own profile pages: profile, notification preferences, security, affiliate application."""

import os
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sanggar.accounts import services
from sanggar.accounts.models import AffiliateApplication, User
from sanggar.audit.models import ActivityLog
from sanggar.core.roles import Role
from sanggar.notifications import notifications as groups
from sanggar.notifications.constants import Channel
from sanggar.notifications.registry import group_keys

pytestmark = pytest.mark.django_db

PAGES = ("/profil/", "/profil/notifikasi", "/profil/keamanan", "/profil/affiliate")
MOTIVATION = "Saya aktif berbagi tips ekspor di Instagram dan grup WhatsApp UMKM."
PROFILE = {"full_name": "Maya Sari", "whatsapp": "0812 3456 7890", "province": "Bali", "city": "Denpasar", "bio": "Hai"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _image(fmt: str, size=(60, 60)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, "#2047FC").save(buffer, format=fmt)
    return buffer.getvalue()


def _upload(name, content, content_type):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize("role", Role.values)
def test_every_role_opens_its_own_profile_pages(client, make_user, role):
    client.force_login(make_user(role))
    for url in PAGES:
        assert client.get(url).status_code == 200, url


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"


def test_profile_update_saves_and_normalises_whatsapp(member_client, member_user):
    response = member_client.post("/profil/", PROFILE)
    assert response.status_code == 302
    assert response["Location"] == "/profil/"
    member_user.refresh_from_db()
    assert (member_user.full_name, member_user.whatsapp, member_user.province, member_user.city, member_user.bio) == (
        "Maya Sari", "+6281234567890", "Bali", "Denpasar", "Hai",
    )  # fmt: skip
    page = member_client.get("/profil/").content.decode()
    assert "Profil berhasil disimpan." in page
    # Changing one's own profile is not an admin action: nothing is written to the activity log.
    assert not ActivityLog.objects.filter(action="user.updated").exists()


def test_an_invalid_whatsapp_shows_a_message_and_saves_nothing(member_client, member_user):
    before = User.objects.get(pk=member_user.pk)
    response = member_client.post("/profil/", {**PROFILE, "whatsapp": "021-555-1234"})
    assert response.status_code == 200
    assert "Nomor WhatsApp tidak valid. Gunakan nomor seluler Indonesia, contoh 081234567890." in (
        response.content.decode()
    )
    after = User.objects.get(pk=member_user.pk)
    assert (after.full_name, after.whatsapp, after.province) == (before.full_name, before.whatsapp, before.province)


def test_a_png_avatar_is_saved_and_can_be_removed(member_client, member_user):
    avatar = _upload("saya.png", _image("PNG"), "image/png")
    assert member_client.post("/profil/", {**PROFILE, "avatar": avatar}).status_code == 302
    member_user.refresh_from_db()
    assert member_user.avatar.name.startswith(f"avatars/{member_user.pk}/")
    assert member_user.avatar.name.endswith(".png")
    assert os.path.exists(member_user.avatar.path)
    assert member_client.post("/profil/", {**PROFILE, "remove_avatar": "on"}).status_code == 302
    member_user.refresh_from_db()
    assert member_user.avatar.name == ""


@pytest.mark.parametrize(
    "upload, message",
    [
        (("anim.gif", _image("GIF"), "image/gif"), "Format foto harus JPG, PNG atau WebP."),
        (("bukan.png", b"ini bukan gambar", "image/png"), "Unggah gambar yang valid."),
    ],
)
def test_avatar_type_is_checked(member_client, member_user, upload, message):
    response = member_client.post("/profil/", {**PROFILE, "avatar": _upload(*upload)})
    assert response.status_code == 200
    assert message in response.content.decode()
    member_user.refresh_from_db()
    assert member_user.avatar.name == ""
    assert member_user.full_name == "Member Uji"


def test_avatar_size_is_checked(member_client, member_user):
    noise = Image.frombytes("RGB", (900, 900), os.urandom(900 * 900 * 3))
    buffer = BytesIO()
    noise.save(buffer, format="PNG")
    assert buffer.tell() > 2 * 1024 * 1024
    response = member_client.post(
        "/profil/", {**PROFILE, "avatar": _upload("besar.png", buffer.getvalue(), "image/png")}
    )
    assert response.status_code == 200
    assert "Ukuran foto maksimal 2 MB." in response.content.decode()
    member_user.refresh_from_db()
    assert member_user.avatar.name == ""


def test_notification_preferences_are_saved(member_client, member_user):
    checked = {f"{groups.COURSE}:{Channel.EMAIL}", f"{groups.SYSTEM}:{Channel.WHATSAPP}"}
    response = member_client.post("/profil/notifikasi", dict.fromkeys(checked, "on"))
    assert response.status_code == 302
    assert response["Location"] == "/profil/notifikasi"
    member_user.refresh_from_db()
    assert member_user.notification_prefs == {
        kind: {channel: f"{kind}:{channel}" in checked for channel in Channel.values} for kind in group_keys()
    }
    assert member_user.channel_enabled(groups.COURSE, Channel.EMAIL) is True
    assert member_user.channel_enabled(groups.COURSE, Channel.PUSH) is False
    page = member_client.get("/profil/notifikasi").content.decode()
    assert f'name="{groups.COURSE}:{Channel.EMAIL}" aria-label' in page
    assert page.count(" checked>") == 2


def test_affiliate_application_flow(member_client, member_user, admin_user):
    page = member_client.get("/profil/affiliate").content.decode()
    assert 'name="motivation"' in page
    # Too short: the form says so and nothing is created.
    response = member_client.post("/profil/affiliate", {"motivation": "Mau komisi", "channels": ""})
    assert response.status_code == 200
    assert AffiliateApplication.objects.count() == 0
    response = member_client.post("/profil/affiliate", {"motivation": MOTIVATION, "channels": "Instagram"})
    assert response.status_code == 302
    [application] = AffiliateApplication.objects.all()
    assert (application.user, application.status, application.channels) == (member_user, "pending", "Instagram")
    page = member_client.get("/profil/affiliate").content.decode()
    assert "Pengajuan terkirim. Admin akan meninjau dan Anda akan diberi tahu." in page
    assert "Pengajuan sedang ditinjau" in page
    assert 'name="motivation"' not in page
    # Posting again while pending creates nothing.
    member_client.post("/profil/affiliate", {"motivation": MOTIVATION, "channels": ""})
    assert AffiliateApplication.objects.count() == 1
    # Once approved, the page says so.
    services.affiliate_application_decide(application=application, actor=admin_user, approve=True)
    page = member_client.get("/profil/affiliate").content.decode()
    assert "Anda sudah menjadi affiliate" in page
    assert "Disetujui" in page
