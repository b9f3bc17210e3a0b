"""Per-group switches for each post feature and pre-moderation: set on the settings page and the API by the group's
owner and admins (audited), enforced by the post, comment, story and scheduling services for everyone in the group
(a clear Indonesian message; the API answers 403 with the field and reason)."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.community import features, scheduled, services, stories
from sanggar.community.models import Post
from sanggar.core.exceptions import NotAllowed, ServiceError

from .world import World

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 8
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" + b"\x00" * 500


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.COMMUNITY_POST_RATE_LIMIT = settings.COMMUNITY_POST_IP_RATE_LIMIT = "1000/3600"
    settings.COMMUNITY_STORY_RATE_LIMIT = settings.COMMUNITY_STORY_IP_RATE_LIMIT = "1000/3600"
    settings.COMMUNITY_SCHEDULE_RATE_LIMIT = settings.COMMUNITY_SCHEDULE_IP_RATE_LIMIT = "1000/3600"
    return World(make_user, admin_user)


def png():
    buf = io.BytesIO()
    Image.new("RGB", (30, 20), "blue").save(buf, "PNG")
    return SimpleUploadedFile("a.png", buf.getvalue(), content_type="image/png")


def off(world, *keys, group=None):
    return features.group_features_update(
        actor=world.admin, group=group or world.hidden, features=dict.fromkeys(keys, False)
    )


CASES = [
    ("photo", lambda: {"image": png()}, "foto"),
    ("video", lambda: {"video_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"}, "video"),
    ("video", lambda: {"media": SimpleUploadedFile("a.mp4", MP4)}, "video"),
    ("audio", lambda: {"media": SimpleUploadedFile("a.mp3", MP3)}, "audio"),
    ("document", lambda: {"document": SimpleUploadedFile("a.pdf", b"%PDF-1.4 test")}, "dokumen"),
    ("poll", lambda: {"poll": ["Ya", "Tidak"]}, "polling"),
    ("link", lambda: {"link_url": "https://example.com/a"}, "tautan"),
    ("location", lambda: {"location_name": "Pelabuhan Tanjung Priok"}, "lokasi"),
    ("quote", lambda: {"background": "biru"}, "kutipan berlatar warna"),
]


@pytest.mark.parametrize("key,fields,label", CASES)
def test_a_switched_off_feature_is_refused_for_everyone(world, key, fields, label):
    assert services.post_create(user=world.premium, group=world.hidden, body="Isi", **fields()).pk
    off(world, key)
    world.hidden.refresh_from_db()
    for user in (world.premium, world.admin):  # moderators and site admins too
        with pytest.raises(NotAllowed) as exc:
            services.post_create(user=user, group=world.hidden, body="Isi", **fields())
        assert exc.value.message == f"Fitur {label} dimatikan di grup ini." and exc.value.code == "feature_disabled"
    assert services.post_create(user=world.premium, group=world.hidden, body="Teks biasa tetap boleh").pk


def test_comments_story_and_scheduled_posts_follow_the_switches(world):
    post = services.post_create(user=world.premium, group=world.hidden, body="Halo")
    off(world, "comments", "story", "poll")
    world.hidden.refresh_from_db()
    post.refresh_from_db()
    with pytest.raises(NotAllowed, match="komentar dimatikan"):
        services.comment_create(user=world.premium, post=post, body="Komentar")
    with pytest.raises(NotAllowed, match="story dimatikan"):
        stories.story_create(user=world.premium, text="Story", group=world.hidden)
    assert stories.story_create(user=world.premium, text="Story tanpa grup").pk  # the switch is the group's
    with pytest.raises(NotAllowed, match="polling dimatikan"):
        scheduled.scheduled_post_create(
            user=world.premium,
            group=world.hidden,
            scheduled_at=timezone.now() + timedelta(hours=1),
            body="Nanti",
            poll=["A", "B"],
        )


def test_old_switches_are_the_photo_and_poll_features(world):
    world.hidden.allow_polls = False
    world.hidden.save(update_fields=["allow_polls"])
    assert features.features_of(world.hidden)["poll"] is False
    group = features.group_features_update(actor=world.admin, group=world.hidden, features={"poll": True})
    assert group.allow_polls is True and features.features_of(group)["poll"] is True


def test_pre_moderation_and_audit(world):
    features.group_features_update(actor=world.admin, group=world.public, require_approval=True)
    world.public.refresh_from_db()
    post = services.post_create(user=world.premium, group=world.public, body="Menunggu")
    assert post.status == "pending"
    rows = ActivityLog.objects.filter(action="community.features")
    assert rows.count() == 1 and rows.get().data == {"changed": {"require_approval": True}}
    features.group_features_update(actor=world.admin, group=world.public, features={"photo": True})
    assert rows.count() == 1  # nothing changed: no row


def test_only_owner_and_admins_switch_and_input_is_checked(world):
    with pytest.raises(NotAllowed):
        features.group_features_update(actor=world.premium, group=world.hidden, features={"poll": False})
    with pytest.raises(ServiceError):
        features.group_features_update(actor=world.admin, group=world.hidden, features={"telepati": False})
    with pytest.raises(ServiceError):
        features.group_features_update(actor=world.admin, group=world.hidden, features={"poll": "no"})
    world.hidden.refresh_from_db()
    assert all(features.features_of(world.hidden).values())


def test_settings_page(world, client):
    client.force_login(world.admin)
    page = client.get(f"/komunitas/grup/{world.hidden.slug}/pengaturan").content.decode()
    assert 'id="features-form"' in page and "Kutipan berlatar warna" in page
    data = {f"feature_{k}": "1" for k in features.FEATURE_KEYS if k != "document"}
    data["require_approval"] = "1"
    r = client.post(f"/komunitas/grup/{world.hidden.slug}/fitur", data)
    assert r.status_code == 302
    world.hidden.refresh_from_db()
    assert features.features_of(world.hidden)["document"] is False and world.hidden.require_approval
    client.force_login(world.premium)
    assert client.post(f"/komunitas/grup/{world.hidden.slug}/fitur", {}).status_code == 403
    client.force_login(world.outsider)
    assert client.post(f"/komunitas/grup/{world.hidden.slug}/fitur", {}).status_code == 404
    world.hidden.refresh_from_db()
    assert features.features_of(world.hidden)["photo"] is True


def test_api(world, client):
    slug = world.hidden.slug
    r = call(client, "get", f"/groups/{slug}/features", user=world.premium)
    assert r.status_code == 200 and r.json()["features"]["poll"] is True
    assert call(client, "get", f"/groups/{slug}/features", user=world.outsider).status_code == 404
    r = call(client, "put", f"/groups/{slug}/features", {"features": {"poll": False}}, user=world.premium)
    assert r.status_code == 403
    r = call(client, "put", f"/groups/{slug}/features", {"features": {"poll": False}}, user=world.admin)
    assert r.status_code == 200 and r.json()["features"]["poll"] is False
    bad = call(client, "put", f"/groups/{slug}/features", {"features": {"x": False}}, user=world.admin)
    assert bad.status_code == 400
    r = call(client, "post", f"/groups/{slug}/posts", {"body": "Pilih", "poll": ["A", "B"]}, user=world.premium)
    assert r.status_code == 403
    assert r.json()["message"] == "Fitur polling dimatikan di grup ini." and "poll" in r.json()["errors"]
    assert not Post.objects.filter(body="Pilih").exists()
