"""Broadcast delivery (issue 14): the per-channel throttle with a fake clock, a batch's emails over one SMTP
connection with per-recipient failures, the report (sent, failed, opened by the pixel, clicked through the signed
redirect), segments by community group and by course with the count before saving, one suppression list with the
booster, the email button text, and reordering a sequence's steps (page and API)."""

import json
import re
import smtplib
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanggar.affiliates.services.profiles import affiliate_profile_ensure
from sanggar.api.testing import call
from sanggar.audit.models import ActivityLog
from sanggar.booster.models import Lead, Suppression
from sanggar.booster.services import pages as booster_pages
from sanggar.booster.services.broadcasts import segment_leads
from sanggar.booster.services.mail import is_suppressed
from sanggar.community import services as community
from sanggar.learning import services as learning
from sanggar.notifications.channels import get_channel
from sanggar.notifications.constants import DeliveryStatus
from sanggar.notifications.models import Delivery, EmailSuppression
from sanggar.notifications.services import suppression_add
from sanggar.reminders import services, tracking
from sanggar.reminders.constants import BroadcastStatus, Trigger
from sanggar.reminders.models import Broadcast, BroadcastRecipient, ChannelThrottle, ReminderSequence

pytestmark = pytest.mark.django_db
User = get_user_model()

WIB = timezone.get_fixed_timezone(7 * 60)


class FakeClock:
    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += timedelta(seconds=seconds)


def _draft(admin_user, **fields):
    values = {"title": "Info", "subject": "Halo {name}", "body": "Isi", "channels": ["email"], **fields}
    return services.broadcast_save(actor=admin_user, **values)


def _sending(admin_user, **fields):
    b = _draft(admin_user, **fields)
    with mock.patch("sanggar.reminders.tasks.broadcast_send_task.delay"):
        services.broadcast_start(actor=admin_user, broadcast=b)
    return b


def _emails(b):
    return Delivery.objects.filter(channel="email", notification__in=b.recipients.values("notification"))


# --- throttle ---------------------------------------------------------------------------------------------------


def test_throttle_paces_each_minute_with_a_fake_clock(admin_user, make_user, settings):
    settings.REMINDERS_BROADCAST_BATCH_SIZE = 2
    settings.REMINDERS_BROADCAST_EMAILS_PER_MINUTE = 3
    settings.REMINDERS_BROADCAST_WHATSAPP_PER_MINUTE = 0  # no limit: only the chosen channels count
    members = [make_user() for _ in range(6)]
    b = _sending(admin_user)
    audience = services.segment_users(broadcast=b).count()
    assert audience == len(members) + 1  # and the admin
    clock = FakeClock(datetime(2026, 12, 7, 9, 0, 10, tzinfo=WIB))
    per_minute = []
    for _minute in range(4):
        handled = services.broadcast_send_all(broadcast_id=b.pk, clock=clock)
        per_minute.append(handled)
        assert services.broadcast_send_all(broadcast_id=b.pk, clock=clock) == 0  # the same minute: budget spent
        clock.advance(60)
    assert per_minute == [3, 3, 1, 0]
    b.refresh_from_db()
    assert b.status == BroadcastStatus.SENT
    assert _emails(b).count() == audience and BroadcastRecipient.objects.filter(broadcast=b).count() == audience
    # every member once, sent in the batch
    assert _emails(b).filter(status=DeliveryStatus.LOGGED).count() == audience
    assert ChannelThrottle.objects.get(channel="email").used <= 3
    assert not ChannelThrottle.objects.filter(channel="whatsapp").exists()


def test_throttle_is_shared_by_broadcasts_and_zero_means_no_limit(admin_user, make_user, settings):
    settings.REMINDERS_BROADCAST_EMAILS_PER_MINUTE = 2
    [make_user() for _ in range(3)]
    clock = FakeClock(datetime(2026, 12, 7, 9, 0, 0, tzinfo=WIB))
    first, second = _sending(admin_user), _sending(admin_user, title="Kedua")
    assert services.broadcast_send_all(broadcast_id=first.pk, clock=clock) == 2
    assert services.broadcast_send_all(broadcast_id=second.pk, clock=clock) == 0  # the minute is spent for all
    settings.REMINDERS_BROADCAST_EMAILS_PER_MINUTE = 0
    assert services.broadcast_send_all(broadcast_id=second.pk, clock=clock) == 4
    in_app = _sending(admin_user, title="Hanya aplikasi", channels=[])
    settings.REMINDERS_BROADCAST_EMAILS_PER_MINUTE = 1
    assert services.broadcast_send_all(broadcast_id=in_app.pk, clock=clock) == 4  # in-app only: no channel limit


