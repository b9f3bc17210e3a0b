"""Reads of the ledger that pages, the API, exports and dashboards share. Balances are sums of entries."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import BigIntegerField, Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.affiliates.finance_port import WalletFigures
from sanggar.core.exceptions import NotFound, ServiceError
from sanggar.core.roles import Role

from .constants import WALLET_KINDS, AccountKind, Bucket, PayoutStatus, TransactionKind
from .models import LedgerEntry, LedgerTransaction, Payout, PayoutBatch, RevenueSettings

ROLE_WALLETS = {
    Role.AFFILIATE: AccountKind.AFFILIATE,
    Role.MENTOR: AccountKind.MENTOR,
    Role.FOUNDER: AccountKind.FOUNDER,
    Role.COFOUNDER: AccountKind.COFOUNDER,
}
EARNING_ROLES = tuple(ROLE_WALLETS)
SERIES_MONTHLY_AFTER_DAYS = 92


@dataclass(frozen=True)
class WalletBalance:
    kind: str
    pending: int = 0
    available: int = 0
    reserved: int = 0
    paid_out: int = 0

    @property
    def label(self) -> str:
        return str(AccountKind(self.kind).label)

    @property
    def balance(self) -> int:
        """What the platform still owes the owner: pending + available + reserved."""
        return self.pending + self.available + self.reserved


def wallet_kinds_for(user) -> list[str]:
    """The wallets of the user's earning roles, in a fixed order."""
    roles = user.role_set
    return [kind for role, kind in ROLE_WALLETS.items() if role in roles]


def wallet_balances(*, user) -> list[WalletBalance]:
    """One balance per wallet the user has (earning roles, plus any wallet with entries), in one query."""
    rows = (
        LedgerEntry.objects.filter(account__user=user, account__kind__in=WALLET_KINDS)
        .order_by()
        .values_list("account__kind", "account__bucket")
        .annotate(total=Sum("amount"))
    )
    sums: dict[str, dict[str, int]] = {}
    for kind, bucket, total in rows:
        sums.setdefault(kind, {})[bucket] = int(total or 0)
    kinds = set(wallet_kinds_for(user)) | set(sums)
    return [
        WalletBalance(
            kind=kind,
            pending=sums.get(kind, {}).get(Bucket.PENDING, 0),
            available=sums.get(kind, {}).get(Bucket.AVAILABLE, 0),
            reserved=sums.get(kind, {}).get(Bucket.RESERVED, 0),
            paid_out=sums.get(kind, {}).get(Bucket.PAID_OUT, 0),
        )
        for kind in WALLET_KINDS
        if kind in kinds
    ]


def wallet_statement(*, user, kind: str) -> QuerySet[LedgerEntry]:
    """The user's entries in one wallet (every bucket), newest first, with their transaction (one query per
    page)."""
    return (
        LedgerEntry.objects.filter(account__user=user, account__kind=kind)
        .select_related("transaction", "transaction__order", "account")
        .order_by("-created_at", "-id")
    )


def company_balance() -> int:
    """The company's operational account: its shares of every split, less voids reversed and challenge rewards."""
    total = LedgerEntry.objects.filter(account__kind=AccountKind.COMPANY, account__user__isnull=True).aggregate(
        total=Sum("amount")
    )["total"]
    return int(total or 0)


# --- payouts -------------------------------------------------------------------------------------------------------


def payout_list_for_user(*, user) -> QuerySet[Payout]:
    return Payout.objects.filter(user=user).order_by("-requested_at", "-id")


def payout_list_admin(*, status: str = "", q: str = "", wallet_kind: str = "") -> QuerySet[Payout]:
    """The payout queue: requested first (oldest first), then decided ones newest first; one query per page."""
    qs = Payout.objects.select_related("user", "decided_by", "batch")
    if status in PayoutStatus.values:
        qs = qs.filter(status=status)
    if wallet_kind in WALLET_KINDS:
        qs = qs.filter(wallet_kind=wallet_kind)
    q = (q or "").strip()[:100]
    if q:
        qs = qs.filter(
            Q(user__email__icontains=q)
            | Q(user__full_name__icontains=q)
            | Q(bank_account_holder__icontains=q)
            | Q(bank_account_number__icontains=q)
        )
    if status == PayoutStatus.REQUESTED:
        return qs.order_by("requested_at", "id")
    return qs.order_by("-requested_at", "-id")


