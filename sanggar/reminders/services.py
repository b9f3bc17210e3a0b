"""Reminder sequences and broadcasts: every write goes through here (pages, the beat task and the demo call these).
Messages leave through `sanggar.notifications.services.notify_text` (in-app row + one delivery per channel the user
has not switched off for the preference group)."""

import hashlib
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from itertools import chain, islice

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.accounts.constants import PROVINCES
from sanggar.audit.services import activity_record
from sanggar.catalog.richtext import sanitize_html
from sanggar.community.constants import MemberStatus
from sanggar.community.models import GroupMember
from sanggar.community.richtext import post_plain_text
from sanggar.core.exceptions import ServiceError
from sanggar.core.roles import Role
from sanggar.learning.models import Enrollment
from sanggar.memberships.constants import MembershipStatus
from sanggar.memberships.models import UserMembership
from sanggar.notifications.constants import Channel, DeliveryStatus
from sanggar.notifications.models import Delivery, Notification
from sanggar.notifications.provider_events import ENGAGEMENT_HOOKS
from sanggar.notifications.rendering import push_link_clean, push_link_ok, text_to_html
from sanggar.notifications.selectors import suppressed_emails
from sanggar.notifications.services import TextMessage, deliveries_send_batch, notify_texts
from sanggar.orders.constants import OrderStatus
from sanggar.orders.models import Order

from . import engine, realms, supplier_triggers, throttle, tracking
from .constants import (
    BEFORE_TRIGGERS,
    DELAY_UNIT_HOURS,
    GROUP,
    IN_APP,
    SUPPLIER_TRIGGERS,
    USAGE_CONDITIONS,
    Action,
    BroadcastStatus,
    Condition,
    DelayUnit,
    SegmentStatus,
    SendStatus,
    SequenceKind,
    StopOn,
    Target,
    Trigger,
)
from .models import (
    TRACKING_SETTINGS_ID,
    Broadcast,
    BroadcastRecipient,
    LinkClick,
    ReminderSend,
    ReminderSequence,
    ReminderStep,
    TrackingSettings,
)

User = get_user_model()

SHORTCODES = engine.SHORTCODES
SHORTCODE_HELP = engine.SHORTCODE_HELP
SAMPLE = engine.SAMPLE
render_text = engine.render_text
# Per-channel limits of the builder (spec: WhatsApp 1,024; push title 65 and body 240).
EMAIL_HTML_MAX_LENGTH = 20000
CONTENT_LIMITS = {
    # body_html: the rich-text email (sanitised with nh3); body then holds its plain text (the text alternative)
    Channel.EMAIL: {"subject": 200, "body": 4000, "body_html": EMAIL_HTML_MAX_LENGTH, "cta_text": 60, "cta_link": 500},
    Channel.WHATSAPP: {"text": 1024},
    Channel.PUSH: {"title": 65, "body": 240, "icon_url": 500, "deep_link": 500},
    IN_APP: {"title": 200, "body": 2000, "link": 500, "display": 10},
}
# The in-app notification's display (spec: "Auto-popup atau silent"); empty: a toast as usual.
IN_APP_DISPLAYS = ("", "popup", "silent")


# --- validation ---------------------------------------------------------------------------------------------


def _clean_text(value, *, label, max_length, required=True) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        raise ServiceError(_("%(label)s berisi karakter yang tidak diizinkan.") % {"label": label})
    if required and not text:
        raise ServiceError(_("%(label)s wajib diisi.") % {"label": label})
    if len(text) > max_length:
        raise ServiceError(
            _("%(label)s terlalu panjang (maksimal %(n)s karakter).") % {"label": label, "n": max_length}
        )
    return text


def _clean_channels(channels) -> list[str]:
    if not isinstance(channels, list | tuple):
        raise ServiceError(_("Saluran tidak valid."))
    result = []
    for channel in channels:
        if channel not in Channel.values:
            raise ServiceError(_("Saluran tidak dikenal."))
        if channel not in result:
            result.append(channel)
    return result


# --- sequences ----------------------------------------------------------------------------------------------


def _clean_target(target_type, target_id):
    target_type = target_type or ""
    if target_type not in Target.values:
        raise ServiceError(_("Sasaran tidak dikenal."))
    if target_id in ("", None) or not target_type:
        return target_type, None
    try:
        target_id = int(target_id)
    except (TypeError, ValueError):
        raise ServiceError(_("Sasaran tidak valid.")) from None
    return target_type, target_id


def _clean_conditions(conditions) -> list[str]:
    if conditions in (None, ""):
        return []
    if not isinstance(conditions, list | tuple) or len(conditions) > len(Condition.values):
        raise ServiceError(_("Syarat tidak valid."))
    result = []
    for condition in conditions:
        if condition not in Condition.values:
            raise ServiceError(_("Syarat tidak dikenal."))
        if condition not in result:
            result.append(condition)
    if len([c for c in result if c in USAGE_CONDITIONS]) > 1:
        raise ServiceError(_("Pilih satu tingkat pemakaian membership saja (rendah, sedang, atau tinggi)."))
    return result


@transaction.atomic
def sequence_save(
    *,
    actor,
    sequence=None,
    name,
    trigger,
    days=0,
    stop_on=StopOn.NONE,
    quiet_start=None,
    quiet_end=None,
    is_active=True,
    target_type="",
    target_id=None,
    specific_at=None,
    conditions=None,
    kind=SequenceKind.TRANSACTIONAL,
) -> ReminderSequence:
    name = _clean_text(name, label=_("Nama"), max_length=120)
    if kind not in SequenceKind.values:
        raise ServiceError(_("Jenis pengingat tidak dikenal (transaksional atau pemasaran)."))
    if trigger not in Trigger.values:
        raise ServiceError(_("Pemicu tidak dikenal."))
    if stop_on not in StopOn.values:
        raise ServiceError(_("Kondisi berhenti tidak dikenal."))
    try:
        days = int(days or 0)
    except (TypeError, ValueError):
        raise ServiceError(_("Jumlah hari harus berupa angka.")) from None
    if not 0 <= days <= 365:
        raise ServiceError(_("Jumlah hari harus antara 0 dan 365."))
    if trigger == Trigger.MEMBERSHIP_EXPIRING and days < 1:
        raise ServiceError(_("Isi berapa hari sebelum keanggotaan berakhir (minimal 1)."))
    if (quiet_start is None) != (quiet_end is None):
        raise ServiceError(_("Isi jam mulai dan jam selesai jam tenang, atau kosongkan keduanya."))
    if quiet_start is not None and (not isinstance(quiet_start, time) or not isinstance(quiet_end, time)):
        raise ServiceError(_("Jam tenang tidak valid."))
    target_type, target_id = _clean_target(target_type, target_id)
    if trigger in (Trigger.BEFORE_EXPIRY, Trigger.AFTER_EXPIRY) and target_type not in ("", Target.PLAN):
        raise ServiceError(_("Pemicu masa aktif hanya untuk paket membership."))
    if trigger in (Trigger.BEFORE_EVENT, Trigger.AFTER_EVENT) and target_type not in ("", Target.EVENT):
        raise ServiceError(_("Pemicu sebelum / setelah event hanya untuk event."))
    if (trigger in SUPPLIER_TRIGGERS) != (target_type == Target.SUPPLIER):
        raise ServiceError(
            _("Pemicu supplier hanya untuk sasaran Supplier, dan sasaran Supplier hanya untuk pemicu supplier.")
        )
    if stop_on == StopOn.UPGRADED and trigger not in SUPPLIER_TRIGGERS:
        raise ServiceError(_("Berhenti bila sudah Premium hanya untuk pemicu supplier."))
    if stop_on == StopOn.REPLIED and trigger != Trigger.SUPPLIER_UNREAD_CHAT:
        raise ServiceError(_("Berhenti bila chat sudah dibaca hanya untuk pemicu chat calon pembeli."))
    if trigger == Trigger.INACTIVITY and target_type not in ("", Target.PLAN, Target.COURSE):
        raise ServiceError(_("Pemicu tidak aktif hanya untuk semua member, paket membership atau kelas."))
    if trigger == Trigger.ON_DATE:
        if not isinstance(specific_at, datetime) or timezone.is_naive(specific_at):
            raise ServiceError(_("Isi tanggal dan jam kirim untuk pemicu 'pada tanggal tertentu'."))
    else:
        specific_at = None
    if (
        target_id is not None
        and engine.target_object(ReminderSequence(target_type=target_type, target_id=target_id)) is None
    ):
        raise ServiceError(_("Sasaran tidak ditemukan."))
    conditions = _clean_conditions(conditions)
    sequence = sequence or ReminderSequence()
    if sequence.pk is None or (sequence.target_type, sequence.target_id) != (target_type, target_id):
        sequence.sort_order = _next_sort_order(target_type, target_id)
    sequence.name, sequence.trigger, sequence.days, sequence.stop_on = name, trigger, days, stop_on
    sequence.quiet_start, sequence.quiet_end, sequence.is_active = quiet_start, quiet_end, bool(is_active)
    sequence.target_type, sequence.target_id = target_type, target_id
    sequence.specific_at, sequence.conditions, sequence.kind = specific_at, conditions, kind
    sequence.save()
    activity_record(action=Action.SEQUENCE_SAVED, actor=actor, target=sequence, target_label=sequence.name)
    return sequence


def _next_sort_order(target_type, target_id) -> int:
    """A new (or newly targeted) sequence goes last on its target's "Reminder" tab."""
    if target_id is None and target_type != Target.SUPPLIER:
        return 0
    last = (
        ReminderSequence.objects.filter(target_type=target_type, target_id=target_id)
        .order_by("-sort_order")
        .values_list("sort_order", flat=True)
        .first()
    )
    return min((last or 0) + 1, 32767)


def target_sequences(*, target_type, target_id):
    """A plan's / product's sequences (or all supplier ones: target id None) in their tab's order, each with its
    step count."""
    return (
        ReminderSequence.objects.filter(target_type=target_type, target_id=target_id)
        .annotate(step_count=Count("steps"))
        .order_by("sort_order", "id")
    )


@transaction.atomic
def tracking_settings_save(*, actor, open_pixel: bool, privacy_url: str = "") -> TrackingSettings:
    """The site-wide email tracking switches (PDP): `open_pixel` off → no open pixel in any reminder or broadcast
    email (opens are then not counted; clicks still are); `privacy_url` → the footer links the privacy page."""
    if not isinstance(open_pixel, bool):
        raise ServiceError(_("Pilihan piksel pembukaan tidak valid."))
    privacy_url = _clean_text(privacy_url, label=_("Alamat kebijakan privasi"), max_length=500, required=False)
    if privacy_url and (tracking.safe_target(privacy_url) != privacy_url or privacy_url.lower().startswith("http:")):
        raise ServiceError(_("Alamat kebijakan privasi harus diawali / atau https://."))
    row, _created = TrackingSettings.objects.select_for_update().get_or_create(pk=TRACKING_SETTINGS_ID)
    before = {"open_pixel": row.open_pixel, "privacy_url": row.privacy_url}
    row.open_pixel, row.privacy_url = open_pixel, privacy_url
    row.save()
    activity_record(
        action=Action.TRACKING_SETTINGS_SAVED,
        actor=actor,
        target_label=str(row),
        data={"before": before, "after": {"open_pixel": open_pixel, "privacy_url": privacy_url}},
    )
    tracking.tracking_settings_clear()
    transaction.on_commit(tracking.tracking_settings_clear)  # and again, in case a reader cached the old row meanwhile
    return row


