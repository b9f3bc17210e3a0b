"""The booster's automation on the one reminder engine (checklist §5.9): triggers, "after the previous step" delays,
quiet hours, stop on purchase / unsubscribe, one credit per email with a refund on failure, suppression, the daily
cap, the engine's log, tracking and statistics, exactly once under two sweeps, the data migration, and who may touch
which sequence."""

import re
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanggar.booster import selectors
from sanggar.booster.constants import EnrollmentStatus
from sanggar.booster.models import REALM, Enrollment, Lead, Sequence, Suppression
from sanggar.booster.services import credits, leads, pages, sequences
from sanggar.notifications.channels.base import SendResult
from sanggar.notifications.services import suppression_add
from sanggar.reminders.constants import SendStatus
from sanggar.reminders.models import LinkClick, ReminderSend, ReminderSequence
from sanggar.reminders.services import reminders_send_due

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _awake(settings):
    settings.BOOSTER_QUIET_HOURS = "21:00-07:00"


@pytest.fixture
def form(affiliate):
    return pages.optin_save(
        affiliate=affiliate,
        data={"title": "Ebook", "slug": "ebook-x", "headline": "Ebook Gratis", "ask_name": True, "ask_email": True,
              "action": "message", "success_message": "Cek email.", "is_active": True},
    )  # fmt: skip


def noon(days=1):
    return timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0) + timedelta(days=days)


def make_sequence(affiliate, *, trigger="lead_created", form=None, tag="", steps=((0, "Halo {first_name}", "Isi"),)):
    seq = sequences.sequence_save(
        affiliate=affiliate, name="Sapaan Lead Dinda", trigger=trigger, form=form, tag=tag,
        steps=[{"delay_minutes": d, "subject": s, "body": b} for d, s, b in steps],
    )  # fmt: skip
    sequences.sequence_set_active(affiliate=affiliate, sequence=seq, active=True)
    return seq


def add_lead(affiliate, email, **kw):
    return leads.lead_upsert(affiliate=affiliate, name=email.split("@")[0].title(), email=email, **kw)[0]


def test_a_booster_sequence_is_an_engine_row_hidden_from_the_admins(client, admin_user, funded):
    seq = make_sequence(funded)
    row = ReminderSequence.objects.get(pk=seq.pk)
    assert (row.realm, row.owner_id, row.kind) == (REALM, funded.pk, "marketing")
    client.force_login(admin_user)
    assert seq.name not in client.get("/admin/pengingat").content.decode()
    assert client.get(f"/admin/pengingat/{seq.pk}").status_code == 404
    assert client.get(f"/api/v1/admin/reminders/{seq.pk}").status_code in (401, 404)


def test_triggers_optin_on_its_form_any_lead_and_tag(funded, form):
    on_form = make_sequence(funded, trigger="optin", form=form)
    on_any_form = make_sequence(funded, trigger="optin")
    on_tag = make_sequence(funded, trigger="tag_added", tag="vip")
    manual = add_lead(funded, "manual@contoh.id")
    assert not Enrollment.objects.filter(lead=manual).exists()  # not an opt-in
    lead, _next = pages.optin_submit(form=form, name="Sari", email="sari@contoh.id", ip="10.1.1.1")
    assert set(Enrollment.objects.filter(lead=lead).values_list("sequence_id", flat=True)) == {
        on_form.pk,
        on_any_form.pk,
    }
    leads.lead_tag_add(lead=manual, tag="vip")
    assert Enrollment.objects.filter(lead=manual, sequence=on_tag).exists()
    assert sequences.sequences_send_due(now=noon()) == 3
    assert ReminderSend.objects.filter(object_key=f"lead:{lead.pk}", status=SendStatus.SENT).count() == 2


def test_each_step_waits_its_delay_after_the_previous_send(funded, settings):
    make_sequence(funded, steps=((0, "Satu", "a"), (60, "Dua", "b"), (1440, "Tiga", "c")))
    add_lead(funded, "a@contoh.id")
    late = noon(2)  # long after every delay counted from the opt-in: still one step per run, each after the last
    assert sequences.sequences_send_due(now=late) == 1
    assert sequences.sequences_send_due(now=late + timedelta(minutes=59)) == 0
    assert sequences.sequences_send_due(now=late + timedelta(minutes=60)) == 1
    assert sequences.sequences_send_due(now=late + timedelta(hours=24, minutes=59)) == 0
    assert sequences.sequences_send_due(now=late + timedelta(hours=25)) == 1
    assert [m.subject for m in mail.outbox] == ["Satu", "Dua", "Tiga"]
    assert Enrollment.objects.get().status == EnrollmentStatus.DONE


def test_quiet_hours_then_morning(funded):
    make_sequence(funded)
    add_lead(funded, "a@contoh.id")
    night = noon() + timedelta(hours=10)  # 22:00
    assert sequences.sequences_send_due(now=night) == 0
    assert sequences.sequences_send_due(now=night + timedelta(hours=9)) == 1  # 07:00


