"""One engine, the courses (issue 14, PRODUCT.md "Reminders"): a course's WhatsApp follow-ups (`catalog.FollowUpStep`
with the course's `resource`, edited on learning's follow-up page and API) are sent by the reminder builder only, as
its "after purchase" sequence of the course (origin `follow_up:course:<course>`), like 0014 did for plans and products.

The engine's course purchase is the enrolment (key `en:<enrollment>`, once per student and step; the send carries the
paid order the student bought the course with). Per course with follow-up steps:
- The sequence is made (switched off at first) if there is none; one nobody had switched on is synced with the
  current steps (delays, texts with `{course}` as the builder's `{course_name}`); one already on keeps its steps.
- `active_from` = T = `now − REMINDERS_CATCH_UP_HOURS − the longest delay` (0014's rule: before T every step is due
  before the engine's catch-up window), no later than an already-on sequence's `active_from`, and after any order
  with a follow-up of the course still scheduled but due more than half the catch-up window ago (orders' sender,
  still running for those rows, sends them with the rest of that order's follow-ups).
- For every order paid from T on with a line of the course, each `orders.FollowUp` row of the course's steps:
  sent / failed / cancelled → the builder's log (`ReminderSend` sent / failed / skipped under the buyer's enrolment
  key, with the order, the slot and the notification) and `moved`; still scheduled → `moved` and not logged: the
  engine sends it at enrolment + delay (the enrolment is made when the order is paid); if the buyer's enrolment is
  older than the payment (they joined the course before buying it) the engine's slot would not be the payment's:
  the row stays with orders' sender and the log gets a `condition` row, so the engine does not send it too. A
  buyer with no enrolment keeps their rows with orders (the engine has nothing to send them). A second order of
  the same course by the same buyer: what is logged for the first answers (once per step and student).
- A paid order without a row for a step (added after it was paid) and every enrolment from T on that was not a
  purchase (free, plan, admin: orders never followed them up) get a `condition` row per step: the builder does not
  send them history; enrolments an already-on sequence answered for are left to it.
Orders paid before T keep their rows with orders. Nothing is deleted; running it twice changes nothing."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

LOG_STATUS = {"sent": "sent", "failed": "failed", "cancelled": "skipped"}
NOT_PLANNED = "Langkah ini belum ada saat pesanan dibayar (tidak dijadwalkan sebelum pindah ke builder)."
NOT_BOUGHT = "Bergabung tanpa membeli kursus sebelum follow-up kursus pindah ke builder (dulu hanya untuk pembeli)."
KEPT = "Dikirim oleh pengirim follow-up pesanan (pembeli sudah terdaftar di kursus sebelum membayar)."
SAME_MOMENT = timedelta(hours=1)


def _text(message: str) -> str:
    return (message or "").replace("{course}", "{course_name}")


def _step_values(follow_up_step, course, order: int) -> dict:
    text = _text(follow_up_step.message)
    return {
        "delay_hours": follow_up_step.delay_days * 24,
        "delay_amount": follow_up_step.delay_days,
        "delay_unit": "days",
        "sort_order": order,
        "preferred_time": None,
        "days_of_week": [],
        "avoid_weekends": False,
        "channels": ["whatsapp"],
        "subject": f"Follow-up {course.title}"[:200],
        "body": text[:4000],
        "content": {"whatsapp": {"text": text[:1024]}},
    }


def _sequence_for(apps, course, now):
    Sequence = apps.get_model("reminders", "ReminderSequence")
    origin = f"follow_up:course:{course.pk}"
    sequence = Sequence.objects.filter(origin=origin).order_by("id").first()
    if sequence is None:
        last = (
            Sequence.objects.filter(target_type="course", target_id=course.pk)
            .order_by("-sort_order")
            .values_list("sort_order", flat=True)
            .first()
        )
        sequence = Sequence.objects.create(
            name=f"Follow-up WhatsApp: {course.title}"[:120],
            trigger="after_purchase",
            target_type="course",
            target_id=course.pk,
            stop_on="none",
            is_active=False,
            active_from=now,
            origin=origin,
            sort_order=0 if last is None else last + 1,
        )
    return sequence


def _sync_steps(apps, sequence, course, follow_up_steps) -> list:
    Step = apps.get_model("reminders", "ReminderStep")
    Send = apps.get_model("reminders", "ReminderSend")
    steps = list(Step.objects.filter(sequence=sequence).order_by("sort_order", "delay_hours", "id"))
    synced = []
    for position, follow_up_step in enumerate(follow_up_steps):
        values = _step_values(follow_up_step, course, position)
        if position < len(steps):
            step = steps[position]
            for field, value in values.items():
                setattr(step, field, value)
            step.save()
        else:
            step = Step.objects.create(sequence=sequence, **values)
        synced.append(step)
    for extra in steps[len(follow_up_steps) :]:
        if not Send.objects.filter(step=extra).exists():
            extra.delete()
    return synced


def _match(follow_up_steps, steps) -> dict:
    """FollowUpStep id → the builder step that sends it: the same delay first, else the same position."""
    free = list(steps)
    matched = {}
    for position, follow_up_step in enumerate(follow_up_steps):
        step = next((s for s in free if s.delay_hours == follow_up_step.delay_days * 24), None)
        if step is None and position < len(steps) and steps[position] in free:
            step = steps[position]
        if step is not None:
            free.remove(step)
            matched[follow_up_step.pk] = step
    return matched


def _log(apps, step, user_id, key, **defaults):
    Send = apps.get_model("reminders", "ReminderSend")
    return Send.objects.get_or_create(step=step, user_id=user_id, object_key=key, defaults=defaults)


def _move_course(apps, course, follow_up_steps, *, now, catch_up):
    Step = apps.get_model("reminders", "ReminderStep")
    Send = apps.get_model("reminders", "ReminderSend")
    Order = apps.get_model("orders", "Order")
    FollowUp = apps.get_model("orders", "FollowUp")
    Enrollment = apps.get_model("learning", "Enrollment")

    sequence = _sequence_for(apps, course, now)
    already_on = sequence.is_active
    engine_from = sequence.active_from if already_on else None  # enrolments the builder already answers for
    if already_on:
        steps = list(Step.objects.filter(sequence=sequence).order_by("sort_order", "delay_hours", "id"))
    else:
        steps = _sync_steps(apps, sequence, course, follow_up_steps)
    matched = _match(follow_up_steps, steps)
    if not steps:
        return

    longest = timedelta(hours=max(s.delay_hours for s in steps))
    start = now - catch_up - longest
    if engine_from is not None:
        start = min(start, engine_from)
    orders = Order.objects.filter(
        paid_at__isnull=False, paid_at__gte=start, items__kind="course", items__ref=str(course.pk)
    ).distinct()
    ids = [f.pk for f in follow_up_steps]
    late = (
        FollowUp.objects.filter(
            order__in=orders, step_id__in=ids, status="scheduled", send_at__lte=now - catch_up / 2
        )
        .order_by("-order__paid_at")
        .values_list("order__paid_at", flat=True)
        .first()
    )
    if late is not None:
        start = max(start, late + timedelta(microseconds=1))
        orders = orders.filter(paid_at__gte=start)

    enrolments = {e.user_id: e for e in Enrollment.objects.filter(course_id=course.pk)}
    buyers = set()
    for order in orders.order_by("paid_at", "id").iterator():
        enrolment = enrolments.get(order.buyer_id)
        if enrolment is None:
            continue  # nothing for the engine to send: orders' rows stay with orders' sender
        buyers.add(order.buyer_id)
        rows = {f.step_id: f for f in FollowUp.objects.filter(order=order, step_id__in=ids).select_related("delivery")}
        key = f"en:{enrolment.pk}"
        same_moment = enrolment.created_at >= start and abs(enrolment.created_at - order.paid_at) <= SAME_MOMENT
        for follow_up_step in follow_up_steps:
            step = matched.get(follow_up_step.pk)
            row = rows.get(follow_up_step.pk)
            if row is not None:
                if row.status == "moved" or step is None:
                    continue
                logged = Send.objects.filter(step=step, user_id=order.buyer_id, object_key=key).first()
                if logged is not None and logged.error == KEPT:
                    continue  # left to orders' sender by an earlier run
                if row.status in LOG_STATUS:
                    send, created = _log(
                        apps,
                        step,
                        order.buyer_id,
                        key,
                        status=LOG_STATUS[row.status],
                        order_id=order.pk,
                        scheduled_at=row.send_at,
                        notification_id=row.delivery.notification_id if row.delivery else None,
                    )
                    if created and row.sent_at:
                        Send.objects.filter(pk=send.pk).update(created_at=row.sent_at)
                elif logged is None and not same_moment:
                    _log(apps, step, order.buyer_id, key, status="condition", error=KEPT)
                    continue  # orders' sender sends it
                # else logged for the buyer's earlier order of the course: once per step and student
                # scheduled and anchored at the payment: not logged, the engine sends it at its slot
                FollowUp.objects.filter(pk=row.pk).update(status="moved")
            elif (
                step is not None
                and order.status == "paid"
                and (engine_from is None or enrolment.created_at < engine_from)
            ):
                _log(apps, step, order.buyer_id, key, status="condition", order_id=order.pk, error=NOT_PLANNED)

    # Enrolments from T on that orders never followed up (not bought): the builder does not send them history.
    joined = Enrollment.objects.filter(course_id=course.pk, created_at__gte=start).exclude(user_id__in=buyers)
    if engine_from is not None:
        joined = joined.filter(created_at__lt=engine_from)
    for enrolment in joined.order_by("created_at", "id").iterator():
        for step in steps:
            _log(apps, step, enrolment.user_id, f"en:{enrolment.pk}", status="condition", error=NOT_BOUGHT)
    sequence.is_active = True
    sequence.active_from = start
    sequence.save()


def forwards(apps, schema_editor):
    FollowUpStep = apps.get_model("catalog", "FollowUpStep")
    Course = apps.get_model("learning", "Course")
    now = timezone.now()
    catch_up = timedelta(hours=settings.REMINDERS_CATCH_UP_HOURS)

    rows = list(FollowUpStep.objects.filter(resource__isnull=False).order_by("delay_days", "sort_order", "id"))
    courses = {c.resource_id: c for c in Course.objects.filter(resource_id__in={r.resource_id for r in rows})}
    owners = {}
    for step in rows:
        course = courses.get(step.resource_id)
        if course is not None:
            owners.setdefault(course.pk, (course, []))[1].append(step)
    for course, follow_up_steps in owners.values():
        _move_course(apps, course, follow_up_steps, now=now, catch_up=catch_up)


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0014_follow_ups_in_builder"),
        ("learning", "0012_merge_instructors_smart_rule"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
