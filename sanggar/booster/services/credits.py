"""The credit ledger (1 credit = 1 email). Balances are sums of `CreditEntry`; every movement locks the affiliate's
`CreditAccount` row first, so two sends can never spend the same credit."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role
from sanggar.notifications.services import notify

from ..constants import ACTION_CREDIT_ADJUSTED, CreditKind
from ..models import CreditAccount, CreditEntry
from ..notifications import CREDITS_ADDED, CREDITS_LOW

ADJUST_MAX = 1_000_000
THRESHOLD_MAX = 1_000_000


def account_for(affiliate) -> CreditAccount:
    account = CreditAccount.objects.filter(affiliate=affiliate).first()
    if account is None:
        try:
            with transaction.atomic():
                account = CreditAccount.objects.create(affiliate=affiliate)
        except IntegrityError:
            account = CreditAccount.objects.get(affiliate=affiliate)
    return account


def _locked(affiliate) -> CreditAccount:
    account = account_for(affiliate)
    return CreditAccount.objects.select_for_update().get(pk=account.pk)


def balances(account: CreditAccount) -> tuple[int, int]:
    """(available, reserved) from the ledger: one query."""
    row = CreditEntry.objects.filter(account=account).aggregate(
        available=Coalesce(Sum("available"), 0), reserved=Coalesce(Sum("reserved"), 0)
    )
    return int(row["available"]), int(row["reserved"])


def balances_for(affiliate) -> tuple[int, int]:
    account = CreditAccount.objects.filter(affiliate=affiliate).first()
    return balances(account) if account else (0, 0)


def _entry(account, kind, *, available=0, reserved=0, ref="", note="", actor=None) -> CreditEntry:
    entry = CreditEntry.objects.create(
        account=account, kind=kind, available=available, reserved=reserved, ref=ref[:60], note=note[:200], actor=actor
    )
    if available:
        _low_watch(account, alert=True)
    return entry


def low_threshold(account: CreditAccount) -> int:
    """Below this available balance the affiliate is warned (0: never)."""
    own = account.low_credit_threshold
    return own if own is not None else max(settings.BOOSTER_LOW_CREDIT_THRESHOLD, 0)


def is_low(account: CreditAccount, available: int) -> bool:
    threshold = low_threshold(account)
    return bool(threshold) and available < threshold


def _low_watch(account: CreditAccount, *, alert: bool) -> None:
    """After a movement of the available balance (under the account's lock): the first time it is below the
    threshold the affiliate is told (in the app, and by email as their preferences allow); when it is back at or
    above it, the alert is re-armed. So one alert per crossing, however many sends follow."""
    available, _reserved = balances(account)
    threshold = low_threshold(account)
    if is_low(account, available):
        if account.low_credit_alerted_at is None:
            account.low_credit_alerted_at = timezone.now()
            CreditAccount.objects.filter(pk=account.pk).update(low_credit_alerted_at=account.low_credit_alerted_at)
            if alert:
                notify(
                    user=account.affiliate.user, kind=CREDITS_LOW, link=reverse("booster:credits"),
                    context={"balance": available, "threshold": threshold},
                )  # fmt: skip
    elif account.low_credit_alerted_at is not None:
        account.low_credit_alerted_at = None
        CreditAccount.objects.filter(pk=account.pk).update(low_credit_alerted_at=None)


@transaction.atomic
def low_threshold_set(*, affiliate, threshold) -> CreditAccount:
    """The affiliate's own warning threshold (None: the platform's default, 0: no warning). Changing it re-reads the
    state without sending an alert: the credits page, where it is changed, already shows whether it is low."""
    if threshold is not None:
        try:
            threshold = int(threshold)
        except (TypeError, ValueError):
            threshold = -1
        if not 0 <= threshold <= THRESHOLD_MAX:
            message = _("Batas harus angka 0 sampai %(max)s.") % {"max": THRESHOLD_MAX}
            raise ServiceError(message, errors={"threshold": [message]})
    account = _locked(affiliate)
    account.low_credit_threshold = threshold
    account.save(update_fields=["low_credit_threshold", "updated_at"])
    _low_watch(account, alert=False)
    return account


def _insufficient(need: int, have: int) -> ServiceError:
    message = _("Kredit tidak cukup: perlu %(need)s, tersedia %(have)s. Isi ulang kredit terlebih dahulu.") % {
        "need": need,
        "have": have,
    }
    return ServiceError(message, code="insufficient_credits")


@transaction.atomic
def credit_topup(*, affiliate, credits: int, ref: str, note: str = "") -> CreditEntry | None:
    """Adds bought credits once per `ref` (an order line): a second call with the same ref adds nothing."""
    account = _locked(affiliate)
    try:
        with transaction.atomic():
            entry = _entry(account, CreditKind.TOPUP, available=credits, ref=ref, note=note)
    except IntegrityError:
        return None
    _added_notice(affiliate, credits)
    return entry


def _added_notice(affiliate, amount: int) -> None:
    notify(user=affiliate.user, kind=CREDITS_ADDED, link=reverse("booster:credits"), context={"credits": amount})


@transaction.atomic
def credit_adjust(*, actor, affiliate, amount: int, reason: str) -> CreditEntry:
    """An admin adds (positive) or removes (negative) credits by hand, with a reason; audited."""
    if actor is None or not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang bisa mengubah kredit."))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Tulis alasan penyesuaian."), errors={"reason": [_("Wajib diisi.")]})
    if amount == 0 or abs(amount) > ADJUST_MAX:
        message = _("Jumlah harus bukan nol dan paling banyak %(max)s.") % {"max": ADJUST_MAX}
        raise ServiceError(message, errors={"amount": [message]})
    account = _locked(affiliate)
    available, _reserved = balances(account)
    if available + amount < 0:
        raise _insufficient(-amount, available)
    entry = _entry(account, CreditKind.ADJUST, available=amount, note=reason, actor=actor)
    if amount > 0:
        _added_notice(affiliate, amount)
    activity_record(
        action=ACTION_CREDIT_ADJUSTED, actor=actor, target=account, target_label=affiliate.code,
        data={"amount": amount, "reason": reason[:200]},
    )  # fmt: skip
    return entry


def credit_take_back(*, affiliate, credits: int, ref: str, note: str) -> int:
    """A refunded credit purchase: removes what is still available of it (never below zero). Returns the amount."""
    account = _locked(affiliate)
    available, _reserved = balances(account)
    take = min(credits, max(available, 0))
    if take:
        _entry(account, CreditKind.ADJUST, available=-take, ref=ref, note=note)
    return take


def credit_reserve(*, account: CreditAccount, credits: int, ref: str) -> None:
    """Moves credits from available to reserved (a scheduled broadcast). Call inside a transaction after locking."""
    available, _reserved = balances(account)
    if credits > available:
        raise _insufficient(credits, available)
    if credits:
        _entry(account, CreditKind.RESERVE, available=-credits, reserved=credits, ref=ref)


def credit_charge_reserved(*, account: CreditAccount, credits: int, ref: str) -> None:
    if credits:
        _entry(account, CreditKind.CHARGE, reserved=-credits, ref=ref)


def credit_release(*, account: CreditAccount, credits: int, ref: str, note: str = "") -> None:
    """Unused reserved credits (failed, skipped or unsent emails, a cancelled schedule) go back to available."""
    if credits:
        _entry(account, CreditKind.REFUND, available=credits, reserved=-credits, ref=ref, note=note)


def credit_charge_now(*, account: CreditAccount, credits: int, ref: str) -> None:
    """A direct charge (an automation email), refused when the balance is short."""
    available, _reserved = balances(account)
    if credits > available:
        raise _insufficient(credits, available)
    _entry(account, CreditKind.CHARGE, available=-credits, ref=ref)


def credit_refund_now(*, account: CreditAccount, credits: int, ref: str, note: str = "") -> None:
    _entry(account, CreditKind.REFUND, available=credits, ref=ref, note=note)


def locked_account(affiliate) -> CreditAccount:
    """The affiliate's account row, locked (inside the caller's transaction)."""
    return _locked(affiliate)
