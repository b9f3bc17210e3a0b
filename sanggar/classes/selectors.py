"""Reads for pages and the API, each a fixed number of queries."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from sanggar.access.facts import catalog_facts, membership_facts
from sanggar.access.models import Grant, Resource

from .constants import RESOURCE_KIND, SEAT_STATUSES, EnrollmentStatus, MeetingStatus, SectionStatus
from .models import ClassSection, ClassTemplate, Enrollment, ExcuseNotice, Meeting, TutorAvailability

PAGE_SIZE = 20


def page(qs, number: int, size: int = PAGE_SIZE):
    count = qs.count()
    start = (number - 1) * size
    rows = list(qs[start : start + size]) if start < count else []
    return count, (number + 1 if start + size < count else None), rows


def programs():
    sections = ClassSection.objects.exclude(status=SectionStatus.ARCHIVED).select_related("tutor").order_by("index")
    return (
        ClassTemplate.objects.filter(is_published=True)
        .annotate(waiting=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.WAITING)))
        .prefetch_related(Prefetch("sections", queryset=sections))
        .order_by("name", "id")
    )


def included_programs(user, now=None) -> dict[str, str]:
    """The programs (slug → where from) whose periods the user gets without paying: an active membership whose plan
    includes the program (directly or through an included product) → "membership:<id>", or an open grant of the
    program's resource (a product bought that includes it, an admin's grant) → the grant's source. At most six
    queries, whatever the number of programs."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    now = now or timezone.now()
    keys = dict(Resource.objects.filter(kind=RESOURCE_KIND, is_active=True).values_list("pk", "key"))
    if not keys:
        return {}
    found: dict[str, str] = {}
    membership = membership_facts().active(user=user, now=now)
    if membership is not None:
        for resource_id, plans in catalog_facts().plans_including(resource_ids=set(keys)).items():
            if any(p.id == membership.plan_id for p in plans):
                found[keys[resource_id]] = f"membership:{membership.id}"
    grants = (
        Grant.objects.filter(user=user, resource_id__in=keys, revoked_at__isnull=True, starts_at__lte=now)
        .filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .order_by("created_at", "id")
    )
    for grant in grants:
        found.setdefault(keys[grant.resource_id], grant.source_ref or f"{grant.source}:{grant.pk}")
    return found


def my_enrollments(user):
    since = timezone.now() - timedelta(hours=8)  # a meeting under way still shows its join link
    upcoming = (
        Meeting.objects.exclude(status=MeetingStatus.CANCELLED).filter(starts_at__gte=since).order_by("starts_at")
    )
    return (
        Enrollment.objects.filter(student=user)
        .select_related("template", "section__tutor")
        .annotate(used=Count("attendances", filter=Q(attendances__consumes=True)))
        .prefetch_related(Prefetch("section__meetings", queryset=upcoming, to_attr="upcoming"))
        .order_by("-requested_at", "-id")
    )


def waiting_list():
    return (
        Enrollment.objects.filter(status=EnrollmentStatus.WAITING)
        .select_related("student", "template")
        .order_by("requested_at", "id")
    )


def tutor_meetings(user, day_start, day_end, *, admin: bool):
    qs = Meeting.objects.filter(starts_at__gte=day_start, starts_at__lt=day_end)
    if not admin:
        qs = qs.filter(Q(tutor=user) | Q(tutor__isnull=True, section__tutor=user))
    active = Enrollment.objects.filter(status=EnrollmentStatus.ACTIVE).select_related("student")
    return (
        qs.select_related("section__template", "tutor")
        .prefetch_related(Prefetch("section__enrollments", queryset=active, to_attr="active"), "attendances")
        .order_by("starts_at", "id")
    )


def next_meetings(entry, now, limit=3):
    if entry.section_id is None:
        return []
    return [
        m for m in getattr(entry.section, "upcoming", []) if m.starts_at + timedelta(minutes=m.duration_minutes) > now
    ][:limit]


def excuses_for(entries) -> dict:
    """{(enrolment id, meeting id): ExcuseNotice} of the given enrolments (one query)."""
    ids = [e.pk for e in entries]
    if not ids:
        return {}
    return {(n.enrollment_id, n.meeting_id): n for n in ExcuseNotice.objects.filter(enrollment_id__in=ids)}


def excuses_of_meetings(meetings) -> dict:
    """{(enrolment id, meeting id): ExcuseNotice} of the given meetings (one query)."""
    ids = [m.pk for m in meetings]
    if not ids:
        return {}
    return {(n.enrollment_id, n.meeting_id): n for n in ExcuseNotice.objects.filter(meeting_id__in=ids)}


def join_url(entry, meeting, now) -> str:
    """The meeting link, only for an active student with quota left, from shortly before the start to its end."""
    if entry.status != EnrollmentStatus.ACTIVE:
        return ""
    if getattr(entry, "used", 0) >= entry.meetings_quota:
        return ""
    opens = meeting.starts_at - timedelta(minutes=settings.CLASSES_JOIN_OPENS_MINUTES)
    if not opens <= now <= meeting.starts_at + timedelta(minutes=meeting.duration_minutes):
        return ""
    return meeting.url


def seat_statuses():
    return SEAT_STATUSES


WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def availability_text(slots) -> str:
    """ "Senin 18:00-21:00, Rabu 18:00-21:00" or an empty string."""
    return ", ".join(f"{WEEKDAYS[s.weekday]} {s.start_time:%H:%M}-{s.end_time:%H:%M}" for s in slots)


def availability_of(tutor_ids) -> dict[int, list]:
    """Weekly slots per tutor id, in one query."""
    slots: dict[int, list] = {}
    for slot in TutorAvailability.objects.filter(tutor_id__in=list(tutor_ids)).order_by("weekday", "start_time"):
        slots.setdefault(slot.tutor_id, []).append(slot)
    return slots


def admin_enrollments(*, status: str = "", program: str = "", q: str = ""):
    """Enrolments for the admin list and its CSV: newest first, each with meetings used, in a fixed number of
    queries."""
    qs = Enrollment.objects.select_related("student", "template", "section").annotate(
        used=Count("attendances", filter=Q(attendances__consumes=True))
    )
    if status in EnrollmentStatus.values:
        qs = qs.filter(status=status)
    if program:
        qs = qs.filter(template__slug=program)
    if q:
        qs = qs.filter(Q(student__email__icontains=q) | Q(student__full_name__icontains=q))
    return qs.order_by("-requested_at", "-id")


def attendance_monitor(*, program: str = "", day_from=None, day_to=None):
    """Meetings with their attendance counts (hadir / izin / absen) and the section's active students."""
    qs = Meeting.objects.select_related("section__template", "tutor", "section__tutor").annotate(
        present=Count("attendances", filter=Q(attendances__status="present"), distinct=True),
        excused=Count("attendances", filter=Q(attendances__status="excused"), distinct=True),
        absent=Count("attendances", filter=Q(attendances__status="absent"), distinct=True),
        told=Count("excuses", filter=Q(excuses__in_time=True), distinct=True),
        told_late=Count("excuses", filter=Q(excuses__in_time=False), distinct=True),
        students=Count(
            "section__enrollments",
            filter=Q(section__enrollments__status=EnrollmentStatus.ACTIVE),
            distinct=True,
        ),
    )
    if program:
        qs = qs.filter(section__template__slug=program)
    if day_from is not None:
        qs = qs.filter(starts_at__gte=day_from)
    if day_to is not None:
        qs = qs.filter(starts_at__lt=day_to)
    return qs.order_by("-starts_at", "-id")
