import pytest

from sanggar.access.tests.factories import make_plan
from sanggar.classes import demo
from sanggar.classes.models import ClassSection, ClassTemplate, Enrollment, Meeting
from sanggar.core.roles import Role

pytestmark = pytest.mark.django_db


def test_demo_live_classes_idempotent(make_user):
    make_user(Role.ADMIN, email="admin@sanggar.test", full_name="Admin Demo")
    make_user(Role.MENTOR, email="mentor@sanggar.test", full_name="Mentor Demo")
    make_user(email="member@sanggar.test", full_name="Member Demo")
    plan = make_plan("platinum", rank=3)
    lines = []
    demo.seed(log=lines.append)
    demo.seed(log=lines.append)
    assert ClassTemplate.objects.count() == 10 and ClassSection.objects.count() == 10
    assert ClassTemplate.objects.get(slug="private-matematika").max_students == 1
    assert Meeting.objects.count() == 4
    assert sorted(Enrollment.objects.values_list("status", flat=True)) == ["approved", "waiting"]
    assert lines[-1] == "demo live classes already there"
    assert list(plan.included_resources.values_list("kind", "title")) == [("live_class", "Semi-Private Conversation")]
