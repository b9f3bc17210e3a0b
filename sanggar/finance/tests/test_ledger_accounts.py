"""Ledger accounts in postings: their ids come from the cache once committed, never from a rolled-back insert."""

import pytest
from django.db import transaction

from sanggar.finance.constants import AccountKind, Bucket, TransactionKind
from sanggar.finance.models import LedgerAccount, LedgerEntry
from sanggar.finance.services.ledger import Posting, accounts_get, transaction_post

pytestmark = pytest.mark.django_db

COMPANY = (AccountKind.COMPANY, Bucket.NONE, None)
GATEWAY = (AccountKind.GATEWAY, Bucket.NONE, None)


def _post(key: str, amount: int):
    return transaction_post(
        key=key,
        kind=TransactionKind.SALE_SPLIT,
        postings=[Posting(*GATEWAY[:2], -amount), Posting(*COMPANY[:2], amount)],
    )


def test_a_posting_reads_no_account_once_its_accounts_are_committed(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        _post("uji:1", 1_000)  # creates both accounts; remembered after commit
    with django_assert_num_queries(0):
        accounts = accounts_get([COMPANY, GATEWAY])
    assert {key: account.pk for key, account in accounts.items()} == {
        COMPANY: LedgerAccount.objects.get(kind=AccountKind.COMPANY).pk,
        GATEWAY: LedgerAccount.objects.get(kind=AccountKind.GATEWAY).pk,
    }
    _post("uji:2", 2_500)
    assert sorted(LedgerEntry.objects.filter(transaction__key="uji:2").values_list("amount", flat=True)) == [
        -2_500,
        2_500,
    ]


def test_an_account_created_in_a_rolled_back_transaction_is_not_remembered():
    with pytest.raises(RuntimeError), transaction.atomic():
        accounts_get([COMPANY])  # created here, then rolled back
        raise RuntimeError("batal")
    assert not LedgerAccount.objects.exists()
    account = accounts_get([COMPANY])[COMPANY]  # asked again, created again
    assert LedgerAccount.objects.get().pk == account.pk
