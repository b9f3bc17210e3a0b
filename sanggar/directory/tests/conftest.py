"""Fixtures of the directory tests: plans "6 Bulan" (rank 1), "12 Bulan" (2), "Lifetime" (3); members."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.access.tests.factories import make_plan
from sanggar.memberships.models import UserMembership


def join(user, plan, *, ends_in_days=30):
    now = timezone.now()
    return UserMembership.objects.create(
        user=user, plan=plan, duration="6m", status="active", starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=ends_in_days),
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def plans(db):
    return {
        "6m": make_plan("enam-bulan", rank=1, title="6 Bulan"),
        "12m": make_plan("dua-belas-bulan", rank=2, title="12 Bulan"),
        "life": make_plan("lifetime", rank=3, title="Lifetime"),
    }


@pytest.fixture
def member(make_user):
    return make_user(full_name="Budi Santoso", email="budi@example.com")


@pytest.fixture
def mentor(make_user):
    from sanggar.core.roles import Role

    return make_user(Role.MENTOR, full_name="Mentor Rina", email="rina@example.com")
