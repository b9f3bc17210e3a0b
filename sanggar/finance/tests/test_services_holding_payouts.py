"""Holding period, review decisions, payouts and challenge rewards."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanggar.affiliates.constants import CommissionStatus, DecisionKind
from sanggar.affiliates.models import AttributionDecision, Challenge, ChallengeAward, Commission
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.finance.constants import AccountKind, PayoutStatus
from sanggar.finance.models import LedgerTransaction, Payout
from sanggar.finance.services import (
    challenge_awards_sweep,
    commission_review_decide,
    commissions_release_sweep,
    payout_approve,
    payout_batch_approve,
    payout_reject,
    payout_request,
)

from .conftest import account_total, all_balances, balance

pytestmark = pytest.mark.django_db

LATER = timedelta(days=8)


def bank(**values):
    return {"bank_name": "BCA", "bank_account_number": "1234567890", "bank_account_holder": "Dinda", **values}


def test_release_sweep_after_holding_period_and_idempotent(world):
    order = world.paid_order(world.product())
    assert commissions_release_sweep(now=timezone.now() + timedelta(days=6)) == 0
    assert balance(world.affiliate, AccountKind.AFFILIATE)["pending"] == 300_000
    assert commissions_release_sweep(now=timezone.now() + LATER) == 2
    assert commissions_release_sweep(now=timezone.now() + LATER) == 0
    assert balance(world.affiliate, AccountKind.AFFILIATE) == {
        "pending": 0, "available": 300_000, "reserved": 0, "paid_out": 0
    }  # fmt: skip
    assert balance(world.mentor, AccountKind.MENTOR) == {
        "pending": 0, "available": 140_000, "reserved": 0, "paid_out": 0
    }  # fmt: skip
    commission = Commission.objects.get(order=order)
    assert commission.status == CommissionStatus.AVAILABLE and commission.released_at is not None
    assert LedgerTransaction.objects.filter(key__startswith="release:").count() == 2


def _flag(order):
    Commission.objects.filter(order=order).update(status=CommissionStatus.REVIEW, flag_reason="IP sama")
    return Commission.objects.get(order=order)


def test_flagged_commission_waits_for_an_admin_then_clear(world, member_user):
    order = world.paid_order(world.product())
    commission = _flag(order)
    assert commissions_release_sweep(now=timezone.now() + LATER) == 1  # the mentor share only
    assert balance(world.affiliate, AccountKind.AFFILIATE)["pending"] == 300_000
    with pytest.raises(NotAllowed):
        commission_review_decide(commission=commission, actor=member_user, clear=True)
    assert Commission.objects.get(pk=commission.pk).status == CommissionStatus.REVIEW
    commission_review_decide(commission=commission, actor=world.admin, clear=True, note="Dicek, aman")
    commission.refresh_from_db()
    assert commission.status == CommissionStatus.PENDING  # holding period not over yet
    assert commissions_release_sweep(now=timezone.now() + LATER) == 1
    assert balance(world.affiliate, AccountKind.AFFILIATE)["available"] == 300_000
    decision = AttributionDecision.objects.get(order=order, kind=DecisionKind.CLEARED)
    assert (decision.actor, decision.reason) == (world.admin, "Dicek, aman")
    with pytest.raises(ServiceError):
        commission_review_decide(commission=commission, actor=world.admin, clear=True)


def test_void_flagged_commission_goes_to_company(world):
    order = world.paid_order(world.product())
    commission = _flag(order)
    company_before = account_total(AccountKind.COMPANY)
    with pytest.raises(ServiceError) as exc:
        commission_review_decide(commission=commission, actor=world.admin, clear=False, note=" ")
    assert exc.value.errors == {"note": ["Tuliskan alasan pembatalan komisi."]}
    commission_review_decide(commission=commission, actor=world.admin, clear=False, note="Pembelian sendiri")
    assert Commission.objects.get(pk=commission.pk).status == CommissionStatus.VOID
    assert balance(world.affiliate, AccountKind.AFFILIATE)["pending"] == 0
    assert account_total(AccountKind.COMPANY) == company_before + 300_000
    assert commissions_release_sweep(now=timezone.now() + LATER) == 1  # mentor only; the void stays void
    assert Commission.objects.get(pk=commission.pk).status == CommissionStatus.VOID


def _available(world, amount_orders=1):
    for _i in range(amount_orders):
        world.paid_order(world.product(f"Kelas {_i}"))
    commissions_release_sweep(now=timezone.now() + LATER)


def test_payout_request_reserves_and_refuses_more_than_available(world):
    _available(world)
    with pytest.raises(ServiceError) as exc:
        payout_request(user=world.affiliate, wallet_kind="affiliate", amount=300_001, **bank())
    assert exc.value.errors == {"amount": ["Saldo tersedia hanya Rp 300.000."]}
    with pytest.raises(ServiceError) as exc:
        payout_request(user=world.affiliate, wallet_kind="affiliate", amount=50_000, **bank())
    assert exc.value.errors == {"amount": ["Minimal penarikan Rp 100.000."]}
    with pytest.raises(ServiceError) as exc:
        payout_request(user=world.affiliate, wallet_kind="gateway", amount="abc", **bank(bank_account_number="12a"))
    assert set(exc.value.errors) == {"wallet_kind", "amount", "bank_account_number"}
    assert not Payout.objects.exists()
    payout = payout_request(user=world.affiliate, wallet_kind="affiliate", amount=200_000, **bank())
    assert payout.status == PayoutStatus.REQUESTED
    assert balance(world.affiliate, AccountKind.AFFILIATE) == {
        "pending": 0, "available": 100_000, "reserved": 200_000, "paid_out": 0
    }  # fmt: skip
    with pytest.raises(ServiceError):
        payout_request(user=world.affiliate, wallet_kind="affiliate", amount=200_000, **bank())


def test_payout_approve_and_reject(world, member_user):
    _available(world)
    first = payout_request(user=world.affiliate, wallet_kind="affiliate", amount=100_000, **bank())
    second = payout_request(user=world.affiliate, wallet_kind="affiliate", amount=150_000, **bank())
    before = all_balances()
    with pytest.raises(NotAllowed):
        payout_approve(payout=first, actor=member_user, transfer_reference="TRX1")
    with pytest.raises(ServiceError) as exc:
        payout_approve(payout=first, actor=world.admin, transfer_reference=" ")
    assert exc.value.errors == {"transfer_reference": ["Referensi transfer wajib diisi."]}
    with pytest.raises(ServiceError) as exc:
        payout_approve(
            payout=first, actor=world.admin, transfer_reference="TRX1",
            proof=SimpleUploadedFile("bukti.exe", b"MZ"),
        )  # fmt: skip
    assert exc.value.errors == {"proof": ["Bukti transfer harus berupa PDF, PNG, JPG atau WebP."]}
    assert all_balances() == before
    assert Payout.objects.get(pk=first.pk).status == PayoutStatus.REQUESTED

    payout_approve(
        payout=first, actor=world.admin, transfer_reference="TRX1", proof=SimpleUploadedFile("bukti.pdf", b"%PDF-1.4")
    )
    payout_reject(payout=second, actor=world.admin, reason="Nama rekening tidak cocok")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.transfer_reference, first.decided_by) == ("approved", "TRX1", world.admin)
    assert first.proof.name.startswith("private/payout-proofs/")
    assert (second.status, second.reason) == ("rejected", "Nama rekening tidak cocok")
    assert balance(world.affiliate, AccountKind.AFFILIATE) == {
        "pending": 0, "available": 200_000, "reserved": 0, "paid_out": 100_000
    }  # fmt: skip
    assert account_total(AccountKind.PAYOUT) == -100_000
    with pytest.raises(ServiceError):
        payout_reject(payout=first, actor=world.admin, reason="terlambat")


def test_payout_batch(world):
    _available(world, 2)
    payouts = [
        payout_request(user=world.affiliate, wallet_kind="affiliate", amount=amount, **bank())
        for amount in (100_000, 250_000)
    ]
    with pytest.raises(ServiceError):
        payout_batch_approve(payouts=[], actor=world.admin)
    batch = payout_batch_approve(payouts=payouts, actor=world.admin, note="Transfer Jumat")
    assert [p.transfer_reference for p in Payout.objects.filter(batch=batch).order_by("id")] == [
        f"BATCH-{batch.pk}-{payouts[0].pk}",
        f"BATCH-{batch.pk}-{payouts[1].pk}",
    ]
    assert balance(world.affiliate, AccountKind.AFFILIATE)["paid_out"] == 350_000
    with pytest.raises(ServiceError) as exc:
        payout_batch_approve(payouts=payouts, actor=world.admin)
    assert "sudah diproses" in exc.value.message


def test_founder_wallet_can_be_withdrawn(world):
    world.paid_order(world.product(), affiliate=None)
    payout = payout_request(user=world.founder, wallet_kind="founder", amount=285_600, **bank())
    assert payout.amount == 285_600
    assert balance(world.founder, AccountKind.FOUNDER)["reserved"] == 285_600


def test_challenge_awards_sweep(world):
    now = timezone.now()
    challenge = Challenge.objects.create(
        title="Sprint Mingguan", period="weekly", starts_at=now - timedelta(days=1), ends_at=now + timedelta(hours=1),
        target_sales=2, reward=500_000,
    )  # fmt: skip
    world.paid_order(world.product("Satu"))
    world.paid_order(world.product("Dua"))
    assert challenge_awards_sweep(now=now) == 0  # still running
    later = now + timedelta(hours=2)
    assert challenge_awards_sweep(now=later) == 1
    assert challenge_awards_sweep(now=later) == 0
    award = ChallengeAward.objects.get(challenge=challenge)
    assert (award.sales, award.amount) == (2, 500_000)
    assert balance(world.affiliate, AccountKind.AFFILIATE)["available"] == 500_000