def test_stop_on_purchase_and_unsubscribe(funded):
    make_sequence(funded, steps=((0, "Satu", "a"), (60, "Dua", "b")))
    buyer, quitter = add_lead(funded, "buyer@contoh.id"), add_lead(funded, "quit@contoh.id")
    assert sequences.sequences_send_due(now=noon()) == 2
    leads.lead_update(lead=buyer, status="converted")
    pages.unsubscribe(lead=quitter)
    assert sequences.sequences_send_due(now=noon() + timedelta(hours=2)) == 0
    assert set(Enrollment.objects.values_list("status", flat=True)) == {EnrollmentStatus.STOPPED}


def test_one_credit_per_email_refund_on_failure_and_held_without_credits(affiliate, monkeypatch, settings):
    settings.BOOSTER_QUIET_HOURS = ""  # the real clock: a lead added later is after the sweeps' watermark
    now = timezone.now()
    make_sequence(affiliate)
    add_lead(affiliate, "a@contoh.id")
    assert sequences.sequences_send_due(now=now) == 0  # no credits: held, not logged
    assert not ReminderSend.objects.exists()
    credits.credit_topup(affiliate=affiliate, credits=5, ref="t:1")
    monkeypatch.setattr(sequences, "send_email", lambda **kw: SendResult.failed("smtp", "550 ditolak"))
    assert sequences.sequences_send_due(now=now + timedelta(minutes=1)) == 0
    row = ReminderSend.objects.get()
    assert (row.status, row.user_id, row.error) == (SendStatus.FAILED, None, "550 ditolak")
    assert credits.balances_for(affiliate) == (5, 0)  # charged, then refunded
    add_lead(affiliate, "b@contoh.id")
    monkeypatch.undo()
    assert sequences.sequences_send_due(now=now + timedelta(minutes=2)) == 1
    assert credits.balances_for(affiliate) == (4, 0)


def test_suppressed_leads_are_logged_and_stopped_without_a_charge(funded, other_affiliate):
    make_sequence(funded)
    suppression_add(email="global@contoh.id")
    add_lead(funded, "global@contoh.id")
    own = add_lead(funded, "own@contoh.id")
    Suppression.objects.create(affiliate=funded, email=own.email)
    assert sequences.sequences_send_due(now=noon()) == 0
    assert set(ReminderSend.objects.values_list("status", flat=True)) == {SendStatus.UNSUBSCRIBED}
    assert credits.balances_for(funded) == (100, 0)
    assert not mail.outbox


def test_daily_cap_holds_the_rest(funded, settings):
    settings.BOOSTER_DAILY_EMAIL_CAP = 2
    settings.BOOSTER_QUIET_HOURS = ""  # the cap counts today's real sends: run on the real clock
    make_sequence(funded)
    for i in range(3):
        add_lead(funded, f"l{i}@contoh.id")
    now = timezone.now()
    assert sequences.sequences_send_due(now=now) == 2
    assert ReminderSend.objects.count() == 2  # the third is held, not logged
    assert sequences.sequences_send_due(now=now + timedelta(minutes=1)) == 0
    assert sequences.sequences_send_due(now=now + timedelta(days=1)) == 1  # the next day


def test_tracking_and_stats_through_the_engine(client, funded):
    seq = make_sequence(funded, steps=((0, "Halo", "Baca https://contoh.id/artikel sekarang."),))
    add_lead(funded, "a@contoh.id")
    assert sequences.sequences_send_due(now=noon()) == 1
    row = ReminderSend.objects.get()
    html = mail.outbox[0].alternatives[0][0]
    assert "/berhenti/" in html and 'href="https://contoh.id/artikel"' not in html
    click = re.search(r'href="[^"]*(/r/k/[^"]+)"', html).group(1)
    pixel = re.search(r'src="[^"]*(/r/o/[^"]+)"', html).group(1)
    response = client.get(click)
    assert response.status_code == 302 and response["Location"] == "https://contoh.id/artikel"
    assert client.get(pixel).status_code == 200
    row.refresh_from_db()
    assert row.opened_at and row.clicked_at
    assert LinkClick.objects.get(step=row.step).clicks == 1
    stats = selectors.sequence_stats(seq)
    assert (stats["sent"], stats["opened"], stats["clicked"], stats["failed"], stats["total"]) == (1, 1, 1, 0, 1)
    per_step = selectors.sequence_step_stats(seq)
    assert [(s["sent"], s["opened"], s["clicked"]) for s in per_step] == [(1, 1, 1)]
    assert (
        Lead.objects.filter(pk__in=selectors.leads_for(affiliate=funded, activity="clicked").values("pk")).count() == 1
    )


def test_the_sweep_is_batched(funded):
    make_sequence(funded)
    for i in range(20):
        add_lead(funded, f"l{i}@contoh.id")
    with CaptureQueriesContext(connection) as ctx:
        assert sequences.sequences_send_due(now=noon()) == 20
    assert len(ctx.captured_queries) <= 40  # about one per send at most


