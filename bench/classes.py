"""The live-class part of the bench (issue 15): 50 programs with 500 sections (ten each, with a mentor) and 5,000
enrolments of the bench buyers, so the admin waiting list and a program's "Manage Sections" page are measured at
that size, and the daily sweep (unpaid approvals cancelled, H-3 reminders, expiry) is timed in-process over them.

Programs through `classes.services.template_create` (each has its access resource); sections and enrolments with
`bulk_create`, seats counted like the services count them. Idempotent."""

import random
import time
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from sanggar.accounts.models import User, UserRole
from sanggar.classes import services
from sanggar.classes.constants import SEAT_STATUSES, EnrollmentStatus, QuotaReason
from sanggar.classes.models import ClassSection, ClassTemplate, Enrollment, QuotaEntry
from sanggar.core.roles import Role

PROGRAMS = 50
SECTIONS = 500
ENROLMENTS = 5_000
SLUG_PREFIX = "kelas-bench-"
BATCH = 2_000


class _Rollback(Exception):
    pass


def classes_build(*, programs: int = PROGRAMS, sections: int = SECTIONS, enrolments: int = ENROLMENTS, log) -> None:
    if ClassTemplate.objects.filter(slug__startswith=SLUG_PREFIX).count() >= programs:
        return
    from .dataset import ADMIN_EMAIL

    admin = User.objects.get(email=ADMIN_EMAIL)
    tutors = list(User.objects.filter(email__startswith="pembeli").order_by("-pk")[:10])
    UserRole.objects.bulk_create([UserRole(user=t, role=Role.MENTOR) for t in tutors], ignore_conflicts=True)
    made = [
        services.template_create(
            actor=admin,
            data={
                "name": f"Kelas Bench {n:02d}: {['Grammar', 'IELTS', 'Matematika', 'Speaking', 'TOEFL'][n % 5]}",
                "slug": f"{SLUG_PREFIX}{n:02d}",
                "subject": "Bahasa Inggris" if n % 5 != 2 else "Matematika",
                "price": 500_000 + 50_000 * (n % 4),
                "max_students": 12,
                "carry_over": n % 3 == 0,
            },
        )
        for n in range(programs)
    ]
    per_program = max(1, sections // programs)
    rows = [
        ClassSection(template=t, index=i + 1, label=services.section_label(i + 1), tutor=tutors[(p + i) % len(tutors)])
        for p, t in enumerate(made)
        for i in range(per_program)
    ]
    with transaction.atomic():
        all_sections = ClassSection.objects.bulk_create(rows)
    by_template = {}
    for s in all_sections:
        by_template.setdefault(s.template_id, []).append(s)
    users = list(
        User.objects.filter(email__startswith="pembeli").order_by("pk").values_list("pk", flat=True)[:enrolments]
    )
    rng = random.Random(15)
    now = timezone.now()
    entries, seats = [], {}
    for n, user_id in enumerate(users):
        template = made[n % len(made)]
        kind = n % 10
        entry = Enrollment(
            student_id=user_id, template=template, requested_at=now - timedelta(days=rng.randrange(1, 40))
        )
        if kind == 0:  # on the waiting list
            entry.status = EnrollmentStatus.WAITING
        else:
            section = by_template[template.pk][(n // len(made)) % per_program]
            entry.section = section
            entry.decided_at = entry.requested_at + timedelta(hours=2)
            if kind == 1:  # approved, payment window passed: the sweep cancels it
                entry.status = EnrollmentStatus.APPROVED
                entry.pay_before = now - timedelta(hours=rng.randrange(1, 48))
            else:  # active, ending over the next five weeks (some ended: the sweep expires them; H-3 reminders)
                entry.status = EnrollmentStatus.ACTIVE
                entry.period_start = now - timedelta(days=rng.randrange(0, 30))
                entry.period_end = now + timedelta(days=rng.randrange(-2, 35), hours=rng.randrange(0, 24))
                entry.meetings_quota = template.meetings_per_period
                entry.order_invoice = f"BENCH-K{n:05d}"
            if entry.status in SEAT_STATUSES:
                seats[section.pk] = seats.get(section.pk, 0) + 1
        entries.append(entry)
    with transaction.atomic():
        created = Enrollment.objects.bulk_create(entries, batch_size=BATCH)
        QuotaEntry.objects.bulk_create(
            [
                QuotaEntry(enrollment=e, meetings=e.meetings_quota, reason=QuotaReason.PERIOD, created_at=now)
                for e in created
                if e.status == EnrollmentStatus.ACTIVE
            ],
            batch_size=BATCH,
        )
        for section in all_sections:
            section.seats_taken = seats.get(section.pk, 0)
        ClassSection.objects.bulk_update(all_sections, ["seats_taken"], batch_size=BATCH)
    log(f"{len(made)} class programs, {len(all_sections):,} sections, {len(created):,} class enrolments")


def measured() -> dict:
    """The program whose "Manage Sections" page is measured (the first bench program), when built."""
    template = ClassTemplate.objects.filter(slug__startswith=SLUG_PREFIX).order_by("slug").first()
    return {"class_slug": template.slug} if template else {}


def sweep_measure(*, log) -> dict:
    """Times one daily sweep over the bench enrolments in-process, then rolls it back (the bench stays rerunnable):
    seconds, enrolments/s over every enrolment the sweep looks at, queries, and what it did."""
    scanned = Enrollment.objects.filter(status__in=(EnrollmentStatus.APPROVED, EnrollmentStatus.ACTIVE)).count()
    result, queries = {}, [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    try:
        with transaction.atomic(), connection.execute_wrapper(count):
            started = time.perf_counter()
            result = services.sweep()
            seconds = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    row = {
        "enrolments": scanned,
        "seconds": round(seconds, 2),
        "per_second": round(scanned / seconds) if seconds else 0,
        "queries": queries[0],
        **result,
        "errors": 0,
    }
    log(f"class sweep over {scanned:,} enrolments: {row['seconds']} s ({row['per_second']}/s, {row['queries']:,} "
        f"queries; {result})")  # fmt: skip
    return row
