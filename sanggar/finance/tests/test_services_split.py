"""The revenue split posted when an order is paid, and its reversal on refund."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.affiliates.constants import CommissionStatus
from sanggar.affiliates.models import Commission
from sanggar.affiliates.services import attribution_settings_current
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.finance.constants import AccountKind, MentorShareStatus
from sanggar.finance.models import LedgerEntry, LedgerTransaction, MentorShare, RevenueSettings
from sanggar.finance.services import (
    refund_reverse,
    revenue_settings_current,
    revenue_settings_update,
    revenue_split_post,
)
from sanggar.orders.services import order_refund

from .conftest import account_total, all_balances, balance

pytestmark = pytest.mark.django_db


def test_paid_order_posts_the_split_in_order(world):
    product = world.product(price=1_000_000, commission=30, share=20)
    order = world.paid_order(product)
    code = order.unique_code
    assert order.total == 1_000_000 + code

    txn = LedgerTransaction.objects.get(key=f"split:{order.invoice_number}")
    # commission 300.000; mentor 20% of 700.000 = 140.000; rest 560.000; fee 15% = 84.000; 476.000 → 60/40
    assert balance(world.affiliate, AccountKind.AFFILIATE) == {
        "pending": 300_000, "available": 0, "reserved": 0, "paid_out": 0
    }  # fmt: skip
    assert balance(world.mentor, AccountKind.MENTOR)["pending"] == 140_000
    assert balance(world.founder, AccountKind.FOUNDER)["available"] == 285_600
    assert balance(world.cofounder, AccountKind.COFOUNDER)["available"] == 190_400
    assert account_total(AccountKind.COMPANY) == 84_000 + code
    assert account_total(AccountKind.GATEWAY) == -(1_000_000 + code)
    assert sum(LedgerEntry.objects.filter(transaction=txn).values_list("amount", flat=True)) == 0
    assert txn.data["settings"] == revenue_settings_current().pk

    commission = Commission.objects.get(order=order)
    assert (commission.amount, commission.base_amount, commission.status) == (300_000, 1_000_000, "pending")
    assert commission.available_at == order.paid_at + timedelta(days=7)
    share = MentorShare.objects.get(order=order)
    assert (share.mentor_id, share.amount, share.status) == (world.mentor.pk, 140_000, MentorShareStatus.PENDING)


def test_split_is_posted_once(world):
    order = world.paid_order(world.product())
    before = all_balances()
    assert revenue_split_post(order=order) is None
    assert all_balances() == before
    assert LedgerTransaction.objects.filter(order=order).count() == 1
    assert Commission.objects.filter(order=order).count() == 1


def test_flat_commission_and_no_affiliate(world):
    product = world.product(price=2_000_000, commission=250_000, commission_type="flat", share=0, creator=False)
    order = world.paid_order(product)
    assert Commission.objects.get(order=order).amount == 250_000
    no_affiliate = world.paid_order(world.product("Lain", price=500_000), affiliate=None)
    assert not Commission.objects.filter(order=no_affiliate).exists()
    txn = LedgerTransaction.objects.get(order=no_affiliate)
    assert not txn.entries.filter(account__kind=AccountKind.AFFILIATE).exists()
    # mentor 20% of 500.000 = 100.000; 400.000 → fee 60.000; 340.000 → 204.000 / 136.000
    assert txn.data["mentors"] == [[world.mentor.pk, 100_000]]
    assert (txn.data["company_fee"], txn.data["founder"], txn.data["cofounder"]) == (60_000, 204_000, 136_000)


def test_self_referral_earns_nothing(world):
    order = world.paid_order(world.product(), buyer=world.affiliate)
    assert not Commission.objects.filter(order=order).exists()
    assert balance(world.affiliate, AccountKind.AFFILIATE)["pending"] == 0


def test_changed_settings_apply_to_later_orders_only(world):
    product = world.product(price=1_000_000, commission=0, share=0, creator=False)
    first = world.paid_order(product, affiliate=None)
    old = revenue_settings_current()
    new = revenue_settings_update(actor=world.admin, company_fee_percent=10, founder_percent=50, cofounder_percent=50)
    second = world.paid_order(product, affiliate=None)
    first_txn = LedgerTransaction.objects.get(key=f"split:{first.invoice_number}")
    second_txn = LedgerTransaction.objects.get(key=f"split:{second.invoice_number}")
    assert first_txn.data["settings"] == old.pk and first_txn.data["company_fee"] == 150_000
    assert second_txn.data["settings"] == new.pk
    assert (second_txn.data["company_fee"], second_txn.data["founder"], second_txn.data["cofounder"]) == (
        100_000, 450_000, 450_000,
    )  # fmt: skip
    assert RevenueSettings.objects.count() == 2


def test_split_switched_off_keeps_affiliate_and_mentor(world):
    revenue_settings_update(actor=world.admin, enabled=False)
    order = world.paid_order(world.product(price=1_000_000, commission=10, share=50))
    txn = LedgerTransaction.objects.get(order=order)
    assert txn.data["affiliate"] == 100_000
    assert txn.data["mentors"] == [[world.mentor.pk, 450_000]]
    assert account_total(AccountKind.COMPANY) == 450_000 + order.unique_code
    assert balance(world.founder, AccountKind.FOUNDER)["available"] == 0


def test_shares_of_missing_founders_go_to_the_company(world):
    world.founder.roles.all().delete()
    world.cofounder.roles.all().delete()
    order = world.paid_order(world.product(price=1_000_000, commission=0, share=0, creator=False), affiliate=None)
    assert account_total(AccountKind.COMPANY) == 1_000_000 + order.unique_code
    assert not LedgerEntry.objects.filter(account__kind__in=[AccountKind.FOUNDER, AccountKind.COFOUNDER]).exists()


def test_free_order_posts_nothing(world):
    product = world.product("Gratis", price=0, share=0, creator=False)
    order = world.paid_order(product, provider="free")
    assert order.total == 0
    assert not LedgerTransaction.objects.filter(order=order).exists()


def test_refund_reverses_everything_even_after_release(world):
    from sanggar.finance.services import commissions_release_sweep

    order = world.paid_order(world.product())
    before_refund_expected = {}
    assert commissions_release_sweep(now=timezone.now() + timedelta(days=8)) == 2
    assert balance(world.affiliate, AccountKind.AFFILIATE)["available"] == 300_000
    order_refund(order=order, actor=world.admin, reason="Pembeli membatalkan")
    assert all_balances() == before_refund_expected
    assert Commission.objects.get(order=order).status == CommissionStatus.REVERSED
    assert MentorShare.objects.get(order=order).status == MentorShareStatus.REVERSED
    refund_txn = LedgerTransaction.objects.get(key=f"refund:{order.invoice_number}")
    assert refund_txn.kind == "refund"
    assert refund_reverse(order=order) is None  # once
    assert LedgerTransaction.objects.filter(kind="refund").count() == 1


def test_revenue_settings_validation_and_access(world, member_user):
    current = revenue_settings_current()
    with pytest.raises(NotAllowed):
        revenue_settings_update(actor=member_user, company_fee_percent=20)
    with pytest.raises(ServiceError) as exc:
        revenue_settings_update(actor=world.admin, founder_percent=70, cofounder_percent=40)
    assert exc.value.errors == {"cofounder_percent": ["Bagian Founder dan Co-Founder bersama-sama paling banyak 100%."]}
    with pytest.raises(ServiceError) as exc:
        revenue_settings_update(actor=world.admin, company_fee_percent=101, holding_days="x")
    assert exc.value.errors == {
        "company_fee_percent": ["Persentase harus antara 0 dan 100."],
        "holding_days": ["Isi dengan bilangan bulat."],
    }
    assert list(RevenueSettings.objects.all()) == [current]
    assert revenue_settings_update(actor=world.admin, company_fee_percent=15) == current  # nothing changed
    updated = revenue_settings_update(actor=world.admin, holding_days=14, attribution_model="first")
    attribution = attribution_settings_current()  # owned by affiliates, edited on the same page
    assert (updated.holding_days, attribution.attribution_model, updated.created_by) == (14, "first", world.admin)
    assert attribution.created_by == world.admin
    from sanggar.audit.models import ActivityLog

    log = ActivityLog.objects.get(action="settings.changed", target_id=str(updated.pk))
    assert log.data["fields"] == ["holding_days", "attribution_model"]
