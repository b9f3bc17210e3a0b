"""WhatsApp follow-ups of courses sold as order lines: a paid order schedules its course's follow-up steps; a sweep
sends the due ones through the notifications app's WhatsApp channel. (Plans' and products' follow-ups are the reminder
builder's sequences; rows the data migration `reminders.0014` handed to the builder have the status `moved`.)"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from sanggar.catalog.models import FollowUpStep
from sanggar.notifications.constants import Channel, DeliveryStatus
from sanggar.notifications.rendering import render_shortcodes, user_shortcodes
from sanggar.notifications.services import notify

from .. import notifications as kinds
from ..constants import FOLLOW_UP_BATCH, FollowUpStatus, OrderStatus
from ..models import FollowUp, Order
from ..sellables import follow_up_resources_for

logger = logging.getLogger(__name__)


def follow_ups_schedule(*, order: Order, items, now: datetime) -> list[FollowUp]:
    """Creates the order's FollowUp rows from the FollowUpSteps of the resources its lines name (a course line: its
    course, through the sellable kind's `follow_up_resource`). Plans' and products' follow-ups are sequences of the
    reminder builder (one engine: the builder's sweep sends them from the paid order), so their lines schedule
    nothing here. Shortcodes in a step's message ({name}, {course}, {invoice}, {dashboard_link}, …) are filled now."""
    resources = follow_up_resources_for(item for item in items if not (item.plan_id or item.product_id))
    if not resources:
        return []
    base = {**user_shortcodes(order.buyer), "invoice": order.invoice_number, "phone": order.buyer.whatsapp or ""}
    rows = []
    for step in FollowUpStep.objects.filter(resource_id__in=list(resources)).order_by("delay_days", "sort_order", "id"):
        values = {**base, "course": resources.get(step.resource_id, "")}
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
