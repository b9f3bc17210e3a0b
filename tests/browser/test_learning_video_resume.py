"""Resuming a YouTube or Vimeo lesson at the second the member reached. The player page never loads YouTube's or
Vimeo's scripts: it speaks their iframe postMessage protocols. Here the iframe addresses (youtube-nocookie.com,
player.vimeo.com) are answered by fake players (page.route) that speak the same protocol as the real ones:

- YouTube's IFrame API: the page says {"event": "listening"}; the player answers "initialDelivery" / "onReady" and
  then "infoDelivery" with info.currentTime (and playerState, 2 = paused); nothing is sent before "listening".
  The start second comes in the `start` query parameter.
- Vimeo's player: it posts "ready"; the page sends {"method": "addEventListener", "value": "timeupdate"} (the
  older API: "playProgress", whose seconds are strings); the player then posts those events with data.seconds.
  The start second comes in the `#t=Ns` fragment.

The second is saved without a reload and, after one, the player starts there."""

import re

import pytest

from sanggar.learning import services
from sanggar.learning.models import LessonProgress

FAKE_YOUTUBE = """<!doctype html><html><body><p id="now">-</p><script>
const start = Number(new URLSearchParams(location.search).get("start") || 0);
let t = start, listening = false, id = null;
document.getElementById("now").textContent = String(start);
function send(message) { parent.postMessage(JSON.stringify({...message, id: id, channel: "widget"}), "*"); }
window.addEventListener("message", (e) => {
  let d = e.data;
  if (typeof d === "string") { try { d = JSON.parse(d); } catch (x) { return; } }
  if (!d || d.event !== "listening" || listening) return;
  listening = true; id = d.id;
  send({event: "initialDelivery", info: {currentTime: t, playerState: -1, duration: 600}});
  send({event: "onReady", info: null});
});
window.fakePlay = (to) => {
  if (!listening) return false;
  t = to;
  send({event: "infoDelivery", info: {currentTime: t, playerState: 1, currentTimeLastUpdated_: Date.now() / 1000}});
  return true;
};
window.fakePause = () => { send({event: "infoDelivery", info: {playerState: 2}}); };
window.isListening = () => listening;
</script></body></html>"""

FAKE_VIMEO = """<!doctype html><html><body><p id="now">-</p><script>
const match = /t=(\\d+)s/.exec(location.hash);
const start = match ? Number(match[1]) : 0;
let t = start; const listeners = new Set();
document.getElementById("now").textContent = String(start);
function send(message) { parent.postMessage(JSON.stringify(message), "*"); }
window.addEventListener("message", (e) => {
  let d = e.data;
  if (typeof d === "string") { try { d = JSON.parse(d); } catch (x) { return; } }
  if (d && d.method === "addEventListener") listeners.add(d.value);
});
window.fakePlay = (to, legacy) => {
  t = to;
  if (legacy && listeners.has("playProgress")) {
    send({event: "playProgress", data: {seconds: t.toFixed(3), percent: (t / 600).toFixed(3), duration: "600"}});
    return true;
  }
  if (!legacy && listeners.has("timeupdate")) {
    send({event: "timeupdate", data: {seconds: t, percent: t / 600, duration: 600}});
    return true;
  }
  return false;
};
window.fakePause = () => { if (listeners.has("pause")) send({event: "pause", data: {seconds: t}}); };
window.isListening = () => listeners.has("timeupdate");
send({event: "ready", player_id: "embed-player"});
</script></body></html>"""


def _fake(route, html):
    route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)


def _player(page):
    """The lesson's player iframe, once the fake player is in it."""
    frame = page.wait_for_selector("#embed-player").content_frame()
    frame.wait_for_selector("#now")
    return frame


def _progress(user, lesson):
    row = LessonProgress.objects.filter(user=user, lesson=lesson).first()
    return row.position_seconds if row else None


@pytest.mark.django_db(transaction=True)
def test_youtube_and_vimeo_seconds_are_saved_and_resumed(page, live_server, make_user, admin_user, login):
    course = services.course_create(
        actor=admin_user, data={"title": "Kursus Video", "summary": "Video", "role_access": "public"}
    )
    module = services.module_save(actor=admin_user, course=course, title="Modul Video")
    youtube = services.lesson_save(
        actor=admin_user,
        module=module,
        data={"title": "Video YouTube", "kind": "video", "video_url": "https://youtu.be/dQw4w9WgXcQ"},
    )
    vimeo = services.lesson_save(
        actor=admin_user,
        module=module,
        data={"title": "Video Vimeo", "kind": "video", "video_url": "https://vimeo.com/76979871"},
    )
    member = make_user(full_name="Murid Video", email="murid-video@uji.test")
    requested = []

    def youtube_route(route):
        requested.append(route.request.url)
        _fake(route, FAKE_YOUTUBE)

    def vimeo_route(route):
        requested.append(route.request.url)
        _fake(route, FAKE_VIMEO)

    page.route(re.compile(r"^https://www\.youtube-nocookie\.com/embed/"), youtube_route)
    page.route(re.compile(r"^https://player\.vimeo\.com/video/"), vimeo_route)
    login(page, member.email)
    base = live_server.url

    # YouTube: the page says "listening", the player reports the second, the page saves it without a reload
    page.goto(f"{base}/belajar/{course.slug}/{youtube.pk}")
    player = _player(page)
    player.wait_for_function("window.isListening()")
    url = page.url
    with page.expect_response(lambda r: r.url.endswith(f"/{youtube.pk}/posisi") and r.status == 200):
        assert player.evaluate("fakePlay(75.4)") is True
    assert page.url == url and _progress(member, youtube) == 75
    assert page.input_value("#seconds") == "75"
    # a pause saves the second even under the 10-second step
    player.evaluate("fakePlay(79.9)")
    with page.expect_response(lambda r: r.url.endswith(f"/{youtube.pk}/posisi")):
        player.evaluate("fakePause()")
    assert _progress(member, youtube) == 79
    page.reload()
    assert "start=79" in page.get_attribute("#embed-player", "src")
    assert _player(page).text_content("#now") == "79"
    assert any("youtube-nocookie.com/embed/dQw4w9WgXcQ" in u and "enablejsapi=1" in u for u in requested)

    # Vimeo: "ready", the page subscribes, "timeupdate" is saved; the older "playProgress" (string seconds) too
    page.goto(f"{base}/belajar/{course.slug}/{vimeo.pk}")
    player = _player(page)
    player.wait_for_function("window.isListening()")
    with page.expect_response(lambda r: r.url.endswith(f"/{vimeo.pk}/posisi") and r.status == 200):
        assert player.evaluate("fakePlay(42.7, false)") is True
    assert _progress(member, vimeo) == 42
    with page.expect_response(lambda r: r.url.endswith(f"/{vimeo.pk}/posisi") and r.status == 200):
        assert player.evaluate("fakePlay(130.2, true)") is True
    assert _progress(member, vimeo) == 130
    page.reload()
    assert page.get_attribute("#embed-player", "src").endswith("#t=130s")
    assert _player(page).text_content("#now") == "130"
    assert _progress(member, youtube) == 79  # each lesson keeps its own second
