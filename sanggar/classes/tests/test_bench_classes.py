"""The bench's live-class data and targets work at a small size (the bench runs 50 programs, 500 sections and 5,000
enrolments), and the admin waiting list and "Manage Sections" pages run the same number of queries at 3x the data."""

import pytest

from bench import classes, targets
from bench.dataset import ADMIN_EMAIL
from sanggar.classes.models import ClassSection, ClassTemplate, Enrollment
from sanggar.core.roles import Role

pytestmark = pytest.mark.django_db


def _counts(context):
    return {t.key: targets.queries_per_request(t, context) for t in targets.TARGETS if t.key in targets.CLASS_TARGETS}


def _context(admin):
    from django.test import Client

    client = Client()
    client.force_login(admin)
    return targets.Context(
        admin_cookie=f"sessionid={client.cookies['sessionid'].value}",
        tokens=[],
        callback_token="",
        webhooks=[],
        **targets._class_pages(),
    )


def test_class_bench_builds_pages_keep_their_queries_at_3x_and_the_sweep_is_measured(make_user):
    admin = make_user(Role.ADMIN, email=ADMIN_EMAIL)
    for n in range(90):
        make_user(email=f"pembeli{n}@bench.test")
    classes.classes_build(programs=2, sections=6, enrolments=30, log=lambda m: None)
    classes.classes_build(programs=2, sections=6, enrolments=30, log=lambda m: None)  # idempotent
    assert (ClassTemplate.objects.count(), ClassSection.objects.count(), Enrollment.objects.count()) == (2, 6, 30)
    context = _context(admin)
    assert context.class_slug
    small = _counts(context)
    assert set(small) == set(targets.CLASS_TARGETS) and all(0 < n <= 40 for n in small.values()), small

    # 3x: every row tripled (more programs, sections per program and enrolments, including the waiting list)
    Enrollment.objects.all().delete()
    ClassTemplate.objects.all().delete()
    classes.classes_build(programs=6, sections=54, enrolments=90, log=lambda m: None)
    assert Enrollment.objects.filter(status="waiting").count() == 9
    assert ClassSection.objects.filter(template__slug=context.class_slug).count() == 9
    assert _counts(_context(admin)) == small

    row = classes.sweep_measure(log=lambda m: None)
    assert row["enrolments"] == 81 and row["unpaid"] == 9 and row["queries"] > 0, row
    assert Enrollment.objects.filter(status="approved").count() == 9  # rolled back: the bench can run again
