"""The sales list's follow-up column ("Follow Up 3/5 terkirim") counts whichever engine sends: the orders app's own
WhatsApp follow-ups and the reminder builder's log. `reminders` sits above orders, so at start-up it registers
`FollowUpLog` (two query expressions over an order row, `OuterRef("pk")`), and orders never imports it."""

from collections.abc import Callable
from dataclasses import dataclass

from sanggar.core.registry import Registry


@dataclass(frozen=True)
class FollowUpLog:
    sent: Callable  # () -> an integer expression: messages sent for the order (OuterRef("pk"))
    total: Callable  # () -> an integer expression: messages planned or sent for the order


follow_up_logs: Registry[FollowUpLog] = Registry("follow-up log")
follow_up_log_register = follow_up_logs.register