@dataclass(frozen=True)
class PayoutQueueSummary:
    requested: int
    requested_amount: int


def payout_queue_summary() -> PayoutQueueSummary:
    row = Payout.objects.filter(status=PayoutStatus.REQUESTED).aggregate(n=Count("id"), total=Sum("amount"))
    return PayoutQueueSummary(requested=row["n"] or 0, requested_amount=int(row["total"] or 0))


def payout_get(*, pk) -> Payout:
    payout = Payout.objects.select_related("user", "decided_by", "batch").filter(pk=pk).first()
    if payout is None:
        raise NotFound(_("Penarikan tidak ditemukan."))
    return payout


def payout_get_for_user(*, user, pk) -> Payout:
    """A payout for its owner or an admin; anyone else gets NotFound."""
    payout = payout_get(pk=pk)
    if payout.user_id != user.pk and not user.has_role(Role.ADMIN):
        raise NotFound(_("Penarikan tidak ditemukan."))
    return payout


def batch_get(*, pk) -> PayoutBatch:
    batch = PayoutBatch.objects.select_related("created_by").filter(pk=pk).first()
    if batch is None:
        raise NotFound(_("Batch penarikan tidak ditemukan."))
    return batch


def batch_payouts(*, batch: PayoutBatch) -> list[Payout]:
    return list(Payout.objects.filter(batch=batch).select_related("user").order_by("id"))


def last_bank_details(*, user) -> dict:
    """The bank details of the user's latest payout, else of their affiliate profile (to prefill the form)."""
    last = Payout.objects.filter(user=user).order_by("-requested_at", "-id").first()
    if last is not None:
        return {
            "bank_name": last.bank_name,
            "bank_account_number": last.bank_account_number,
            "bank_account_holder": last.bank_account_holder,
        }
    profile = getattr(user, "affiliate_profile", None)  # RelatedObjectDoesNotExist is an AttributeError
    if profile is not None:
        return {
            "bank_name": profile.bank_name,
            "bank_account_number": profile.bank_account_number,
            "bank_account_holder": profile.bank_account_holder,
        }
    return {"bank_name": "", "bank_account_number": "", "bank_account_holder": user.full_name}


# --- finance reports --------------------------------------------------------------------------------------------

SUMMARY_KEYS = (
    "gross",
    "affiliate_commissions",
    "mentor_shares",
    "company_fee",
    "founder",
    "cofounder",
    "refunds",
    "payouts",
)


def _local_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _range_q(date_from: date | None, date_to: date | None, field: str = "transaction__created_at") -> Q:
    q = Q()
    if date_from:
        q &= Q(**{f"{field}__gte": _local_start(date_from)})
    if date_to:
        q &= Q(**{f"{field}__lt": _local_start(date_to + timedelta(days=1))})
    return q


def _sum(condition: Q):
    return Coalesce(Sum("amount", filter=condition), Value(0), output_field=BigIntegerField())


def _summary_aggregates() -> dict:
    sale = Q(transaction__kind=TransactionKind.SALE_SPLIT)
    return {
        "gross": _sum(sale & Q(account__kind=AccountKind.GATEWAY)),
        "affiliate_commissions": _sum(sale & Q(account__kind=AccountKind.AFFILIATE)),
        "mentor_shares": _sum(sale & Q(account__kind=AccountKind.MENTOR)),
        "company_fee": _sum(sale & Q(account__kind=AccountKind.COMPANY)),
        "founder": _sum(sale & Q(account__kind=AccountKind.FOUNDER)),
        "cofounder": _sum(sale & Q(account__kind=AccountKind.COFOUNDER)),
        "refunds": _sum(Q(transaction__kind=TransactionKind.REFUND) & Q(account__kind=AccountKind.GATEWAY)),
        "payouts": _sum(Q(transaction__kind=TransactionKind.PAYOUT_PAID) & Q(account__bucket=Bucket.PAID_OUT)),
    }


def _normalise(row: dict) -> dict:
    """Signs as people read them: gross is the money received (the gateway's entries are negative)."""
    out = {key: int(row.get(key) or 0) for key in SUMMARY_KEYS}
    out["gross"] = -out["gross"]
    return out


