"""Training batches and tiers (TrainerHub): batches and their tiers, registering for a tier (a pending participant the
normal checkout sells as a `training` line), activation by the paid order, manual addition by an admin, cancellation
by a refund. Seats are counted on the batch row under `SELECT … FOR UPDATE`: only paid participants hold a seat, and
every path that makes one paid checks the count under that lock, so two payments racing for the last seat cannot
overbook (the later order goes to review)."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sanggar.access.constants import GrantSource
from sanggar.access.services import GrantHolder, grants_give, grants_revoke, grants_sync
from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotFound, ServiceError
from sanggar.learning.constants import CourseStatus, EnrollmentSource
from sanggar.learning.models import Course
from sanggar.learning.models import Enrollment as CourseEnrollment
from sanggar.notifications.services import notify

from .constants import LISTED_STATUSES, Action, BatchStatus, Notify, ParticipantStatus, Source
from .models import Participant, TrainingBatch, TrainingTier

MAX_TEXT = 200
MAX_PRICE = 1_000_000_000
MAX_TIER_COURSES = 50
LINKABLE_COURSE_STATUSES = (CourseStatus.PUBLISHED, CourseStatus.PRIVATE)


def _clean(text, *, field: str, max_length: int = MAX_TEXT, required: bool = False) -> str:
    text = text.strip() if isinstance(text, str) else ""
    if "\x00" in text:
        raise ServiceError(_("Teks berisi karakter yang tidak diizinkan."), errors={field: [_("Karakter tidak sah.")]})
    if len(text) > max_length:
        raise ServiceError(
            _("Teks terlalu panjang (paling banyak %(n)s karakter).") % {"n": max_length},
            errors={field: [_("Terlalu panjang.")]},
        )
    if required and not text:
        raise ServiceError(_("Kolom wajib diisi."), errors={field: [_("Wajib diisi.")]})
    return text


def _int(value, *, field: str, low: int, high: int) -> int:
    if isinstance(value, bool):
        value = None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ServiceError(_("Angka tidak sah."), errors={field: [_("Isi dengan bilangan bulat.")]}) from None
    if not low <= number <= high:
        raise ServiceError(_("Angka di luar batas."), errors={field: [_("Di luar batas yang diizinkan.")]})
    return number


@transaction.atomic
def batch_create(
    *, actor, name, starts_on, ends_on, capacity, location="", is_online=False, status=BatchStatus.DRAFT, trainer=""
):
    name = _clean(name, field="name", max_length=160, required=True)
    if status not in BatchStatus.values:
        raise ServiceError(_("Status batch tidak dikenal."), errors={"status": [_("Pilih status yang tersedia.")]})
    if not starts_on or not ends_on or ends_on < starts_on:
        raise ServiceError(
            _("Tanggal selesai tidak boleh sebelum tanggal mulai."), errors={"ends_on": [_("Periksa tanggal.")]}
        )
    base = slugify(name)[:140] or "batch"
    slug, n = base, 1
    while TrainingBatch.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    batch = TrainingBatch.objects.create(
        name=name,
        slug=slug,
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=_int(capacity, field="capacity", low=1, high=100_000),
        location=_clean(location, field="location"),
        is_online=bool(is_online),
        status=status,
        trainer=_clean(trainer, field="trainer", max_length=160),
    )
    activity_record(action=Action.BATCH_SAVED, actor=actor, target=batch, target_label=batch.name[:200])
    return batch


@transaction.atomic
def tier_create(*, actor, batch, name, price, benefits="", slug="", position=0, access_days=None, course_ids=None):
    name = _clean(name, field="name", max_length=120, required=True)
    slug = slugify(_clean(slug, field="slug", max_length=120) or name)[:120]
    if not slug:
        raise ServiceError(_("Slug tier tidak sah."), errors={"slug": [_("Gunakan huruf dan angka.")]})
    if batch.tiers.filter(slug=slug).exists():
        raise ServiceError(_("Slug tier sudah dipakai di batch ini."), errors={"slug": [_("Sudah dipakai.")]})
    tier = TrainingTier.objects.create(
        batch=batch,
        name=name,
        slug=slug,
        price=_int(price, field="price", low=0, high=MAX_PRICE),
        benefits=_clean(benefits, field="benefits", max_length=2000),
        position=_int(position, field="position", low=0, high=1000),
        access_days=None if access_days in (None, "") else _int(access_days, field="access_days", low=1, high=3650),
    )
    if course_ids:
        tier.courses.set(_courses(course_ids))
    activity_record(action=Action.TIER_SAVED, actor=actor, target=tier, target_label=str(tier)[:200])
    return tier


def _courses(course_ids) -> list[Course]:
    """The published (or private) courses of sanggar/learning a tier includes; unknown ids are refused."""
    ids = set()
    for raw in list(course_ids or [])[: MAX_TIER_COURSES + 1]:
        ids.add(_int(raw, field="courses", low=1, high=2**31 - 1))
    if len(ids) > MAX_TIER_COURSES:
        raise ServiceError(
            _("Paling banyak %(n)s kursus per tier.") % {"n": MAX_TIER_COURSES},
            errors={"courses": [_("Terlalu banyak.")]},
        )
    courses = list(Course.objects.filter(pk__in=ids, status__in=LINKABLE_COURSE_STATUSES))
    if len(courses) != len(ids):
        raise ServiceError(
            _("Ada kursus yang tidak ditemukan atau belum terbit."), errors={"courses": [_("Kursus tidak sah.")]}
        )
    return courses


def linkable_courses():
    return Course.objects.filter(status__in=LINKABLE_COURSE_STATUSES).order_by("title", "pk")


@transaction.atomic
def batch_update(*, actor, batch, data: dict):
    """Edits a batch (name, dates, venue, seats, status, trainer, rundown); seats never below the paid participants."""
    batch = _lock_batch(batch.pk)
    name = _clean(data.get("name", batch.name), field="name", max_length=160, required=True)
    status = data.get("status", batch.status)
    if status not in BatchStatus.values:
        raise ServiceError(_("Status batch tidak dikenal."), errors={"status": [_("Pilih status yang tersedia.")]})
    starts_on, ends_on = data.get("starts_on", batch.starts_on), data.get("ends_on", batch.ends_on)
    if not starts_on or not ends_on or ends_on < starts_on:
        raise ServiceError(
            _("Tanggal selesai tidak boleh sebelum tanggal mulai."), errors={"ends_on": [_("Periksa tanggal.")]}
        )
    capacity = _int(data.get("capacity", batch.capacity), field="capacity", low=1, high=100_000)
    paid = _seats_taken(batch)
    if capacity < paid:
        raise ServiceError(
            _("Kapasitas tidak boleh di bawah jumlah peserta yang sudah membayar (%(n)s).") % {"n": paid},
            errors={"capacity": [_("Terlalu kecil.")]},
        )
    batch.name = name
    batch.status = status
    batch.starts_on, batch.ends_on = starts_on, ends_on
    batch.capacity = capacity
    batch.location = _clean(data.get("location", batch.location), field="location")
    batch.is_online = bool(data.get("is_online", batch.is_online))
    batch.trainer = _clean(data.get("trainer", batch.trainer), field="trainer", max_length=160)
    batch.rundown = _clean(data.get("rundown", batch.rundown), field="rundown", max_length=10_000)
    batch.save()
    activity_record(action=Action.BATCH_SAVED, actor=actor, target=batch, target_label=batch.name[:200])
    return batch


@transaction.atomic
def tier_update(*, actor, tier, data: dict):
    """Edits a tier (name, price, benefits, access days, order, Scalev variant, courses). A changed course list is
    applied to the participants already paid too (`tier_regrant`)."""
    tier = TrainingTier.objects.select_for_update().get(pk=tier.pk)
    tier.name = _clean(data.get("name", tier.name), field="name", max_length=120, required=True)
    tier.price = _int(data.get("price", tier.price), field="price", low=0, high=MAX_PRICE)
    tier.benefits = _clean(data.get("benefits", tier.benefits), field="benefits", max_length=2000)
    tier.position = _int(data.get("position", tier.position), field="position", low=0, high=1000)
    days = data.get("access_days", tier.access_days)
    tier.access_days = None if days in (None, "") else _int(days, field="access_days", low=1, high=3650)
    tier.scalev_variant_id = _clean(
        data.get("scalev_variant_id", tier.scalev_variant_id), field="scalev_variant_id", max_length=80
    )
    tier.save()
    if "course_ids" in data:
        before = set(tier.courses.values_list("pk", flat=True))
        tier.courses.set(_courses(data["course_ids"]))
        if set(tier.courses.values_list("pk", flat=True)) != before:
            tier_regrant(tier=tier, actor=actor)
    activity_record(action=Action.TIER_SAVED, actor=actor, target=tier, target_label=str(tier)[:200])
    return tier


def grant_ref(participant) -> str:
    return f"training:{participant.pk}"


def tier_courses(tier, *, limit: int | None = None) -> list[Course]:
    """What a tier opens: its course list, or, when the list is empty, every published course (also those published
    later: `course_published` below opens them to the paid participants of such tiers)."""
    chosen = tier.courses.select_related("resource").order_by("title", "pk")
    if not chosen.exists():
        chosen = Course.objects.filter(status=CourseStatus.PUBLISHED).select_related("resource").order_by("title", "pk")
    return list(chosen[:limit] if limit else chosen)


def _access_end(participant, tier):
    start = participant.paid_at or timezone.now()
    return start + timedelta(days=tier.access_days) if tier.access_days else None


def _grant_source(participant) -> str:
    return GrantSource.PURCHASE if participant.source == Source.CHECKOUT else GrantSource.ADMIN


def _enrol(pairs, *, now) -> None:
    """Course enrolments ("total murid") for (participant, course) pairs: one statement, existing ones kept."""
    rows = [
        CourseEnrollment(
            user_id=p.user_id,
            course=course,
            source=EnrollmentSource.PURCHASE if p.source == Source.CHECKOUT else EnrollmentSource.ADMIN,
            created_at=now,
        )
        for p, course in pairs
    ]
    CourseEnrollment.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)


def _grant_courses(participant, *, source: str, now) -> int:
    """Opens the tier's courses for the participant (access grants of sanggar/access plus the course enrolment),
    until the tier's access days run out (no end when empty)."""
    tier = participant.tier
    courses = tier_courses(tier)
    grants_give(
        user=participant.user,
        resources=[c.resource for c in courses],
        source=GrantSource.PURCHASE if source == Source.CHECKOUT else GrantSource.ADMIN,
        source_ref=grant_ref(participant),
        starts_at=now,
        ends_at=now + timedelta(days=tier.access_days) if tier.access_days else None,
    )
    _enrol([(participant, c) for c in courses], now=now)
    return len(courses)