@transaction.atomic
def sequence_set_active(*, actor, sequence, is_active: bool) -> ReminderSequence:
    """The on/off switch: an inactive sequence sends nothing (its log and steps stay)."""
    ReminderSequence.objects.filter(pk=sequence.pk).update(is_active=bool(is_active), updated_at=timezone.now())
    sequence.is_active = bool(is_active)
    activity_record(
        action=Action.SEQUENCE_TOGGLED,
        actor=actor,
        target=sequence,
        target_label=sequence.name,
        data={"is_active": sequence.is_active},
    )
    return sequence


@transaction.atomic
def sequence_delete(*, actor, sequence) -> None:
    """Deletes a sequence with its steps and its send log (the audit row keeps its name)."""
    pk, name = sequence.pk, sequence.name
    sequence.delete()
    activity_record(action=Action.SEQUENCE_DELETED, actor=actor, target_label=name, data={"id": pk})


# --- a realm's sequences (realms.py: an app above this one, e.g. booster's lead follow-ups) ----------------------


@transaction.atomic
def realm_sequence_save(*, sequence, name, description="", trigger, params=None, steps, channels=("email",)):
    """Saves a realm's sequence (`sequence`: an unsaved or saved `ReminderSequence`, or a realm's proxy of it, with
    `realm` and `owner_id` set by the realm, which has validated everything) and its steps: `steps` is
    [(delay in minutes after the trigger, subject, body)] in order. A step keeps its row by position (and so its
    send log); steps past the new last one are deleted."""
    if not sequence.realm:
        raise ServiceError(_("Urutan ini bukan milik aplikasi lain."))
    sequence.name, sequence.description, sequence.trigger = name[:120], description[:300], trigger
    sequence.params = dict(params or {})
    if sequence.pk is None:
        sequence.stop_on, sequence.kind, sequence.is_active = StopOn.NONE, SequenceKind.MARKETING, False
    sequence.save()
    old = {s.sort_order: s for s in sequence.steps.all()}
    for position, (delay, subject, body) in enumerate(steps):
        step = old.pop(position, None) or ReminderStep(sequence=sequence, sort_order=position)
        step.delay_hours, step.delay_minutes = divmod(max(int(delay), 0), 60)
        step.delay_amount, step.delay_unit = step.delay_hours, DelayUnit.HOURS
        step.channels, step.subject, step.body = list(channels), subject, body
        step.save()
    if old:
        ReminderStep.objects.filter(pk__in=[s.pk for s in old.values()]).delete()
    return sequence


def realm_sequence_set_active(*, sequence, is_active: bool):
    """A realm's on/off switch (the realm checked who may)."""
    ReminderSequence.objects.filter(pk=sequence.pk, realm=sequence.realm).exclude(realm="").update(
        is_active=bool(is_active), updated_at=timezone.now()
    )
    sequence.is_active = bool(is_active)
    return sequence


def realm_sequence_delete(*, sequence) -> None:
    """Deletes a realm's sequence with its steps and their send log (the realm checked who may)."""
    if sequence.realm:
        sequence.delete()


@transaction.atomic
def sequence_move(*, actor, sequence, direction: str) -> None:
    """Moves a sequence one place up or down among its target's sequences (the tab's up/down buttons)."""
    if direction not in ("up", "down"):
        raise ServiceError(_("Arah urutan tidak valid."))
    if sequence.target_id is None and sequence.target_type != Target.SUPPLIER:
        raise ServiceError(_("Urutan tanpa sasaran khusus tidak punya urutan tampilan."))
    rows = list(
        ReminderSequence.objects.select_for_update()
        .filter(target_type=sequence.target_type, target_id=sequence.target_id)
        .order_by("sort_order", "id")
        .values_list("pk", flat=True)
    )
    index = rows.index(sequence.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rows):
        return
    rows[index], rows[other] = rows[other], rows[index]
    ReminderSequence.objects.bulk_update(
        [ReminderSequence(pk=pk, sort_order=position) for position, pk in enumerate(rows)], ["sort_order"]
    )
    activity_record(action=Action.SEQUENCES_REORDERED, actor=actor, target=sequence, target_label=sequence.name)


def _clean_ids(ids, *, message) -> list[int]:
    """A list of row ids from JSON (ints or digit strings), else a ServiceError with `message`."""
    if not isinstance(ids, list | tuple) or len(ids) > 1000:
        raise ServiceError(message)
    valid = all((type(pk) is int) or (isinstance(pk, str) and pk.isdigit() and len(pk) < 12) for pk in ids)
    if not valid:
        raise ServiceError(message)
    return [int(pk) for pk in ids]


@transaction.atomic
def sequences_reorder(*, actor, target_type, target_id, sequence_ids, target=None) -> list[int]:
    """Puts a plan's / product's sequences in the given order (the tab's drag and drop; every one of them once).
    Returns the saved order."""
    ids = _clean_ids(sequence_ids, message=_("Urutan reminder tidak valid."))
    rows = list(
        ReminderSequence.objects.select_for_update()
        .filter(target_type=target_type, target_id=target_id)
        .order_by("sort_order", "id")
        .values_list("pk", flat=True)
    )
    if len(ids) != len(rows) or set(ids) != set(rows):
        raise ServiceError(_("Urutan reminder tidak cocok; muat ulang halaman."))
    ReminderSequence.objects.bulk_update(
        [ReminderSequence(pk=pk, sort_order=position) for position, pk in enumerate(ids)], ["sort_order"]
    )
    if ids != rows:
        activity_record(
            action=Action.SEQUENCES_REORDERED,
            actor=actor,
            target=target,
            target_label=str(target or f"{target_type}:{target_id}")[:200],
            data={"target_type": target_type, "target_id": target_id, "order": ids},
        )
    return ids


STEP_CHANNELS = (IN_APP, *Channel.values)


def _clean_step_channels(channels) -> list[str]:
    if not isinstance(channels, list | tuple):
        raise ServiceError(_("Saluran tidak valid."))
    result = []
    for channel in channels:
        if channel not in STEP_CHANNELS:
            raise ServiceError(_("Saluran tidak dikenal."))
        if channel not in result:
            result.append(channel)
    return result


def clean_step_content(content) -> dict:
    """{channel: {field: text}} within the per-channel limits; unknown channels or fields are refused."""
    if content in (None, ""):
        return {}
    if not isinstance(content, dict) or len(content) > len(CONTENT_LIMITS):
        raise ServiceError(_("Isi per saluran tidak valid."))
    result = {}
    for channel, fields in content.items():
        limits = CONTENT_LIMITS.get(channel)
        if limits is None or not isinstance(fields, dict) or len(fields) > len(limits):
            raise ServiceError(_("Isi per saluran tidak valid."))
        cleaned = {}
        for key, value in fields.items():
            if key not in limits or not isinstance(value, str | type(None)):
                raise ServiceError(_("Isi per saluran tidak valid."))
            text = _clean_text(value, label=f"{channel}.{key}", max_length=limits[key], required=False)
            if key == "body_html":
                text = email_html_clean(text)
            if text:
                cleaned[key] = text
        if cleaned.get("body_html"):  # the plain text of the rich email: its text alternative and previews
            cleaned["body"] = email_html_text(cleaned["body_html"])[:4000]
        for key in ("cta_link", "link"):
            link = cleaned.get(key, "")
            if link and "{" not in link and tracking.safe_target(link) != link:
                raise ServiceError(_("Tautan harus diawali / atau https://."))
        if cleaned.get("display", "") not in IN_APP_DISPLAYS:
            raise ServiceError(_("Tampilan in-app harus popup atau senyap."))
        for key in ("icon_url", "deep_link"):
            link = cleaned.get(key, "")
            # checked as it will be sent (a shortcode filled with the sample values): https or the app's own path
            if link and not push_link_ok(render_text(link, SAMPLE)):
                raise ServiceError(
                    _("Ikon dan deep link push harus berupa alamat https:// atau jalur aplikasi yang diawali /.")
                )
        if cleaned:
            result[channel] = cleaned
    return result


def email_html_clean(html: str) -> str:
    """The rich-text email body as stored: nh3 with the catalog editor's allow-list (paragraphs, bold, italic,
    underline, strike, headings, lists, quotes, links; no scripts, styles, images or event handlers). A link may
    be a shortcode (`href="{renewal_link}"`), filled and sanitised again when sent."""
    return sanitize_html(html)


def email_html_text(html: str) -> str:
    """The plain text of the rich email, one line per block."""
    return post_plain_text(html)


def _refuse_unknown_shortcodes(*texts) -> None:
    """A `{code}` the builder does not know would be sent as nothing: refused with the codes named."""
    unknown = sorted({code for text in texts for code in engine.unknown_shortcodes(text)})
    if unknown:
        raise ServiceError(
            _("Kode %(codes)s tidak dikenal. Pakai kode dari daftar di tab Konten.") % {"codes": ", ".join(unknown)}
        )


def _clean_days_of_week(days, avoid_weekends) -> list[int]:
    if days in (None, ""):
        days = []
    if not isinstance(days, list | tuple) or len(days) > 7:
        raise ServiceError(_("Hari pengiriman tidak valid."))
    try:
        days = sorted({int(d) for d in days})
    except (TypeError, ValueError):
        raise ServiceError(_("Hari pengiriman tidak valid.")) from None
    if any(not 0 <= d <= 6 for d in days):
        raise ServiceError(_("Hari pengiriman tidak valid."))
    if days and avoid_weekends and set(days) <= {5, 6}:
        raise ServiceError(_("Hanya Sabtu/Minggu yang dipilih padahal akhir pekan dihindari: tidak ada hari kirim."))
    return days


