"""The sales list's follow-up column ("Follow Up 3/5 terkirim") counts whichever engine sends: the orders app's own
WhatsApp follow-ups and the reminder builder's log. `reminders` sits above orders, so at start-up it registers
`FollowUpLog` (two query expressions over an order row, `OuterRef("pk")`), and orders never imports it.

`in_builder(plan_ids, product_ids)` names the owners whose follow-ups the builder sends now (an admin switched their
default sequence on): a paid order schedules no follow-up of its own for them, so a buyer never gets both."""

from collections.abc import Callable
from dataclasses import dataclass

from sanggar.core.registry import Registry


@dataclass(frozen=True)
class FollowUpLog:
    sent: Callable  # () -> an integer expression: messages sent for the order (OuterRef("pk"))
    total: Callable  # () -> an integer expression: messages planned or sent for the order
    in_builder: Callable | None = None  # (plan_ids, product_ids) -> {("plan", id), ("product", id), ...}


def owners_in_builder(plan_ids, product_ids) -> set:
    owners = set()
    for log in follow_up_logs:
        if log.in_builder is not None:
            owners |= log.in_builder(plan_ids, product_ids)
    return owners


follow_up_logs: Registry[FollowUpLog] = Registry("follow-up log")
follow_up_log_register = follow_up_logs.register
