"""The demo money: splits for every paid demo order, a released referred sale and one payout waiting."""

import pytest
from django.core.management import call_command

from sanggar.finance.constants import AccountKind, PayoutStatus
from sanggar.finance.models import LedgerEntry, LedgerTransaction, Payout
from sanggar.finance.selectors import wallet_balances
from sanggar.orders.constants import OrderStatus
from sanggar.orders.models import Order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _state():
    return (
        sorted(LedgerTransaction.objects.values_list("key", flat=True)),
        sorted(Payout.objects.values_list("user__email", "amount", "status")),
    )


def test_seed_demo_money():
    call_command("seed_demo")
    first = _state()
    call_command("seed_demo")
    assert _state() == first

    paid = Order.objects.filter(status=OrderStatus.PAID, total__gt=0)
    assert {f"split:{o.invoice_number}" for o in paid} <= set(first[0])
    refunded = Order.objects.filter(status=OrderStatus.REFUNDED).values_list("invoice_number", flat=True)
    assert {f"refund:{number}" for number in refunded} <= set(first[0])
    assert sum(LedgerEntry.objects.values_list("amount", flat=True)) == 0
    payout = Payout.objects.get(user__email="affiliate@sanggar.test")
    affiliate = next(w for w in wallet_balances(user=payout.user) if w.kind == AccountKind.AFFILIATE)
    assert (payout.status, payout.amount, affiliate.reserved) == (PayoutStatus.REQUESTED, 100_000, 100_000)
    assert affiliate.available >= 0
    referred = Order.objects.get(affiliate__email="affiliate@sanggar.test", buyer__email="support@sanggar.test")
    mentor = referred.mentor_shares.get()
    assert (mentor.mentor.email, mentor.amount, mentor.status) == ("mentor@sanggar.test", 59_700, "available")