def test_an_affiliate_cannot_touch_another_affiliates_sequence(client, funded, other_affiliate):
    seq = make_sequence(funded)
    client.force_login(other_affiliate.user)
    assert client.get(f"/affiliate/automation/{seq.pk}").status_code == 404
    assert client.post(f"/affiliate/automation/{seq.pk}", {"action": "delete"}).status_code == 404
    assert Sequence.objects.filter(pk=seq.pk).exists()
    client.force_login(funded.user)
    page = client.get(f"/affiliate/automation/{seq.pk}").content.decode()
    assert 'id="step-stats"' in page
    # every step's fields carry the design system's input style (they are added after the form styled its own)
    for name in ("delay_0", "subject_0", "body_0"):
        tag = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', page).group(0)
        assert 'class="input"' in tag, tag


def test_adopting_a_default_copies_its_steps_with_their_delays(funded):
    default = sequences.sequence_save(
        affiliate=None, name="Bawaan", trigger="lead_created",
        steps=[{"delay_minutes": 0, "subject": "A", "body": "a"}, {"delay_minutes": 90, "subject": "B", "body": "b"}],
    )  # fmt: skip
    copy = sequences.sequence_adopt(affiliate=funded, default=default)
    assert (copy.owner_id, copy.source_id, copy.is_active) == (funded.pk, default.pk, True)
    assert [r["delay_minutes"] for r in selectors.step_rows(copy)] == [0, 90]
    assert sequences.sequence_adopt(affiliate=funded, default=default).pk == copy.pk


# --- exactly once under two sweeps ------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_lead_each_step_once(make_user, settings):
    from sanggar.affiliates.services.profiles import affiliate_profile_ensure
    from sanggar.core.roles import Role

    affiliate = affiliate_profile_ensure(user=make_user(Role.AFFILIATE, email="c@example.com"))
    credits.credit_topup(affiliate=affiliate, credits=50, ref="t:c")
    make_sequence(affiliate)
    for i in range(8):
        add_lead(affiliate, f"c{i}@contoh.id")
    barrier, results = threading.Barrier(2), []

    def run():
        try:
            barrier.wait()
            results.append(reminders_send_due(now=noon(), realm=REALM))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 8
    assert ReminderSend.objects.filter(status=SendStatus.SENT).count() == 8
    to_leads = [m.to[0] for m in mail.outbox if m.to[0].endswith("@contoh.id")]
    assert sorted(to_leads) == sorted(f"c{i}@contoh.id" for i in range(8))
    assert credits.balances_for(affiliate) == (42, 0)


# --- the data migration -----------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_migration_moves_sequences_enrollments_and_the_log(make_user):
    from sanggar.affiliates.services.profiles import affiliate_profile_ensure
    from sanggar.core.roles import Role

    aff = affiliate_profile_ensure(user=make_user(Role.AFFILIATE, email="dm@example.com"))
    old_target = [("booster", "0003_global_suppression_unified"), ("reminders", "0015_realms")]
    executor = MigrationExecutor(connection)
    executor.migrate([("booster", "0003_global_suppression_unified")])
    old = executor.loader.project_state(old_target).apps
    Seq, Step = old.get_model("booster", "Sequence"), old.get_model("booster", "SequenceStep")
    OldLead, Enr, Send = (
        old.get_model("booster", "Lead"),
        old.get_model("booster", "Enrollment"),
        old.get_model("booster", "SequenceSend"),
    )
    default = Seq.objects.create(name="Bawaan", trigger="lead_created")
    seq = Seq.objects.create(affiliate_id=aff.pk, name="Milik Dinda", trigger="tag_added", tag="vip", source=default,
                             is_active=True)  # fmt: skip
    steps = [Step.objects.create(sequence=seq, position=i, delay_minutes=d, subject=f"S{i}", body="b")
             for i, d in enumerate((0, 60, 1440))]  # fmt: skip
    lead = OldLead.objects.create(affiliate_id=aff.pk, email="l@contoh.id")
    due = timezone.now() + timedelta(hours=3)
    enrollment = Enr.objects.create(sequence=seq, lead=lead, next_position=2, next_due_at=due)
    opened = timezone.now() - timedelta(hours=1)
    Send.objects.create(enrollment=enrollment, step=steps[0], email=lead.email, status="sent",
                        sent_at=timezone.now() - timedelta(hours=2), opened_at=opened)  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.migrate([("booster", "0006_drop_old_sequences")])

    new = Sequence.objects.get(name="Milik Dinda")
    assert (new.owner_id, new.tag, new.trigger, new.is_active) == (aff.pk, "vip", "tag_added", True)
    assert new.source_id == Sequence.objects.get(name="Bawaan", owner_id__isnull=True).pk
    assert [r["delay_minutes"] for r in selectors.step_rows(new)] == [0, 60, 1440]
    moved = Enrollment.objects.get()
    assert moved.sequence_id == new.pk
    # the next step (the third) stays due when it was due
    third = selectors.step_rows(new)[2]["step"]
    assert abs((moved.anchor_at + timedelta(minutes=60 + 1440)) - due) < timedelta(seconds=1)
    log = {r.step.sort_order: r for r in ReminderSend.objects.select_related("step")}
    assert (log[0].status, log[0].object_key, log[0].opened_at) == ("sent", f"lead:{lead.pk}", opened)
    assert log[1].status == "skipped"  # passed without a log row: never sent now
    assert third.sort_order not in log
