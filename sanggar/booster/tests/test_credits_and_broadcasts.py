"""The credit ledger and paid broadcasts: reserve on schedule, charge per sent email, refund what was not sent,
never negative (also under concurrent sends), at most one email per lead when a run is interrupted and resumed."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from sanggar.booster.constants import BroadcastStatus, CreditKind, RecipientStatus
from sanggar.booster.models import Broadcast, BroadcastRecipient, CreditEntry, Lead, Suppression
from sanggar.booster.services import broadcasts, credits, leads, pages
from sanggar.core.exceptions import ServiceError
from sanggar.notifications.channels.base import SendResult
from sanggar.notifications.models import EmailSuppression

pytestmark = pytest.mark.django_db


def _leads(affiliate, n, start=0):
    Lead.objects.bulk_create(
        [Lead(affiliate=affiliate, name=f"Lead {i}", email=f"lead{i}@contoh.id") for i in range(start, start + n)]
    )


def _draft(affiliate, **segment):
    return broadcasts.broadcast_save(
        affiliate=affiliate, name="Promo", subject="Halo {first_name}", body="Hai {name}, cek https://contoh.id/promo",
        segment=segment,
    )  # fmt: skip


def test_topup_once_per_ref_and_balance_is_a_sum(affiliate):
    assert credits.credit_topup(affiliate=affiliate, credits=70, ref="order:1:1") is not None
    assert credits.credit_topup(affiliate=affiliate, credits=70, ref="order:1:1") is None
    assert credits.balances_for(affiliate) == (70, 0)
    assert CreditEntry.objects.filter(kind=CreditKind.TOPUP).count() == 1


def test_schedule_reserves_and_cancel_refunds(funded):
    _leads(funded, 5)
    b = _draft(funded)
    when = timezone.now() + timedelta(days=1)
    broadcasts.broadcast_schedule(affiliate=funded, broadcast=b, when=when)
    assert credits.balances_for(funded) == (95, 5)
    b.refresh_from_db()
    assert b.status == BroadcastStatus.SCHEDULED and b.credits_reserved == 5
    broadcasts.broadcast_cancel(affiliate=funded, broadcast=b)
    b.refresh_from_db()
    assert b.status == BroadcastStatus.DRAFT
    assert credits.balances_for(funded) == (100, 0)


def test_schedule_in_the_past_and_short_credits_are_refused(affiliate):
    credits.credit_topup(affiliate=affiliate, credits=3, ref="t")
    _leads(affiliate, 5)
    b = _draft(affiliate)
    with pytest.raises(ServiceError, match="masa depan"):
        broadcasts.broadcast_schedule(affiliate=affiliate, broadcast=b, when=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ServiceError, match="Kredit tidak cukup"):
        broadcasts.broadcast_schedule(affiliate=affiliate, broadcast=b)
    assert credits.balances_for(affiliate) == (3, 0)


def test_send_charges_sent_refunds_failed_and_skips_unsubscribed(
    funded, other_affiliate, django_capture_on_commit_callbacks
):
    _leads(funded, 6)
    unsub = Lead.objects.get(email="lead0@contoh.id")
    pages.unsubscribe(lead=unsub)
    EmailSuppression.objects.create(email="lead1@contoh.id")  # the one global list (platform broadcasts too)
    b = _draft(funded)
    with django_capture_on_commit_callbacks(execute=False):
        broadcasts.broadcast_schedule(affiliate=funded, broadcast=b)
    b.refresh_from_db()
    assert b.total_recipients == 4 and b.credits_reserved == 4  # unsubscribed and suppressed are not recipients
    Lead.objects.filter(email="lead2@contoh.id").update(unsubscribed_at=timezone.now())  # after the start: skipped

    def sender(*, to, **kw):
        if to == "lead3@contoh.id":
            return SendResult.failed("smtp", "mailbox penuh")
        mail.send_mail(kw["subject"], kw["text"], None, [to])
        return SendResult.sent("smtp")

    while broadcasts.broadcast_send_batch(broadcast_id=b.pk, sender=sender):
        pass
    b.refresh_from_db()
    assert b.status == BroadcastStatus.SENT
    assert (b.sent_count, b.failed_count, b.skipped_count, b.credits_used) == (2, 1, 1, 2)
    assert credits.balances_for(funded) == (98, 0)
    assert sorted(m.to[0] for m in mail.outbox) == ["lead4@contoh.id", "lead5@contoh.id"]
    assert "Lead 4" in next(m.body for m in mail.outbox if m.to == ["lead4@contoh.id"])


def test_interrupted_run_resumes_without_double_sends_and_charges_exactly(funded, settings):
    settings.BOOSTER_SEND_BATCH_SIZE = 10
    credits.credit_topup(affiliate=funded, credits=1000, ref="more")
    _leads(funded, 35)
    b = _draft(funded)
    broadcasts.broadcast_schedule(affiliate=funded, broadcast=b, when=timezone.now() + timedelta(minutes=5))
    broadcasts.broadcasts_due(now=timezone.now() + timedelta(minutes=6))
    sent_to = []
    calls = {"n": 0}

    def crashing(*, to, **kw):
        calls["n"] += 1
        if calls["n"] == 15:
            raise SystemExit("worker killed")  # mid-batch: the claimed row stays "sending"
        sent_to.append(to)
        return SendResult.sent("smtp")

    broadcasts.broadcast_send_batch(broadcast_id=b.pk, sender=crashing)
    with pytest.raises(SystemExit):
        broadcasts.broadcast_send_batch(broadcast_id=b.pk, sender=crashing)

    def ok(*, to, **kw):
        sent_to.append(to)
        return SendResult.sent("smtp")

    while broadcasts.broadcast_send_batch(broadcast_id=b.pk, sender=ok):
        pass
    b.refresh_from_db()
    assert len(sent_to) == len(set(sent_to)) == 34  # the lead whose send was cut off is not retried
    assert b.status == BroadcastStatus.SENT and b.sent_count == 34 and b.credits_used == 34
    assert BroadcastRecipient.objects.filter(broadcast=b, status=RecipientStatus.FAILED).count() == 1
    assert credits.balances_for(funded) == (1100 - 34, 0)


def test_ten_thousand_leads_through_the_email_backend(funded, settings):
    """10,000 leads through Django's in-memory mail backend (the local sink): each at most once, charged exactly."""
    settings.BOOSTER_SEND_BATCH_SIZE = 2000
    settings.BOOSTER_DAILY_EMAIL_CAP = 20_000
    credits.credit_topup(affiliate=funded, credits=10_000, ref="bulk")
    _leads(funded, 10_000)
    b = _draft(funded)
    broadcasts.broadcast_schedule(affiliate=funded, broadcast=b, when=timezone.now() + timedelta(minutes=1))
    broadcasts.broadcasts_due(now=timezone.now() + timedelta(minutes=2))
    broadcasts.broadcast_send_batch(broadcast_id=b.pk)  # first batch, then "interrupted"
    assert len(mail.outbox) == 2000
    while broadcasts.broadcast_send_batch(broadcast_id=b.pk):
        pass
    b.refresh_from_db()
    assert len(mail.outbox) == 10_000 == len({m.to[0] for m in mail.outbox})
    assert b.sent_count == b.credits_used == 10_000
    assert credits.balances_for(funded) == (100, 0)
    first = mail.outbox[0]
    html = first.alternatives[0][0]
    assert "/t/o/" in html and "/t/c/" in html and "/berhenti/" in first.body
    assert first.reply_to == ["dinda@example.com"] and "Dinda Lestari" in first.from_email


