"""The sender of the WhatsApp follow-up rows orders scheduled before the reminder builder took them over (issue 14:
one engine). Plans', products' and courses' follow-ups are the builder's sequences now and a paid order schedules
nothing here; the data migrations `reminders.0014` (plans, products) and `reminders.0015` (courses) handed over the
rows the builder can send (status `moved`) and left here only the rows of orders paid before the builder answers
for them, which this sweep still sends (beat `orders-follow-ups-send`) through the notifications app's WhatsApp
channel."""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from sanggar.notifications.constants import Channel, DeliveryStatus
from sanggar.notifications.services import notify

from .. import notifications as kinds
from ..constants import FOLLOW_UP_BATCH, FollowUpStatus, OrderStatus
from ..models import FollowUp

logger = logging.getLogger(__name__)


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