@transaction.atomic
def tier_regrant(*, tier, actor=None, now=None) -> int:
    """Brings the course access of the tier's paid participants in line with what the tier opens now (after its
    course list changed, or a course was published for an "every course" tier): missing courses are granted (and
    enrolled), courses no longer in the tier are revoked (progress stays). Participants whose access days ran out
    are left alone. Set-based: a fixed number of queries per source, whatever the number of participants.
    Returns the number of grants created plus revoked."""
    now = now or timezone.now()
    tier = TrainingTier.objects.select_for_update().get(pk=tier.pk)
    courses = tier_courses(tier)
    resource_ids = [c.resource_id for c in courses]
    participants = [
        p
        for p in Participant.objects.filter(tier=tier, status=ParticipantStatus.PAID).only(
            "pk", "user_id", "source", "paid_at"
        )
        if (_access_end(p, tier) or now) >= now
    ]
    changed = 0
    for source in (GrantSource.PURCHASE, GrantSource.ADMIN):
        holders = {
            grant_ref(p): GrantHolder(user_id=p.user_id, starts_at=now, ends_at=_access_end(p, tier))
            for p in participants
            if _grant_source(p) == source
        }
        if holders:
            changed += grants_sync(
                holders=holders,
                resource_ids=resource_ids,
                source=source,
                revoke_reason=_("Kursus tidak lagi termasuk tier training"),
                now=now,
            )
    _enrol([(p, c) for p in participants for c in courses], now=now)
    if actor is not None:
        activity_record(
            action=Action.TIER_REGRANTED,
            actor=actor,
            target=tier,
            target_label=str(tier)[:200],
            data={"changed": changed},
        )
    return changed


