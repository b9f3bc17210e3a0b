"""The sales list's follow-up column ("Follow Up 3/5 terkirim") and the sale's follow-up list read the reminder
builder's log: plans' and products' WhatsApp follow-ups are its sequences (one engine), and orders' own `FollowUp`
rows are left only for course lines and for rows scheduled before the move (`reminders.0014`). `reminders` sits above
orders, so at start-up it registers `FollowUpLog` (two query expressions over an order row, `OuterRef("pk")`, and
the rows of one order for its detail page), and orders never imports it."""

from collections.abc import Callable
from dataclasses import dataclass

from sanggar.core.registry import Registry


@dataclass(frozen=True)
class FollowUpRow:
    """One follow-up of a sale as its detail page shows it."""

    title: str
    scheduled_at: object  # datetime | None
    status_label: str
    sent: bool
    channels: str = ""


@dataclass(frozen=True)
class FollowUpLog:
    sent: Callable  # () -> an integer expression: messages sent for the order (OuterRef("pk"))
    total: Callable  # () -> an integer expression: messages planned or sent for the order
    rows: Callable | None = None  # (order) -> [FollowUpRow, ...] logged for the order (one query)


def follow_up_rows(order) -> list[FollowUpRow]:
    rows: list[FollowUpRow] = []
    for log in follow_up_logs:
        if log.rows is not None:
            rows.extend(log.rows(order))
    return rows


follow_up_logs: Registry[FollowUpLog] = Registry("follow-up log")
follow_up_log_register = follow_up_logs.register
