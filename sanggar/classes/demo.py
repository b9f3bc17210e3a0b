"""Demo live classes: the programs of the class documents (Semi-Private Grammar, Semi-Private IELTS, Private Matematika,
…) with Section A taught by the demo mentor, weekly availability, a week of meetings, and the demo member on the
waiting list of one program and approved into another. Built through the services; running it twice changes nothing."""

from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from sanggar.catalog.models import MembershipPlan
from sanggar.catalog.services import plan_content_set

from . import services
from .models import ClassTemplate, Enrollment, TutorAvailability

User = get_user_model()

PROGRAMS = [
    ("Semi-Private Grammar", "Bahasa Inggris", "semi_private", "dewasa", 10, 500_000),
    ("Semi-Private IELTS", "Bahasa Inggris", "semi_private", "dewasa", 10, 750_000),
    ("Private Matematika", "Matematika", "private", "anak", 1, 1_000_000),
    ("Semi-Private Conversation", "Bahasa Inggris", "semi_private", "dewasa", 8, 550_000),
    ("Semi-Private TOEFL", "Bahasa Inggris", "semi_private", "dewasa", 10, 800_000),
    ("Private Bahasa Mandarin", "Bahasa Mandarin", "private", "dewasa", 1, 1_200_000),
    ("Semi-Private Matematika SD", "Matematika", "semi_private", "anak", 6, 450_000),
    ("Semi-Private Fisika SMA", "Fisika", "semi_private", "anak", 8, 600_000),
    ("Private Persiapan UTBK", "Persiapan Ujian", "private", "anak", 1, 1_500_000),
    ("Semi-Private Business English", "Bahasa Inggris", "semi_private", "dewasa", 10, 900_000),
]


def seed(*, log):
    admin = User.objects.filter(email="admin@sanggar.test").first()
    mentor = User.objects.filter(email="mentor@sanggar.test").first()
    member = User.objects.filter(email="member@sanggar.test").first()
    if admin is None:
        log("demo accounts missing; run the accounts demo first")
        return
    if ClassTemplate.objects.filter(slug="semi-private-grammar").exists():
        log("demo live classes already there")
        return
    tutor = mentor if mentor is not None and mentor.has_role("mentor") else None
    if tutor is not None:
        for weekday in (0, 2, 4):
            TutorAvailability.objects.get_or_create(
                tutor=tutor, weekday=weekday, start_time=time(18, 0), end_time=time(21, 0)
            )
    templates = []
    for name, subject, kind, level, size, price in PROGRAMS:
        template = services.template_create(
            actor=admin,
            data={
                "name": name,
                "subject": subject,
                "class_type": kind,
                "level": level,
                "max_students": size,
                "price": price,
                "description": f"Kelas live {subject.lower()} dengan tutor berpengalaman, 8 pertemuan per periode.",
                "auto_create_section": kind == "semi_private",
                "extra_meetings_allowed": True,
                "extra_meeting_fee": price // 8 // 1000 * 1000 + 10_000,
            },
        )
        services.section_create(actor=admin, template=template, tutor=tutor if len(templates) < 3 else None)
        templates.append(template)
    log(f"{len(templates)} programs")
    # A plan may include a program: its members get the periods without paying (after the admin's approval).
    plan = MembershipPlan.objects.order_by("-rank", "pk").first()
    if plan is not None:
        included = services.program_resource(templates[3])
        plan_content_set(
            plan=plan,
            actor=admin,
            resource_ids=[*plan.included_resources.values_list("pk", flat=True), included.pk],
            product_ids=list(plan.included_products.values_list("pk", flat=True)),
        )
        log(f"{templates[3].name} included in plan {plan.title}")
    grammar = templates[0]
    section = grammar.sections.get(index=1)
    start = timezone.localtime().replace(hour=19, minute=0, second=0, microsecond=0) + timedelta(days=1)
    days = [start + timedelta(days=n) for n in range(14)]
    for when in [d for d in days if d.weekday() in (0, 2, 4)][:4]:  # inside the tutor's Mon/Wed/Fri 18-21 slots
        services.meeting_schedule(
            actor=admin,
            section=section,
            starts_at=when,
            minutes=90,
            url="https://meet.google.com/sgr-demo-kls",
        )
    if member is not None:
        entry = services.register(user=member, template=grammar)
        services.approve(actor=admin, entry=entry, section=section)
        services.register(user=member, template=templates[1])
        log(f"demo member: approved in {grammar.name} (pay within 24 h), waiting for {templates[1].name}")
    log(f"{Enrollment.objects.count()} enrolments")