def course_published(*, course) -> None:
    """Learning's hook: a newly published course opens to the paid participants of every tier without a course
    list."""
    for tier in TrainingTier.objects.filter(
        courses__isnull=True, participants__status=ParticipantStatus.PAID
    ).distinct():
        tier_regrant(tier=tier)


def tier_for_sale(*, batch_slug: str, tier_slug: str) -> TrainingTier:
    tier = (
        TrainingTier.objects.select_related("batch")
        .filter(batch__slug=batch_slug, slug=tier_slug, batch__status__in=LISTED_STATUSES)
        .first()
    )
    if tier is None:
        raise NotFound(_("Tier training tidak ditemukan atau batch belum dibuka."))
    return tier


def _seats_taken(batch) -> int:
    return Participant.objects.filter(batch=batch, status=ParticipantStatus.PAID).count()


def _lock_batch(batch_id: int) -> TrainingBatch:
    return TrainingBatch.objects.select_for_update().get(pk=batch_id)


@transaction.atomic
def register(*, user, batch_slug: str, tier_slug: str) -> Participant:
    """The pending participation the checkout sells (one live participation per batch; choosing another tier
    before paying switches the pending one)."""
    tier = tier_for_sale(batch_slug=batch_slug, tier_slug=tier_slug)
    batch = _lock_batch(tier.batch_id)
    existing = Participant.objects.filter(user=user, batch=batch).exclude(status=ParticipantStatus.CANCELLED).first()
    if existing is not None and existing.status == ParticipantStatus.PAID:
        raise ServiceError(_("Anda sudah terdaftar di batch ini."))
    if _seats_taken(batch) >= batch.capacity:
        raise ServiceError(_("Kursi batch ini sudah penuh."))
    if existing is not None:
        if existing.tier_id != tier.pk:
            existing.tier = tier
            existing.save(update_fields=["tier"])
        return existing
    try:
        with transaction.atomic():
            participant = Participant.objects.create(user=user, batch=batch, tier=tier)
    except IntegrityError:
        raise ServiceError(_("Anda sudah terdaftar di batch ini.")) from None
    activity_record(action=Action.REGISTERED, actor=user, target=participant, target_label=str(participant)[:200])
    return participant


