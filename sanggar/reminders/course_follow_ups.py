"""A course's WhatsApp follow-ups as learning's page and API show them (`/mentor/kursus/<slug>/follow-up`,
`GET /api/v1/mentor/courses/{slug}/follow-ups`, `PUT /api/v1/admin/courses/{slug}/follow-ups`: steps of
`{id, delay_days, message}`), read from and written to the engine's follow-up sequence of the course (issue 14: one
engine; registered into `learning.hooks` in `apps.ready`, since learning sits below reminders).

The sequence: origin `follow_up:course:<course id>` (migration 0015 made it from the catalog steps orders used to
send), trigger `after_purchase`, target the course (the engine's course purchase: the enrolment, key `en:<id>`,
once per student and step), WhatsApp. A step is `id` = the builder step's id, `delay_days` = its delay in whole
days, `message` = its WhatsApp text with the builder's `{course_name}` shown as the course editor's `{course}`.
A write checks the rows as before (catalog's `follow_ups_clean`) and the builder's own limits (365 days, known
shortcodes, `REMINDERS_MAX_STEPS`), keyed `steps.<index>.<field>`; then saves through the builder's services
(audited): a row keeps its step (and so its send log: nobody gets a step twice) by its id, else — the API's PUT
sends no ids — by the same text, then the same delay, then the same position, then the next one left; kept steps
are updated only when their delay or text changed (what an admin set in the builder beyond them — other channels,
a preferred time — stays), new ones are created, missing ones deleted. The first
write of a course without a sequence creates it switched on from now (`active_from`: students who joined earlier
are not messaged); an admin's on / off switch on the course's "Pengingat" tab is kept."""

import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.catalog.services import follow_ups_clean
from sanggar.catalog.services.common import Errors
from sanggar.learning.hooks import FollowUpStepView

from . import engine, services
from .constants import DelayUnit, Target, Trigger
from .models import ReminderSequence, ReminderStep

MAX_DELAY_DAYS = 365  # the builder's longest delay (step_save)
_CODE = re.compile(r"\{(course|course_name)\}")


def origin(course) -> str:
    return f"follow_up:course:{course.pk}"


def to_builder(text: str) -> str:
    """The course editor's `{course}` is the builder's `{course_name}`."""
    return _CODE.sub("{course_name}", text or "")


def to_editor(text: str) -> str:
    return _CODE.sub("{course}", text or "")


def _sequence(course, *, lock: bool = False) -> ReminderSequence | None:
    qs = ReminderSequence.objects.filter(origin=origin(course), target_type=Target.COURSE, target_id=course.pk)
    if lock:
        qs = qs.select_for_update()
    return qs.order_by("id").first()


def _text(step: ReminderStep) -> str:
    return (step.content or {}).get("whatsapp", {}).get("text") or step.body


def _steps(sequence) -> list[ReminderStep]:
    if sequence is None:
        return []
    return list(ReminderStep.objects.filter(sequence=sequence).order_by("delay_hours", "sort_order", "id"))