# --- one SMTP connection per batch -------------------------------------------------------------------------------


class CountingBackend(BaseEmailBackend):
    """An SMTP-like backend: counts sessions opened, refuses addresses starting with "tolak"."""

    opened = 0
    sent: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.connection = None

    def open(self):
        if self.connection:
            return False
        type(self).opened += 1
        self.connection = object()
        return True

    def close(self):
        self.connection = None

    def send_messages(self, messages):
        new = self.open()
        try:
            for message in messages:
                if message.to[0].startswith("tolak"):
                    raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
                type(self).sent.append(message)
        finally:
            if new:
                self.close()
        return len(messages)


def test_a_batch_of_emails_goes_over_one_connection_and_a_refused_recipient_fails_alone(
    admin_user, make_user, settings
):
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    settings.MAILKETING_API_TOKEN = ""
    settings.REMINDERS_BROADCAST_EMAILS_PER_MINUTE = 0
    CountingBackend.opened, CountingBackend.sent = 0, []
    [make_user() for _ in range(4)]
    refused = make_user(email="tolak@contoh.id")
    b = _sending(admin_user, cta_text="Daftar Webinar", link="/kelas")
    assert services.broadcast_send_all(broadcast_id=b.pk) == 6
    assert CountingBackend.opened == 1  # one session for the whole batch, not one per email
    assert len(CountingBackend.sent) == 5
    bad = _emails(b).get(recipient=refused.email)
    assert (bad.status, bad.attempts) == (DeliveryStatus.QUEUED, 1) and bad.next_attempt_at  # retried later
    assert "SMTPRecipientsRefused" in bad.last_error
    assert _emails(b).filter(status=DeliveryStatus.SENT).count() == 5
    html = CountingBackend.sent[0].alternatives[0][0]
    assert "Daftar Webinar" in html and "/r/o/" in html  # the button text and the open pixel


def test_send_many_reopens_a_dropped_connection(settings):
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    CountingBackend.opened, CountingBackend.sent = 0, []
    provider = get_channel("email").candidates()[1]
    from sanggar.notifications.channels.base import OutgoingMessage

    messages = [OutgoingMessage(delivery_id=i, channel="email", recipient=f"a{i}@contoh.id", subject="s", body="b")
                for i in range(3)]  # fmt: skip
    with mock.patch.object(CountingBackend, "send_messages", side_effect=[1, smtplib.SMTPServerDisconnected(), 1]):
        results = provider.send_many(messages)
    assert [r.status for r in results] == ["sent", "failed", "sent"]
    assert CountingBackend.opened == 2  # reopened after the drop


# --- the report --------------------------------------------------------------------------------------------------