def test_daily_cap_and_suspension_pause_sending(funded, settings):
    settings.BOOSTER_DAILY_EMAIL_CAP = 3
    _leads(funded, 5)
    b = _draft(funded)
    broadcasts.broadcast_schedule(affiliate=funded, broadcast=b, when=timezone.now() + timedelta(minutes=1))
    broadcasts.broadcasts_due(now=timezone.now() + timedelta(minutes=2))
    while broadcasts.broadcast_send_batch(broadcast_id=b.pk):
        pass
    b.refresh_from_db()
    assert b.status == BroadcastStatus.SENDING and b.sent_count == 3
    settings.BOOSTER_DAILY_EMAIL_CAP = 100
    account = credits.account_for(funded)
    account.sending_suspended = True
    account.save()
    assert broadcasts.broadcast_send_batch(broadcast_id=b.pk) == 0
    account.sending_suspended = False
    account.save()
    while broadcasts.broadcast_send_batch(broadcast_id=b.pk):
        pass
    b.refresh_from_db()
    assert b.status == BroadcastStatus.SENT and b.sent_count == 5


def test_tracking_open_click_and_unsubscribe(client, funded):
    _leads(funded, 1)
    b = _draft(funded)
    broadcasts.broadcast_schedule(affiliate=funded, broadcast=b, when=timezone.now() + timedelta(minutes=1))
    broadcasts.broadcasts_due(now=timezone.now() + timedelta(minutes=2))
    while broadcasts.broadcast_send_batch(broadcast_id=b.pk):
        pass
    html = mail.outbox[0].alternatives[0][0]
    import re

    pixel = re.search(r'src="https?://[^"]*(/t/o/[^"]+)"', html).group(1)
    click = re.search(r'href="https?://[^"]*(/t/c/[^"]+)"', html).group(1)
    assert client.get(pixel)["Content-Type"] == "image/gif"
    client.get(pixel)
    response = client.get(click)
    assert response.status_code == 302 and response["Location"] == "https://contoh.id/promo"
    b.refresh_from_db()
    assert (b.opened_count, b.clicked_count) == (1, 1)
    assert client.get("/t/c/palsu").status_code == 400
    unsub = re.search(r"(/berhenti/\S+)", mail.outbox[0].body).group(1)
    assert client.get(unsub).status_code == 200
    client.post(unsub)
    lead = Lead.objects.get()
    assert lead.unsubscribed_at is not None
    assert Suppression.objects.filter(affiliate=funded, email=lead.email).exists()
    b.refresh_from_db()
    assert b.unsubscribed_count == 1


