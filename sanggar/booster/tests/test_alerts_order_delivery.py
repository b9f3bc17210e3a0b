"""The low-credit alert (once per crossing, in the app and by email, shown on the credits page), the bio buttons'
order (drag and drop through the same service as the API), and "delivered" (accepted by the mail server)."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.booster.constants import BroadcastStatus, RecipientStatus
from sanggar.booster.models import BioButton, BroadcastRecipient, CreditAccount, Lead
from sanggar.booster.notifications import CREDITS_LOW
from sanggar.booster.services import broadcasts, credits, pages
from sanggar.notifications.models import Delivery, Notification

from .smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db


def _low_alerts(user):
    return Notification.objects.filter(user=user, data__template=CREDITS_LOW)


def _spend(affiliate, n):
    with transaction.atomic():
        account = credits.locked_account(affiliate)
        credits.credit_charge_now(account=account, credits=n, ref="test:spend")


def test_low_credit_alert_fires_once_per_crossing(funded, settings):
    settings.BOOSTER_LOW_CREDIT_THRESHOLD = 20
    user = funded.user
    _spend(funded, 80)  # 100 -> 20: not below
    assert not _low_alerts(user).exists()
    _spend(funded, 1)  # 19: crossed
    _spend(funded, 5)  # 14: still below, no second alert
    alerts = list(_low_alerts(user))
    assert len(alerts) == 1 and "14" not in alerts[0].title and "19" in alerts[0].title
    assert alerts[0].link == "/affiliate/credits"
    assert Delivery.objects.filter(notification=alerts[0], channel="email").count() == 1
    assert not Delivery.objects.filter(notification=alerts[0], channel="whatsapp").exists()
    credits.credit_topup(affiliate=funded, credits=10, ref="order:x:1")  # 24: back above, re-armed
    assert CreditAccount.objects.get(affiliate=funded).low_credit_alerted_at is None
    _spend(funded, 10)  # 14: a second crossing
    assert _low_alerts(user).count() == 2


def test_scheduling_a_broadcast_can_cross_the_threshold(funded, settings):
    settings.BOOSTER_LOW_CREDIT_THRESHOLD = 98
    Lead.objects.bulk_create([Lead(affiliate=funded, email=f"l{i}@contoh.id") for i in range(5)])
    b = broadcasts.broadcast_save(affiliate=funded, name="P", subject="S", body="B", segment={})
    broadcasts.broadcast_schedule(affiliate=funded, broadcast=b, when=timezone.now() + timedelta(days=1))
    assert _low_alerts(funded.user).count() == 1  # 95 available after the reservation
    broadcasts.broadcast_cancel(affiliate=funded, broadcast=b)  # back to 100: re-armed, no alert
    assert _low_alerts(funded.user).count() == 1
    assert CreditAccount.objects.get(affiliate=funded).low_credit_alerted_at is None


def test_credits_page_shows_the_alert_and_saves_the_threshold(client, funded, settings):
    settings.BOOSTER_LOW_CREDIT_THRESHOLD = 20
    client.force_login(funded.user)
    assert "credit-low" not in client.get("/affiliate/credits").content.decode()
    r = client.post("/affiliate/credits", {"threshold": "150"}, follow=True)
    page = r.content.decode()
    assert "Batas peringatan kredit disimpan" in page and 'id="credit-low"' in page  # 100 < 150
    assert not _low_alerts(funded.user).exists()  # changing the threshold tells nothing: the page shows it
    account = CreditAccount.objects.get(affiliate=funded)
    assert account.low_credit_threshold == 150 and account.low_credit_alerted_at is not None
    r = client.post("/affiliate/credits", {"threshold": "0"}, follow=True)
    assert 'id="credit-low"' not in r.content.decode()
    for bad in ("abc", "-5", "99999999999"):
        r = client.post("/affiliate/credits", {"threshold": bad}, follow=True)
        assert r.status_code == 200 and "Batas harus angka" in r.content.decode()
    assert client.post("/affiliate/credits", {"threshold": "\x00"}).status_code == 400  # the house's NUL guard
    client.post("/affiliate/credits", {"threshold": ""})
    assert CreditAccount.objects.get(affiliate=funded).low_credit_threshold is None
    body = call(client, "get", "/affiliate/credits", user=funded.user).json()
    assert body["low_threshold"] == 20 and body["low"] is False


def _buttons(affiliate, n=3):
    pages.bio_page_save(affiliate=affiliate, theme="modern", primary_color="#0f766e", font="sans", headline="H",
                        bio="", whatsapp="081234567890", wa_group_url="", socials={}, is_published=True)  # fmt: skip
    return [pages.bio_button_save(affiliate=affiliate, kind="whatsapp", target="", label=f"T{i}") for i in range(n)]


def test_bio_buttons_reorder_page_and_api_share_one_service(client, affiliate, other_affiliate):
    a, b, c = _buttons(affiliate)
    (foreign,) = _buttons(other_affiliate, 1)
    client.force_login(affiliate.user)
    page = client.get("/affiliate/bio").content.decode()
    assert 'draggable="true"' in page and 'data-reorder-url="/affiliate/bio/tombol/urutan"' in page
    r = client.post("/affiliate/bio/tombol/urutan", {"ids": [c.pk, a.pk, b.pk]}, content_type="application/json")
    assert r.status_code == 200 and r.json()["ids"] == [c.pk, a.pk, b.pk]
    assert list(BioButton.objects.filter(page__affiliate=affiliate).values_list("pk", flat=True)) == [c.pk, a.pk, b.pk]
    labels = [x["label"] for x in call(client, "get", f"/bio/{affiliate.code.lower()}").json()["buttons"]]
    assert labels == ["T2", "T0", "T1"]
    for bad in ([c.pk, a.pk], [c.pk, a.pk, b.pk, foreign.pk], [c.pk, c.pk, a.pk], ["x"], "abc", None):
        r = client.post("/affiliate/bio/tombol/urutan", {"ids": bad}, content_type="application/json")
        assert r.status_code == 400 and r.json()["message"]
    assert client.post("/affiliate/bio/tombol/urutan", "[", content_type="application/json").status_code == 400
    r = call(client, "put", "/affiliate/bio/buttons/order", {"ids": [a.pk, b.pk, c.pk]}, user=affiliate.user)
    assert r.status_code == 200 and r.json()["ids"] == [a.pk, b.pk, c.pk]
    r = call(client, "put", "/affiliate/bio/buttons/order", {"ids": [foreign.pk]}, user=affiliate.user)
    assert r.status_code == 400
    assert list(BioButton.objects.filter(page__affiliate=affiliate).values_list("pk", flat=True)) == [a.pk, b.pk, c.pk]
    # the keyboard fallback without JavaScript still works
    client.post(f"/affiliate/bio/tombol/{c.pk}", {"action": "up"})
    assert list(BioButton.objects.filter(page__affiliate=affiliate).values_list("pk", flat=True)) == [a.pk, c.pk, b.pk]


def _send_to_all(affiliate, name):
    b = broadcasts.broadcast_save(affiliate=affiliate, name=name, subject="S", body="B", segment={})
    broadcasts.broadcast_schedule(affiliate=affiliate, broadcast=b, when=timezone.now() + timedelta(minutes=1))
    broadcasts.broadcasts_due(now=timezone.now() + timedelta(minutes=2))
    while broadcasts.broadcast_send_batch(broadcast_id=b.pk):
        pass
    b.refresh_from_db()
    return b


def test_delivered_means_accepted_by_the_smtp_server(funded, settings, client):
    """Through a real SMTP conversation: accepted addresses are delivered, a 550 refusal is a failure (refunded);
    the in-memory backend only records messages, which is sent but not delivered."""
    Lead.objects.bulk_create([Lead(affiliate=funded, name=f"L{i}", email=f"l{i}@contoh.id") for i in range(4)])
    with SmtpSink(refuse={"l2@contoh.id"}) as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        b = _send_to_all(funded, "P")
    assert sorted(r[0][0] for r in sink.messages) == ["l0@contoh.id", "l1@contoh.id", "l3@contoh.id"]
    assert (b.status, b.sent_count, b.delivered_count, b.failed_count, b.credits_used) == ("sent", 3, 3, 1, 3)
    refused = BroadcastRecipient.objects.get(broadcast=b, email="l2@contoh.id")
    assert refused.status == RecipientStatus.FAILED and "550" in refused.error and refused.delivered_at is None
    assert credits.balances_for(funded) == (97, 0)
    client.force_login(funded.user)
    page = client.get(f"/affiliate/broadcast/{b.pk}").content.decode()
    assert 'data-stat="delivered">3 (100' in page and "diterima server" in page
    assert "Diterima server" in client.get("/affiliate/broadcast").content.decode()
    assert call(client, "get", f"/affiliate/broadcasts/{b.pk}", user=funded.user).json()["delivered"] == 3
    csv = b"".join(client.get(f"/affiliate/broadcast/{b.pk}/log.csv").streaming_content).decode()
    assert "diterima server" in csv.splitlines()[0]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    b2 = _send_to_all(funded, "Q")
    assert b2.status == BroadcastStatus.SENT and b2.sent_count == 4 and b2.delivered_count == 0
