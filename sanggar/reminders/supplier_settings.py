"""The old upgrade reminder schedule of `/api/v1/admin/supplier-settings` (`reminders_enabled`, `reminder_steps`),
kept for the Flutter / admin clients, read from and written to the engine's supplier sequences (registered into
suppliers.hooks; the full builder is /api/v1/admin/reminders?target_type=supplier).

The mapping (the default sequences of migration 0012, found by `origin`, else by trigger):
- `reminders_enabled`: on when any supplier sequence is active; false switches every supplier sequence off, true
  switches every one on (steps named in the same request are applied after, so they can keep one off).
- `approved`, `day_1`, `day_7`, `day_14`, `day_30`: steps of the approval sequence. `approved` is its first step
  at 0 hours; the timed ones are its later steps, matched in order of their delay to 1 / 7 / 14 / 30 days (as many
  as possible, the nearest first), `days` = the step's delay. Steps have no own switch: `on: false` deletes the
  step, `on: true` creates it again with the migration's default text. A timed step given a later day than the
  next one swaps their names on the next read (the steps are named by their order).
- `first_product`: the first-product sequence's on/off (`days` always 0).
- `refused_chat`: the refused-chat sequence's on/off, `days` = its pause (`sequence.days`, 0 = once).
Writes go through the services (audited)."""

from functools import cache
from importlib import import_module

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from sanggar.core.exceptions import ServiceError

from . import services
from .constants import DelayUnit, Target, Trigger
from .models import ReminderSequence, ReminderStep

DEFAULTS = import_module("sanggar.reminders.migrations.0012_supplier_default_sequences")
TIMED = (("day_1", 1), ("day_7", 7), ("day_14", 14), ("day_30", 30))
TRIGGERS = {
    "approved": Trigger.SUPPLIER_APPROVED,
    "first_product": Trigger.SUPPLIER_FIRST_PRODUCT,
    "refused_chat": Trigger.SUPPLIER_REFUSED_CHAT,
}


def _sequences() -> tuple[list[ReminderSequence], dict[str, ReminderSequence | None]]:
    """Every supplier sequence (steps in order) and the three upgrade ones by their old kind."""
    rows = list(
        ReminderSequence.objects.filter(target_type=Target.SUPPLIER)
        .prefetch_related(Prefetch("steps", queryset=ReminderStep.objects.order_by("delay_hours", "sort_order", "id")))
        .order_by("sort_order", "id")
    )
    found = {}
    for kind, trigger in TRIGGERS.items():
        origin = DEFAULTS.ORIGINS[kind]
        found[kind] = next((s for s in rows if s.origin == origin), None) or next(
            (s for s in rows if s.trigger == trigger and s.target_id is None), None
        )
    return rows, found


def _match(hours: list[int]) -> dict[str, int]:
    """The timed keys → index into `hours` (sorted delays): order kept, as many as possible, nearest first."""

    @cache
    def best(i, j):
        if i == len(TIMED) or j == len(hours):
            return (0, 0, ())
        options = [best(i + 1, j), best(i, j + 1)]
        matches, cost, pairs = best(i + 1, j + 1)
        options.append((matches + 1, cost - abs(hours[j] - TIMED[i][1] * 24), ((TIMED[i][0], j), *pairs)))
        return max(options, key=lambda o: (o[0], o[1]))

    return dict(best(0, 0)[2])


def _approval_steps(sequence) -> dict[str, ReminderStep]:
    if sequence is None:
        return {}
    steps = list(sequence.steps.all())
    first = next((s for s in steps if s.delay_hours == 0), None)
    later = [s for s in steps if s.delay_hours > 0]
    mapped = {key: later[index] for key, index in _match([s.delay_hours for s in later]).items()}
    if first is not None:
        mapped["approved"] = first
    return mapped


