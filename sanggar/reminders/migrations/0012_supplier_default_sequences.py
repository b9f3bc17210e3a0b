"""One engine (checklist §5.9): the supplier app's own upgrade reminders (after approval with the 1 / 7 / 14 / 30-day
steps, after the first product, after a refused chat with its pause) and its Premium ending / ended reminders become
default sequences of the reminder builder (target "supplier").

- The admins' schedule (`SupplierSettings.reminder_steps` over the old defaults, and the on/off switch
  `reminders_enabled`) becomes the sequences' steps and active flags; a step that was off is left out (a one-step
  sequence is kept, switched off). The texts are those of the `suppliers.upgrade` / `suppliers.premium_ending`
  templates as the admins left them, `{reason}` filled with each step's reason, `{until}` renamed `{expiry_date}`.
- Every reminder the old sweep already sent (`suppliers.ReminderSent`) is copied into the engine's log with the key
  the engine builds for it, so nobody gets one twice, and they count toward the coupon after the third reminder.
Nothing is deleted (ReminderSent stays as history). `forwards` is idempotent (per `origin`)."""

import re

from django.db import migrations

DEFAULT_STEPS = {
    "approved": {"on": True, "days": 0},
    "first_product": {"on": True, "days": 0},
    "refused_chat": {"on": True, "days": 0},
    "day_1": {"on": True, "days": 1},
    "day_7": {"on": True, "days": 7},
    "day_14": {"on": True, "days": 14},
    "day_30": {"on": True, "days": 30},
}
REASONS = {
    "approved": "Selamat, supplier Anda sudah disetujui!",
    "first_product": "Produk pertama Anda sudah tayang.",
    "refused_chat": "Ada member yang mencoba menghubungi Anda, tetapi supplier Free belum bisa menerima chat.",
    "day_1": "Supplier Anda sudah aktif di direktori.",
    "day_7": "Supplier Anda sudah aktif beberapa hari di direktori.",
    "day_14": "Supplier Anda sudah aktif lebih dari seminggu di direktori.",
    "day_30": "Supplier Anda sudah aktif berminggu-minggu di direktori.",
}
UPGRADE_TITLE = "Aktifkan fitur Premium"
UPGRADE_BODY = (
    "{reason} Dengan Supplier Premium Anda bisa membalas chat member, menambah produk tanpa batas dan tampil di urutan "
    "teratas direktori. {trial_offer} {promo}"
)
ENDING_TITLE = "Supplier Premium berakhir {until}"
ENDING_BODY = (
    "Paket Premium {company} berakhir {until}. Perpanjang agar tetap bisa membalas chat dan tampil di urutan teratas."
)
CHANNELS = ["in_app", "email", "whatsapp", "push"]
ORIGINS = {
    "approved": "supplier_upgrade:approved",
    "first_product": "supplier_upgrade:first_product",
    "refused_chat": "supplier_upgrade:refused_chat",
    "ending": "supplier_premium:ending",
    "ended": "supplier_premium:ended",
}


def _texts(template, title, body, renames):
    def fill(text):
        return re.sub(r"\{([a-z_]+)\}", lambda m: renames.get(m.group(1), m.group(0)), text or "").strip()

    subject = fill((template and template.inapp_title) or title)[:200]
    text = fill((template and template.inapp_body) or body)[:4000]
    content = {"in_app": {"title": subject, "body": text}}
    if template and template.email_subject:
        content["email"] = {"subject": fill(template.email_subject)[:200]}
        if template.email_body:
            content["email"]["body"] = fill(template.email_body)[:4000]
    if template and template.whatsapp_body:
        content["whatsapp"] = {"text": fill(template.whatsapp_body)[:1024]}
    if template and template.push_body:
        content["push"] = {"body": fill(template.push_body)[:240]}
    return subject, text, content


