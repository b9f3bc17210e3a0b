"""§5.5: marketing-type reminders carry a signed one-click unsubscribe link (email footer and List-Unsubscribe
header, the same suppression list broadcasts use); an unsubscribed member gets no more marketing reminders, while
transactional ones (expiry, invoice, events) still go."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from sanggar.access.tests.factories import make_plan
from sanggar.api.testing import call
from sanggar.memberships.models import UserMembership
from sanggar.notifications import services as notification_services
from sanggar.notifications.models import Delivery, EmailSuppression
from sanggar.notifications.unsubscribe import one_click_url, unsubscribe_token, unsubscribe_url
from sanggar.reminders import services
from sanggar.reminders.constants import SendStatus
from sanggar.reminders.models import ReminderSend

WIB = ZoneInfo("Asia/Jakarta")


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 12, day, hour, 0, tzinfo=WIB)


def sequence(admin, trigger, kind, *, delay=0):
    seq = services.sequence_save(actor=admin, name=f"{kind} {trigger}", trigger=trigger, kind=kind)
    services.step_save(
        actor=admin,
        sequence=seq,
        delay_amount=delay,
        channels=["in_app", "email", "whatsapp"],
        subject="Halo {name}",
        body="Paket {plan_name} berakhir {expiry_date}.",
    )
    return seq


@pytest.fixture
def plan(db):
    return make_plan("gold", title="Gold")


def expired(user, plan, day=7):
    return UserMembership.objects.create(
        user=user, plan=plan, duration="1m", status="expired", starts_at=at(1), ends_at=at(day)
    )


def test_a_marketing_reminders_email_carries_the_unsubscribe_link_and_header(admin_user, make_user, plan, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sequence(admin_user, "after_expiry", "marketing")
    user = make_user(email="budi@contoh.id")
    expired(user, plan)
    assert services.reminders_send_due(now=at(7, 11)) == 1
    email = Delivery.objects.get(user=user, channel="email")
    assert email.marketing and unsubscribe_url("budi@contoh.id") in email.body
    whatsapp = Delivery.objects.get(user=user, channel="whatsapp")
    assert not whatsapp.marketing  # the suppression list is about email; the whole send is skipped when on it
    notification_services.delivery_send(delivery_id=email.pk)
    sent = mail.outbox[-1]
    assert sent.extra_headers["List-Unsubscribe"] == f"<{one_click_url('budi@contoh.id')}>"
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_transactional_reminder_has_no_unsubscribe_link(admin_user, make_user, plan, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sequence(admin_user, "after_expiry", "transactional")
    user = make_user()
    expired(user, plan)
    services.reminders_send_due(now=at(7, 11))
    email = Delivery.objects.get(user=user, channel="email")
    assert not email.marketing and "berhenti-langganan" not in email.body
    notification_services.delivery_send(delivery_id=email.pk)
    assert "List-Unsubscribe" not in mail.outbox[-1].extra_headers


def test_one_click_unsubscribe_needs_no_csrf_and_a_get_asks_first(make_user):
    client = Client(enforce_csrf_checks=True)
    token = unsubscribe_token("Sari@Contoh.id")
    url = reverse("notifications:unsubscribe_one_click", args=[token])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("notifications:unsubscribe", args=[token])
    assert not EmailSuppression.objects.exists()
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert EmailSuppression.objects.filter(email="sari@contoh.id").count() == 1
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200  # twice: still one row
    assert EmailSuppression.objects.count() == 1
    forged = reverse("notifications:unsubscribe_one_click", args=[token[:-3] + "abc"])
    assert client.post(forged).status_code == 404


def test_an_unsubscribed_member_gets_no_marketing_reminder_but_transactional_ones_still_go(admin_user, make_user, plan):
    marketing = sequence(admin_user, "after_expiry", "marketing")
    transactional = sequence(admin_user, "before_expiry", "transactional", delay=1)
    user, other = make_user(email="rina@contoh.id"), make_user()
    expired(user, plan)
    expired(other, plan)
    UserMembership.objects.create(
        user=user, plan=make_plan("perak"), duration="1m", status="active", starts_at=at(1), ends_at=at(8, 12)
    )
    client = Client(enforce_csrf_checks=True)
    client.post(reverse("notifications:unsubscribe_one_click", args=[unsubscribe_token("RINA@contoh.id")]))
    assert services.reminders_send_due(now=at(7, 11)) == 1  # the other member only
    row = ReminderSend.objects.get(user=user, step__sequence=marketing)
    assert row.status == SendStatus.UNSUBSCRIBED and row.notification is None
    assert not Delivery.objects.filter(user=user).exists()  # no email, no WhatsApp, nothing
    assert ReminderSend.objects.get(user=other, step__sequence=marketing).status == SendStatus.SENT
    # the expiry reminder (transactional) still reaches the unsubscribed member, email included
    assert services.reminders_send_due(now=at(8, 11)) == 1
    send = ReminderSend.objects.get(user=user, step__sequence=transactional)
    assert send.status == SendStatus.SENT
    email = Delivery.objects.get(user=user, channel="email")
    assert email.status != "skipped" and not email.marketing


def test_kind_is_set_on_the_page_and_the_api_and_refused_when_unknown(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("reminders:sequence_create")).content.decode()
    assert 'name="kind"' in page and 'value="marketing"' in page
    response = client.post(
        reverse("reminders:sequence_create"),
        {"name": "Ajakan kembali", "trigger": "after_expiry", "kind": "marketing", "stop_on": "renewed"},
    )
    assert response.status_code == 302
    created = services.ReminderSequence.objects.get(name="Ajakan kembali")
    assert created.kind == "marketing"
    assert services.sequence_duplicate(actor=admin_user, sequence=created).kind == "marketing"
    listing = client.get(reverse("reminders:sequences")).content.decode()
    assert "Pemasaran" in listing
    body = {"name": "Upsell", "trigger": "after_purchase", "kind": "marketing"}
    api = Client()
    answer = call(api, "post", "/admin/reminders", body, user=admin_user)
    assert answer.status_code in (200, 201) and answer.json()["kind"] == "marketing"
    bad = call(api, "post", "/admin/reminders", {**body, "kind": "promo"}, user=admin_user)
    assert bad.status_code in (400, 422)
    with pytest.raises(services.ServiceError):
        services.sequence_save(actor=admin_user, name="x", trigger="after_purchase", kind="promo")
