"""One engine (PRODUCT.md "Reminders"): the built 7 / 3 / 1-day membership expiry reminders and the WhatsApp
follow-ups of plans and products become default sequences of the reminder builder.

- Expiry: one active "before expiry" sequence (all plans, 08:00 WIB like the old 08:00 sweep, stops on renewal)
  with the texts of the `memberships.ending_soon` template as the admin left them (shortcodes renamed). Every
  reminder the old sweep already sent is copied into the builder's log, so nobody gets one twice.
- Follow-ups: one "after purchase" WhatsApp sequence per plan or product with steps, the same delays and messages.
  They start switched off while the orders app's follow-up sender still schedules and sends them (so a buyer
  never gets both); `active_from` = now, so switching one on never repeats what the old sender did.
Nothing is deleted."""

import re

from django.db import migrations
from django.utils import timezone

EXPIRY_ORIGIN = "membership_expiry"
RENAMES = {"plan": "plan_name", "end_date": "expiry_date", "days": "days_left", "link": "renewal_link"}
FOLLOW_UP_RENAMES = {"plan": "plan_name", "product": "product_name"}
DEFAULT_TITLE = "Membership {plan} Anda akan berakhir dalam {days} hari"
DEFAULT_BODY = (
    "Masa aktif membership {plan} berakhir pada {end_date}. Perpanjang sekarang agar akses kelas, grup dan produk Anda "
    "tidak terputus."
)


def _rename(text, renames):
    return re.sub(r"\{([a-z_]+)\}", lambda m: "{" + renames.get(m.group(1), m.group(1)) + "}", text or "")


def forwards(apps, schema_editor):
    Sequence = apps.get_model("reminders", "ReminderSequence")
    Step = apps.get_model("reminders", "ReminderStep")
    Send = apps.get_model("reminders", "ReminderSend")
    Template = apps.get_model("notifications", "MessageTemplate")
    MembershipReminder = apps.get_model("memberships", "MembershipReminder")
    FollowUpStep = apps.get_model("catalog", "FollowUpStep")
    now = timezone.now()

    if not Sequence.objects.filter(origin=EXPIRY_ORIGIN).exists():
        template = Template.objects.filter(key="memberships.ending_soon").first()
        title = _rename((template and template.inapp_title) or DEFAULT_TITLE, RENAMES)
        body = _rename((template and template.inapp_body) or DEFAULT_BODY, RENAMES)
        content = {"in_app": {"title": title, "body": body}}
        if template and template.email_subject:
            content["email"] = {"subject": _rename(template.email_subject, RENAMES)[:200]}
            if template.email_body:
                content["email"]["body"] = _rename(template.email_body, RENAMES)[:4000]
        if template and template.whatsapp_body:
            content["whatsapp"] = {"text": _rename(template.whatsapp_body, RENAMES)[:1024]}
        if template and template.push_body:
            content["push"] = {"body": _rename(template.push_body, RENAMES)[:240]}
        sequence = Sequence.objects.create(
            name="Pengingat masa aktif membership (7/3/1 hari)",
            trigger="before_expiry",
            stop_on="renewed",
            is_active=True,
            origin=EXPIRY_ORIGIN,
        )
        steps = {}
        for order, days in enumerate((7, 3, 1)):
            steps[days] = Step.objects.create(
                sequence=sequence,
                delay_hours=days * 24,
                delay_amount=days,
                delay_unit="days",
                sort_order=order,
                preferred_time="08:00",
                channels=["in_app", "email", "whatsapp", "push"],
                subject=title[:200],
                body=body[:4000],
                content=content,
            )
        for reminder in MembershipReminder.objects.select_related("membership").iterator():
            step = steps.get(reminder.threshold_days)
            if step is None:
                continue
            row, created = Send.objects.get_or_create(
                step=step,
                user_id=reminder.membership.user_id,
                object_key=f"m:{reminder.membership_id}:{reminder.ends_at.isoformat()}",
                defaults={"status": "sent", "scheduled_at": reminder.sent_at},
            )
            if created:
                Send.objects.filter(pk=row.pk).update(created_at=reminder.sent_at)

    owners = {}
    for step in FollowUpStep.objects.select_related("plan", "product").order_by("delay_days", "sort_order", "id"):
        owner = step.plan or step.product
        kind = "plan" if step.plan_id else "product"
        owners.setdefault((kind, owner.pk), (owner, []))[1].append(step)
    for (kind, pk), (owner, follow_ups) in owners.items():
        origin = f"follow_up:{kind}:{pk}"
        if Sequence.objects.filter(origin=origin).exists():
            continue
        sequence = Sequence.objects.create(
            name=f"Follow-up WhatsApp: {owner.title}"[:120],
            trigger="after_purchase",
            target_type=kind,
            target_id=pk,
            stop_on="none",
            is_active=False,  # the orders app still sends these (see the module docstring)
            active_from=now,
            origin=origin,
        )
        for order, follow_up in enumerate(follow_ups):
            text = _rename(follow_up.message, FOLLOW_UP_RENAMES)
            Step.objects.create(
                sequence=sequence,
                delay_hours=follow_up.delay_days * 24,
                delay_amount=follow_up.delay_days,
                delay_unit="days",
                sort_order=order,
                channels=["whatsapp"],
                subject=f"Follow-up {owner.title}"[:200],
                body=text[:4000],
                content={"whatsapp": {"text": text[:1024]}},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0003_builder"),
        ("notifications", "0005_notification_archived_at"),
        ("memberships", "0004_membership_source"),
        ("catalog", "0008_tracking_pixels"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