@transaction.atomic
def step_save(
    *,
    actor,
    sequence,
    step=None,
    delay_hours=None,
    channels,
    subject,
    body,
    delay_amount=None,
    delay_unit=DelayUnit.HOURS,
    preferred_time=None,
    days_of_week=None,
    avoid_weekends=False,
    content=None,
    sort_order=None,
) -> ReminderStep:
    """Saves a step. The delay is `delay_amount` × `delay_unit` (hours, days, weeks), or `delay_hours` as before."""
    if delay_unit not in DelayUnit.values:
        raise ServiceError(_("Satuan jeda tidak dikenal."))
    if delay_amount is None:
        delay_amount, delay_unit = delay_hours, DelayUnit.HOURS
    try:
        delay_amount = int(delay_amount)
    except (TypeError, ValueError):
        raise ServiceError(_("Jeda harus berupa angka.")) from None
    delay_hours = delay_amount * DELAY_UNIT_HOURS[delay_unit] if delay_amount >= 0 else -1
    if not 0 <= delay_hours <= 24 * 365:
        raise ServiceError(_("Jeda harus antara 0 jam dan 365 hari."))
    channels = _clean_step_channels(channels)
    subject = _clean_text(subject, label=_("Judul"), max_length=200)
    body = _clean_text(body, label=_("Isi pesan"), max_length=4000)
    if preferred_time is not None and not isinstance(preferred_time, time):
        raise ServiceError(_("Jam kirim tidak valid."))
    days_of_week = _clean_days_of_week(days_of_week, avoid_weekends)
    content = clean_step_content(content)
    _refuse_unknown_shortcodes(subject, body, *(v for fields in content.values() for v in fields.values()))
    if step is None:
        if sequence.steps.count() >= settings.REMINDERS_MAX_STEPS:
            raise ServiceError(_("Satu urutan paling banyak %(n)s langkah.") % {"n": settings.REMINDERS_MAX_STEPS})
        step = ReminderStep(sequence=sequence)
        if sort_order is None:
            sort_order = sequence.steps.count()
    step.delay_hours, step.channels, step.subject, step.body = delay_hours, channels, subject, body
    step.delay_amount, step.delay_unit = delay_amount, delay_unit
    step.preferred_time, step.days_of_week, step.avoid_weekends = preferred_time, days_of_week, bool(avoid_weekends)
    step.content = content
    if sort_order is not None:
        step.sort_order = max(0, min(int(sort_order), 1000))
    step.save()
    activity_record(action=Action.STEP_SAVED, actor=actor, target=sequence, target_label=sequence.name)
    return step


@transaction.atomic
def steps_reorder(*, actor, sequence, step_ids) -> None:
    """Puts the sequence's steps in the given order (every step once)."""
    sequence = ReminderSequence.objects.select_for_update().get(pk=sequence.pk)
    current = set(sequence.steps.values_list("pk", flat=True))
    ids = _clean_ids(step_ids, message=_("Urutan langkah tidak valid."))
    if len(ids) != len(current) or set(ids) != current:
        raise ServiceError(_("Urutan langkah tidak cocok; muat ulang halaman."))
    for index, pk in enumerate(ids):
        ReminderStep.objects.filter(pk=pk).update(sort_order=index)
    activity_record(action=Action.STEPS_REORDERED, actor=actor, target=sequence, target_label=sequence.name)


def _step_copy(step, sequence, *, sort_order=0) -> ReminderStep:
    """An unsaved copy of a step in `sequence`."""
    return ReminderStep(
        sequence=sequence,
        delay_hours=step.delay_hours,
        channels=list(step.channels),
        subject=step.subject,
        body=step.body,
        delay_amount=step.delay_amount,
        delay_unit=step.delay_unit,
        sort_order=sort_order,
        preferred_time=step.preferred_time,
        days_of_week=list(step.days_of_week or []),
        avoid_weekends=step.avoid_weekends,
        content=dict(step.content or {}),
    )


@transaction.atomic
def step_duplicate(*, actor, step) -> ReminderStep:
    """A copy of a step placed right after it (the later steps move one place down); the sequence's step limit
    holds."""
    sequence = ReminderSequence.objects.select_for_update().get(pk=step.sequence_id)
    steps = list(sequence.steps.order_by("sort_order", "delay_hours", "id"))
    if len(steps) >= settings.REMINDERS_MAX_STEPS:
        raise ServiceError(_("Satu urutan paling banyak %(n)s langkah.") % {"n": settings.REMINDERS_MAX_STEPS})
    copy = _step_copy(step, sequence)
    index = next(i for i, s in enumerate(steps) if s.pk == step.pk)
    ordered = [*steps[: index + 1], copy, *steps[index + 1 :]]
    copy.sort_order = index + 1
    copy.save()
    for position, row in enumerate(ordered):
        row.sort_order = position
    ReminderStep.objects.bulk_update([r for r in ordered if r.pk != copy.pk], ["sort_order"])
    activity_record(
        action=Action.STEP_DUPLICATED,
        actor=actor,
        target=sequence,
        target_label=sequence.name,
        data={"from": step.pk, "step": copy.pk},
    )
    return copy


@transaction.atomic
def step_delete(*, actor, step) -> None:
    sequence = step.sequence
    step.delete()
    activity_record(action=Action.STEP_DELETED, actor=actor, target=sequence, target_label=sequence.name)


@transaction.atomic
def sequence_duplicate(*, actor, sequence) -> ReminderSequence:
    """A copy of a sequence with all its steps, switched off (so nothing goes out until an admin reviews it)."""
    copy = ReminderSequence.objects.create(
        name=(_("%(name)s (salinan)") % {"name": sequence.name})[:120],
        trigger=sequence.trigger,
        days=sequence.days,
        stop_on=sequence.stop_on,
        quiet_start=sequence.quiet_start,
        quiet_end=sequence.quiet_end,
        is_active=False,
        target_type=sequence.target_type,
        target_id=sequence.target_id,
        specific_at=sequence.specific_at,
        conditions=list(sequence.conditions or []),
        kind=sequence.kind,
    )
    ReminderStep.objects.bulk_create([_step_copy(s, copy, sort_order=s.sort_order) for s in sequence.steps.all()])
    activity_record(
        action=Action.SEQUENCE_DUPLICATED,
        actor=actor,
        target=copy,
        target_label=copy.name,
        data={"from": sequence.pk},
    )
    return copy


def step_messages(step, context: dict, *, links: dict | None = None, send_id: int | None = None) -> dict:
    """What each channel of a step says, shortcodes filled: {"in_app": {title, body, link}, "email": {subject, body,
    cta_text, link}, "whatsapp": {text}, "push": {title, body}}. `links` (channel → URL) replaces the links (the
    signed click redirects); without it the links are the real ones (previews). `send_id`: every http(s) link
    written in the email's body (HTML and plain text) goes through the signed redirect of that send too."""
    content = step.content or {}
    fill = lambda text: render_text(text, context)  # noqa: E731
    subject, body = fill(step.subject), fill(step.body)
    links = links or {}
    base_link = context.get("_link") or "/dashboard"
    result = {}
    app = content.get(IN_APP, {})
    result[IN_APP] = {
        "title": fill(app.get("title")) or subject,
        "body": fill(app.get("body")) or body,
        "link": links.get(IN_APP) or fill(app.get("link")) or base_link,
        "display": app.get("display", ""),
    }
    email = content.get(Channel.EMAIL, {})
    cta_link = fill(email.get("cta_link")) or base_link
    body_html = email_html_clean(engine.render_html(email.get("body_html"), context)) if email.get("body_html") else ""
    email_body = fill(email.get("body")) or body
    if send_id is not None:
        body_html, email_body = tracking.tracked_html(body_html, send_id), tracking.tracked_text(email_body, send_id)
    result[Channel.EMAIL] = {
        "subject": fill(email.get("subject")) or subject,
        "body": email_body,
        "body_html": body_html,
        "cta_text": fill(email.get("cta_text")) or _("Buka"),
        "link": links.get(Channel.EMAIL) or cta_link,
    }
    wa = content.get(Channel.WHATSAPP, {})
    wa_link = links.get(Channel.WHATSAPP) or ""
    wa_text = fill(wa.get("text")) or f"*{subject}*\n\n{body}"
    if wa_link:
        wa_text = f"{wa_text}\n\n{wa_link}"
    result[Channel.WHATSAPP] = {"text": wa_text[: 1024 + 600]}
    push = content.get(Channel.PUSH, {})
    result[Channel.PUSH] = {
        "title": (fill(push.get("title")) or subject)[:65],
        "body": (fill(push.get("body")) or body)[:240],
        "link": links.get(Channel.PUSH) or base_link,
        # a value that is not https or the app's own path once filled (an empty shortcode) is left out
        "icon_url": push_link_clean(fill(push.get("icon_url"))),
        "deep_link": push_link_clean(fill(push.get("deep_link"))),
    }
    return result


def _step_link(step, context: dict) -> str:
    """Where a send's signed click redirect leads: the email's button link, else the trigger's own link (what
    `step_messages` gives the email without tracked links, without rendering the rest)."""
    email = (step.content or {}).get(Channel.EMAIL, {})
    return render_text(email.get("cta_link"), context) or context.get("_link") or "/dashboard"


def step_preview(step) -> dict:
    """`step_messages` with the sample values, plus `unknown`: the `{codes}` the builder does not know (the preview
    warns; saving refuses them)."""
    content = step.content or {}
    texts = [step.subject, step.body, *(v for fields in content.values() for v in (fields or {}).values())]
    messages = step_messages(step, SAMPLE)
    messages["unknown"] = sorted({code for text in texts for code in engine.unknown_shortcodes(text)})
    return messages


def _step_text(user, messages, *, data=None, title_prefix="") -> TextMessage:
    """One member's `TextMessage` of a step: the in-app notification's texts and each channel's own."""
    email, wa, push, app = messages[Channel.EMAIL], messages[Channel.WHATSAPP], messages[Channel.PUSH], messages[IN_APP]
    contents = {
        Channel.EMAIL: (
            title_prefix + email["subject"],
            email["body"],
            email["link"],
            email["cta_text"],
            email["body_html"],
        ),
        Channel.WHATSAPP: (title_prefix + email["subject"], title_prefix + wa["text"]),
        Channel.PUSH: (
            (title_prefix + push["title"])[:65],
            push["body"],
            push["link"],
            {"icon_url": push["icon_url"], "deep_link": push["deep_link"]},
        ),
    }
    return TextMessage(
        user=user,
        title=(title_prefix + app["title"])[:200],
        message=app["body"],
        link=app["link"],
        data=data,
        extra_contents=contents,
    )


def _notify_step(*, user, step, context, links=None, data=None, title_prefix="", marketing=False):
    """Sends a step's messages through notifications (the in-app notification plus one delivery per chosen channel
    the user has not switched off). `marketing`: the email gets the signed unsubscribe link (footer and
    List-Unsubscribe header) and is skipped for an address on the suppression list. Returns (status, notification)."""
    send_id = (data or {}).get("reminder_send")
    messages = step_messages(step, context, links=links, send_id=send_id if isinstance(send_id, int) else None)
    external = [c for c in step.channels if c in Channel.values]
    enabled = [c for c in external if user.channel_enabled(GROUP, c)]
    if external and not enabled and IN_APP not in step.channels:
        return SendStatus.SKIPPED, None
    display = messages[IN_APP]["display"]
    notification = notify_texts(
        kind=GROUP,
        texts=[_step_text(user, messages, data=data, title_prefix=title_prefix)],
        channels=enabled,
        template_key=tracking.TEMPLATE_KEY if data else "",
        marketing=marketing,
        # in-app off: no notification for the member (the row stays hidden as the record); silent: no toast
        in_app="none" if IN_APP not in step.channels else ("silent" if display == "silent" else ""),
        popup=IN_APP in step.channels and display == "popup",
    )[0]
    return (SendStatus.SENT if notification else SendStatus.SKIPPED), notification  # None: the role rules


