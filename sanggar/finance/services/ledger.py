"""Posting to the double-entry ledger. The only module that creates LedgerTransaction and LedgerEntry rows."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from sanggar.core.prepared import insert_with_rows

from ..constants import AccountKind, Bucket, TransactionKind
from ..models import LedgerAccount, LedgerEntry, LedgerTransaction


@dataclass(frozen=True)
class Posting:
    """One line of a transaction: `amount` rupiah to the account (kind, bucket, user); positive = the owner gains."""

    kind: str
    bucket: str
    amount: int
    user_id: int | None = None


def account_get(*, kind: str, bucket: str, user_id: int | None = None) -> LedgerAccount:
    """The ledger account (created on first use; two callers creating it at once get the same row)."""
    if kind in (AccountKind.COMPANY, AccountKind.GATEWAY, AccountKind.PAYOUT):
        user_id = None
    account = LedgerAccount.objects.filter(kind=kind, bucket=bucket, user_id=user_id).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return LedgerAccount.objects.create(kind=kind, bucket=bucket, user_id=user_id)
    except IntegrityError:
        return LedgerAccount.objects.get(kind=kind, bucket=bucket, user_id=user_id)


def _owner(kind: str, user_id):
    return None if kind in (AccountKind.COMPANY, AccountKind.GATEWAY, AccountKind.PAYOUT) else user_id


# Ledger accounts are never changed nor deleted once created (their owner is PROTECTed): their ids are kept in the
# cache, so a posting usually reads no account at all. Only committed accounts are remembered.
ACCOUNT_CACHE_SECONDS = 24 * 60 * 60


def _account_cache_key(kind: str, bucket: str, user_id) -> str:
    return f"finance:ledger-account:{kind}:{bucket}:{user_id or '-'}"


def accounts_get(keys: list[tuple]) -> dict[tuple, LedgerAccount]:
    """(kind, bucket, user_id) → account for every key: from the cache of account ids, else in one query (plus one
    insert per account not there yet). A cached account is an instance with its id and key only (what a posting
    needs)."""
    wanted = {(kind, bucket, _owner(kind, user_id)): (kind, bucket, user_id) for kind, bucket, user_id in keys}
    cached = cache.get_many([_account_cache_key(*owned) for owned in wanted]) if wanted else {}
    found = {}
    for owned in wanted:
        pk = cached.get(_account_cache_key(*owned))
        if isinstance(pk, int):
            found[owned] = LedgerAccount(pk=pk, kind=owned[0], bucket=owned[1], user_id=owned[2])
    condition = Q()
    for kind, bucket, user_id in wanted:
        if (kind, bucket, user_id) in found:
            continue
        condition |= (
            Q(kind=kind, bucket=bucket, user_id=user_id) if user_id else Q(kind=kind, bucket=bucket, user__isnull=True)
        )
    fresh = {}
    if len(found) < len(wanted):
        fresh = {(a.kind, a.bucket, a.user_id): a for a in LedgerAccount.objects.filter(condition)}
    result = {}
    for owned, original in wanted.items():
        account = found.get(owned) or fresh.get(owned) or account_get(kind=owned[0], bucket=owned[1], user_id=owned[2])
        if owned not in found:
            fresh[owned] = account
        result[original] = account
    remember = {_account_cache_key(*owned): account.pk for owned, account in fresh.items()}
    if remember:  # after commit: an account created in a transaction that rolls back is never remembered
        transaction.on_commit(partial(cache.set_many, remember, ACCOUNT_CACHE_SECONDS), robust=True)
    return result


def transaction_exists(key: str) -> bool:
    return LedgerTransaction.objects.filter(key=key).exists()


def transaction_post(
    *,
    key: str,
    kind: str,
    postings: Iterable[Posting],
    order=None,
    payout=None,
    memo: str = "",
    data: dict | None = None,
    value_date=None,
    key_checked: bool = False,
) -> LedgerTransaction | None:
    """Posts one balanced transaction, idempotent by `key`: a key already posted returns None and posts nothing
    (the unique constraint on `key` is the last guard when two callers race); so do postings that are all zero.
    Postings to the same account are merged; zero amounts are left out.
    `value_date` is when the money moved in business terms (a sale: its paid time); default now.
    Raises ValueError when the postings do not sum to zero. `key_checked`: the caller looked the key up in this
    transaction already (the split, under the order's lock), so it is not asked again."""
    merged: dict[tuple, int] = defaultdict(int)
    for posting in postings:
        merged[(posting.kind, posting.bucket, posting.user_id)] += int(posting.amount)
    if sum(merged.values()) != 0:
        raise ValueError(f"Unbalanced ledger transaction {key}: {dict(merged)}")
    lines = [(account_key, amount) for account_key, amount in merged.items() if amount != 0]
    if not lines:
        return None

    def post() -> LedgerTransaction:
        accounts = accounts_get([account_key for account_key, _amount in lines])
        txn = LedgerTransaction(
            key=key,
            kind=kind,
            order=order,
            payout=payout,
            memo=memo[:300],
            data=data or {},
            value_date=value_date or timezone.now(),
        )
        # The transaction and its lines in ONE statement (PostgreSQL), compiled once per process.
        insert_with_rows(
            txn,
            [LedgerEntry(account=accounts[account_key], amount=amount) for account_key, amount in lines],
            link="transaction",
        )
        return txn

    if key_checked:
        # The caller's lock makes the key free here: no savepoint to recover to. Should the unique key still refuse
        # the insert, the error fails the caller's whole transaction (nothing of it is kept), never half of it.
        return post()
    if transaction_exists(key):
        return None
    try:
        with transaction.atomic():
            return post()
    except IntegrityError:
        if transaction_exists(key):
            return None
        raise


def net_by_account(*, transactions) -> dict[tuple, int]:
    """(kind, bucket, user_id) → the net amount the given transactions posted."""
    net: dict[tuple, int] = defaultdict(int)
    rows = LedgerEntry.objects.filter(transaction__in=transactions).values_list(
        "account__kind", "account__bucket", "account__user_id", "amount"
    )
    for kind, bucket, user_id, amount in rows:
        net[(kind, bucket, user_id)] += amount
    return net


def reversal_postings(net: dict[tuple, int]) -> list[Posting]:
    return [
        Posting(kind=kind, bucket=bucket, user_id=user_id, amount=-amount)
        for (kind, bucket, user_id), amount in sorted(net.items(), key=lambda item: str(item[0]))
        if amount
    ]


__all__ = [
    "AccountKind",
    "Bucket",
    "Posting",
    "TransactionKind",
    "account_get",
    "net_by_account",
    "reversal_postings",
    "transaction_exists",
    "transaction_post",
]
