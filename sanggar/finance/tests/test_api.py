"""Finance API: wallets, payout requests, the finance summary and payout decisions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.finance.constants import PayoutStatus
from sanggar.finance.models import Payout
from sanggar.finance.services import commissions_release_sweep, payout_request

from .conftest import all_balances

pytestmark = pytest.mark.django_db

BANK = {"bank_name": "BCA", "bank_account_number": "1234567890", "bank_account_holder": "Dinda"}


@pytest.fixture
def released(world):
    world.paid_order(world.product())
    commissions_release_sweep(now=timezone.now() + timedelta(days=8))
    return world


def test_my_wallets(client, released, django_assert_max_num_queries):
    world = released
    with django_assert_max_num_queries(5) as few:
        response = call(client, "get", "/me/wallets", user=world.affiliate)
    assert response.status_code == 200
    world.paid_order(world.product("Kelas Lain"))  # more entries, same queries
    with django_assert_max_num_queries(len(few.captured_queries)):
        call(client, "get", "/me/wallets", user=world.affiliate)
    assert response.json() == [
        {"kind": "affiliate", "label": "Affiliate", "pending": 0, "available": 300_000, "reserved": 0, "paid_out": 0}
    ]  # the response of before the second order
    assert call(client, "get", "/me/wallets", user=world.buyer).json() == []
    assert call(client, "get", "/me/wallets").status_code == 401


def test_payout_request_api(client, released):
    world = released
    response = call(client, "post", "/me/payouts", {"wallet_kind": "affiliate", "amount": 500_000, **BANK},
                    user=world.affiliate)  # fmt: skip
    assert response.status_code == 400
    assert response.json()["errors"] == {"amount": ["Saldo tersedia hanya Rp 300.000."]}
    response = call(client, "post", "/me/payouts", {"wallet_kind": "affiliate", "amount": 300_000, "x": 1, **BANK},
                    user=world.affiliate)  # fmt: skip
    assert response.status_code == 422
    assert not Payout.objects.exists()
    headers = {"Idempotency-Key": "payout-1"}
    body = {"wallet_kind": "affiliate", "amount": 300_000, **BANK}
    first = call(client, "post", "/me/payouts", body, user=world.affiliate, headers=headers)
    again = call(client, "post", "/me/payouts", body, user=world.affiliate, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert first.json()["status"] == "requested" and first.json()["amount"] == 300_000
    assert Payout.objects.count() == 1


def test_finance_summary_api(client, released, member_user):
    world = released
    today = timezone.localdate().isoformat()
    response = call(client, "get", f"/admin/finance/summary?from={today}&to={today}", user=world.admin)
    assert response.status_code == 200
    data = response.json()
    assert data["gross"] == data["net"] and data["orders"] == 1
    assert (data["affiliate_commissions"], data["mentor_shares"], data["founder"], data["cofounder"]) == (
        300_000, 140_000, 285_600, 190_400,
    )  # fmt: skip
    assert data["company_fee"] == data["gross"] - 300_000 - 140_000 - 285_600 - 190_400
    assert data["refunds"] == 0 and data["date_from"] == today
    assert call(client, "get", "/admin/finance/summary", user=world.founder).status_code == 200
    assert call(client, "get", "/admin/finance/summary", user=member_user).status_code == 403
    bad = call(client, "get", "/admin/finance/summary?from=2025-02-30", user=world.admin)
    assert bad.status_code == 400 and bad.json()["errors"] == {"from": ["Tanggal harus berformat YYYY-MM-DD."]}


def test_admin_payout_decisions_api(client, released):
    world = released
    first = payout_request(user=world.affiliate, wallet_kind="affiliate", amount=100_000, **BANK)
    second = payout_request(user=world.affiliate, wallet_kind="affiliate", amount=150_000, **BANK)
    before = all_balances()
    denied = call(
        client, "post", f"/admin/payouts/{first.pk}/approve", {"transfer_reference": "T1"}, user=world.founder
    )
    assert denied.status_code == 403
    assert all_balances() == before
    response = call(
        client, "post", f"/admin/payouts/{first.pk}/approve", {"transfer_reference": "T1"}, user=world.admin
    )
    assert response.status_code == 200 and response.json()["status"] == "approved"
    again = call(client, "post", f"/admin/payouts/{first.pk}/approve", {"transfer_reference": "T1"}, user=world.admin)
    assert again.status_code == 400
    response = call(client, "post", f"/admin/payouts/{second.pk}/reject", {"reason": "Salah"}, user=world.admin)
    assert response.status_code == 200 and response.json()["reason"] == "Salah"
    assert Payout.objects.get(pk=second.pk).status == PayoutStatus.REJECTED
    assert call(client, "post", "/admin/payouts/999999/reject", {"reason": "x"}, user=world.admin).status_code == 404


def test_finance_summary_states_the_range_it_used(client, released, settings):
    world = released
    today = timezone.localdate()
    url = f"/admin/finance/summary?from={today.replace(day=1)}&to=2100-01-01"
    response = call(client, "get", url, user=world.admin)
    data = response.json()
    assert response.status_code == 200
    assert (data["date_from"], data["date_to"]) == (today.replace(day=1).isoformat(), today.isoformat())
    assert today.isoformat() in data["range_note"]
    exact = call(client, "get", f"/admin/finance/summary?from={today}&to={today}", user=world.admin).json()
    assert exact["range_note"] is None

    settings.FINANCE_RANGE_MAX_DAYS = 3660
    too_long = call(client, "get", "/admin/finance/summary?from=2000-01-01&to=2100-01-01", user=world.admin)
    assert too_long.status_code == 400
    assert "3660 hari" in too_long.json()["message"]
    assert too_long.json()["errors"]["from"] == [too_long.json()["message"]]