def test_report_counts_sent_failed_opened_and_clicked(admin_user, make_user, client, settings):
    settings.REMINDERS_BROADCAST_EMAILS_PER_MINUTE = 0
    first, second = make_user(), make_user()
    b = _sending(admin_user, link="https://contoh.id/promo", segment_role="")
    services.broadcast_send_all(broadcast_id=b.pk)
    row = BroadcastRecipient.objects.get(broadcast=b, user=first)
    delivery = _emails(b).get(recipient=first.email)
    html = get_channel("email").message_for(delivery).html
    pixel = re.search(r'src="https?://[^"]*(/r/o/[^"]+)"', html).group(1)
    assert client.get(pixel).status_code == 200
    assert client.get(pixel).status_code == 200  # a second load counts once
    click = re.search(r'href="https?://[^"]*(/r/k/[^"]+)"', html).group(1)
    response = client.get(click)
    assert response.status_code == 302 and response["Location"] == "https://contoh.id/promo"
    push_click = tracking.click_url(BroadcastRecipient.objects.get(broadcast=b, user=second).pk, "push", "b")
    assert client.get(push_click.split("testserver")[-1]).status_code == 302
    assert client.get("/r/k/palsu").status_code == 404 and client.get("/r/o/palsu.gif").status_code == 200
    _emails(b).filter(recipient=second.email).update(status=DeliveryStatus.FAILED)
    row.refresh_from_db()
    assert row.opened_at and row.clicked_at and row.clicked_channel == "email"
    stats = services.broadcast_stats(broadcast=b)
    assert (stats["opened"], stats["clicked"], stats["failed"]) == (1, 2, 1)
    assert stats["sent"] == stats["recipients"] - 1
    client.force_login(admin_user)
    page = client.get(f"/admin/broadcast/{b.pk}").content.decode()
    assert "Dibuka (email)" in page and 'data-stat="opened">1<' in page and 'data-stat="clicked">2<' in page
    assert 'data-stat="failed">1<' in page
    detail = call(client, "get", f"/admin/broadcasts/{b.pk}", user=admin_user).json()
    assert (detail["stats"]["opened"], detail["stats"]["clicked"], detail["stats"]["failed"]) == (1, 2, 1)
    assert detail["processed"] == detail["audience"] and detail["percent"] == 100
    progress = client.get(f"/admin/broadcast/{b.pk}/kemajuan").content.decode()
    assert 'id="broadcast-report"' in progress and "hx-trigger" not in progress  # finished: no more polling


def test_links_in_a_broadcast_body_are_tracked_in_html_and_text(admin_user, make_user, client, settings):
    settings.REMINDERS_BROADCAST_EMAILS_PER_MINUTE = 0
    member = make_user()
    body = "Diskon di https://contoh.id/diskon?kode=A&x=1. Tanya: mailto:cs@contoh.id"
    b = _sending(admin_user, body=body, link="https://contoh.id/promo", segment_role="")
    services.broadcast_send_all(broadcast_id=b.pk)
    delivery = _emails(b).get(recipient=member.email)
    html = get_channel("email").message_for(delivery).html
    # the link is tracked, its text still shows the real address
    assert 'href="https://contoh.id/diskon' not in html and ">https://contoh.id/diskon?kode=A&amp;x=1</a>" in html
    assert "https://contoh.id/diskon" not in delivery.body
    assert "mailto:cs@contoh.id" in delivery.body
    link = re.search(r"https?://\S+?/r/k/\S+?(?=\. Tanya)", delivery.body).group(0)  # the full stop kept outside
    assert link in html.replace("&amp;", "&")
    response = client.get(link.split("testserver")[-1])
    assert response.status_code == 302 and response["Location"] == "https://contoh.id/diskon?kode=A&x=1"
    row = BroadcastRecipient.objects.get(broadcast=b, user=member)
    assert row.clicked_at and row.clicked_channel == "email"
    first = row.clicked_at
    assert client.get(link.split("testserver")[-1]).status_code == 302  # redirects again, counted once
    row.refresh_from_db()
    assert row.clicked_at == first and services.broadcast_stats(broadcast=b)["clicked"] == 1
    # the in-app notification keeps the real address
    assert "https://contoh.id/diskon" in row.notification.message


def test_a_hostile_link_is_refused(admin_user):
    for link in ("javascript:alert(1)", "//evil.example/x", "data:text/html,x"):
        with pytest.raises(services.ServiceError):
            _draft(admin_user, link=link)


# --- segments ----------------------------------------------------------------------------------------------------


