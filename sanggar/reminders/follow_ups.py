"""The builder's part of the sales list's follow-up column (registered in orders' `follow_up_logs`): for an order,
the after-purchase steps sent for it, and the steps planned for it (active after-purchase sequences of its plans or
products, or of every purchase, that were on when it was paid) or already logged, whichever is more; and which plans
and products the builder sends follow-ups for (their migrated default sequence is on), so orders schedules none."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from sanggar.orders.follow_up_log import FollowUpLog
from sanggar.orders.models import OrderItem

from .constants import SendStatus, Target, Trigger
from .models import ReminderSend, ReminderSequence, ReminderStep


def _count(qs, group: str):
    counts = qs.order_by().values(group).annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counts[:1], output_field=IntegerField()), Value(0))


def sent():
    return _count(ReminderSend.objects.filter(order_id=OuterRef("pk"), status=SendStatus.SENT), "order_id")


def total():
    items = OrderItem.objects.filter(order_id=OuterRef(OuterRef("pk")))
    planned = ReminderStep.objects.filter(
        sequence__is_active=True, sequence__trigger=Trigger.AFTER_PURCHASE, sequence__target_id__isnull=False
    ).filter(
        Q(sequence__target_type=Target.PLAN, sequence__target_id__in=items.values("plan_id"))
        | Q(sequence__target_type=Target.PRODUCT, sequence__target_id__in=items.values("product_id"))
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


def in_builder(plan_ids, product_ids) -> set:
    """The plans and products whose migrated follow-up sequence an admin switched on (one query)."""
    origins = [f"follow_up:plan:{pk}" for pk in plan_ids] + [f"follow_up:product:{pk}" for pk in product_ids]
    if not origins:
        return set()
    active = ReminderSequence.objects.filter(is_active=True, origin__in=origins).values_list("origin", flat=True)
    return {(kind, int(pk)) for kind, pk in (origin.split(":")[1:] for origin in active)}


LOG = FollowUpLog(sent=sent, total=total, in_builder=in_builder)