def step_test_send(*, actor, step):
    """Sends one step to the admin themselves, on its channels, each channel with its own text, filled with their
    own name and email and the sample values for the rest. Not counted in the sequence's log or statistics."""
    if not actor.is_admin:
        raise ServiceError(_("Hanya admin yang dapat mengirim uji coba."))
    context = {**SAMPLE, "name": actor.full_name, "email": actor.email}
    _status, notification = _notify_step(
        user=actor,
        step=step,
        context=context,
        title_prefix=_("[Uji coba] "),
        marketing=step.sequence.kind == SequenceKind.MARKETING,
    )
    activity_record(
        action=Action.STEP_TESTED,
        actor=actor,
        target=step.sequence,
        target_label=step.sequence.name,
        data={"step": step.pk},
    )
    return notification


def sequence_log(*, sequence, status: str = ""):
    """Every send of a sequence, newest first, with its user, step and the notification's deliveries (for a bounded
    number of queries per page: prefetch the deliveries)."""
    qs = (
        ReminderSend.objects.filter(step__sequence=sequence)
        .select_related("user", "step", "notification")
        .prefetch_related("notification__deliveries")
        .order_by("-created_at", "-id")
    )
    if status in SendStatus.values:
        qs = qs.filter(status=status)
    return qs


def in_quiet_hours(sequence, now: datetime) -> bool:
    if sequence.quiet_start is None or sequence.quiet_end is None:
        return False
    local = timezone.localtime(now).time()
    start, end = sequence.quiet_start, sequence.quiet_end
    if start <= end:
        return start <= local < end
    return local >= start or local < end  # over midnight, e.g. 21:00–08:00


Candidate = engine.Candidate


def trigger_source(trigger):
    """The source of a builder trigger: the engine's own (plans, products, courses, events, digests) or a supplier
    trigger (supplier_triggers.py); None for the first triggers (membership_started, …)."""
    return engine.BUILDER_SOURCES.get(trigger) or supplier_triggers.SOURCES.get(trigger)


def _fmt_date(value) -> str:
    return timezone.localtime(value).strftime("%d-%m-%Y") if value else ""


def _candidates(sequence, *, now, window_start) -> Iterator[Candidate]:
    """The trigger objects whose moment (anchor) lies between `window_start` and `now`, without those the stop
    condition ends. Yields every one (read in chunks); the sweep stops after `REMINDERS_MAX_PER_RUN` to send."""
    trigger = sequence.trigger
    if trigger in (Trigger.MEMBERSHIP_STARTED, Trigger.MEMBERSHIP_EXPIRING, Trigger.MEMBERSHIP_EXPIRED):
        qs = UserMembership.objects.select_related("user", "plan")
        if trigger == Trigger.MEMBERSHIP_STARTED:
            qs = qs.filter(status=MembershipStatus.ACTIVE, starts_at__gte=window_start, starts_at__lte=now)
        elif trigger == Trigger.MEMBERSHIP_EXPIRING:
            shift = timedelta(days=sequence.days)
            qs = qs.filter(status=MembershipStatus.ACTIVE, ends_at__gt=now, ends_at__lte=now + shift)
            qs = qs.filter(ends_at__gte=window_start + shift)
        else:
            qs = qs.filter(status=MembershipStatus.EXPIRED, ends_at__gte=window_start, ends_at__lte=now)
            if sequence.stop_on == StopOn.RENEWED:
                active = UserMembership.objects.filter(user_id=OuterRef("user_id"), status=MembershipStatus.ACTIVE)
                qs = qs.exclude(Exists(active))
        for m in qs.order_by("id").iterator(chunk_size=engine.SCAN_CHUNK):
            if trigger == Trigger.MEMBERSHIP_STARTED:
                anchor = m.starts_at
            elif trigger == Trigger.MEMBERSHIP_EXPIRING:
                anchor = m.ends_at - timedelta(days=sequence.days)
            else:
                anchor = m.ends_at
            days_left = max(0, (m.ends_at - now).days + (1 if (m.ends_at - now).seconds else 0)) if m.ends_at else ""
            yield Candidate(
                user=m.user,
                object_key=f"m:{m.pk}:{m.ends_at.isoformat() if m.ends_at else '-'}",
                anchor=anchor,
                context={
                    "plan": m.plan.title,
                    "ends_at": _fmt_date(m.ends_at),
                    "expiry_date": engine.fmt_date(m.ends_at),
                    "days_left": days_left,
                },
                link="/dashboard",
                membership_id=m.pk,
                plan_id=m.plan_id,
            )
    else:
        qs = Order.objects.select_related("buyer")
        if trigger == Trigger.ORDER_PENDING:
            qs = qs.filter(status=OrderStatus.PENDING, created_at__gte=window_start, created_at__lte=now)
        else:
            qs = qs.filter(status=OrderStatus.PAID, paid_at__gte=window_start, paid_at__lte=now)
        for o in qs.order_by("id").iterator(chunk_size=engine.SCAN_CHUNK):
            anchor = o.created_at if trigger == Trigger.ORDER_PENDING else o.paid_at
            yield Candidate(
                user=o.buyer,
                object_key=f"o:{o.pk}",
                anchor=anchor,
                context={
                    **engine.order_context(o),
                    # an unpaid order's payment link is its payment page
                    **({"payment_link": engine.url("orders:invoice_pay", o.invoice_number)} if not o.paid_at else {}),
                },
                link="/dashboard",
                order_id=o.pk,
            )


def _legacy_stopped(sequence, candidates) -> set[int]:
    """The first triggers' stop conditions, read again just before a batch is sent (the objects may have changed
    since the query): the indexes of `candidates` that no longer apply, in at most one query for the batch."""
    done: set[int] = set()
    keys = [c.object_key.split(":") for c in candidates]
    if sequence.stop_on == StopOn.PAID:
        ids = {int(k[1]) for k in keys if k[0] == "o" and k[1].isdigit()}
        pending = set(Order.objects.filter(pk__in=ids, status=OrderStatus.PENDING).values_list("pk", flat=True))
        return {i for i, k in enumerate(keys) if k[0] == "o" and (not k[1].isdigit() or int(k[1]) not in pending)}
    if sequence.stop_on != StopOn.RENEWED:
        return done
    members = [i for i, k in enumerate(keys) if k[0] == "m"]
    if not members:
        return done
    if sequence.trigger == Trigger.MEMBERSHIP_EXPIRED:
        active = set(
            UserMembership.objects.filter(
                user_id__in={candidates[i].user.pk for i in members}, status=MembershipStatus.ACTIVE
            ).values_list("user_id", flat=True)
        )
        return {i for i in members if candidates[i].user.pk in active}
    ids = {int(keys[i][1]) for i in members if keys[i][1].isdigit()}
    current = {
        pk: (status, ends_at)
        for pk, status, ends_at in UserMembership.objects.filter(pk__in=ids).values_list("pk", "status", "ends_at")
    }
    for i in members:
        ends = candidates[i].object_key.split(":", 2)[2]
        status, ends_at = current.get(int(keys[i][1]) if keys[i][1].isdigit() else 0, ("", None))
        if not (status == MembershipStatus.ACTIVE and ends_at and ends_at.isoformat() == ends):
            done.add(i)
    return done


def _source_of(sequence):
    """The source of a sequence's trigger: its realm's (realms.py) for a realm's sequence, else `trigger_source`."""
    if sequence.realm:
        realm = realms.realm_of(sequence)
        return realm.sources.get(sequence.trigger) if realm is not None else None
    return trigger_source(sequence.trigger)


def _candidates_for(sequence, steps, *, now, catch_up, floor) -> Iterator[Candidate]:
    source = _source_of(sequence)
    if source is None and sequence.realm:
        return iter(())  # a realm's trigger its app no longer registers
    if source is None:  # the first triggers (membership_started, membership_expiring, …)
        max_delay = max(engine.step_delay(s) for s in steps)
        return _candidates(sequence, now=now, window_start=now - max_delay - catch_up)
    before = sequence.trigger in BEFORE_TRIGGERS
    ranges = engine.anchor_ranges(steps, lo=floor, hi=now, before=before)
    return chain.from_iterable(source(sequence, now=now, lo=lo, hi=hi) for lo, hi in ranges)


# --- the sweep's watermark ----------------------------------------------------------------------------------------
# Each sequence remembers (in the cache) up to when its slots were handled, so a run reads only the trigger moments
# whose slots fell due since then (`engine.anchor_ranges`: index ranges of a minute or so), not the whole catch-up
# window again. The last SWEEP_LAG is read again (a row committed just after a run is not missed); without a
# watermark (the first run, a cleared cache, an edited sequence or step, a clock set back) the run reads the whole
# catch-up window as before, and the log (`ReminderSend`, unique) keeps every send once either way.
SWEEP_LAG = timedelta(minutes=10)


def _watermark_key(sequence, steps) -> str:
    shape = [
        (s.pk, s.delay_hours, s.delay_minutes, str(s.preferred_time), tuple(s.days_of_week or ()), s.avoid_weekends)
        for s in steps
    ]
    digest = hashlib.sha256(repr((sequence.updated_at, sequence.active_from, shape)).encode()).hexdigest()[:16]
    return f"reminders:swept:{sequence.pk}:{digest}"


def _slot_floor(key: str, *, now, catch_up) -> datetime:
    """Slots after this moment (and at most `now`) are due in this run."""
    floor = now - catch_up
    mark = cache.get(key)
    if isinstance(mark, datetime) and mark <= now:
        floor = max(floor, mark - SWEEP_LAG)
    return floor


def _watermark_set(key: str, *, now, catch_up) -> None:
    mark = cache.get(key)
    if not isinstance(mark, datetime) or mark <= now:
        cache.set(key, now, int(catch_up.total_seconds()) + 3600)


def _stops(sequence, candidates) -> set[int]:
    """The indexes of `candidates` whose stop action is done (a batch at once)."""
    if sequence.realm:
        realm = realms.realm_of(sequence)
        return realm.stops(sequence, candidates) if realm is not None and realm.stops and candidates else set()
    if sequence.stop_on == StopOn.UPGRADED:
        return supplier_triggers.upgraded_indexes(candidates)
    if sequence.stop_on == StopOn.REPLIED:
        return supplier_triggers.replied_indexes(candidates)
    if trigger_source(sequence.trigger) is not None:
        return engine.stops_done(sequence, candidates)
    return _legacy_stopped(sequence, candidates)