def forwards(apps, schema_editor):
    Sequence = apps.get_model("reminders", "ReminderSequence")
    Step = apps.get_model("reminders", "ReminderStep")
    Send = apps.get_model("reminders", "ReminderSend")
    Template = apps.get_model("notifications", "MessageTemplate")
    Settings = apps.get_model("suppliers", "SupplierSettings")
    ReminderSent = apps.get_model("suppliers", "ReminderSent")
    if Sequence.objects.filter(origin__in=ORIGINS.values()).exists():
        return
    row = Settings.objects.filter(pk=1).first()
    saved = (row.reminder_steps if row else None) or {}
    steps_cfg = {}
    for kind, default in DEFAULT_STEPS.items():
        got = saved.get(kind) if isinstance(saved.get(kind), dict) else {}
        steps_cfg[kind] = {"on": bool(got.get("on", default["on"])), "days": int(got.get("days", default["days"]))}
    enabled = row.reminders_enabled if row else True
    upgrade_tpl = Template.objects.filter(key="suppliers.upgrade").first()
    ending_tpl = Template.objects.filter(key="suppliers.premium_ending").first()

    def sequence(origin, name, trigger, *, days=0, stop_on="upgraded", kind="marketing", active=True):
        return Sequence.objects.create(
            name=name, trigger=trigger, days=days, stop_on=stop_on, kind=kind, is_active=bool(enabled and active),
            target_type="supplier", target_id=None, origin=origin,
        )  # fmt: skip

    def step(seq, order, hours, subject, body, content, *, unit="days"):
        amount = hours // 24 if unit == "days" else hours
        return Step.objects.create(
            sequence=seq, delay_hours=hours, delay_amount=amount, delay_unit=unit, sort_order=order,
            channels=CHANNELS, subject=subject, body=body, content=content,
        )  # fmt: skip

    def upgrade_texts(kind):
        subject, body, content = _texts(upgrade_tpl, UPGRADE_TITLE, UPGRADE_BODY, {"reason": REASONS[kind]})
        if "{trial_offer}" not in body:  # the 7-day trial offer (spec §7b) joins the admins' text
            body = body.replace("{promo}", "{trial_offer} {promo}") if "{promo}" in body else f"{body} {{trial_offer}}"
            content["in_app"]["body"] = body = body[:4000]
        return subject, body, content

    mapped = {}  # old kind → the engine step it became
    approved = sequence(ORIGINS["approved"], "Upgrade Supplier: setelah disetujui (1/7/14/30 hari)", "supplier_approved")
    order = 0
    for kind in ("approved", "day_1", "day_7", "day_14", "day_30"):
        if not steps_cfg[kind]["on"]:
            continue
        hours = 0 if kind == "approved" else max(1, steps_cfg[kind]["days"]) * 24
        mapped[kind] = step(approved, order, hours, *upgrade_texts(kind))
        order += 1
    first = sequence(
        ORIGINS["first_product"], "Upgrade Supplier: produk pertama", "supplier_first_product",
        active=steps_cfg["first_product"]["on"],
    )  # fmt: skip
    mapped["first_product"] = step(first, 0, 0, *upgrade_texts("first_product"))
    refused = sequence(
        ORIGINS["refused_chat"], "Upgrade Supplier: member tidak bisa menghubungi", "supplier_refused_chat",
        days=min(365, max(0, steps_cfg["refused_chat"]["days"])), active=steps_cfg["refused_chat"]["on"],
    )  # fmt: skip
    mapped["refused_chat"] = step(refused, 0, 0, *upgrade_texts("refused_chat"))
    ending_texts = _texts(ending_tpl, ENDING_TITLE, ENDING_BODY, {"until": "{expiry_date}"})
    ending = sequence(
        ORIGINS["ending"], "Supplier Premium akan berakhir (7 dan 1 hari)", "supplier_premium_ending",
        stop_on="none", kind="transactional",
    )  # fmt: skip
    mapped["ending_7"] = step(ending, 0, 7 * 24, *ending_texts)
    mapped["ending_1"] = step(ending, 1, 24, *ending_texts)
    ended = sequence(
        ORIGINS["ended"], "Supplier Premium sudah berakhir", "supplier_premium_ended", stop_on="none",
        kind="transactional",
    )  # fmt: skip
    mapped["ended"] = step(ended, 0, 0, *ending_texts)

    def key(sent):
        sid = sent.supplier_id
        if sent.kind in ("approved", "day_1", "day_7", "day_14", "day_30"):
            return f"sa:{sid}"
        if sent.kind == "first_product":
            return f"sf:{sid}"
        if sent.kind == "refused_chat":
            return f"sr:{sid}:{sent.ref or 'once'}"
        return f"sx:{sid}:{sent.ref}"

    for sent in ReminderSent.objects.select_related("supplier").order_by("id").iterator():
        target = mapped.get(sent.kind)
        if target is None:
            continue  # a step that was switched off never sends again: nothing to remember
        row, created = Send.objects.get_or_create(
            step=target, user_id=sent.supplier.user_id, object_key=key(sent)[:80],
            defaults={"status": "sent", "scheduled_at": sent.sent_at},
        )  # fmt: skip
        if created:
            Send.objects.filter(pk=row.pk).update(created_at=sent.sent_at)


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0011_supplier_triggers"),
        ("suppliers", "0004_chat_week_promo_reminder_steps_spam"),
        ("notifications", "0012_delivery_provider_confirmation"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