def test_segments_by_group_and_course_and_the_count_before_saving(admin_user, make_user, client):
    in_group, in_course, in_both, outside = make_user(), make_user(), make_user(), make_user()
    group = community.group_create(actor=admin_user, data={"name": "Ekspor Kopi", "visibility": "public"})
    for user in (in_group, in_both):
        community.group_join(user=user, group=group)
    course = learning.course_create(actor=admin_user, data={"title": "Dasar Ekspor", "summary": "Ringkas"})
    for user in (in_course, in_both):
        learning.enrollment_ensure(user=user, course=course)
    by_group = _draft(admin_user, segment_group=group)
    assert set(services.segment_users(broadcast=by_group)) >= {in_group, in_both}
    assert outside not in set(services.segment_users(broadcast=by_group))
    assert set(services.segment_users(broadcast=_draft(admin_user, segment_course=course))) == {in_course, in_both}
    assert list(services.segment_users(broadcast=_draft(admin_user, segment_group=group, segment_course=course))) == [
        in_both
    ]
    assert services.segment_preview(segment_course=course) == 2
    with pytest.raises(services.ServiceError):
        services.segment_preview(segment_province="Atlantis")
    # the page counts while the admin picks (nothing saved), and the API does the same
    client.force_login(admin_user)
    before = Broadcast.objects.count()
    response = client.post("/admin/broadcast/sasaran", {"segment_course": course.pk})
    assert "Sasaran dengan filter ini: 2 pengguna." in response.content.decode()
    bad = client.post("/admin/broadcast/sasaran", {"segment_province": "Atlantis", "segment_course": "x"})
    assert bad.status_code == 200
    assert Broadcast.objects.count() == before
    counted = call(client, "post", "/admin/broadcasts/audience", {"segment_course": course.slug}, user=admin_user)
    assert counted.json() == {"audience": 2}
    missing = call(client, "post", "/admin/broadcasts/audience", {"segment_group": "tidak-ada"}, user=admin_user)
    assert missing.status_code == 400
    created = call(
        client,
        "post",
        "/admin/broadcasts",
        {"title": "Kopi", "subject": "Halo", "body": "Isi", "segment_group": group.slug, "cta_text": "Gabung"},
        user=admin_user,
    ).json()
    assert created["segment_group"] == group.slug and created["cta_text"] == "Gabung"
    member = make_user()
    assert call(client, "post", "/admin/broadcasts/audience", {}, user=member).status_code in (401, 403)
    client.force_login(member)
    assert client.post("/admin/broadcast/sasaran", {}).status_code in (302, 403)


# --- one suppression list ----------------------------------------------------------------------------------------


def test_one_suppression_list_for_broadcasts_and_the_booster(admin_user, make_user, settings):
    settings.REMINDERS_BROADCAST_EMAILS_PER_MINUTE = 0
    affiliate = affiliate_profile_ensure(user=make_user("affiliate"))
    other = affiliate_profile_ensure(user=make_user("affiliate"))
    member = make_user(email="pembaca@contoh.id")
    lead = Lead.objects.create(affiliate=affiliate, name="Pembaca", email="pembaca@contoh.id")
    other_lead = Lead.objects.create(affiliate=other, name="Pembaca", email="pembaca@contoh.id")
    # unsubscribing from one affiliate only: that affiliate stops, the others and platform broadcasts go on
    booster_pages.unsubscribe(lead=lead)
    assert is_suppressed(affiliate=affiliate, email=lead.email)
    assert not is_suppressed(affiliate=other, email=lead.email)
    assert not EmailSuppression.objects.filter(email=lead.email).exists()
    # the platform broadcast's unsubscribe link: every affiliate stops too
    suppression_add(email="PEMBACA@contoh.id")
    assert is_suppressed(affiliate=other, email=lead.email)
    assert not segment_leads(affiliate=other, segment={}).filter(pk=other_lead.pk).exists()
    b = _sending(admin_user)
    services.broadcast_send_all(broadcast_id=b.pk)
    assert _emails(b).get(recipient=member.email).status == DeliveryStatus.SKIPPED
    # a lead choosing "all marketing email" on the booster's page stops platform broadcasts as well
    EmailSuppression.objects.all().delete()
    third = Lead.objects.create(affiliate=other, name="Sari", email="sari@contoh.id")
    booster_pages.unsubscribe(lead=third, everywhere=True)
    assert EmailSuppression.objects.filter(email="sari@contoh.id").exists()
    assert Suppression.objects.filter(affiliate=other, email="sari@contoh.id").exists()


def test_booster_unsubscribe_page_offers_all_marketing_email(client, make_user):
    from sanggar.booster.services.mail import token

    affiliate = affiliate_profile_ensure(user=make_user("affiliate"))
    lead = Lead.objects.create(affiliate=affiliate, name="Sari", email="sari@contoh.id")
    url = f"/berhenti/{token('l', lead.pk)}"
    assert 'name="everywhere"' in client.get(url).content.decode()
    client.post(url, {"everywhere": "1"})
    assert EmailSuppression.objects.filter(email="sari@contoh.id").exists()