def _due_work(sequence, steps, *, now, catch_up, before, floor=None) -> list:
    """(candidate, [(step, slot), …]) for at most `REMINDERS_MAX_PER_RUN` objects that have a step due now and not
    logged yet, without those whose stop action is done. The window is read in chunks and, per chunk, the log and
    the stop actions are read for all of it at once (a few queries), so an object whose due steps are all logged
    does not take a place: each run goes on past the ones sent before instead of picking the same first N again."""
    limit = settings.REMINDERS_MAX_PER_RUN
    floor = now - catch_up if floor is None else floor
    owner = realms.realm_of(sequence)
    chained = owner is not None and owner.chained
    candidates = iter(_candidates_for(sequence, steps, now=now, catch_up=catch_up, floor=floor))
    work = []
    while len(work) < limit:
        chunk = list(islice(candidates, engine.SCAN_CHUNK))
        if not chunk:
            break
        done = set(
            ReminderSend.objects.filter(step__in=steps, object_key__in={c.object_key for c in chunk}).values_list(
                "step_id", "user_id", "object_key"
            )
        )
        pending = []
        for candidate in chunk:
            due = []
            for step in steps:
                slot = engine.step_slot(step, candidate.anchor, before=before)
                if not (floor < slot <= now):
                    continue  # not due, or due before the watermark (handled by an earlier run)
                if sequence.active_from and min(slot, candidate.anchor) < sequence.active_from:
                    continue  # the old engine handled this moment (a migrated default sequence)
                if (step.pk, candidate.user_id, candidate.object_key) in done:
                    continue
                due.append((step, slot))
            if due:
                pending.append((candidate, due[:1] if chained else due))
        # stop on action: the member renewed / paid / completed the course (read for the chunk at once)
        stopped = _stops(sequence, [candidate for candidate, _due in pending])
        for i, item in enumerate(pending):
            if i in stopped:
                continue
            work.append(item)
            if len(work) >= limit:
                break
    return work


def _night(moment) -> bool:
    """Whether a moment is in the WhatsApp night (`REMINDERS_WHATSAPP_NIGHT_FROM` to `…_MORNING`, WIB)."""
    hour, start, morning = (
        timezone.localtime(moment).hour,
        settings.REMINDERS_WHATSAPP_NIGHT_FROM,
        settings.REMINDERS_WHATSAPP_MORNING,
    )
    return (hour >= start or hour < morning) if start > morning else start <= hour < morning


def _paced(step, user) -> list[str]:
    """The rate-limited channels (WhatsApp, push) one send of `step` reaches the member on."""
    return [
        c
        for c in throttle.PACED_CHANNELS
        if c in step.channels and user.channel_enabled(GROUP, c) and (c != Channel.WHATSAPP or user.whatsapp)
    ]


class _Pace:
    """The sweep's share of each provider's rate (`throttle.reserve`) for one run: a batch asks for what its sends
    need; a send its provider has no budget left for this minute waits for the next sweep (not logged, still due),
    and so does a WhatsApp send due in the day that the pace would push into the night (the 08:00 WIB rule)."""

    def __init__(self, now):
        self.now = now
        self.exhausted: set[str] = set()
        self.held = 0  # sends held back this run

    def admit(self, items, needs) -> tuple[list, dict[str, int]]:
        """The items that may go now (in order) and the budget taken per channel."""
        night = _night(self.now)
        wanted: dict[str, int] = {}
        candidates = []
        for item, need in zip(items, needs, strict=True):
            if Channel.WHATSAPP in need and night and not _night(item[2]):
                self.held += 1  # due in the day, paced into the night: from the morning on
                continue
            if any(c in self.exhausted for c in need):
                self.held += 1
                continue
            candidates.append((item, need))
            for c in need:
                wanted[c] = wanted.get(c, 0) + 1
        granted = throttle.reserve(wanted, self.now) if wanted else {}
        left = dict(granted)
        admitted = []
        for item, need in candidates:
            if any(left.get(c) is not None and left[c] <= 0 for c in need):
                self.held += 1
                for c in need:
                    if left.get(c) is not None and left[c] <= 0:
                        self.exhausted.add(c)
                continue
            for c in need:
                if left.get(c) is not None:
                    left[c] -= 1
            admitted.append(item)
        taken = {c: granted[c] - left[c] for c in granted if granted[c] is not None}
        unused = {c: left[c] for c in granted if granted[c] is not None and left[c] > 0}
        if unused:
            throttle.refund(unused, self.now)
        return admitted, taken


def reminders_send_due(*, now=None, realm: str | None = None) -> int:
    """Sends every due step of every active sequence. A step is due at its slot (trigger moment ± delay, then the
    preferred time and the allowed days, see `engine.step_slot`) and stays due for `REMINDERS_CATCH_UP_HOURS` (a new
    sequence does not message the whole history; quiet hours and the providers' pace hold a step back within that
    window). Sends go out in batches of `REMINDERS_SEND_BATCH_SIZE` per step (`_send_batch`: a fixed number of
    queries per batch). Exactly once per member, step and trigger moment: the `ReminderSend` rows (unique) are
    inserted first, in the same transaction as the sends; a second sweep running at the same time waits on those
    rows and then leaves them out. A realm's sequence (realms.py: booster's lead follow-ups) goes the same way with
    the realm's sources, stop rule, quiet hours, catch-up and sender; `realm` limits the run to one realm ("" the
    platform's). Returns how many sent."""
    now = now or timezone.now()
    catch_up = timedelta(hours=settings.REMINDERS_CATCH_UP_HOURS)
    sent = 0
    memo: dict = {}  # what each plan, product, course and event gives the shortcodes, read once per run
    general = engine.general_links()
    pace = _Pace(now)
    size = max(settings.REMINDERS_SEND_BATCH_SIZE, 1)
    sequences = ReminderSequence.objects.filter(is_active=True)
    if realm is not None:
        sequences = sequences.filter(realm=realm)
    for sequence in sequences.prefetch_related("steps"):
        owner = realms.realm_of(sequence)
        if sequence.realm and owner is None:
            continue  # a realm whose app is not installed
        if in_quiet_hours(owner.quiet_hours() if owner and owner.quiet_hours else sequence, now):
            continue  # the step stays due and goes out after the quiet hours (within the catch-up window)
        steps = list(sequence.steps.all())
        if not steps:
            continue
        held_for = owner.catch_up() if owner and owner.catch_up else catch_up
        before = sequence.trigger in BEFORE_TRIGGERS
        key = _watermark_key(sequence, steps)
        floor = _slot_floor(key, now=now, catch_up=held_for)
        work = _due_work(sequence, steps, now=now, catch_up=held_for, before=before, floor=floor)
        held = pace.held
        for step in steps:
            items = [(candidate, step, slot) for candidate, due in work for s, slot in due if s is step]
            for batch in _batches(items, size):
                if owner is not None:
                    sent += _realm_batch(owner, sequence=sequence, step=step, items=batch, now=now, pace=pace)
                    continue
                sent += _send_batch(
                    sequence=sequence, step=step, items=batch, now=now, memo=memo, general=general, pace=pace
                )
        if len(work) < settings.REMINDERS_MAX_PER_RUN and pace.held == held:
            _watermark_set(key, now=now, catch_up=held_for)  # everything due up to now was handled
    return sent


def _realm_batch(owner, *, sequence, step, items, now, pace) -> int:
    """One batch of a realm's sequence: the realm's sender sends it, inserting the log rows first through
    `log_insert` (the same unique rows and insert as the engine's own batches: exactly once under two sweeps); what
    it holds back (its own limits: credits, a daily cap) stays due and keeps the watermark where it is."""

    def log_insert(batch, status=SendStatus.SENDING) -> list[ReminderSend]:
        rows = []
        for candidate, _step, slot in batch:
            row = ReminderSend(
                step=step,
                user=candidate.user,
                object_key=candidate.object_key,
                scheduled_at=slot,
                link=str(candidate.link or "")[:500],
                status=status,
            )
            row.candidate = candidate
            rows.append(row)
        return _log_rows_insert(rows)

    sent, held = owner.send_batch(sequence=sequence, step=step, items=items, now=now, log_insert=log_insert)
    pace.held += held
    return sent


def _log_rows_insert(rows: list[ReminderSend]) -> list[ReminderSend]:
    """Inserts a batch's log rows in one statement and returns those inserted. A row another sweep inserted
    meanwhile makes the insert wait for that sweep's commit and fail: the rows now logged are left out and the
    rest inserted again (rows sorted the same way in every sweep, so two sweeps never wait on each other)."""
    rows = sorted(rows, key=lambda r: (r.step_id, r.user_id or 0, r.object_key))
    for _attempt in range(3):
        if not rows:
            return []
        try:
            with transaction.atomic():
                return ReminderSend.objects.bulk_create(rows)
        except IntegrityError:
            taken = set(
                ReminderSend.objects.filter(
                    step_id__in={r.step_id for r in rows}, object_key__in={r.object_key for r in rows}
                ).values_list("step_id", "user_id", "object_key")
            )
            rows = [r for r in rows if (r.step_id, r.user_id, r.object_key) not in taken]
    created = []
    for row in rows:  # still racing: one at a time
        try:
            with transaction.atomic():
                row.save(force_insert=True)
            created.append(row)
        except IntegrityError:
            pass
    return created


def _send_batch(*, sequence, step, items, now, memo, general, pace) -> int:
    """Sends one step to a batch of members (`items`: (candidate, step, slot)) in a fixed number of queries
    whatever its size: the conditions for all of them (`engine.conditions_failing`), the suppression list once
    (marketing), the providers' budget (`pace`), then in one transaction the log rows (one insert, the unique row
    is the guard), the notifications and deliveries (`notify_texts`: one insert each) and one update linking each
    row to its notification. A batch that fails as a whole is sent again one by one (`_send_step`), so one broken
    member is logged `failed` alone. Returns how many sent."""
    candidates = [candidate for candidate, _step, _slot in items]
    failing = engine.conditions_failing(sequence, candidates, now=now) if sequence.conditions else set()
    marketing = sequence.kind == SequenceKind.MARKETING
    suppressed = set()
    if marketing:
        emails = [(c.user.email or "").strip().lower() for c in candidates]
        suppressed = suppressed_emails(emails=[e for e in emails if e])
    logged, to_send = [], []
    for i, item in enumerate(items):
        user = item[0].user
        if i in failing:
            logged.append((item, SendStatus.CONDITION))  # checked just before sending; logged, never sent later
        elif marketing and (user.email or "").strip().lower() in suppressed:
            logged.append((item, SendStatus.UNSUBSCRIBED))  # no marketing reminder at all, on any channel
        else:
            to_send.append(item)
    needs = [_paced(step, item[0].user) for item in to_send]
    admitted, taken = pace.admit(to_send, needs)
    batch = [(item, SendStatus.SENT) for item in admitted] + logged
    if not batch:
        return 0
    try:
        with transaction.atomic():
            sent, used = _batch_write(sequence=sequence, step=step, batch=batch, now=now, memo=memo, general=general)
    except Exception:  # the batch is retried one by one, each failure logged on its own row
        sent, used = 0, {}
        for (candidate, step_, slot), status in batch:
            if status == SendStatus.SENT:
                sent += _send_step(
                    sequence=sequence, step=step_, candidate=candidate, slot=slot, now=now, memo=memo, general=general
                )
        return sent
    unused = {c: n - used.get(c, 0) for c, n in taken.items() if n - used.get(c, 0) > 0}
    if unused:
        throttle.refund(unused, now)
    return sent