def payable(*, user, participant_id) -> Participant:
    try:
        pk = int(participant_id)
    except (TypeError, ValueError):
        raise NotFound(_("Pendaftaran training tidak ditemukan.")) from None
    participant = (
        Participant.objects.select_related("tier", "batch")
        .filter(pk=pk, user=user, status=ParticipantStatus.PENDING)
        .first()
    )
    if participant is None:
        raise NotFound(_("Pendaftaran training tidak ditemukan atau sudah dibayar."))
    return participant


def _make_paid(participant, *, invoice: str, source: str, now) -> Participant:
    batch = _lock_batch(participant.batch_id)
    if _seats_taken(batch) >= batch.capacity:
        raise ServiceError(_("Kursi batch %(batch)s sudah penuh.") % {"batch": batch.name})
    participant.status = ParticipantStatus.PAID
    participant.source = source
    participant.order_invoice = invoice[:40]
    participant.paid_at = now
    participant.save(update_fields=["status", "source", "order_invoice", "paid_at"])
    _grant_courses(participant, source=source, now=now)
    notify(
        user=participant.user,
        kind=Notify.PAID,
        link=f"/training/{batch.slug}",
        context={"batch": batch.name, "tier": participant.tier.name},
    )
    return participant


@transaction.atomic
def participant_activate(*, participant_id: int, invoice: str, now=None) -> Participant:
    participant = Participant.objects.select_for_update().select_related("tier", "user").get(pk=participant_id)
    if participant.status == ParticipantStatus.PAID:
        return participant  # a repeated webhook
    if participant.status == ParticipantStatus.CANCELLED:
        raise ServiceError(_("Pendaftaran training ini sudah dibatalkan."))
    _make_paid(participant, invoice=invoice, source=Source.CHECKOUT, now=now or timezone.now())
    activity_record(action=Action.PAID, actor=participant.user, target=participant, target_label=str(participant)[:200])
    return participant


@transaction.atomic
def participant_add(*, actor, user, tier: TrainingTier, now=None) -> Participant:
    """An admin adds a participant paid outside the checkout (bank transfer, corporate)."""
    _lock_batch(tier.batch_id)
    existing = Participant.objects.filter(user=user, batch_id=tier.batch_id).exclude(status=ParticipantStatus.CANCELLED)
    participant = existing.first()
    if participant is not None and participant.status == ParticipantStatus.PAID:
        raise ServiceError(_("Pengguna ini sudah menjadi peserta batch ini."))
    if participant is None:
        participant = Participant.objects.create(user=user, batch_id=tier.batch_id, tier=tier)
    else:
        participant.tier = tier
    _make_paid(participant, invoice="", source=Source.MANUAL, now=now or timezone.now())
    activity_record(action=Action.ADDED, actor=actor, target=participant, target_label=str(participant)[:200])
    return participant


@transaction.atomic
def participant_cancel(*, participant_id: int, actor=None) -> None:
    participant = Participant.objects.select_for_update().filter(pk=participant_id).first()
    if participant is None or participant.status == ParticipantStatus.CANCELLED:
        return
    participant.status = ParticipantStatus.CANCELLED
    participant.save(update_fields=["status"])
    grants_revoke(source_ref=grant_ref(participant), reason=_("Pendaftaran training dibatalkan"))
    activity_record(action=Action.CANCELLED, actor=actor, target=participant, target_label=str(participant)[:200])
