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


BUYER = {
    "company": "Tokyo Bean Trading Co., Ltd.", "country": "JP", "city": "Tokyo", "products": "Kopi arabika",
    "hs_codes": "0901", "contact_person": "Takeshi Yamada", "email": "purchasing@tokyobean.example",
    "phone": "+81 3 5412 7788", "whatsapp": "+81 90 3321 4455", "website": "tokyobean.example",
    "address": "2-14-1 Minato-ku", "shipping_terms": "FOB",
}  # fmt: skip


@pytest.fixture
def make_buyer(admin_user):
    from sanggar.directory.buyer_services import buyer_create

    counter = {"n": 0}

    def make(**overrides):
        counter["n"] += 1
        data = {**BUYER, "company": f"Buyer Nomor {counter['n']} Ltd", "email": f"b{counter['n']}@buyer.example"}
        data.update(overrides)
        return buyer_create(actor=admin_user, data=data)

    return make
