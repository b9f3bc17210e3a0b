"""Affiliates' door to the money. Finance sits above affiliates in the stack (it posts commissions to the ledger
through `affiliates.services.commission_record` / `commission_release`), so affiliates never imports it: at start-up
`FinanceConfig.ready` registers what the affiliate pages need from it."""

from collections.abc import Callable
from dataclasses import dataclass

from sanggar.core.registry import Slot


@dataclass(frozen=True)
class WalletFigures:
    pending: int
    available: int
    reserved: int  # requested for payout, not paid yet
    paid_out: int


@dataclass(frozen=True)
class FinancePort:
    affiliate_wallet: Callable  # (*, user) -> WalletFigures of the user's affiliate wallet (one query)
    payouts_recent: Callable  # (*, user, limit) -> the user's latest affiliate-wallet payouts
    commission_review_decide: Callable  # (*, commission, actor, clear, note="") -> Commission (ledger effects)


finance: Slot[FinancePort] = Slot("affiliates' finance (add sanggar.finance to INSTALLED_APPS)")
finance_register = finance.register
