"""The demo data: real orders made through the services, and running the seed twice changes nothing."""

import pytest
from django.core.management import call_command

from sanggar.memberships.models import UserMembership
from sanggar.orders.models import Order
from sanggar.payments.models import Payment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _state():
    return sorted(Order.objects.values_list("invoice_number", "buyer__email", "status", "total"))


def test_seed_demo_orders(capsys):
    call_command("seed_demo")
    first = _state()
    call_command("seed_demo")
    assert _state() == first
    assert "[orders] demo orders already there" in capsys.readouterr().out

    member = UserMembership.objects.get(user__email="member@sanggar.test", status="active")
    assert member.plan.slug == "gold"
    assert member.order.status == "paid"
    assert not UserMembership.objects.filter(user__email="free@sanggar.test").exists()

    statuses = {(email, status) for _inv, email, status, _total in first}
    assert ("free@sanggar.test", "pending") in statuses
    assert ("free@sanggar.test", "expired") in statuses
    assert ("supplier@sanggar.test", "refunded") in statuses
    pending = Order.objects.get(buyer__email="free@sanggar.test", status="pending")
    assert pending.provider == "manual" and pending.unique_code > 0
    assert Payment.objects.get(order=pending).instructions != {}
    assert Payment.objects.filter(order__buyer__email="member@sanggar.test", status="paid").count() == 2
