"""WhatsApp follow-ups: a paid order schedules its plan's and products' follow-up steps; a sweep sends the due ones
through the notifications app's WhatsApp channel."""

import logging
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from sanggar.catalog.models import FollowUpStep
from sanggar.notifications.constants import Channel, DeliveryStatus
from sanggar.notifications.rendering import render_shortcodes, user_shortcodes
from sanggar.notifications.services import notify

from .. import notifications as kinds
from ..constants import FOLLOW_UP_BATCH, FollowUpStatus, OrderStatus
from ..follow_up_log import owners_in_builder
from ..models import FollowUp, Order, OrderItem
from ..sellables import follow_up_resources_for

logger = logging.getLogger(__name__)


def follow_ups_known():
    """An annotation for a query of order items: whether the item's plan or product has follow-up steps (fulfilment
    reads its items with it, so an order without any step asks nothing more).

    Written as SQL: the same EXISTS the ORM wrote from a queryset with OuterRef, without compiling that subquery on
    every payment (~0.8 ms of CPU)."""
    qn = connection.ops.quote_name
    steps, item = FollowUpStep._meta, OrderItem._meta
    outer = qn(item.db_table)
    sql = (
        f"EXISTS (SELECT 1 FROM {qn(steps.db_table)} s WHERE s.{qn(steps.get_field('plan').column)} = "  # noqa: S608
        f"{outer}.{qn(item.get_field('plan').column)} OR s.{qn(steps.get_field('product').column)} = "
        f"{outer}.{qn(item.get_field('product').column)})"
    )
    return RawSQL(sql, (), output_field=BooleanField())  # noqa: S611 - names from the models, no values


def follow_ups_schedule(*, order: Order, items, now: datetime) -> list[FollowUp]:
    """Creates the order's FollowUp rows from the FollowUpSteps of each plan and product it contains. Shortcodes in
    a step's message ({name}, {plan}, {product}, {invoice}, {dashboard_link}, …) are filled now."""
    plan_ids = [item.plan_id for item in items if item.plan_id]
    product_ids = [item.product_id for item in items if item.product_id]
    # Lines of kinds registered by higher apps (a course) name the resource whose steps they schedule.
    resources = follow_up_resources_for(item for item in items if not (item.plan_id or item.product_id))
    if not plan_ids and not product_ids and not resources:
        return []
    if not resources and all(getattr(item, "has_follow_ups", None) is False for item in items):
        return []  # the items were read with `follow_ups_known()`: none of their plans or products has a step
    titles = {("plan", item.plan_id): item.plan.title for item in items if item.plan_id}
    titles.update({("product", item.product_id): item.product.title for item in items if item.product_id})
    taken = owners_in_builder(plan_ids, product_ids)  # switched over to the reminder builder: it sends these
    plan_ids = [pk for pk in plan_ids if ("plan", pk) not in taken]
    product_ids = [pk for pk in product_ids if ("product", pk) not in taken]
    if not plan_ids and not product_ids and not resources:
        return []
    titles.update({("resource", pk): title for pk, title in resources.items()})
    steps = FollowUpStep.objects.filter(
        Q(plan_id__in=plan_ids) | Q(product_id__in=product_ids) | Q(resource_id__in=list(resources))
    )
    base = {**user_shortcodes(order.buyer), "invoice": order.invoice_number, "phone": order.buyer.whatsapp or ""}
    rows = []
    for step in steps.order_by("delay_days", "sort_order", "id"):
        plan_title = titles.get(("plan", step.plan_id), "")
        product_title = titles.get(("product", step.product_id), "")
        course_title = titles.get(("resource", step.resource_id), "")
        values = {**base, "plan": plan_title, "plan_name": plan_title, "product": product_title, "course": course_title}
        rows.append(
            FollowUp(
                order=order,
                step=step,
                message=render_shortcodes(step.message, values),
                send_at=now + timedelta(days=step.delay_days),
            )
        )
    return FollowUp.objects.bulk_create(rows)


def _send_one(follow_up_id: int, now: datetime) -> bool:
    with transaction.atomic():
        follow_up = (
            FollowUp.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("order", "order__buyer", "step", "step__plan", "step__product", "step__resource")
            .filter(pk=follow_up_id, status=FollowUpStatus.SCHEDULED, send_at__lte=now)
            .first()
        )
        if follow_up is None:
            return False
        order = follow_up.order
        if order.status != OrderStatus.PAID:
            follow_up.status = FollowUpStatus.CANCELLED
            follow_up.save(update_fields=["status"])
            return True
        step = follow_up.step
        owner = (step.plan or step.product or step.resource) if step else None
        title = owner.title if owner else order.invoice_number
        # The step's text is written by the admin on the plan or product; the frame around it is a template.
        notification = notify(
            user=order.buyer,
            kind=kinds.FOLLOW_UP,
            context={"title": title, "message": follow_up.message, "invoice": order.invoice_number},
            data={"order": order.invoice_number, "event": "follow_up", "follow_up": follow_up.pk},
            channels=(Channel.WHATSAPP,),
        )
        # None: the admin's role rules leave the buyer out of transaction messages
        delivery = notification.deliveries.filter(channel=Channel.WHATSAPP).first() if notification else None
        if delivery is None:  # the buyer switched WhatsApp off for transaction messages (or the role rules)
            follow_up.status = FollowUpStatus.CANCELLED
        elif delivery.status in (DeliveryStatus.SKIPPED, DeliveryStatus.FAILED):  # e.g. no WhatsApp number
            follow_up.status = FollowUpStatus.FAILED
        else:
            follow_up.status = FollowUpStatus.SENT
        follow_up.delivery = delivery
        follow_up.sent_at = now
        follow_up.save(update_fields=["status", "delivery", "sent_at"])
    return True


def follow_ups_send_due(*, now: datetime | None = None) -> int:
    """Sends every scheduled follow-up whose time has come (one short transaction each) and returns how many were
    handled. Safe to run twice or concurrently: a row is locked and re-checked before it is sent."""
    now = now or timezone.now()
    handled = 0
    while True:
        ids = list(
            FollowUp.objects.filter(status=FollowUpStatus.SCHEDULED, send_at__lte=now)
            .order_by("send_at", "id")
            .values_list("pk", flat=True)[:FOLLOW_UP_BATCH]
        )
        if not ids:
            return handled
        done = 0
        for follow_up_id in ids:
            try:
                done += _send_one(follow_up_id, now)
            except Exception:
                logger.exception("Follow-up %s could not be sent", follow_up_id)
                FollowUp.objects.filter(pk=follow_up_id, status=FollowUpStatus.SCHEDULED).update(
                    status=FollowUpStatus.FAILED, sent_at=now
                )
                done += 1
        handled += done
        if done == 0:
            return handled
