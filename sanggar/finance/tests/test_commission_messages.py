"""The affiliate is told of a new commission and of one that became available (issue 9, item 8)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.finance import notifications as kinds
from sanggar.finance.services import commissions_release_sweep
from sanggar.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _told(user, kind):
    return list(Notification.objects.filter(user=user, data__template=kind).values_list("title", "message"))


def test_affiliate_hears_of_a_new_commission_and_of_its_release(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = world.paid_order(world.product("Kelas Buyer", price=1_000_000))
    new = _told(world.affiliate, kinds.COMMISSION_NEW)
    assert len(new) == 1
    assert new[0][0] == "Komisi baru Rp 300.000"
    assert order.invoice_number in new[0][1] and "Kelas Buyer" in new[0][1]
    assert _told(world.affiliate, kinds.COMMISSION_AVAILABLE) == []

    with django_capture_on_commit_callbacks(execute=True):
        assert commissions_release_sweep(now=timezone.now() + timedelta(days=60)) >= 1
    available = _told(world.affiliate, kinds.COMMISSION_AVAILABLE)
    assert [title for title, _message in available] == ["Komisi Rp 300.000 bisa ditarik"]


def test_no_message_for_a_sale_without_commission(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world.paid_order(world.product("Ebook", price=500_000), affiliate=None)
    assert _told(world.affiliate, kinds.COMMISSION_NEW) == []