def _batch_write(*, sequence, step, batch, now, memo, general) -> tuple[int, dict[str, int]]:
    """The writes of `_send_batch` (inside its transaction; a member at most once in `batch`): the log rows with
    their status and link already known (one insert), the messages (`notify_texts`), one update linking each row to
    its member's notification of the batch (no CASE per row). Returns (sent, paced messages per channel)."""
    external = [c for c in step.channels if c in Channel.values]
    display = (step.content or {}).get(IN_APP, {}).get("display", "")
    # a digest's figures for the whole batch: one GROUP BY per figure, none per member
    engine.digest_prefetch([candidate for (candidate, _s, _slot), status in batch if status == SendStatus.SENT], memo)
    rows, contexts = [], {}
    for (candidate, _step, slot), status in batch:
        user, link, context = candidate.user, str(candidate.link or "")[:500], None
        if status == SendStatus.SENT:
            if external and IN_APP not in step.channels and not any(user.channel_enabled(GROUP, c) for c in external):
                status = SendStatus.SKIPPED  # the member switched off every chosen channel
            else:
                context = send_context(candidate, now=now, memo=memo, general=general)
                link = str(_step_link(step, context))[:500]
        row = ReminderSend(
            step=step,
            user=user,
            object_key=candidate.object_key,
            order_id=candidate.order_id,
            scheduled_at=slot,
            link=link,
            status=status,
        )
        rows.append(row)
        contexts[id(row)] = (candidate, context)
    sending = [row for row in _log_rows_insert(rows) if row.status == SendStatus.SENT]
    texts = []
    for row in sending:
        candidate, context = contexts[id(row)]
        context.update(supplier_triggers.promo_context(sequence, step, candidate, row))  # step action
        links = {c: tracking.click_url(row.pk, c) for c in (IN_APP, *external)}
        messages = step_messages(step, context, links=links, send_id=row.pk)
        texts.append(_step_text(candidate.user, messages, data={"reminder_send": row.pk}))
    notifications = notify_texts(
        kind=GROUP,
        texts=texts,
        channels=external,
        template_key=tracking.TEMPLATE_KEY,
        marketing=sequence.kind == SequenceKind.MARKETING,
        # in-app off: no notification for the member (the row stays hidden as the record); silent: no toast
        in_app="none" if IN_APP not in step.channels else ("silent" if display == "silent" else ""),
        popup=IN_APP in step.channels and display == "popup",
    ) if texts else []  # fmt: skip
    sent, used, linked, dropped = 0, {}, [], []
    for row, notification in zip(sending, notifications, strict=True):
        if notification is None:
            dropped.append(row.pk)  # the role rules leave the member out
            continue
        sent += 1
        linked.append(notification.pk)
        for c in _paced(step, contexts[id(row)][0].user):
            used[c] = used.get(c, 0) + 1
    if linked:
        mine = Notification.objects.filter(pk__in=linked, user_id=OuterRef("user_id"))
        ReminderSend.objects.filter(pk__in=[row.pk for row in sending if row.pk not in dropped]).update(
            notification=Subquery(mine.values("pk")[:1])
        )
    if dropped:
        ReminderSend.objects.filter(pk__in=dropped).update(status=SendStatus.SKIPPED)
    return sent, used


def _batches(items: list, size: int) -> Iterator[list]:
    """`items` in batches of at most `size`, each member at most once per batch (a member with two due objects,
    e.g. two orders, gets the second in a later batch): each log row is then linked to its member's notification."""
    pending = items
    while pending:
        batch, later, seen = [], [], set()
        for item in pending:
            user_id = item[0].user_id if item[0].user is not None else item[0].object_key
            if user_id in seen or len(batch) >= size:
                later.append(item)
            else:
                seen.add(user_id)
                batch.append(item)
        yield batch
        pending = later


def send_context(candidate, *, now, memo: dict | None = None, general: dict | None = None) -> dict:
    """Every shortcode of one send: the member's own, the trigger's context, what the send is about (plan, product,
    course, event: `engine.related_context`) and the site links; a code with no value takes its fallback."""
    user = candidate.user
    context = {
        **(general if general is not None else engine.general_links()),
        "name": user.full_name or user.email,
        "email": user.email,
        "phone": getattr(user, "whatsapp", "") or "",
        "_link": candidate.link,
        "_link_abs": engine.absolute_url(candidate.link or ""),
        **engine.related_context(candidate, {} if memo is None else memo, now=now),
    }
    context.update({k: v for k, v in candidate.context.items() if v not in (None, "")})
    digest = candidate.context.get("_digest")
    if digest:
        since, until, monthly = digest
        context.update(engine.digest_context(user, since, until, monthly=monthly, memo={} if memo is None else memo))
    return engine.with_fallbacks(context)


def unsubscribed(user) -> bool:
    """The member's email is on the suppression list (they unsubscribed from marketing email: broadcasts and
    marketing reminders alike)."""
    email = (user.email or "").strip().lower()
    return bool(email) and bool(suppressed_emails(emails=[email]))


def _send_step(*, sequence, step, candidate, slot, now, memo=None, general=None) -> int:
    """One send on its own (a batch that failed as a whole is sent again this way): a failure is logged on its row."""
    fields = {
        "step": step,
        "user": candidate.user,
        "object_key": candidate.object_key,
        "order_id": candidate.order_id,
        "scheduled_at": slot,
    }
    try:
        with transaction.atomic():
            # Inserted first and held until the send commits: a second sweep at the same time waits on this row
            # and then gets IntegrityError, so the member is messaged once.
            row = ReminderSend.objects.create(**fields, link=str(candidate.link or "")[:500])
            context = send_context(candidate, now=now, memo=memo, general=general)
            if sequence.conditions and not engine.conditions_hold(sequence, candidate, now=now):
                row.status = SendStatus.CONDITION  # checked just before sending; logged, never sent later
                row.save(update_fields=["status"])
                return 0
            marketing = sequence.kind == SequenceKind.MARKETING
            if marketing and unsubscribed(candidate.user):
                row.status = SendStatus.UNSUBSCRIBED  # no marketing reminder at all, on any channel
                row.save(update_fields=["status"])
                return 0
            context.update(supplier_triggers.promo_context(sequence, step, candidate, row))  # step action
            links = {c: tracking.click_url(row.pk, c) for c in (IN_APP, *Channel.values)}
            status, notification = _notify_step(
                user=candidate.user,
                step=step,
                context=context,
                links=links,
                data={"reminder_send": row.pk},
                marketing=marketing,
            )
            row.link = str(_step_link(step, context))[:500]
            row.status, row.notification = status, notification
            row.save(update_fields=["status", "notification", "link"])
    except IntegrityError:
        return 0  # another sweep sent it
    except Exception as exc:  # a broken send is logged on its row and the sweep goes on
        try:
            with transaction.atomic():
                ReminderSend.objects.create(**fields, status=SendStatus.FAILED, error=type(exc).__name__[:300])
        except IntegrityError:
            pass
        return 0
    return 1 if status == SendStatus.SENT else 0


def reminders_conversions_sweep(*, now=None) -> int:
    """Marks a send converted when the member took the sequence's stop action (renewed, paid, completed the course)
    within `REMINDERS_CONVERSION_DAYS` after it. Reads every unconverted send of that window in chunks by id, a few
    queries per chunk (`engine.conversions`), so sends past the first chunk are checked too. Returns how many."""
    now = now or timezone.now()
    since = now - timedelta(days=settings.REMINDERS_CONVERSION_DAYS)
    rows = (
        ReminderSend.objects.filter(status=SendStatus.SENT, converted_at__isnull=True, created_at__gte=since)
        .exclude(step__sequence__stop_on=StopOn.NONE)
        .select_related("step__sequence")
        .order_by("id")
    )
    marked, last = 0, 0
    while True:
        chunk = list(rows.filter(pk__gt=last)[: engine.SCAN_CHUNK])
        if not chunk:
            return marked
        last = chunk[-1].pk
        upgraded = [row for row in chunk if row.step.sequence.stop_on == StopOn.UPGRADED]
        converted = engine.conversions([row for row in chunk if row.step.sequence.stop_on != StopOn.UPGRADED])
        converted |= supplier_triggers.upgraded_users(upgraded) if upgraded else set()
        if converted:
            marked += ReminderSend.objects.filter(pk__in=converted, converted_at__isnull=True).update(converted_at=now)


def delivery_engaged(delivery, *, opened: bool, clicked: bool, at) -> None:
    """A provider reported a delivery of a reminder or a broadcast opened (a WhatsApp read, a push tapped) or
    clicked (notifications' ENGAGEMENT_HOOKS): the send log row behind it counts it, the first time only."""
    if not delivery.notification_id:
        return
    for model in (ReminderSend, BroadcastRecipient):
        rows = model.objects.filter(notification_id=delivery.notification_id)
        if opened:
            rows.filter(opened_at__isnull=True).update(opened_at=at)
        if clicked:
            rows.filter(clicked_at__isnull=True).update(clicked_at=at, clicked_channel=delivery.channel)


def engagement_register() -> None:
    """Notifications sits below reminders: provider-reported opens and clicks reach the send log through its hook."""
    if delivery_engaged not in ENGAGEMENT_HOOKS:
        ENGAGEMENT_HOOKS.append(delivery_engaged)


def _link_clicked(*, url: str, step_id: int | None = None, broadcast_id: int | None = None) -> None:
    """One more click on a body link of a step or a broadcast (the per-link counts of the report)."""
    key = {"step_id": step_id, "broadcast_id": broadcast_id, "url_hash": hashlib.sha256(url.encode()).hexdigest()}
    if LinkClick.objects.filter(**key).update(clicks=F("clicks") + 1):
        return
    try:
        with transaction.atomic():
            LinkClick.objects.create(**key, url=url, clicks=1)
    except IntegrityError:  # another click created it first
        LinkClick.objects.filter(**key).update(clicks=F("clicks") + 1)


def reminder_opened(*, send_id: int, now=None) -> bool:
    """The email open pixel was loaded (first time counts)."""
    return bool(ReminderSend.objects.filter(pk=send_id, opened_at__isnull=True).update(opened_at=now or timezone.now()))


