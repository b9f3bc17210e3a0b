"""One engine, the rest of the move (issue 14, PRODUCT.md "Reminders"): the plans' and products' WhatsApp follow-ups
are sent by the reminder builder only. Migration 0004 copied them as switched-off "after purchase" sequences while
the orders app kept scheduling and sending them; this one switches every copy on and hands over what orders did.

Per plan or product with follow-up steps (`catalog.FollowUpStep`, course steps stay with orders):
- The sequence (origin `follow_up:<kind>:<id>`) is made if an owner got its steps after 0004. One an admin had not
  switched on yet is re-synced with the current steps (delays, texts: the steps orders was really sending); one
  already on is the builder's own and keeps its steps.
- `active_from` = T, the first payment the builder answers for: `now − REMINDERS_CATCH_UP_HOURS − the longest
  delay` (a payment before it has every step due before the engine's catch-up window: the engine could never send
  them), no later than an already-on sequence's `active_from`, and after any order that still has a follow-up due
  more than half the catch-up window ago (the engine would not reach it any more: orders' sender, still running for
  course lines, sends it, with the rest of that order's follow-ups).
- For every order paid from T on with the owner in it, each of its `orders.FollowUp` rows of the owner's steps:
  sent / failed / cancelled → the builder's log (`ReminderSend`, unique step + user + `o:<order>`, the same key the
  engine writes, so the engine never sends it again; status sent / failed / skipped, the slot, the notification);
  still scheduled → no log row: the engine sends it at its slot (paid_at + delay, inside its catch-up window). Both
  become `moved`: orders' sender leaves them and the sales list counts them from the builder's log alone. A paid
  order without a row for a step (the step was added after it was paid, so orders never planned it) gets a log row
  `condition` so the builder does not send it now; orders the builder already answered for (a sequence on since
  `active_from`) are left to it.
- A 0004 copy whose owner has no follow-up step any more loses its unsent steps and stays off.
Orders paid before T keep their rows with orders (their sender sends what is left). Nothing is deleted but steps
without a single send; running it twice changes nothing."""

import re
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

RENAMES = {"plan": "plan_name", "product": "product_name"}
LOG_STATUS = {"sent": "sent", "failed": "failed", "cancelled": "skipped"}
NOT_PLANNED = "Langkah ini belum ada saat pesanan dibayar (tidak dijadwalkan sebelum pindah ke builder)."


def _rename(text):
    return re.sub(r"\{([a-z_]+)\}", lambda m: "{" + RENAMES.get(m.group(1), m.group(1)) + "}", text or "")


def _step_values(follow_up_step, owner, order: int) -> dict:
    text = _rename(follow_up_step.message)
    return {
        "delay_hours": follow_up_step.delay_days * 24,
        "delay_amount": follow_up_step.delay_days,
        "delay_unit": "days",
        "sort_order": order,
        "preferred_time": None,
        "days_of_week": [],
        "avoid_weekends": False,
        "channels": ["whatsapp"],
        "subject": f"Follow-up {owner.title}"[:200],
        "body": text[:4000],
        "content": {"whatsapp": {"text": text[:1024]}},
    }


def _sequence_for(apps, kind, owner, now):
    Sequence = apps.get_model("reminders", "ReminderSequence")
    origin = f"follow_up:{kind}:{owner.pk}"
    sequence = Sequence.objects.filter(origin=origin).order_by("id").first()
    if sequence is None:
        last = (
            Sequence.objects.filter(target_type=kind, target_id=owner.pk)
            .order_by("-sort_order")
            .values_list("sort_order", flat=True)
            .first()
        )
        sequence = Sequence.objects.create(
            name=f"Follow-up WhatsApp: {owner.title}"[:120],
            trigger="after_purchase",
            target_type=kind,
            target_id=owner.pk,
            stop_on="none",
            is_active=False,
            active_from=now,
            origin=origin,
            sort_order=0 if last is None else last + 1,
        )
    return sequence


def _sync_steps(apps, sequence, owner, follow_up_steps) -> list:
    """The builder's steps made equal to the follow-up steps, in order (extra unsent ones deleted)."""
    Step = apps.get_model("reminders", "ReminderStep")
    Send = apps.get_model("reminders", "ReminderSend")
    steps = list(Step.objects.filter(sequence=sequence).order_by("sort_order", "delay_hours", "id"))
    synced = []
    for position, follow_up_step in enumerate(follow_up_steps):
        values = _step_values(follow_up_step, owner, position)
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


