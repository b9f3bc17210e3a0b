"""The audit actions registry. Each app names the actions it writes to the activity log, with the label admins read,
in its own `audit.py` (discovered at start-up by AuditConfig.ready), in the style of the dashboard card registry:

    # sanggar/orders/audit.py
    from sanggar.audit.registry import register
    register({OrderAction.PAID: _("Pesanan lunas")}, alert=(OrderAction.REFUNDED,))

`ActivityLog.action` is a plain string validated here, not a closed choices list: a new action needs no migration in
audit. The activity log, its filter, its CSV export and the order timelines take their labels from this registry.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class AuditAction:
    code: str
    label: str
    # Shown in red in the activity log (a failed login, a revoked role, a refund…).
    alert: bool = False


_ACTIONS: dict[str, AuditAction] = {}

UNKNOWN_LABEL = _("Aksi lain")


def register(labels: Mapping[str, str], *, alert: Iterable[str] = ()) -> None:
    """Registers actions: code → label. Registering the same code twice with another label is a programming error."""
    alert = set(alert)
    unknown_alert = alert - set(labels)
    if unknown_alert:
        raise ValueError(f"alert actions not in labels: {sorted(unknown_alert)}")
    for code, label in labels.items():
        code = str(code)
        entry = AuditAction(code=code, label=label, alert=code in alert)
        existing = _ACTIONS.get(code)
        if existing is not None and str(existing.label) != str(entry.label):
            raise ValueError(f"audit action {code!r} is already registered as {existing.label!r}")
        _ACTIONS[code] = entry


def is_registered(code: str) -> bool:
    return code in _ACTIONS


def action_get(code: str) -> AuditAction | None:
    return _ACTIONS.get(code)


def action_label(code: str) -> str:
    """The Indonesian label of an action; an unregistered code (an action of an app since removed) never shows raw."""
    entry = _ACTIONS.get(code)
    return str(entry.label) if entry is not None else str(UNKNOWN_LABEL)


def action_choices() -> list[tuple[str, str]]:
    """(code, label) of every registered action, by label: the activity log's filter."""
    return sorted(((a.code, str(a.label)) for a in _ACTIONS.values()), key=lambda choice: choice[1].lower())


# target type ("orders.order") → a function (target_id, target_label) → the admin page of that object, or "".
_TARGET_LINKS: dict[str, Callable[[str, str], str]] = {}


def target_link(target_type: str):
    """Registers how the activity log links a row's target to its admin page:

    @target_link("orders.order")
    def order_link(target_id, target_label): return reverse("orders:admin_sale_detail", args=[target_label])
    """

    def decorator(func):
        _TARGET_LINKS[target_type] = func
        return func

    return decorator


def target_url(target_type: str, target_id: str, target_label: str) -> str:
    func = _TARGET_LINKS.get(target_type)
    return func(target_id, target_label) if func is not None and target_id else ""
