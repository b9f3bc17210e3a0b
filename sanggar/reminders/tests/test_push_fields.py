"""REM-D1 push fields: a step's push icon and deep link (https or the app's own path), validated, stored per step,
written on the push delivery (the notification log), passed to OneSignal, shown in the builder and its preview, and
followed by the push's signed click."""

import json
from datetime import timedelta

import httpx
import pytest
import respx
from django.urls import reverse

from sanggar.access.tests.factories import make_order, make_plan
from sanggar.core.exceptions import ServiceError
from sanggar.notifications import services as notification_services
from sanggar.notifications.channels.push import PushChannel
from sanggar.notifications.models import Delivery
from sanggar.notifications.rendering import absolute_url, push_link_ok
from sanggar.reminders import services, tracking
from sanggar.reminders.models import ReminderSend

ONESIGNAL_URL = "https://api.onesignal.com/notifications"


def push_step(admin, sequence, **push):
    return services.step_save(
        actor=admin,
        sequence=sequence,
        delay_amount=0,
        channels=["in_app", "push"],
        subject="Halo {name}",
        body="Isi",
        content={"push": {"title": "Push {plan_name}", **push}},
    )


@pytest.fixture
def sequence(admin_user):
    plan = make_plan("gold", title="Gold")
    return services.sequence_save(
        actor=admin_user, name="Push", trigger="after_purchase", target_type="plan", target_id=plan.pk
    )


def test_push_links_must_be_https_or_the_apps_own_path():
    for good in ("https://cdn.contoh.id/ikon.png", "/kursus/dasar-ekspor", "/static/img/ikon.png"):
        assert push_link_ok(good)
    for bad in ("http://contoh.id/x", "javascript:alert(1)", "//jahat.example/x", "/a b", "https://", "data:x", ""):
        assert not push_link_ok(bad)
    assert push_link_ok(absolute_url("/event/webinar"))  # the site's own absolute link (http in development)


def test_step_stores_icon_and_deep_link_and_refuses_others(admin_user, sequence):
    step = push_step(admin_user, sequence, icon_url="https://cdn.contoh.id/ikon.png", deep_link="/kursus/dasar")
    step.refresh_from_db()
    assert step.content["push"] == {
        "title": "Push {plan_name}",
        "icon_url": "https://cdn.contoh.id/ikon.png",
        "deep_link": "/kursus/dasar",
    }
    assert push_step(admin_user, sequence, deep_link="{payment_link}").content["push"]["deep_link"] == "{payment_link}"
    for field, value in (
        ("icon_url", "http://contoh.id/ikon.png"),
        ("deep_link", "javascript:alert(1)"),
        ("deep_link", "//jahat.example"),
        ("icon_url", "x" * 501),
        ("deep_link", "{name}"),  # a shortcode that does not make a link
    ):
        with pytest.raises(ServiceError):
            push_step(admin_user, sequence, **{field: value})


def test_sweep_puts_icon_and_deep_link_on_the_push_for_onesignal(admin_user, make_user, sequence, settings):
    push_step(admin_user, sequence, icon_url="/static/img/ikon.png", deep_link="{payment_link}")
    plan = sequence.target_id
    buyer = make_user()
    order = make_order(buyer, plan_price=make_plan_price(plan))
    assert services.reminders_send_due(now=order.paid_at + timedelta(minutes=1)) == 1
    push = Delivery.objects.get(user=buyer, channel="push")
    checkout = absolute_url(reverse("orders:checkout_plan", args=["gold"]))
    assert (push.icon_url, push.deep_link) == ("/static/img/ikon.png", checkout)
    message = PushChannel().message_for(push)
    assert message.icon_url == absolute_url("/static/img/ikon.png")
    assert message.deep_link == checkout and message.data["deep_link"] == checkout
    settings.ONESIGNAL_APP_ID, settings.ONESIGNAL_API_KEY = "app-id", "api-key"
    with respx.mock(assert_all_called=True) as router:
        route = router.post(ONESIGNAL_URL).mock(return_value=httpx.Response(200, json={"id": "abc"}))
        notification_services.delivery_send(delivery_id=push.pk)
    payload = json.loads(route.calls.last.request.content)
    assert payload["large_icon"] == payload["chrome_web_icon"] == absolute_url("/static/img/ikon.png")
    assert payload["app_url"] == checkout and payload["web_url"] == push.link and "url" not in payload
    assert payload["data"]["deep_link"] == checkout
    # the push's signed click leads to its deep link; the other channels to the step's link
    send = ReminderSend.objects.get(user=buyer)
    assert services.reminder_clicked(send_id=send.pk, channel="push") == checkout
    assert services.reminder_clicked(send_id=send.pk, channel="email") != checkout
    assert tracking.read_click(push.link.rsplit("/", 1)[1]) == ("s", send.pk, "push")  # the tracked click


