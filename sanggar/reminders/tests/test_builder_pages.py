"""The builder's admin pages (tabs, not dialogs) and API: target picker, per-channel content, server-rendered live
preview (escaped), analytics with server-side chart data, admins only, hostile input."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sanggar.access.tests.factories import make_plan
from sanggar.api.testing import call
from sanggar.memberships.models import UserMembership
from sanggar.reminders import services
from sanggar.reminders.models import ReminderSend, ReminderSequence


@pytest.fixture
def sequence(admin_user):
    seq = services.sequence_save(actor=admin_user, name="Ajakan kembali", trigger="after_expiry", stop_on="renewed")
    services.step_save(
        actor=admin_user,
        sequence=seq,
        delay_amount=1,
        delay_unit="days",
        channels=["in_app", "email", "whatsapp"],
        subject="Kami rindu Anda, {name}",
        body="Paket {plan_name} berakhir {expiry_date}.",
        content={"whatsapp": {"text": "Halo {name}, aktifkan lagi {plan_name}."}},
    )
    return seq


def test_pages_are_admin_only(client, make_user, sequence):
    client.force_login(make_user())
    for url in (
        reverse("reminders:sequence_edit", args=[sequence.pk]),
        reverse("reminders:step_create", args=[sequence.pk]),
        reverse("reminders:sequence_analytics", args=[sequence.pk]),
        reverse("reminders:sequence_log", args=[sequence.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("reminders:step_preview", args=[sequence.pk]), {}).status_code == 403


def test_create_sequence_with_target_and_conditions(client, admin_user):
    plan = make_plan("emas", title="Emas")
    client.force_login(admin_user)
    page = client.get(reverse("reminders:sequence_create"))
    assert page.status_code == 200 and f'value="plan:{plan.pk}"' in page.content.decode()
    response = client.post(
        reverse("reminders:sequence_create"),
        {
            "name": "Sebelum berakhir Emas",
            "target": f"plan:{plan.pk}",
            "trigger": "before_expiry",
            "stop_on": "renewed",
            "conditions": ["not_renewed"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    seq = ReminderSequence.objects.get(name="Sebelum berakhir Emas")
    assert (seq.target_type, seq.target_id, seq.conditions) == ("plan", plan.pk, ["not_renewed"])
    # a trigger that does not fit the target is refused with a clear message
    response = client.post(
        reverse("reminders:sequence_create"),
        {"name": "Salah", "target": f"plan:{plan.pk}", "trigger": "before_event", "stop_on": "none"},
    )
    assert response.status_code == 200 and "hanya untuk event" in response.content.decode()


def test_builder_page_has_tabs_and_saves_content_per_channel(client, admin_user, sequence):
    client.force_login(admin_user)
    step = sequence.steps.get()
    url = reverse("reminders:step_edit", args=[sequence.pk, step.pk])
    html = client.get(url).content.decode()
    assert "data-builder-tabs" in html and "data-sequence-tabs" in html and "<dialog" not in html
    assert 'data-preview-channel="whatsapp"' in html and "Halo Maya Lestari, aktifkan lagi Gold Tahunan." in html
    response = client.post(
        url,
        {
            "delay_amount": "2",
            "delay_unit": "days",
            "channels": ["email", "push"],
            "subject": "Judul",
            "body": "Isi",
            "push_title": "Push {name}",
            "preferred_time": "09:00",
            "days_of_week": ["0", "2", "4"],
            "avoid_weekends": "on",
        },
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.delay_hours, step.days_of_week, step.avoid_weekends) == (48, [0, 2, 4], True)
    assert step.content == {"push": {"title": "Push {name}"}}


def test_live_preview_is_rendered_and_escaped_on_the_server(client, admin_user, sequence):
    client.force_login(admin_user)
    url = reverse("reminders:step_preview", args=[sequence.pk])
    response = client.post(
        url,
        {
            "delay_amount": "0",
            "delay_unit": "hours",
            "subject": "<script>alert(1)</script> {name}",
            "body": "Sisa {days_left} hari",
            "whatsapp_text": "WA {plan_name}",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Maya Lestari" in html and "<script>" not in html
    assert "WA Gold Tahunan" in html and "Sisa 7 hari" in html
    bad = client.post(url, {"delay_amount": "x", "subject": "a\x00b", "body": ""})
    assert bad.status_code == 400


def test_analytics_page_and_api_with_bounded_queries(
    client, admin_user, make_user, sequence, django_assert_max_num_queries
):
    plan = make_plan("gold", title="Gold")
    now = timezone.now()
    for _ in range(3):
        UserMembership.objects.create(
            user=make_user(),
            plan=plan,
            duration="1m",
            status="expired",
            starts_at=now - timedelta(days=40),
            ends_at=now - timedelta(days=1, hours=1),
        )
    assert services.reminders_send_due(now=now) == 3
    first = ReminderSend.objects.order_by("id").first()
    services.reminder_opened(send_id=first.pk)
    services.reminder_clicked(send_id=first.pk, channel="email")
    client.force_login(admin_user)
    with django_assert_max_num_queries(20):
        html = client.get(reverse("reminders:sequence_analytics", args=[sequence.pk])).content.decode()
    assert 'data-total="sent">3<' in html and "chart-days" in html and "chart-hours" in html and "Pukul" in html
    assert ">In-app<" in html and "In_app" not in html  # channel names, never their codes
    log = client.get(reverse("reminders:sequence_log", args=[sequence.pk])).content.decode()
    assert "Dibuka" in log and "Diklik (email)" in log
    response = call(client, "get", f"/admin/reminders/{sequence.pk}/analytics", user=admin_user)
    assert response.status_code == 200
    body = response.json()
    assert body["totals"]["sent"] == 3 and body["totals"]["opened"] == 1 and body["totals"]["clicked"] == 1
    assert len(body["days"]) == 30 and len(body["hours"]) == 24 and body["best_hour"]["rate"] == 33


def test_api_step_with_units_and_channel_content_and_preview(client, admin_user, sequence):
    payload = {
        "delay_amount": 3,
        "delay_unit": "days",
        "channels": ["whatsapp", "in_app"],
        "subject": "Tiga hari",
        "body": "Isi",
        "preferred_time": "09:00",
        "avoid_weekends": True,
        "content": {"whatsapp": {"text": "Halo {name}"}},
    }
    url = f"/admin/reminders/{sequence.pk}/steps"
    response = call(client, "post", url, payload, user=admin_user)
    assert response.status_code == 201, response.content
    assert response.json()["delay_hours"] == 72 and response.json()["preferred_time"] == "09:00"
    preview = call(client, "post", f"/admin/reminders/{sequence.pk}/preview", payload, user=admin_user)
    assert preview.json()["whatsapp"]["text"] == "Halo Maya Lestari"
    hostile = {**payload, "content": {"whatsapp": {"text": "x" * 1025}}}
    assert call(client, "post", url, hostile, user=admin_user).status_code in (400, 422)
    deep = {**payload, "content": {"email": {"subject": {"a": {"b": 1}}}}}
    assert call(client, "post", url, deep, user=admin_user).status_code in (400, 422)