def _view(step: ReminderStep) -> FollowUpStepView:
    return FollowUpStepView(pk=step.pk, delay_days=step.delay_hours // 24, message=to_editor(_text(step)))


def read(course) -> list[FollowUpStepView]:
    """The course's follow-up steps in sending order (two queries)."""
    return [_view(step) for step in _steps(_sequence(course))]


def _check(cleaned) -> None:
    errors = Errors()
    if len(cleaned) > settings.REMINDERS_MAX_STEPS:
        errors.add("steps", _("Satu urutan paling banyak %(n)s langkah.") % {"n": settings.REMINDERS_MAX_STEPS})
    for index, (_step_id, delay, message) in enumerate(cleaned):
        if delay > MAX_DELAY_DAYS:
            errors.add(f"steps.{index}.delay_days", _("Jeda paling lama %(n)s hari.") % {"n": MAX_DELAY_DAYS})
        unknown = engine.unknown_shortcodes(to_builder(message))
        if unknown:
            errors.add(
                f"steps.{index}.message",
                _("Kode %(codes)s tidak dikenal. Pakai kode dari daftar di atas.") % {"codes": ", ".join(unknown)},
            )
    errors.raise_if_any(_("Periksa kembali pesan follow-up."))


def _save_step(*, actor, sequence, course, step, delay: int, message: str, position: int) -> ReminderStep:
    text = to_builder(message)
    if step is None:
        return services.step_save(
            actor=actor,
            sequence=sequence,
            delay_amount=delay,
            delay_unit=DelayUnit.DAYS,
            channels=["whatsapp"],
            subject=f"Follow-up {course.title}"[:200],
            body=text,
            content={"whatsapp": {"text": text}},
            sort_order=position,
        )
    old = _text(step)
    content = {**(step.content or {}), "whatsapp": {**(step.content or {}).get("whatsapp", {}), "text": text}}
    same_delay = step.delay_hours // 24 == delay
    return services.step_save(
        actor=actor,
        sequence=sequence,
        step=step,
        delay_amount=step.delay_amount if same_delay else delay,
        delay_unit=step.delay_unit if same_delay else DelayUnit.DAYS,
        channels=step.channels if "whatsapp" in step.channels else [*step.channels, "whatsapp"],
        subject=step.subject or f"Follow-up {course.title}"[:200],
        body=text if step.body in ("", old) else step.body,
        content=content,
        preferred_time=step.preferred_time,
        days_of_week=step.days_of_week,
        avoid_weekends=step.avoid_weekends,
        sort_order=position,
    )


def _keep_ids(cleaned, existing: dict) -> list[int | None]:
    """The builder step each row edits: its own id, else (the API sends no ids) an unused step with the same text,
    then the same delay, then the same position, then the next one left (as many rows as steps keep them all).
    Keeping a step keeps its send log, so rewriting the sequence never sends a student a step again (a deleted
    step's log goes with it)."""
    named = {step_id for step_id, _delay, _message in cleaned if step_id is not None}
    free = [step for pk, step in existing.items() if pk not in named]
    ids = [step_id for step_id, _delay, _message in cleaned]
    order = list(existing.values())
    tests = (
        lambda step, delay, message, position: _view(step).message == message,
        lambda step, delay, message, position: step.delay_hours // 24 == delay,
        lambda step, delay, message, position: position < len(order) and order[position] is step,
        lambda step, delay, message, position: True,  # an edited step (text and delay): the next one left
    )
    for test in tests:
        for position, (_step_id, delay, message) in enumerate(cleaned):
            if ids[position] is not None:
                continue
            found = next((step for step in free if test(step, delay, message, position)), None)
            if found is not None:
                free.remove(found)
                ids[position] = found.pk
    return ids


@transaction.atomic
def write(*, actor, course, steps) -> tuple[list[FollowUpStepView], bool]:
    """Makes the course's follow-up sequence exactly `steps` (catalog `FollowUpInput` rows, in order). Returns the
    steps as read back and whether anything changed; ServiceError keyed `steps.<index>.<field>`."""
    sequence = _sequence(course, lock=True)
    existing = {step.pk: step for step in _steps(sequence)}
    cleaned = follow_ups_clean(steps=steps, existing_ids=existing)
    _check(cleaned)
    if sequence is None:
        if not cleaned:
            return [], False
        sequence = services.sequence_save(
            actor=actor,
            name=f"Follow-up WhatsApp: {course.title}"[:120],
            trigger=Trigger.AFTER_PURCHASE,
            target_type=Target.COURSE,
            target_id=course.pk,
            is_active=True,
        )
        ReminderSequence.objects.filter(pk=sequence.pk).update(origin=origin(course), active_from=timezone.now())
    changed = False
    ids = _keep_ids(cleaned, existing)
    used = set()
    for position, ((_step_id, delay, message), step_id) in enumerate(zip(cleaned, ids, strict=True)):
        step = existing.get(step_id) if step_id not in used else None
        if step is not None:
            used.add(step_id)
            view = _view(step)
            if (view.delay_days, view.message, step.sort_order) == (delay, message, position):
                continue
        _save_step(
            actor=actor, sequence=sequence, course=course, step=step, delay=delay, message=message, position=position
        )
        changed = True
    for pk, step in existing.items():
        if pk not in used:
            services.step_delete(actor=actor, step=step)
            changed = True
    return read(course), changed