def make_plan_price(plan_id):
    from sanggar.catalog.models import PlanPrice

    return PlanPrice.objects.filter(plan_id=plan_id).order_by("pk").first()


def test_a_push_without_icon_or_deep_link_sends_as_before(admin_user, make_user, sequence, settings):
    push_step(admin_user, sequence)
    buyer = make_user()
    order = make_order(buyer, plan_price=make_plan_price(sequence.target_id))
    services.reminders_send_due(now=order.paid_at + timedelta(minutes=1))
    push = Delivery.objects.get(user=buyer, channel="push")
    assert (push.icon_url, push.deep_link) == ("", "")
    settings.ONESIGNAL_APP_ID, settings.ONESIGNAL_API_KEY = "app-id", "api-key"
    with respx.mock() as router:
        route = router.post(ONESIGNAL_URL).mock(return_value=httpx.Response(200, json={"id": "abc"}))
        notification_services.delivery_send(delivery_id=push.pk)
    payload = json.loads(route.calls.last.request.content)
    assert payload["url"] == push.link and "app_url" not in payload and "large_icon" not in payload


def test_builder_shows_the_push_fields_and_previews_them(client, admin_user, sequence):
    client.force_login(admin_user)
    page = client.get(reverse("reminders:step_create", args=[sequence.pk])).content.decode()
    assert 'name="push_icon_url"' in page and 'name="push_deep_link"' in page
    form = {
        "delay_amount": 0,
        "delay_unit": "hours",
        "channels": ["push"],
        "subject": "Halo",
        "body": "Isi",
        "push_icon_url": "https://cdn.contoh.id/ikon.png",
        "push_deep_link": "{event_link}",
    }
    html = client.post(reverse("reminders:step_preview", args=[sequence.pk]), form).content.decode()
    assert "data-preview-push-icon" in html and "https://cdn.contoh.id/ikon.png" in html
    assert "data-preview-push-deep-link" in html and "https://contoh.id/event/webinar-riset" in html
    response = client.post(reverse("reminders:step_create", args=[sequence.pk]), form)
    assert response.status_code == 302
    step = sequence.steps.get()
    assert step.content["push"]["deep_link"] == "{event_link}"
    edit = client.get(reverse("reminders:step_edit", args=[sequence.pk, step.pk])).content.decode()
    assert "https://cdn.contoh.id/ikon.png" in edit
    bad = client.post(reverse("reminders:step_create", args=[sequence.pk]), {**form, "push_deep_link": "ftp://x"})
    assert bad.status_code == 200 and "jalur aplikasi" in bad.content.decode()


# --- in-app display: popup, silent, or none (§5.6) ------------------------------------------------------------


def in_app_step(admin, sequence, channels, display=""):
    content = {"in_app": {"display": display}} if display else {}
    return services.step_save(
        actor=admin, sequence=sequence, delay_amount=0, channels=channels, subject="Halo", body="Isi", content=content
    )


@pytest.mark.parametrize(
    ("channels", "display", "visible", "popup"),
    [
        (["email"], "", False, False),  # in-app switched off: no notification for the member
        (["in_app", "email"], "", True, False),
        (["in_app"], "silent", True, False),
        (["in_app"], "popup", True, True),
    ],
)
def test_in_app_display(
    admin_user, make_user, sequence, channels, display, visible, popup, monkeypatch, django_capture_on_commit_callbacks
):
    published = []
    monkeypatch.setattr("sanggar.notifications.realtime.publish_new_many", lambda events: published.extend(events))
    in_app_step(admin_user, sequence, channels, display)
    buyer = make_user()
    order = make_order(buyer, plan_price=make_plan_price(sequence.target_id))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send_due(now=order.paid_at + timedelta(minutes=1)) == 1
    notification = buyer.notifications.get()
    assert (notification.archived_at is None) == visible and (notification.read_at is None) == visible
    assert notification.popup_pending == popup
    assert bool(published) == (visible and display != "silent")
    if "email" in channels:
        assert Delivery.objects.filter(user=buyer, channel="email", notification=notification).exists()


def test_in_app_display_is_validated(admin_user, sequence):
    with pytest.raises(ServiceError):
        in_app_step(admin_user, sequence, ["in_app"], "kedip")
