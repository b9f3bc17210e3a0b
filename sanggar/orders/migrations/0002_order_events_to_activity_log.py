"""An order's history moves into the activity log: one row per event (the order timeline reads it back). Events that
had no activity row of their own are copied with their time, actor and message; those that already had one
(paid, refunded, admin cancel, review, payment rejected / needs review) are not copied twice."""

from django.db import migrations

# OrderEvent.kind → the activity-log action that now records it.
COPIED = {
    "created": "order.created",
    "payment_started": "payment.started",
    "provider_changed": "order.provider_changed",
    "expired": "order.expired",
    "cancelled": "order.cancelled",
}


def copy_events(apps, schema_editor):
    OrderEvent = apps.get_model("orders", "OrderEvent")
    ActivityLog = apps.get_model("audit", "ActivityLog")
    already = set(
        ActivityLog.objects.filter(target_type="orders.order", action="order.cancelled").values_list(
            "target_id", flat=True
        )
    )
    rows = []
    for event in OrderEvent.objects.select_related("order", "actor").order_by("created_at", "id").iterator():
        action = COPIED.get(event.kind)
        if action is None or (action == "order.cancelled" and str(event.order_id) in already):
            continue
        data = dict(event.data or {})
        if event.message:
            data["message"] = event.message
        rows.append(
            ActivityLog(
                created_at=event.created_at,
                actor=event.actor,
                actor_label=event.actor.email if event.actor else "",
                action=action,
                target_type="orders.order",
                target_id=str(event.order_id),
                target_label=event.order.invoice_number,
                data=data,
            )
        )
    ActivityLog.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0001_initial"),
        ("audit", "0003_action_registry"),
    ]

    operations = [
        migrations.RunPython(copy_events, migrations.RunPython.noop),
        migrations.DeleteModel(name="OrderEvent"),
    ]