def read() -> dict:
    rows, found = _sequences()
    mapped = _approval_steps(found["approved"])
    steps = {"approved": {"on": "approved" in mapped, "days": 0}}
    steps["first_product"] = {"on": bool(found["first_product"] and found["first_product"].is_active), "days": 0}
    refused = found["refused_chat"]
    steps["refused_chat"] = {"on": bool(refused and refused.is_active), "days": refused.days if refused else 0}
    for key, days in TIMED:
        step = mapped.get(key)
        steps[key] = {"on": step is not None, "days": step.delay_hours // 24 if step else days}
    return {"reminders_enabled": any(s.is_active for s in rows), "reminder_steps": steps}


def _missing():
    raise ServiceError(
        _("Urutan pengingat supplier tidak ditemukan; atur di halaman Pengingat upgrade."),
        errors={"reminder_steps": [_("Urutan pengingat supplier tidak ditemukan.")]},
    )


def _default_step(actor, sequence, kind, days):
    subject, body = DEFAULTS.UPGRADE_TITLE, DEFAULTS.UPGRADE_BODY.replace("{reason}", DEFAULTS.REASONS[kind])
    return services.step_save(
        actor=actor, sequence=sequence, channels=list(DEFAULTS.CHANNELS), subject=subject, body=body,
        delay_amount=days, delay_unit=DelayUnit.DAYS, content={"in_app": {"title": subject, "body": body}},
    )  # fmt: skip


def _step_days(actor, step, days):
    if step.delay_hours == days * 24:
        return
    services.step_save(
        actor=actor, sequence=step.sequence, step=step, channels=step.channels, subject=step.subject, body=step.body,
        delay_amount=days, delay_unit=DelayUnit.DAYS, preferred_time=step.preferred_time,
        days_of_week=step.days_of_week, avoid_weekends=step.avoid_weekends, content=step.content,
    )  # fmt: skip


def _set_active(actor, sequence, on: bool):
    if sequence.is_active != on:
        services.sequence_set_active(actor=actor, sequence=sequence, is_active=on)


def _approval_write(actor, sequence, steps: dict) -> None:
    named = [key for key in ("approved", *(k for k, _d in TIMED)) if key in steps]
    if not named:
        return
    if sequence is None:
        if any(steps[key]["on"] for key in named):
            _missing()
        return
    mapped = _approval_steps(sequence)
    created = False
    for key in named:
        want, step = steps[key], mapped.get(key)
        days = 0 if key == "approved" else max(1, int(want["days"]))
        if not want["on"]:
            if step is not None:
                services.step_delete(actor=actor, step=step)
        elif step is None:
            _default_step(actor, sequence, key, days)
            created = True
        else:
            _step_days(actor, step, days)
    if created:  # the new step takes its place by delay on the builder's page
        ids = list(sequence.steps.order_by("delay_hours", "sort_order", "id").values_list("pk", flat=True))
        services.steps_reorder(actor=actor, sequence=sequence, step_ids=ids)


def write(*, actor, enabled: bool | None = None, steps: dict | None = None) -> None:
    """`enabled` switches every supplier sequence; `steps` are the named, checked rows {kind: {"on", "days"}}."""
    rows, found = _sequences()
    if enabled is not None:
        for sequence in rows:
            _set_active(actor, sequence, enabled)
    steps = steps or {}
    _approval_write(actor, found["approved"], steps)
    for kind in ("first_product", "refused_chat"):
        if kind not in steps:
            continue
        sequence, want = found[kind], steps[kind]
        if sequence is None:
            if want["on"]:
                _missing()
            continue
        if want["on"] and not sequence.steps.exists():
            _default_step(actor, sequence, kind, 0)
        if kind == "refused_chat" and sequence.days != int(want["days"]):
            sequence = services.sequence_save(
                actor=actor, sequence=sequence, name=sequence.name, trigger=sequence.trigger, days=want["days"],
                stop_on=sequence.stop_on, quiet_start=sequence.quiet_start, quiet_end=sequence.quiet_end,
                is_active=sequence.is_active, target_type=sequence.target_type, target_id=sequence.target_id,
                specific_at=sequence.specific_at, conditions=sequence.conditions, kind=sequence.kind,
            )  # fmt: skip
        _set_active(actor, sequence, bool(want["on"]))