def test_recurring_creates_the_next_occurrence_with_a_reservation(funded):
    _leads(funded, 2)
    b = _draft(funded)
    start = timezone.now() + timedelta(hours=1)
    broadcasts.broadcast_schedule(
        affiliate=funded,
        broadcast=b,
        when=start,
        recurring={"frequency": "daily", "interval": 1, "time_of_day": "09:00"},
    )
    b.refresh_from_db()
    broadcasts.broadcasts_due(now=b.scheduled_at + timedelta(minutes=1))
    while broadcasts.broadcast_send_batch(broadcast_id=b.pk, now=b.scheduled_at + timedelta(minutes=1)):
        pass
    nxt = Broadcast.objects.get(parent=b)
    assert nxt.status == BroadcastStatus.SCHEDULED and nxt.credits_reserved == 2
    assert timezone.localtime(nxt.scheduled_at).strftime("%H:%M") == "09:00"
    assert nxt.scheduled_at - b.scheduled_at == timedelta(days=1)


def test_recurring_fails_when_credits_run_out(affiliate):
    credits.credit_topup(affiliate=affiliate, credits=2, ref="x")
    _leads(affiliate, 2)
    b = _draft(affiliate)
    broadcasts.broadcast_schedule(
        affiliate=affiliate, broadcast=b, when=timezone.now() + timedelta(hours=1),
        recurring={"frequency": "daily", "interval": 1, "time_of_day": "09:00"},
    )  # fmt: skip
    b.refresh_from_db()
    now = b.scheduled_at + timedelta(minutes=1)
    broadcasts.broadcasts_due(now=now)
    while broadcasts.broadcast_send_batch(broadcast_id=b.pk, now=now):
        pass
    nxt = Broadcast.objects.get(parent=b)
    assert nxt.credits_reserved == 0
    broadcasts.broadcasts_due(now=nxt.scheduled_at + timedelta(minutes=1))
    nxt.refresh_from_db()
    assert nxt.status == BroadcastStatus.FAILED and "Kredit tidak cukup" in nxt.error
    assert credits.balances_for(affiliate) == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_concurrent_charges_never_overspend(make_user):
    from sanggar.affiliates.services.profiles import affiliate_profile_ensure
    from sanggar.core.roles import Role

    affiliate = affiliate_profile_ensure(user=make_user(Role.AFFILIATE, email="paralel@example.com"))
    credits.credit_topup(affiliate=affiliate, credits=5, ref="seed")
    results = []

    def worker():
        from django.db import transaction

        try:
            with transaction.atomic():
                account = credits.locked_account(affiliate)
                credits.credit_charge_now(account=account, credits=1, ref="race")
            results.append("ok")
        except ServiceError:
            results.append("short")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 5 and results.count("short") == 7
    assert credits.balances_for(affiliate) == (0, 0)


def test_lead_unique_per_affiliate_by_email_or_phone(affiliate, other_affiliate):
    a, created = leads.lead_upsert(affiliate=affiliate, name="Sari", email="Sari@Contoh.id")
    assert created
    b, created = leads.lead_upsert(affiliate=affiliate, email="sari@contoh.id", whatsapp="0812 3456 7890")
    assert not created and a.pk == b.pk
    b.refresh_from_db()
    assert b.whatsapp == "+6281234567890"
    c, created = leads.lead_upsert(affiliate=affiliate, whatsapp="+62 812-3456-7890", name="Sari lagi")
    assert not created and c.pk == a.pk
    _d, created = leads.lead_upsert(affiliate=other_affiliate, email="sari@contoh.id")
    assert created
    with pytest.raises(ServiceError):
        leads.lead_upsert(affiliate=affiliate, email="bukan-email")