# --- the email button text ---------------------------------------------------------------------------------------


def test_a_step_email_uses_its_own_button_text(admin_user):
    seq = ReminderSequence.objects.create(name="Perpanjang", trigger=Trigger.MEMBERSHIP_STARTED)
    step = services.step_save(
        actor=admin_user,
        sequence=seq,
        delay_hours=0,
        channels=["email"],
        subject="Halo",
        body="Isi",
        content={"email": {"cta_text": "Perpanjang Sekarang", "cta_link": "/checkout"}},
    )
    services.step_test_send(actor=admin_user, step=step)
    delivery = Delivery.objects.get(channel="email", user=admin_user)
    assert delivery.button_text == "Perpanjang Sekarang"
    assert ">Perpanjang Sekarang</a>" in get_channel("email").message_for(delivery).html
    plain = Delivery(channel="email", recipient="a@contoh.id", subject="s", body="b", link="https://contoh.id")
    assert ">Buka</a>" in get_channel("email").message_for(plain).html  # no text: the default


# --- reordering steps ---------------------------------------------------------------------------------------------


def _sequence_with_steps(admin_user, n=3):
    seq = ReminderSequence.objects.create(name="Sambutan", trigger=Trigger.MEMBERSHIP_STARTED)
    steps = [
        services.step_save(actor=admin_user, sequence=seq, delay_hours=i, channels=[], subject=f"L{i}", body="b")
        for i in range(n)
    ]
    return seq, steps


def test_reorder_steps_from_the_page_without_reload(admin_user, make_user, client):
    seq, (a, b, c) = _sequence_with_steps(admin_user)
    client.force_login(admin_user)
    page = client.get(f"/admin/pengingat/{seq.pk}").content.decode()
    assert 'data-reorder-url="/admin/pengingat/' in page and 'draggable="true"' in page
    assert 'data-move="up"' in page and "reminders/sortable.js" in page
    url = f"/admin/pengingat/{seq.pk}/langkah/urutan"
    response = client.post(url, json.dumps({"step_ids": [c.pk, a.pk, b.pk]}), content_type="application/json")
    assert response.status_code == 200 and response.json()["step_ids"] == [c.pk, a.pk, b.pk]
    assert list(seq.steps.values_list("pk", flat=True)) == [c.pk, a.pk, b.pk]
    assert ActivityLog.objects.filter(action="reminders.steps_reordered").count() == 1
    for bad in ("{", json.dumps([1]), json.dumps({"step_ids": "1,2"}), json.dumps({"step_ids": [a.pk]}),
                json.dumps({"step_ids": [a.pk, b.pk, "x"]}), json.dumps({"step_ids": [a.pk, a.pk, b.pk]})):  # fmt: skip
        response = client.post(url, bad, content_type="application/json")
        assert response.status_code == 400 and response.json()["message"]
    assert list(seq.steps.values_list("pk", flat=True)) == [c.pk, a.pk, b.pk]
    client.force_login(make_user())
    denied = client.post(url, json.dumps({"step_ids": [a.pk, b.pk, c.pk]}), content_type="application/json")
    assert denied.status_code in (302, 403)
    assert list(seq.steps.values_list("pk", flat=True)) == [c.pk, a.pk, b.pk]


def test_reorder_steps_api(admin_user, make_user, client):
    seq, (a, b, c) = _sequence_with_steps(admin_user)
    url = f"/admin/reminders/{seq.pk}/steps/reorder"
    ok = call(client, "post", url, {"step_ids": [b.pk, c.pk, a.pk]}, user=admin_user)
    assert ok.status_code == 200 and [s["id"] for s in ok.json()] == [b.pk, c.pk, a.pk]
    assert [s["sort_order"] for s in ok.json()] == [0, 1, 2]
    assert call(client, "post", url, {"step_ids": [b.pk]}, user=admin_user).status_code == 400
    assert call(client, "post", url, {"step_ids": ["x"]}, user=admin_user).status_code in (400, 422)
    other, (d,) = _sequence_with_steps(admin_user, n=1)
    assert call(client, "post", url, {"step_ids": [b.pk, c.pk, d.pk]}, user=admin_user).status_code == 400
    assert call(client, "post", url, {"step_ids": [a.pk, b.pk, c.pk]}, user=make_user()).status_code in (401, 403)
    assert (
        call(client, "post", "/admin/reminders/999999/steps/reorder", {"step_ids": []}, user=admin_user).status_code
        == 404
    )
    assert list(seq.steps.values_list("pk", flat=True)) == [b.pk, c.pk, a.pk]