def reminder_clicked(*, send_id: int, channel: str, url: str = "", now=None) -> str | None:
    """A signed click: records the first click (and counts an email click as opened) and returns where it leads:
    `url` (a link of the email's body, carried in the signed token) when given, else the send's stored link."""
    row = (
        ReminderSend.objects.filter(pk=send_id)
        .only("pk", "link", "clicked_at", "opened_at", "notification_id", "step_id")
        .first()
    )
    if row is None:
        return None
    now = now or timezone.now()
    if row.clicked_at is None:
        ReminderSend.objects.filter(pk=send_id, clicked_at__isnull=True).update(clicked_at=now, clicked_channel=channel)
    if channel == Channel.EMAIL and row.opened_at is None:
        ReminderSend.objects.filter(pk=send_id, opened_at__isnull=True).update(opened_at=now)
    if url:
        _link_clicked(url=url, step_id=row.step_id)
        return url
    if channel == Channel.PUSH and row.notification_id:
        # a push with a deep link opens it (as written on its delivery when sent)
        deep_link = (
            Delivery.objects.filter(notification_id=row.notification_id, channel=Channel.PUSH)
            .exclude(deep_link="")
            .values_list("deep_link", flat=True)
            .first()
        )
        if deep_link:
            return tracking.safe_target(deep_link)
    return tracking.safe_target(row.link)


def sequence_stats(*, sequence) -> dict:
    sends = ReminderSend.objects.filter(step__sequence=sequence)
    return _stats(sends, Delivery.objects.filter(notification__in=sends.values("notification_id")))


def sequences_stats(*, sequence_ids) -> dict[int, dict]:
    """`sequence_stats` of many sequences at once (the API's tab of a target), in two GROUP BY queries whatever
    their number, plus the sends opened / clicked / converted: sequence id → stats."""
    ids = list(sequence_ids)
    empty = {"recipients": 0, "opted_out": 0, "sent": 0, "queued": 0, "failed": 0, "skipped": 0}
    empty |= {"opened": 0, "clicked": 0, "converted": 0}
    stats = {pk: dict(empty) for pk in ids}
    if not ids:
        return stats
    sends = ReminderSend.objects.filter(step__sequence_id__in=ids)
    rows = (
        sends.values("step__sequence_id")
        .annotate(
            recipients=Count("id", filter=Q(status=SendStatus.SENT)),
            opted_out=Count("id", filter=Q(status=SendStatus.SKIPPED)),
            opened=Count("id", filter=Q(opened_at__isnull=False)),
            clicked=Count("id", filter=Q(clicked_at__isnull=False)),
            converted=Count("id", filter=Q(converted_at__isnull=False)),
        )
        .order_by()
    )
    for row in rows:
        stats[row.pop("step__sequence_id")].update(row)
    deliveries = (
        sends.filter(notification__deliveries__isnull=False)
        .values_list("step__sequence_id", "notification__deliveries__status")
        .annotate(n=Count("notification__deliveries__id"))
        .order_by()
    )
    for pk, status, n in deliveries:
        key = "sent" if status in ("sent", "logged") else status
        if key in ("sent", "queued", "failed", "skipped"):
            stats[pk][key] += n
    return stats


def _stats(rows, deliveries) -> dict:
    by_status = dict(deliveries.values_list("status").annotate(n=Count("id")))
    return {
        "recipients": rows.filter(status=SendStatus.SENT).count(),
        "opted_out": rows.filter(status=SendStatus.SKIPPED).count(),
        "sent": by_status.get("sent", 0) + by_status.get("logged", 0),
        "queued": by_status.get("queued", 0),
        "failed": by_status.get("failed", 0),
        "skipped": by_status.get("skipped", 0),
    }


# --- broadcasts ---------------------------------------------------------------------------------------------


def _clean_days(value, label) -> int:
    try:
        value = int(value or 0)
    except (TypeError, ValueError):
        raise ServiceError(_("%(label)s harus berupa angka.") % {"label": label}) from None
    if not 0 <= value <= 3650:
        raise ServiceError(_("%(label)s harus antara 0 dan 3650 hari.") % {"label": label})
    return value


def _clean_link(link) -> str:
    """A broadcast's link: a path on this site or an http(s) address (its clicks go through the signed redirect)."""
    link = str(link or "").strip()
    if not link:
        return ""
    if len(link) > 500 or tracking.safe_target(link) != link:
        raise ServiceError(_("Tautan harus berupa alamat di situs ini (/…) atau alamat http(s)."))
    return link


def _clean_segment(
    *,
    segment_role="",
    segment_plan=None,
    segment_status="",
    segment_province="",
    segment_expiring_days=0,
    segment_inactive_days=0,
    segment_group=None,
    segment_course=None,
) -> dict:
    segment_province = str(segment_province or "")
    if segment_province and segment_province not in PROVINCES:
        raise ServiceError(_("Provinsi tidak dikenal."))
    if segment_role and segment_role not in Role.values:
        raise ServiceError(_("Peran tidak dikenal."))
    if (segment_status or "") not in SegmentStatus.values:
        raise ServiceError(_("Status keanggotaan tidak dikenal."))
    return {
        "segment_role": segment_role or "",
        "segment_plan": segment_plan,
        "segment_status": segment_status or "",
        "segment_province": segment_province,
        "segment_expiring_days": _clean_days(segment_expiring_days, _("Berakhir dalam")),
        "segment_inactive_days": _clean_days(segment_inactive_days, _("Tidak aktif sejak")),
        "segment_group": segment_group,
        "segment_course": segment_course,
    }


def segment_preview(**segment) -> int:
    """How many members a segment reaches now (before anything is saved or sent): the count the admin sees while
    choosing the filters. Same keyword arguments as the segment of `broadcast_save`."""
    return segment_users(broadcast=Broadcast(**_clean_segment(**segment))).count()


@transaction.atomic
def broadcast_save(
    *,
    actor,
    broadcast=None,
    title,
    subject,
    body,
    channels,
    segment_role="",
    segment_plan=None,
    segment_status="",
    segment_province="",
    segment_expiring_days=0,
    segment_inactive_days=0,
    segment_group=None,
    segment_course=None,
    link="",
    cta_text="",
) -> Broadcast:
    if broadcast is not None and broadcast.status != BroadcastStatus.DRAFT:
        raise ServiceError(_("Broadcast yang sudah dikirim atau dijadwalkan tidak dapat diubah."))
    segment = _clean_segment(
        segment_role=segment_role,
        segment_plan=segment_plan,
        segment_status=segment_status,
        segment_province=segment_province,
        segment_expiring_days=segment_expiring_days,
        segment_inactive_days=segment_inactive_days,
        segment_group=segment_group,
        segment_course=segment_course,
    )
    title = _clean_text(title, label=_("Nama broadcast"), max_length=120)
    subject = _clean_text(subject, label=_("Judul"), max_length=200)
    body = _clean_text(body, label=_("Isi pesan"), max_length=4000)
    cta_text = _clean_text(cta_text, label=_("Teks tombol email"), max_length=60, required=False)
    link = _clean_link(link)
    channels = _clean_channels(channels)
    broadcast = broadcast or Broadcast(created_by=actor)
    broadcast.title, broadcast.subject, broadcast.body, broadcast.channels = title, subject, body, channels
    for field, value in segment.items():
        setattr(broadcast, field, value)
    broadcast.link, broadcast.cta_text = link, cta_text
    broadcast.save()
    activity_record(action=Action.BROADCAST_SAVED, actor=actor, target=broadcast, target_label=broadcast.title)
    return broadcast


def segment_users(*, broadcast):
    """The broadcast's audience: active users matching every chosen filter (role, plan, membership status,
    province, expiring within N days, last active, a community group's active members, a course's students)."""
    qs = User.objects.filter(is_active=True)
    if broadcast.segment_role:
        qs = qs.filter(roles__role=broadcast.segment_role)
    if broadcast.segment_plan_id:
        qs = qs.filter(memberships__plan_id=broadcast.segment_plan_id, memberships__status=MembershipStatus.ACTIVE)
    if broadcast.segment_status == SegmentStatus.ACTIVE:
        qs = qs.filter(memberships__status=MembershipStatus.ACTIVE)
    elif broadcast.segment_status == SegmentStatus.EXPIRED:
        active = UserMembership.objects.filter(user_id=OuterRef("pk"), status=MembershipStatus.ACTIVE)
        qs = qs.filter(memberships__status=MembershipStatus.EXPIRED).exclude(Exists(active))
    elif broadcast.segment_status == SegmentStatus.NONE:
        qs = qs.exclude(Exists(UserMembership.objects.filter(user_id=OuterRef("pk"))))
    if broadcast.segment_province:
        qs = qs.filter(province=broadcast.segment_province)
    now = timezone.now()
    if broadcast.segment_expiring_days:
        ending = UserMembership.objects.filter(
            user_id=OuterRef("pk"),
            status=MembershipStatus.ACTIVE,
            ends_at__gt=now,
            ends_at__lte=now + timedelta(days=broadcast.segment_expiring_days),
        )
        qs = qs.filter(Exists(ending))
    if broadcast.segment_inactive_days:
        cutoff = now - timedelta(days=broadcast.segment_inactive_days)
        qs = qs.filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
    if broadcast.segment_group_id:
        members = GroupMember.objects.filter(
            user_id=OuterRef("pk"), group_id=broadcast.segment_group_id, status=MemberStatus.ACTIVE
        )
        qs = qs.filter(Exists(members))
    if broadcast.segment_course_id:
        qs = qs.filter(Exists(Enrollment.objects.filter(user_id=OuterRef("pk"), course_id=broadcast.segment_course_id)))
    return qs.distinct().order_by("pk")


def _enqueue_send(broadcast_id: int) -> None:
    from . import tasks

    transaction.on_commit(lambda: tasks.broadcast_send_task.delay(broadcast_id), robust=True)


@transaction.atomic
def broadcast_start(*, actor, broadcast, send_at=None) -> Broadcast:
    """Sends a draft now (in the background, in batches), or with a future `send_at` schedules it: the minute sweep
    (`broadcasts_start_due`) starts it then. A scheduled one can be sent at once as well."""
    broadcast = Broadcast.objects.select_for_update().get(pk=broadcast.pk)
    if broadcast.status not in (BroadcastStatus.DRAFT, BroadcastStatus.SCHEDULED):
        raise ServiceError(_("Broadcast ini sudah dikirim."))
    if send_at is not None:
        if not isinstance(send_at, datetime) or timezone.is_naive(send_at):
            raise ServiceError(_("Waktu kirim tidak valid."))
        if send_at <= timezone.now():
            raise ServiceError(_("Waktu kirim harus di masa depan."))
        if send_at > timezone.now() + timedelta(days=365):
            raise ServiceError(_("Waktu kirim paling lambat satu tahun dari sekarang."))
        broadcast.status, broadcast.send_at = BroadcastStatus.SCHEDULED, send_at
        broadcast.save(update_fields=["status", "send_at"])
        activity_record(
            action=Action.BROADCAST_SCHEDULED,
            actor=actor,
            target=broadcast,
            target_label=broadcast.title,
            data={"send_at": send_at.isoformat()},
        )
        return broadcast
    broadcast.status = BroadcastStatus.SENDING
    broadcast.save(update_fields=["status"])
    activity_record(action=Action.BROADCAST_SENT, actor=actor, target=broadcast, target_label=broadcast.title)
    _enqueue_send(broadcast.pk)
    return broadcast