def finance_summary(*, date_from: date | None, date_to: date | None) -> dict:
    """The money of the sales posted in [date_from, date_to] (local dates, inclusive; None = open): gross received,
    affiliate commissions, mentor shares, the company's part (fee + remainders + unique codes), Founder and
    Co-Founder shares, refunds (money returned) and payouts (transferred to wallets' owners), plus `orders` (splits
    posted) and `net` (gross − refunds). One query."""
    qs = LedgerEntry.objects.filter(_range_q(date_from, date_to)).order_by()
    row = qs.aggregate(**_summary_aggregates())
    result = _normalise(row)
    result["orders"] = LedgerTransaction.objects.filter(
        _range_q(date_from, date_to, field="created_at"), kind=TransactionKind.SALE_SPLIT
    ).count()
    result["net"] = result["gross"] - result["refunds"]
    return result


def series_granularity(date_from: date, date_to: date) -> str:
    return "month" if (date_to - date_from).days > SERIES_MONTHLY_AFTER_DAYS else "day"


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def finance_series(*, date_from: date, date_to: date) -> list[dict]:
    """The summary per day (ranges up to 92 days) or per month, every bucket present (zeros where nothing
    happened), oldest first: [{"date": date, **SUMMARY_KEYS}]. One query."""
    granularity = series_granularity(date_from, date_to)
    trunc = TruncMonth if granularity == "month" else TruncDate
    tz = timezone.get_current_timezone()
    rows = (
        LedgerEntry.objects.filter(_range_q(date_from, date_to))
        .annotate(bucket_date=trunc("transaction__created_at", tzinfo=tz))
        .order_by()
        .values("bucket_date")
        .annotate(**_summary_aggregates())
    )
    by_date = {}
    for row in rows:
        key = row["bucket_date"]
        if isinstance(key, datetime):
            key = timezone.localtime(key).date() if timezone.is_aware(key) else key.date()
        by_date[key] = _normalise(row)
    points = []
    if granularity == "month":
        cursor = _month_start(date_from)
        while cursor <= date_to:
            points.append({"date": cursor, **by_date.get(cursor, _normalise({}))})
            cursor = _next_month(cursor)
    else:
        cursor = date_from
        while cursor <= date_to:
            points.append({"date": cursor, **by_date.get(cursor, _normalise({}))})
            cursor += timedelta(days=1)
    return points


@dataclass(frozen=True)
class ReportRange:
    """The range a report really covers, and `note`: why it differs from the one asked for ("" when it does not)."""

    date_from: date
    date_to: date
    note: str = ""


def report_range(date_from: date | None, date_to: date | None, *, today: date | None = None) -> ReportRange:
    """The range a finance report covers. Defaults to this month; a reversed range is swapped; an end after today
    is cut at today (the note says so); a range longer than settings.FINANCE_RANGE_MAX_DAYS is refused
    (ServiceError, answered 400) instead of being shifted silently."""
    today = today or timezone.localdate()
    notes = []
    date_to = date_to or today
    date_from = date_from or date_to.replace(day=1)
    if date_from > date_to:
        date_from, date_to = date_to, date_from
        notes.append(_("Tanggal awal dan akhir ditukar."))
    if date_to > today:
        date_to = today
        date_from = min(date_from, today)
        notes.append(_("Tanggal akhir dipotong ke hari ini (%(today)s).") % {"today": today.isoformat()})
    days = (date_to - date_from).days + 1
    limit = settings.FINANCE_RANGE_MAX_DAYS
    if days > limit:
        message = _("Rentang tanggal terlalu panjang: %(days)s hari, paling banyak %(limit)s hari.") % {
            "days": days,
            "limit": limit,
        }
        raise ServiceError(message, errors={"from": [message]}, code="range_too_long")
    return ReportRange(date_from=date_from, date_to=date_to, note=" ".join(notes))


def revenue_settings_history(*, limit: int = 10) -> list[RevenueSettings]:
    """The newest settings versions, the one in force first."""
    return list(RevenueSettings.objects.select_related("created_by").order_by("-created_at", "-id")[:limit])


def affiliate_wallet(*, user):
    """The user's affiliate wallet as the affiliate pages show it (one query)."""
    for balance in wallet_balances(user=user):
        if balance.kind == AccountKind.AFFILIATE:
            return WalletFigures(balance.pending, balance.available, balance.reserved, balance.paid_out)
    return WalletFigures(0, 0, 0, 0)


def affiliate_payouts_recent(*, user, limit: int = 5) -> list[Payout]:
    """The user's latest payouts from the affiliate wallet (one query)."""
    return list(payout_list_for_user(user=user).filter(wallet_kind=AccountKind.AFFILIATE)[:limit])