def _move_owner(apps, kind, owner, follow_up_steps, *, now, catch_up):
    Step = apps.get_model("reminders", "ReminderStep")
    Send = apps.get_model("reminders", "ReminderSend")
    Order = apps.get_model("orders", "Order")
    FollowUp = apps.get_model("orders", "FollowUp")

    sequence = _sequence_for(apps, kind, owner, now)
    already_on = sequence.is_active
    engine_from = sequence.active_from if already_on else None  # payments the builder already answers for
    if already_on:
        steps = list(Step.objects.filter(sequence=sequence).order_by("sort_order", "delay_hours", "id"))
    else:
        steps = _sync_steps(apps, sequence, owner, follow_up_steps)
    matched = _match(follow_up_steps, steps)
    if not steps:
        return

    longest = timedelta(hours=max(s.delay_hours for s in steps))
    start = now - catch_up - longest
    if engine_from is not None:
        start = min(start, engine_from)
    owner_filter = {"items__plan_id": owner.pk} if kind == "plan" else {"items__product_id": owner.pk}
    orders = Order.objects.filter(paid_at__isnull=False, paid_at__gte=start, **owner_filter).distinct()
    ids = [f.pk for f in follow_up_steps]
    # An order whose follow-up is still scheduled but was due more than half the catch-up window ago stays with
    # orders' sender (the engine might not reach it before it leaves the window): T goes after it.
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

    for order in orders.order_by("paid_at", "id").iterator():
        rows = {f.step_id: f for f in FollowUp.objects.filter(order=order, step_id__in=ids).select_related("delivery")}
        key = f"o:{order.pk}"
        for follow_up_step in follow_up_steps:
            step = matched.get(follow_up_step.pk)
            row = rows.get(follow_up_step.pk)
            if row is not None:
                if row.status == "moved":
                    continue
                if step is None:
                    continue  # no builder step sends it (an admin changed the sequence): orders' sender keeps it
                if row.status in LOG_STATUS:
                    send, created = Send.objects.get_or_create(
                        step=step,
                        user_id=order.buyer_id,
                        object_key=key,
                        defaults={
                            "status": LOG_STATUS[row.status],
                            "order_id": order.pk,
                            "scheduled_at": row.send_at,
                            "notification_id": row.delivery.notification_id if row.delivery else None,
                        },
                    )
                    if created and row.sent_at:
                        Send.objects.filter(pk=send.pk).update(created_at=row.sent_at)
                # scheduled: not logged, the engine sends it at its slot
                FollowUp.objects.filter(pk=row.pk).update(status="moved")
            elif (
                step is not None
                and order.status == "paid"
                and (engine_from is None or order.paid_at < engine_from)
            ):
                Send.objects.get_or_create(
                    step=step,
                    user_id=order.buyer_id,
                    object_key=key,
                    defaults={"status": "condition", "order_id": order.pk, "error": NOT_PLANNED},
                )
    sequence.is_active = True
    sequence.active_from = start
    sequence.save()


def forwards(apps, schema_editor):
    Sequence = apps.get_model("reminders", "ReminderSequence")
    Step = apps.get_model("reminders", "ReminderStep")
    Send = apps.get_model("reminders", "ReminderSend")
    FollowUpStep = apps.get_model("catalog", "FollowUpStep")
    now = timezone.now()
    catch_up = timedelta(hours=settings.REMINDERS_CATCH_UP_HOURS)

    owners = {}
    rows = FollowUpStep.objects.filter(resource__isnull=True).select_related("plan", "product")
    for step in rows.order_by("delay_days", "sort_order", "id"):
        kind = "plan" if step.plan_id else "product"
        owner = step.plan if step.plan_id else step.product
        owners.setdefault((kind, owner.pk), (owner, []))[1].append(step)

    for sequence in Sequence.objects.filter(origin__startswith="follow_up:", is_active=False):
        _prefix, kind, pk = sequence.origin.split(":")
        if (kind, int(pk)) not in owners:  # every follow-up step of its owner was removed after 0004
            Step.objects.filter(sequence=sequence).exclude(pk__in=Send.objects.values("step_id")).delete()

    for (kind, _pk), (owner, follow_up_steps) in owners.items():
        _move_owner(apps, kind, owner, follow_up_steps, now=now, catch_up=catch_up)


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0013_link_clicks"),
        ("orders", "0010_follow_up_moved"),
        ("catalog", "0011_coupon_item_kinds"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
