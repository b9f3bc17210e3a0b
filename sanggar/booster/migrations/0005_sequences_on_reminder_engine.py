"""The booster's automation moves onto the one reminder engine (checklist §5.9), step 2 of 3: every `Sequence` becomes a
`reminders.ReminderSequence` of realm "booster" (owner = the affiliate, null = an admin default; form / tag / the
default it was copied from in `params`), its steps `ReminderStep`s whose delay after the trigger is the sum of the
"after the previous step" delays, the enrollments point at the new rows with the moment the engine schedules from
(an enrollment in progress: its next step stays due when it was due), and every `SequenceSend` is copied into the
engine's log (`ReminderSend`, key `lead:<lead id>`, with its status, opened / clicked and time), plus a `skipped` row
for a step an enrollment passed without a log row, so nobody gets a step twice and the statistics keep their history.
0006 drops the old tables. `forwards` is idempotent (`origin` = `booster:<old id>`)."""

from datetime import timedelta

from django.db import migrations

STATUS = {"sent": "sent", "failed": "failed", "skipped": "skipped", "pending": "skipped", "sending": "failed"}


def forwards(apps, schema_editor):
    Old = apps.get_model("booster", "Sequence")
    Enrollment = apps.get_model("booster", "Enrollment")
    SequenceSend = apps.get_model("booster", "SequenceSend")
    ReminderSequence = apps.get_model("reminders", "ReminderSequence")
    ReminderStep = apps.get_model("reminders", "ReminderStep")
    ReminderSend = apps.get_model("reminders", "ReminderSend")
    ReminderSend._meta.get_field("created_at").auto_now_add = False  # keep each send's own time

    new_of: dict[int, object] = {}
    step_of: dict[int, object] = {}  # old step id → new step
    cum_of: dict[int, list[int]] = {}  # new sequence id → cumulative delay (minutes) per position
    steps_of: dict[int, list] = {}
    olds = sorted(Old.objects.all(), key=lambda s: (s.affiliate_id is not None, s.pk))  # defaults first
    for old in olds:
        origin = f"booster:{old.pk}"
        new = ReminderSequence.objects.filter(realm="booster", origin=origin).first()
        if new is None:
            source = new_of.get(old.source_id)
            new = ReminderSequence.objects.create(
                realm="booster",
                owner_id=old.affiliate_id,
                name=old.name,
                description=old.description,
                trigger=old.trigger,
                params={"form": old.form_id, "tag": old.tag, "source": source.pk if source else None},
                is_active=old.is_active,
                stop_on="none",
                kind="marketing",
                origin=origin,
            )
        new_of[old.pk] = new
        existing = {s.sort_order: s for s in ReminderStep.objects.filter(sequence=new)}
        cum, total, made = [], 0, []
        for position, step in enumerate(old.steps.order_by("position", "id")):
            total += step.delay_minutes
            cum.append(total)
            row = existing.get(position)
            if row is None:
                row = ReminderStep.objects.create(
                    sequence=new,
                    sort_order=position,
                    delay_hours=total // 60,
                    delay_minutes=total % 60,
                    delay_amount=total // 60,
                    delay_unit="hours",
                    channels=["email"],
                    subject=step.subject,
                    body=step.body,
                )
            step_of[step.pk] = row
            made.append(row)
        cum_of[new.pk], steps_of[new.pk] = cum, made

    for enrollment in Enrollment.objects.filter(engine_sequence__isnull=True).iterator():
        new = new_of.get(enrollment.sequence_id)
        if new is None:
            continue
        cum = cum_of[new.pk]
        anchor = enrollment.created_at
        if enrollment.status == "active" and enrollment.next_due_at and enrollment.next_position < len(cum):
            anchor = enrollment.next_due_at - timedelta(minutes=cum[enrollment.next_position])
        Enrollment.objects.filter(pk=enrollment.pk).update(engine_sequence=new, anchor_at=anchor)

    rows = []
    logged = set()
    for send in SequenceSend.objects.select_related("enrollment").iterator():
        step = step_of.get(send.step_id)
        if step is None:
            continue
        at = send.sent_at or send.created_at
        key = f"lead:{send.enrollment.lead_id}"
        logged.add((step.pk, key))
        rows.append(
            ReminderSend(
                step=step,
                user=None,
                object_key=key,
                status=STATUS.get(send.status, "failed"),
                scheduled_at=at,
                error=send.error,
                opened_at=send.opened_at,
                clicked_at=send.clicked_at,
                clicked_channel="email" if send.clicked_at else "",
                created_at=at,
            )
        )
    # a step an enrollment moved past without a log row: logged as skipped, so it is never sent now
    for enrollment in Enrollment.objects.filter(engine_sequence__isnull=False, next_position__gt=0).iterator():
        for step in steps_of.get(enrollment.engine_sequence_id, [])[: enrollment.next_position]:
            key = f"lead:{enrollment.lead_id}"
            if (step.pk, key) not in logged:
                logged.add((step.pk, key))
                rows.append(
                    ReminderSend(
                        step=step,
                        user=None,
                        object_key=key,
                        status="skipped",
                        scheduled_at=enrollment.created_at,
                        created_at=enrollment.created_at,
                    )
                )
    ReminderSend.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("booster", "0004_enrollment_engine_columns")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
