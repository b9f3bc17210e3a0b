"""Finance services: import from `sanggar.finance.services`."""

from .challenges import challenge_awards_sweep
from .holding import commission_review_decide, commissions_release_sweep
from .ledger import Posting, account_get, transaction_post
from .payouts import payout_approve, payout_batch_approve, payout_reject, payout_request
from .revenue import revenue_settings_current, revenue_settings_update
from .split import SplitLine, SplitParts, refund_reverse, revenue_split_post, split_compute

__all__ = [
    "Posting",
    "SplitLine",
    "SplitParts",
    "account_get",
    "challenge_awards_sweep",
    "commission_review_decide",
    "commissions_release_sweep",
    "payout_approve",
    "payout_batch_approve",
    "payout_reject",
    "payout_request",
    "refund_reverse",
    "revenue_settings_current",
    "revenue_settings_update",
    "revenue_split_post",
    "split_compute",
    "transaction_post",
]