# --- queries per batch ---------------------------------------------------------------------------------------------


def _batch_queries(admin_user, make_user, size):
    """Sends one batch of `size` members (one suppressed, one who switched email off, the rest plain) on email,
    WhatsApp and in-app, and returns the queries it took (writing and sending)."""
    suppressed = make_user(email=f"berhenti{size}@contoh.id", province="Papua")
    make_user(province="Papua", notification_prefs={"system": {"email": False, "whatsapp": False}})
    [make_user(province="Papua") for _ in range(size - 2)]
    suppression_add(email=suppressed.email)
    b = _sending(admin_user, title=f"Batch {size}", channels=["email", "whatsapp"], segment_province="Papua")
    with CaptureQueriesContext(connection) as ctx:
        assert services.broadcast_send_batch(broadcast_id=b.pk) == size
    assert _emails(b).get(recipient=suppressed.email).status == DeliveryStatus.SKIPPED
    assert _emails(b).filter(status=DeliveryStatus.LOGGED).count() == size - 2
    assert BroadcastRecipient.objects.filter(broadcast=b, status="skipped").count() == 1
    BroadcastRecipient.objects.filter(broadcast=b).delete()
    User.objects.filter(province="Papua").update(province="")
    return len(ctx.captured_queries)


def test_a_batch_takes_the_same_queries_whatever_its_size(admin_user, make_user, settings):
    """Writing a batch (recipient rows, notifications, deliveries, the suppression list and preferences) and sending
    it (one SMTP connection) is a constant number of queries, not some per recipient."""
    settings.REMINDERS_BROADCAST_BATCH_SIZE = 100
    settings.REMINDERS_BROADCAST_EMAILS_PER_MINUTE = 1000
    settings.REMINDERS_BROADCAST_WHATSAPP_PER_MINUTE = 1000
    _batch_queries(admin_user, make_user, 3)  # warms the caches (role rules, branding, providers)
    small, large = _batch_queries(admin_user, make_user, 4), _batch_queries(admin_user, make_user, 60)
    assert small == large
    assert large <= 25


# --- 20,000 members, interrupted and resumed -----------------------------------------------------------------------


def test_a_broadcast_to_20000_members_interrupted_and_resumed_sends_each_one_email(
    admin_user, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.REMINDERS_BROADCAST_BATCH_SIZE = 2000
    settings.REMINDERS_BROADCAST_EMAILS_PER_MINUTE = 0
    User.objects.bulk_create(
        [User(email=f"anggota{i}@contoh.id", full_name=f"Anggota {i}", province="Bali") for i in range(20_000)],
        batch_size=5000,
    )
    b = _sending(admin_user, segment_province="Bali")
    real = services._broadcast_recipient_message
    calls = {"n": 0}

    def crash_in_the_third_batch(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 4500:
            raise RuntimeError("worker killed")
        return real(*args, **kwargs)

    with (
        mock.patch.object(services, "_broadcast_recipient_message", crash_in_the_third_batch),
        pytest.raises(RuntimeError),
    ):
        services.broadcast_send_all(broadcast_id=b.pk)
    assert BroadcastRecipient.objects.filter(broadcast=b).count() == 4000  # the third batch rolled back whole
    assert len(mailoutbox) == 4000
    with django_capture_on_commit_callbacks(execute=True):
        services.broadcasts_start_due()  # the minute sweep hands it to a worker again
    services.broadcast_send_all(broadcast_id=b.pk)  # and a second worker at the same time finds nothing left
    b.refresh_from_db()
    assert b.status == BroadcastStatus.SENT
    rows = BroadcastRecipient.objects.filter(broadcast=b)
    assert rows.count() == rows.values("user").distinct().count() == 20_000
    assert _emails(b).count() == _emails(b).values("recipient").distinct().count() == 20_000
    assert len(mailoutbox) == len({m.to[0] for m in mailoutbox}) == 20_000
