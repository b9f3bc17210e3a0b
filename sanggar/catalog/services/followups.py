"""WhatsApp follow-up steps (delay in days, message) of plans, products and courses (`resource`): all of them are
sequences of the reminder builder now (migrations `reminders.0014` for plans and products, `reminders.0015` for
courses); the rows are kept as the record those migrations moved them from and nothing in the product writes them
any more. `follow_ups_clean` checks the step editor's rows, which learning's course page and API still use (the
builder's course hook saves them)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..constants import FOLLOW_UP_DELAY_MAX_DAYS, FOLLOW_UP_MESSAGE_MAX, FOLLOW_UP_STEPS_MAX
from ..models import FollowUpStep
from .common import Errors, clean_int, clean_text, is_blank, parse_int


@dataclass(frozen=True)
class FollowUpInput:
    """One step as typed in the form. `id` is the existing step it edits (None for a new one)."""

    delay_days: int | str | None
    message: str
    id: int | str | None = None


def follow_ups_clean(*, steps: list[FollowUpInput], existing_ids) -> list[tuple[int | None, int, str]]:
    """The typed steps checked (blank rows dropped): [(existing id or None, delay in days, message)], in order.
    Raises ServiceError with errors keyed `steps.<index>.<field>` (an id not in `existing_ids` included). Shared by
    `follow_ups_replace` and the reminder builder's course follow-ups (learning's page and API)."""
    errors = Errors()
    rows = [s for s in steps if not (is_blank(s.message) and is_blank(s.delay_days) and is_blank(s.id))]
    if len(rows) > FOLLOW_UP_STEPS_MAX:
        errors.add("steps", _("Paling banyak %(max)s pesan follow-up.") % {"max": FOLLOW_UP_STEPS_MAX})
    cleaned = []
    for index, step in enumerate(rows):
        prefix = f"steps.{index}."
        delay = clean_int(
            step.delay_days,
            field=prefix + "delay_days",
            label=_("Jeda (hari)"),
            errors=errors,
            maximum=FOLLOW_UP_DELAY_MAX_DAYS,
        )
        message = clean_text(
            step.message,
            field=prefix + "message",
            label=_("Pesan"),
            errors=errors,
            max_length=FOLLOW_UP_MESSAGE_MAX,
            required=True,
        )
        step_id = None if is_blank(step.id) else parse_int(step.id) if not isinstance(step.id, int) else step.id
        if step_id is not None and step_id not in existing_ids:
            errors.add(prefix + "message", _("Langkah follow-up ini tidak ditemukan; muat ulang halaman."))
        cleaned.append((step_id, delay, message))
    errors.raise_if_any(_("Periksa kembali pesan follow-up."))
    return cleaned


def follow_ups_replace(*, owner_field: str, owner, steps: list[FollowUpInput]) -> tuple[list[FollowUpStep], bool]:
    """Makes the owner's steps exactly `steps` (in that order): existing ids are updated, missing ones deleted,
    new ones created. Orders keep the messages they scheduled (orders.FollowUp copies the text). Returns the steps
    and whether anything changed; raises ServiceError with errors keyed `steps.<index>.<field>`."""
    existing = {step.pk: step for step in FollowUpStep.objects.filter(**{owner_field: owner}).select_for_update()}
    cleaned = follow_ups_clean(steps=steps, existing_ids=existing)

    changed = False
    kept: list[FollowUpStep] = []
    used_ids = set()
    for order, (step_id, delay, message) in enumerate(cleaned):
        if step_id is not None and step_id not in used_ids:
            used_ids.add(step_id)
            step = existing[step_id]
            if (step.delay_days, step.message, step.sort_order) != (delay, message, order):
                step.delay_days, step.message, step.sort_order = delay, message, order
                step.save(update_fields=["delay_days", "message", "sort_order"])
                changed = True
        else:
            step = FollowUpStep.objects.create(
                **{owner_field: owner}, delay_days=delay, message=message, sort_order=order
            )
            changed = True
        kept.append(step)
    stale = [pk for pk in existing if pk not in used_ids]
    if stale:
        FollowUpStep.objects.filter(pk__in=stale).delete()
        changed = True
    return kept, changed
