"""Smart rules (PRD v7.3 part 10) as admin settings: the spec's defaults, each rule firing once per subject, the admin
page (/admin/settings/smart-rules: Indonesian, audited, hostile input refused with a message); important
notifications as popups over the websocket (acknowledged) with the fallback on the next page load; the generic
follow API and button."""

import pytest
from asgiref.sync import sync_to_async

from sanggar.audit.models import ActivityLog
from sanggar.core.exceptions import ServiceError
from sanggar.core.roles import Role
from sanggar.learning.constants import Notify as LearningNotify
from sanggar.notifications import realtime, services, smart_rules
from sanggar.notifications.consumers import NotificationConsumer
from sanggar.notifications.models import Notification, SmartRule, SmartRuleFiring

from .websocket import WebsocketCommunicator, sync

pytestmark = pytest.mark.django_db

URL = "/admin/settings/smart-rules"


def test_the_six_rules_with_the_spec_defaults():
    states = {r.key: smart_rules.rule_state(r.key) for r in smart_rules.rules()}
    assert {k: (s.enabled, s.value) for k, s in states.items()} == {
        "learning.inactive": (True, 7),  # PRODUCT.md: the inactivity threshold defaults to 7 days
        "learning.active_discussion": (True, 10),
        "learning.mentor_update": (True, None),
        "community.new_post": (True, None),
        "events.reminders": (True, (1440, 60, 15)),
        "community.popular": (True, 20),
    }


def test_fires_once_per_subject():
    assert smart_rules.rule_fire("community.popular", "post:1") is True
    assert smart_rules.rule_fire("community.popular", "post:1") is False
    assert smart_rules.rule_fire("community.popular", "post:2") is True
    assert smart_rules.rule_fire("community.new_post", "post:1") is True  # another rule, same subject
    assert SmartRuleFiring.objects.count() == 3
    with pytest.raises(ValueError):
        smart_rules.rule_fire("tidak.ada", "x")


def test_admin_page_changes_rules_and_is_audited(client, admin_user):
    client.force_login(admin_user)
    page = client.get(URL).content.decode()
    assert "Aturan Otomatis" in page and "Diskusi Aktif" in page and "Konten populer" in page
    assert 'name="events.reminders-value" value="1440, 60, 15"' in page
    form = {f"{r.key}-enabled": "1" for r in smart_rules.rules()}
    form.update({"learning.inactive-value": "5", "community.popular-value": "20", "events.reminders-value": "60, 30"})
    form.update({"learning.active_discussion-value": "10"})
    del form["community.new_post-enabled"]
    response = client.post(URL, form)
    assert response.status_code == 302
    assert smart_rules.rule_state("learning.inactive").value == 5
    assert smart_rules.rule_state("events.reminders").value == (60, 30)
    assert smart_rules.rule_state("community.new_post").enabled is False
    assert smart_rules.rule_state("community.popular").value == 20
    log = ActivityLog.objects.get(action="notifications.smart_rules_changed")
    assert set(log.data["rules"]) == {"learning.inactive", "events.reminders", "community.new_post"}
    assert client.post(URL, form).status_code == 302  # nothing changed: no second audit row
    assert ActivityLog.objects.filter(action="notifications.smart_rules_changed").count() == 1


@pytest.mark.parametrize(
    "field,value",
    [
        ("learning.inactive-value", "abc"),
        ("learning.inactive-value", "0"),
        ("community.popular-value", "-3"),
        ("events.reminders-value", "0, x"),
        ("events.reminders-value", "\x00"),
        ("learning.active_discussion-value", "9" * 60),
    ],
)
def test_hostile_values_are_refused_with_a_message(client, admin_user, field, value):
    client.force_login(admin_user)
    form = {f"{r.key}-enabled": "1" for r in smart_rules.rules()}
    form.update({"learning.inactive-value": "3", "community.popular-value": "20", "events.reminders-value": "15"})
    form.update({"learning.active_discussion-value": "10", field: value})
    response = client.post(URL, form)
    if "\x00" in value:
        assert response.status_code == 400  # the house guard refuses NUL bytes before the view
    else:
        assert response.status_code == 200
        assert "Periksa kembali aturan otomatis." in response.content.decode()
    assert not SmartRule.objects.exists()


