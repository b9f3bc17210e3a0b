"""The admin's video host allow-list (page, API, audit, enforced by lesson validation and on the player), the
study reminders' send hour (setting, page, API, the hourly beat run sending only at that hour), and the embedded
YouTube / Vimeo player's resume (`video.embed_player`, the page's postMessage listener, the position endpoint)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.learning import services
from sanggar.learning import video as videos
from sanggar.learning.models import Enrollment, LessonProgress, VideoHost
from sanggar.notifications.models import SmartRule, SmartRuleFiring

from .world import World

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LEARNING_VIDEO_HOSTS = []
    SmartRule.objects.create(key="learning.inactive", value=7)  # the smart rule holds the idle days
    settings.LEARNING_REMINDER_SEND_HOUR = 9
    return World(make_user, admin_user)


def _video(world, url):
    module = world.course.modules.first()
    return services.lesson_save(
        actor=world.admin, module=module, data={"title": "Video tamu", "kind": "video", "video_url": url}
    )


# --- video hosts ---


def test_video_host_service_validation_and_audit(world, client):
    with pytest.raises(ServiceError):
        _video(world, "https://video.contoh.com/embed/1")
    item = services.video_host_add(actor=world.admin, host="  Video.Contoh.COM ")
    assert item.host == "video.contoh.com"
    assert services.video_host_add(actor=world.admin, host="video.contoh.com").pk == item.pk  # once
    assert ActivityLog.objects.filter(action="learning.video_host_added").count() == 1
    lesson = _video(world, "https://video.contoh.com/embed/1")
    assert lesson.video_url == "https://video.contoh.com/embed/1"
    api_path = f"/courses/{world.course.slug}/lessons/{lesson.pk}"
    assert call(client, "get", api_path, user=world.admin).json()["video_url"] == lesson.video_url
    for hostile in ("https://video.contoh.com", "*.contoh.com", "localhost", "10.0.0.1", "a b.com", "x\x00.com", ""):
        with pytest.raises(ServiceError):
            services.video_host_add(actor=world.admin, host=hostile)
    with pytest.raises(NotAllowed):
        services.video_host_add(actor=world.mentor, host="lain.contoh.com")
    with pytest.raises(NotAllowed):
        services.video_host_remove(actor=world.mentor, host=item)
    services.video_host_remove(actor=world.admin, host=item)
    assert ActivityLog.objects.filter(action="learning.video_host_removed").count() == 1
    with pytest.raises(ServiceError):
        _video(world, "https://video.contoh.com/embed/2")
    # the player no longer shows a removed host's iframe
    assert videos.embed_player(video_url=lesson.video_url) is None
    assert call(client, "get", api_path, user=world.admin).json()["video_url"] == ""  # nor to the apps


def test_video_host_page(world, client):
    url = reverse("learning:admin_video_hosts")
    client.force_login(world.admin)
    assert client.get(url).status_code == 200
    assert client.post(url, {"host": "stream.contoh.id"}).status_code == 302
    page = client.get(url).content.decode()
    assert 'data-host="stream.contoh.id"' in page
    bad = client.post(url, {"host": "https://evil.com/<script>"})
    assert bad.status_code == 400 and "Nama host tidak valid" in bad.content.decode()
    assert client.post(url, {"remove": "999999999999999999999"}).status_code == 404
    item = VideoHost.objects.get()
    assert client.post(url, {"remove": str(item.pk)}).status_code == 302
    assert not VideoHost.objects.exists()
    client.force_login(world.mentor)
    assert client.get(url).status_code == 403
    assert client.post(url, {"host": "x.contoh.com"}).status_code == 403 and not VideoHost.objects.exists()


def test_video_host_api(world, client):
    added = call(client, "post", "/admin/video-hosts", {"host": "cdn.contoh.id"}, user=world.admin)
    assert added.status_code == 201 and added.json()["host"] == "cdn.contoh.id"
    listing = call(client, "get", "/admin/video-hosts", user=world.admin).json()
    assert [h["host"] for h in listing["results"]] == ["cdn.contoh.id"]
    assert call(client, "post", "/admin/video-hosts", {"host": "not a host"}, user=world.admin).status_code == 400
    assert call(client, "post", "/admin/video-hosts", {"host": "m.contoh.id"}, user=world.mentor).status_code == 403
    assert call(client, "get", "/admin/video-hosts", user=world.member).status_code == 403
    assert call(client, "delete", "/admin/video-hosts/0", user=world.admin).status_code == 404
    host_id = added.json()["id"]
    assert call(client, "delete", f"/admin/video-hosts/{host_id}", user=world.mentor).status_code == 403
    assert call(client, "delete", f"/admin/video-hosts/{host_id}", user=world.admin).status_code == 204
    assert not VideoHost.objects.exists()


# --- reminder send hour ---


def _idle_member(world, now):
    lesson = world.course.lessons.order_by("pk").first()
    services.lesson_open(user=world.member, lesson=lesson, now=now - timedelta(days=10))


def test_beat_run_sends_only_at_the_send_hour(world):
    at_nine = datetime(2026, 3, 2, 9, 0, tzinfo=WIB)
    _idle_member(world, at_nine)
    assert services.study_reminders_sweep(now=at_nine - timedelta(hours=1), scheduled=True) == 0
    assert services.study_reminders_sweep(now=at_nine, scheduled=True) == 1
    services.reminder_settings_save(actor=world.admin, data={"idle_days": 7, "send_hour": 19})
    Enrollment.objects.update(reminded_at=None)
    SmartRuleFiring.objects.filter(rule="learning.inactive").delete()  # the smart rule fires once per idle stretch
    assert services.study_reminders_sweep(now=at_nine, scheduled=True) == 0
    assert services.study_reminders_sweep(now=at_nine.replace(hour=19), scheduled=True) == 1
    assert services.study_reminders_sweep(now=at_nine.replace(hour=19), scheduled=True) == 0  # safe twice
    log = ActivityLog.objects.filter(action="learning.reminder_settings").latest("pk")
    assert log.data["send_hour"] == 19


def test_send_hour_setting_default_and_validation(world, settings):
    settings.LEARNING_REMINDER_SEND_HOUR = 6
    assert services.reminder_settings().send_hour == 6
    # saving without the hour keeps the configured default
    assert services.reminder_settings_save(actor=world.admin, data={"idle_days": 3}).send_hour == 6
    for bad in (24, -1, "x", "9\x00", None, True):
        with pytest.raises(ServiceError):
            services.reminder_settings_save(actor=world.admin, data={"idle_days": 3, "send_hour": bad})
    assert services.reminder_settings().send_hour == 6


def test_send_hour_page_and_api(world, client):
    url = reverse("learning:admin_reminder_settings")
    client.force_login(world.admin)
    page = client.get(url).content.decode()
    assert 'name="send_hour"' in page and '<option value="9" selected>09.00</option>' in page
    response = client.post(url, {"idle_days": "5", "send_hour": "20", "title": "Hai", "message": "Ayo belajar"})
    assert response.status_code == 302 and services.reminder_settings().send_hour == 20
    assert client.post(url, {"idle_days": "5", "send_hour": "99", "title": "t", "message": "m"}).status_code == 400
    got = call(client, "get", "/admin/learning-reminders", user=world.admin).json()
    assert got == {"idle_days": 5, "send_hour": 20, "email_enabled": False, "whatsapp_enabled": False}
    put = call(
        client,
        "put",
        "/admin/learning-reminders",
        {"idle_days": 4, "send_hour": 7, "email_enabled": True, "whatsapp_enabled": False},
        user=world.admin,
    )
    assert put.status_code == 200 and put.json()["send_hour"] == 7
    bad = call(client, "put", "/admin/learning-reminders", {"idle_days": 4, "send_hour": 30}, user=world.admin)
    assert bad.status_code == 400
    assert call(client, "get", "/admin/learning-reminders", user=world.mentor).status_code == 403
    assert call(client, "put", "/admin/learning-reminders", {"idle_days": 2}, user=world.mentor).status_code == 403
    assert services.reminder_settings().idle_days == 4


# --- embedded video resume ---


def test_embed_player_resume_sources():
    yt = videos.embed_player(
        video_url="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", position=75, page_origin="https://s.id"
    )
    assert yt.provider == "youtube" and yt.origin == "https://www.youtube-nocookie.com"
    assert "enablejsapi=1" in yt.src and "start=75" in yt.src and "origin=https%3A%2F%2Fs.id" in yt.src
    vimeo = videos.embed_player(video_url="https://player.vimeo.com/video/12345", position=30)
    assert vimeo.provider == "vimeo" and vimeo.src.endswith("#t=30s") and "api=1" in vimeo.src
    assert videos.embed_player(video_url="https://player.vimeo.com/video/12345").src.endswith("dnt=1")
    assert videos.embed_player(video_url="javascript:alert(1)") is None
    assert videos.embed_player(video_url="https://evil.example.com/x") is None


def test_lesson_page_listens_to_the_player_and_saves_the_second(world, client):
    lesson = world.course.lessons.filter(kind="video").order_by("pk").first()
    client.force_login(world.member)
    url = reverse("learning:lesson", args=[world.course.slug, lesson.pk])
    html = client.get(url).content.decode()
    assert 'data-provider="youtube"' in html and 'event: "listening"' in html
    assert "enablejsapi=1" in html
    # the page's script posts here; the second comes back on the next visit (start=)
    position_url = reverse("learning:lesson_position", args=[world.course.slug, lesson.pk])
    assert client.post(position_url, {"seconds": "142"}).json() == {"ok": True}
    assert LessonProgress.objects.get(user=world.member, lesson=lesson).position_seconds == 142
    assert "start=142" in client.get(url).content.decode()
    assert client.post(position_url, {"seconds": "-5"}).status_code == 400
    assert client.post(position_url, {"seconds": "99999999"}).status_code == 400
    api = call(
        client,
        "post",
        f"/courses/{world.course.slug}/lessons/{lesson.pk}/position",
        {"seconds": 200},
        user=world.member,
    )
    assert api.status_code == 200
    got = call(client, "get", f"/courses/{world.course.slug}/lessons/{lesson.pk}", user=world.member).json()
    assert got["position_seconds"] == 200
    # a member without access saves nothing
    denied = call(
        client, "post", f"/courses/{world.course.slug}/lessons/{lesson.pk}/position", {"seconds": 5}, user=world.free
    )
    assert denied.status_code == 403
    assert not LessonProgress.objects.filter(user=world.free).exists()


def test_vimeo_lesson_page(world, client):
    module = world.course.modules.first()
    lesson = services.lesson_save(
        actor=world.admin,
        module=module,
        data={"title": "V", "kind": "video", "video_url": "https://vimeo.com/76979871"},
    )
    client.force_login(world.member)
    services.lesson_position(user=world.member, lesson=lesson, seconds=33, now=timezone.now())
    html = client.get(reverse("learning:lesson", args=[world.course.slug, lesson.pk])).content.decode()
    assert 'data-provider="vimeo"' in html and "#t=33s" in html and "timeupdate" in html


def test_player_csp_allows_the_video_frames(world, client):
    services.video_host_add(actor=world.admin, host="cdn.contoh.id")
    lesson = world.course.lessons.filter(kind="video").order_by("pk").first()
    client.force_login(world.member)
    csp = client.get(reverse("learning:lesson", args=[world.course.slug, lesson.pk]))["Content-Security-Policy"]
    assert "frame-src 'self' https://www.youtube-nocookie.com https://player.vimeo.com https://cdn.contoh.id" in csp
    services.video_host_remove(actor=world.admin, host=VideoHost.objects.get())
    csp = client.get(reverse("learning:lesson", args=[world.course.slug, lesson.pk]))["Content-Security-Policy"]
    assert "cdn.contoh.id" not in csp
    # other pages keep their policy
    assert "youtube" not in client.get(reverse("learning:mine"))["Content-Security-Policy"]