@transaction.atomic
def broadcast_unschedule(*, actor, broadcast) -> Broadcast:
    """A scheduled broadcast goes back to draft (it can be edited again)."""
    broadcast = Broadcast.objects.select_for_update().get(pk=broadcast.pk)
    if broadcast.status != BroadcastStatus.SCHEDULED:
        raise ServiceError(_("Broadcast ini tidak sedang dijadwalkan."))
    broadcast.status, broadcast.send_at = BroadcastStatus.DRAFT, None
    broadcast.save(update_fields=["status", "send_at"])
    activity_record(action=Action.BROADCAST_UNSCHEDULED, actor=actor, target=broadcast, target_label=broadcast.title)
    return broadcast


def broadcasts_start_due(*, now=None) -> int:
    """The minute sweep: starts every scheduled broadcast whose time has come, and hands every broadcast still
    sending to a worker again (so one interrupted by a worker restart resumes; batches are serialised by the
    broadcast's row lock and a recipient row is never written twice). Returns how many were handed over."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Broadcast.objects.select_for_update(skip_locked=True)
            .filter(status=BroadcastStatus.SCHEDULED, send_at__lte=now)
            .values_list("pk", flat=True)
        )
        if due:
            Broadcast.objects.filter(pk__in=due).update(status=BroadcastStatus.SENDING)
    sending = list(Broadcast.objects.filter(status=BroadcastStatus.SENDING).values_list("pk", flat=True))
    with transaction.atomic():
        for pk in sending:
            _enqueue_send(pk)
    return len(sending)


def _broadcast_recipient_message(broadcast, user, row) -> TextMessage | None:
    """The messages of one recipient (no query): each channel's link goes through the signed click redirect, the
    email gets the open pixel (template key, by the recipient id in `data`) and the button text. None when the user
    switched off every chosen channel (skipped)."""
    context = {"name": user.full_name, "email": user.email}
    subject, body = render_text(broadcast.subject, context), render_text(broadcast.body, context)
    if broadcast.channels and not any(user.channel_enabled(GROUP, c) for c in broadcast.channels):
        return None
    # signed links for the in-app notification and the chosen channels only (each one is a signature and a reverse)
    links = {c: tracking.click_url(row.pk, c, tracking.BROADCAST) for c in (IN_APP, *broadcast.channels)}
    contents = {}
    if Channel.EMAIL in links:
        # the links written in the body go through the signed redirect too (its HTML made here, as the email would)
        html = tracking.tracked_html(text_to_html(body), row.pk, tracking.BROADCAST)
        email_text = tracking.tracked_text(body, row.pk, tracking.BROADCAST)
        contents[Channel.EMAIL] = (subject, email_text, links[Channel.EMAIL], broadcast.cta_text, html)
    if Channel.WHATSAPP in links:
        wa_text = "\n\n".join(part for part in (f"*{subject}*", body, links[Channel.WHATSAPP]) if part)
        contents[Channel.WHATSAPP] = (subject, wa_text)
    if Channel.PUSH in links:
        contents[Channel.PUSH] = (subject, body, links[Channel.PUSH])
    return TextMessage(
        user=user,
        title=subject,
        message=body,
        link=links[IN_APP],
        data={"broadcast_recipient": row.pk},
        extra_contents=contents,
    )


def _broadcast_recipients_write(broadcast, users) -> list[tuple[int, str]]:
    """The recipient rows of a batch and their messages, in a constant number of queries whatever the batch size:
    one insert of the rows (the unique (broadcast, user) row is the guard: never twice to one member), the
    notifications and deliveries of all of them through `notify_texts` (one insert each; preferences are on the
    user rows, the suppression list and the role rules read once), one update linking each row to its
    notification, and one read of the queued deliveries. A user who switched off every chosen channel, or whom
    the role rules leave out, gets a row marked skipped. Returns the queued deliveries' (id, channel)."""
    rows = BroadcastRecipient.objects.bulk_create(
        [BroadcastRecipient(broadcast=broadcast, user=user, status=SendStatus.SENT) for user in users]
    )
    texts, sent_rows, skipped = [], [], []
    for user, row in zip(users, rows, strict=True):
        text = _broadcast_recipient_message(broadcast, user, row)
        if text is None:
            skipped.append(row.pk)
        else:
            texts.append(text)
            sent_rows.append(row)
    notifications = notify_texts(
        kind=GROUP,
        texts=texts,
        channels=broadcast.channels,
        template_key=tracking.BROADCAST_TEMPLATE_KEY,
        marketing=True,  # unsubscribe link; never to an address on the suppression list
        enqueue=False,  # the batch sender sends them, paced, over one SMTP connection
    )
    linked = []
    for row, notification in zip(sent_rows, notifications, strict=True):
        if notification is None:  # the role rules
            skipped.append(row.pk)
        else:
            row.notification = notification
            linked.append(row)
    if linked:  # each row's user has exactly one of the batch's notifications: one UPDATE, no CASE per row
        mine = Notification.objects.filter(pk__in=[row.notification_id for row in linked], user_id=OuterRef("user_id"))
        BroadcastRecipient.objects.filter(pk__in=[row.pk for row in linked]).update(
            notification=Subquery(mine.values("pk")[:1])
        )
    if skipped:
        BroadcastRecipient.objects.filter(pk__in=skipped).update(status=SendStatus.SKIPPED)
    if not linked:
        return []
    return list(
        Delivery.objects.filter(
            notification_id__in=[row.notification_id for row in linked], status=DeliveryStatus.QUEUED
        ).values_list("pk", "channel")
    )


def _broadcast_batch(broadcast_id: int, now) -> tuple[int, list[int]]:
    """Writes one batch in one transaction under the broadcast's row lock: at most the batch size and the
    channels' remaining budget this minute (`throttle`), to segment users without a recipient row (the unique
    row is the guard: never twice to one member). A crash rolls the whole batch back. Returns (users handled,
    queued delivery ids); (0, []) when finished or not sending, (-1, []) when this minute's budget is spent."""
    with transaction.atomic():
        broadcast = Broadcast.objects.select_for_update().filter(pk=broadcast_id).first()
        if broadcast is None or broadcast.status != BroadcastStatus.SENDING:
            return 0, []
        size, throttles = throttle.budget(broadcast.channels, now, cap=settings.REMINDERS_BROADCAST_BATCH_SIZE)
        if size <= 0:
            return -1, []
        done = BroadcastRecipient.objects.filter(broadcast=broadcast, user_id=OuterRef("pk"))
        users = list(segment_users(broadcast=broadcast).exclude(Exists(done))[:size])
        if not users:
            broadcast.status, broadcast.sent_at = BroadcastStatus.SENT, now
            broadcast.save(update_fields=["status", "sent_at"])
            return 0, []
        queued = _broadcast_recipients_write(broadcast, users)
        used: dict[str, int] = {}
        for _pk, channel in queued:
            used[channel] = used.get(channel, 0) + 1
        throttle.charge(throttles, used)
        return len(users), [pk for pk, _channel in queued]


def broadcast_send_batch(*, broadcast_id, now=None) -> int:
    """Sends one batch: writes the recipients and their messages (committed first), then sends the batch's
    deliveries at once (`deliveries_send_batch`: the emails over one SMTP connection, each recipient's failure on
    its own delivery). Marks the broadcast sent when nobody is left. Returns the users handled (0: finished, or
    the channels' budget for this minute is spent). Safe to rerun and to run on two workers: a delivery left
    queued by a crash between the two steps is sent by the deliveries sweep."""
    handled, delivery_ids = _broadcast_batch(broadcast_id, now or timezone.now())
    if delivery_ids:
        deliveries_send_batch(delivery_ids=delivery_ids)
    return max(handled, 0)


def broadcast_send_all(*, broadcast_id, clock=None) -> int:
    """Batches until the broadcast is finished or this minute's budget is spent (the minute sweep,
    `broadcasts_start_due`, hands it to a worker again the next minute: that is how a 20,000-member broadcast
    paces itself). `clock` returns "now" (a fake clock in tests). Returns the users handled."""
    clock = clock or timezone.now
    total = 0
    while True:
        n = broadcast_send_batch(broadcast_id=broadcast_id, now=clock())
        if not n:
            return total
        total += n


def broadcast_progress(*, broadcast) -> dict:
    """How far a broadcast is: recipients handled of the audience (the audience is counted while it runs)."""
    processed = broadcast.recipients.count()
    audience = processed if broadcast.status == BroadcastStatus.SENT else segment_users(broadcast=broadcast).count()
    if broadcast.status == BroadcastStatus.SENDING:
        done = BroadcastRecipient.objects.filter(broadcast=broadcast, user_id=OuterRef("pk"))
        audience = processed + segment_users(broadcast=broadcast).exclude(Exists(done)).count()
    return {
        "processed": processed,
        "audience": audience,
        "percent": min(100, round(processed * 100 / audience)) if audience else 0,
    }


def broadcast_opened(*, recipient_id: int, now=None) -> bool:
    """A broadcast email's open pixel was loaded (the first time counts)."""
    return bool(
        BroadcastRecipient.objects.filter(pk=recipient_id, opened_at__isnull=True).update(
            opened_at=now or timezone.now()
        )
    )


def broadcast_clicked(*, recipient_id: int, channel: str, url: str = "", now=None) -> str | None:
    """A signed click on a broadcast's link: records the first click (an email click counts as opened too) and
    returns where it leads: `url` (a link of the email's body, carried in the signed token) when given, else the
    broadcast's own link (never one from the request)."""
    row = (
        BroadcastRecipient.objects.filter(pk=recipient_id)
        .select_related("broadcast")
        .only("pk", "clicked_at", "opened_at", "broadcast_id", "broadcast__link")
        .first()
    )
    if row is None:
        return None
    now = now or timezone.now()
    if row.clicked_at is None:
        BroadcastRecipient.objects.filter(pk=recipient_id, clicked_at__isnull=True).update(
            clicked_at=now, clicked_channel=channel
        )
    if channel == Channel.EMAIL and row.opened_at is None:
        BroadcastRecipient.objects.filter(pk=recipient_id, opened_at__isnull=True).update(opened_at=now)
    if url:
        _link_clicked(url=url, broadcast_id=row.broadcast_id)
    return url or tracking.safe_target(row.broadcast.link or "/notifications")


def broadcast_stats(*, broadcast) -> dict:
    """The report: recipients, opted out, messages sent / queued / failed / skipped (the delivery log), and
    members who opened (email pixel) or clicked (signed redirect)."""
    rows = BroadcastRecipient.objects.filter(broadcast=broadcast)
    stats = _stats(rows, Delivery.objects.filter(notification__in=rows.values("notification_id")))
    tracked = rows.aggregate(
        opened=Count("id", filter=Q(opened_at__isnull=False)), clicked=Count("id", filter=Q(clicked_at__isnull=False))
    )
    return {**stats, **tracked}