def test_only_admins(client, make_user):
    member = make_user()
    client.force_login(member)
    assert client.get(URL).status_code in (302, 403)
    assert client.post(URL, {"learning.inactive-value": "1"}).status_code in (302, 403)
    assert not SmartRule.objects.exists()
    with pytest.raises(ServiceError):
        smart_rules.smart_rules_save(actor=member, values={"learning.inactive": {"enabled": False}})


# --- popups -------------------------------------------------------------------------------------------------------


def _communicator(user):
    communicator = WebsocketCommunicator(NotificationConsumer.as_asgi(), "/ws/notifications/")
    communicator.scope["user"] = user
    return communicator


def _popup(user):
    context = {"course": "Dasar Ekspor", "lesson": "Modul 3", "author": "Rahmat"}
    return services.notify(user=user, kind=LearningNotify.THREAD, link="/kursus/x", context=context)


def test_popup_goes_live_and_the_acknowledgement_clears_it(make_user):
    user = make_user()
    note = _popup(user)
    assert note.title == "Ada komentar baru di kelasmu!" and note.popup_pending is True

    async def run():
        socket = _communicator(user)
        assert (await socket.connect())[0] is True
        await sync_to_async(realtime.publish_new)(notification=note, unread=1)
        received = await socket.receive_json_from(timeout=2)
        await socket.send_input({"type": "websocket.receive", "text": "bukan json"})  # ignored, the socket stays open
        await socket.send_json_to({"type": "popup.seen", "id": "1; DROP"})  # ignored
        await socket.send_json_to({"type": "popup.seen", "id": note.pk})
        await socket.receive_nothing(timeout=0.3)
        await socket.disconnect()
        return received

    received = sync(run)()
    assert received["notification"]["popup"] is True
    assert received["notification"]["title"] == "Ada komentar baru di kelasmu!"
    assert Notification.objects.get(pk=note.pk).popup_pending is False


def test_someone_elses_acknowledgement_changes_nothing(make_user):
    owner, other = make_user(), make_user()
    note = _popup(owner)
    assert services.notification_popups_seen(user=other, notification_ids=[note.pk]) == 0
    assert Notification.objects.get(pk=note.pk).popup_pending is True


def test_fallback_shows_the_popup_on_the_next_page_load_once(client, make_user, django_capture_on_commit_callbacks):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        note = _popup(user)
    ordinary = services.notify_text(user=user, kind="system", title="Info biasa")
    client.force_login(user)
    page = client.get("/notifications").content.decode()
    assert (
        'id="notification-popups"' in page and "Ada komentar baru di kelasmu!" in page.split("notification-popups")[1]
    )
    assert f'"id": {note.pk}' in page and f'"id": {ordinary.pk}, "kind"' not in page
    again = client.get("/notifications").content.decode()
    assert f'"id": {note.pk}' not in again.split('id="notification-popups"')[1].split("</script>")[0]


def test_a_page_load_without_popups_costs_no_query_for_them(client, make_user, django_assert_num_queries):
    from sanggar.notifications.templatetags.notification_tags import notification_popups

    user = make_user()

    class Request:
        pass

    request = Request()
    request.user = user
    with django_assert_num_queries(0):
        assert notification_popups({"request": request}) == []


# --- following a source (generic API) ------------------------------------------------------------------------------


def test_unknown_or_malformed_sources_are_refused(client, make_user):
    from sanggar.api.testing import call

    user = make_user(Role.MEMBER)
    for source in ("bogus:1", "group:", "group:1;drop", "x" * 80):
        response = call(
            client, "put", "/notifications/subscription", {"source": source, "subscribed": False}, user=user
        )
        assert response.status_code in (400, 403, 422), source
    assert call(client, "get", "/notifications/subscription", {"source": "bogus:1"}, user=user).status_code == 400
    assert call(client, "get", "/notifications/subscription", {"source": "group:1"}).status_code == 401
    client.force_login(user)
    response = client.post(
        "/notifications/ikuti", {"source": "bogus:1", "subscribed": "0", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/notifications"
