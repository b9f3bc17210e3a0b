"""The builder's part of the sales list's follow-up column (registered in orders' `follow_up_logs`): for an order,
the steps sent for it, and the steps planned for it (active after-purchase sequences of its plans, products or courses
that were on when it was paid: `active_from`) or already logged, whichever is more; and the sale detail's rows.
Plans', products' and courses' WhatsApp follow-ups are these sequences (migrations 0004, 0014 and 0015; a course's
sends carry the order the student bought it with), so this log alone counts them."""

from django.db.models import CharField, Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Greatest

from sanggar.orders.constants import ItemKind
from sanggar.orders.follow_up_log import FollowUpLog, FollowUpRow
from sanggar.orders.models import OrderItem

from .constants import SendStatus, Target, Trigger
from .models import ReminderSend, ReminderStep


def _count(qs, group: str):
    counts = qs.order_by().values(group).annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counts[:1], output_field=IntegerField()), Value(0))


def sent():
    return _count(ReminderSend.objects.filter(order_id=OuterRef("pk"), status=SendStatus.SENT), "order_id")


def total():
    items = OrderItem.objects.filter(order_id=OuterRef(OuterRef("pk")))
    planned = (
        ReminderStep.objects.filter(
            sequence__is_active=True, sequence__trigger=Trigger.AFTER_PURCHASE, sequence__target_id__isnull=False
        )
        .annotate(target_ref=Cast("sequence__target_id", CharField()))
        .filter(
            Q(sequence__target_type=Target.PLAN, sequence__target_id__in=items.values("plan_id"))
            | Q(sequence__target_type=Target.PRODUCT, sequence__target_id__in=items.values("product_id"))
            | Q(sequence__target_type=Target.COURSE, target_ref__in=items.filter(kind=ItemKind.COURSE).values("ref"))
        )
    )
    planned = planned.filter(Q(sequence__active_from__isnull=True) | Q(sequence__active_from__lte=OuterRef("paid_at")))
    planned_count = Coalesce(
        Subquery(
            planned.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("id")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )
    logged = _count(ReminderSend.objects.filter(order_id=OuterRef("pk")), "order_id")
    return Greatest(planned_count, logged)


def rows(order) -> list[FollowUpRow]:
    """What the builder logged for the order (the sale's detail page), in sending order (one query)."""
    sends = (
        ReminderSend.objects.filter(order_id=order.pk)
        .select_related("step__sequence")
        .order_by("scheduled_at", "created_at", "id")[:100]
    )
    return [
        FollowUpRow(
            title=f"{send.step.sequence.name} · {send.step.subject}",
            scheduled_at=send.scheduled_at or send.created_at,
            status_label=str(send.get_status_display()),
            sent=send.status == SendStatus.SENT,
            channels=", ".join(str(label) for label in send.step.channel_labels),
        )
        for send in sends
    ]


LOG = FollowUpLog(sent=sent, total=total, rows=rows)
