"""The revenue split of a paid order, its posting to the ledger, and its exact reversal on refund.

Order of the split (PRODUCT.md "Revenue split"): the affiliate's commission per item; the mentor's share of what
each item with a creator has left; the company fee of the rest; the Founder and Co-Founder shares of what then
remains; every remainder and the order's unique code to the company. The order's tax and admin fee are no line's
amount, so no commission includes them; they go to the company too, unless the charge settings (orders'
ChargeSettings: `tax_in_split_base`, `fee_in_split_base`) add them to the base the company fee and the founders'
shares are taken from (`extra_base`). The parts are never negative and always add up to exactly the order's
total."""

import functools
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from django.db import connection, transaction
from django.utils import timezone

from sanggar.accounts.models import UserRole
from sanggar.affiliates import services as affiliate_services
from sanggar.core.roles import Role
from sanggar.core.transactions import service_atomic
from sanggar.orders.sellables import commission_rule_for, creator_share_for
from sanggar.orders.services.charges import split_base_extra

from .. import notifications as kinds
from ..constants import AccountKind, Bucket, MentorShareStatus, TransactionKind
from ..models import LedgerTransaction, MentorShare, RevenueSettings
from .commission_messages import commission_notify
from .ledger import Posting, net_by_account, reversal_postings, transaction_post
from .revenue import revenue_settings_current


@dataclass(frozen=True)
class SplitLine:
    """One order line as the split sees it."""

    amount: int  # what the line paid
    commission: int = 0  # the affiliate's commission on this line
    mentor_id: int | None = None  # the creator of the item, when they have a share
    mentor_percent: int = 0


@dataclass(frozen=True)
class SplitParts:
    total: int
    affiliate: int
    mentors: tuple[tuple[int, int], ...]  # (mentor user id, amount), one per mentor
    company_fee: int  # the company fee alone
    founder: int
    cofounder: int
    company: int  # company fee + every remainder + the unique code
    line_commissions: tuple[int, ...] = field(default=())

    @property
    def mentor_total(self) -> int:
        return sum(amount for _mentor, amount in self.mentors)

    @property
    def parts_sum(self) -> int:
        return self.affiliate + self.mentor_total + self.founder + self.cofounder + self.company


def _clamp_percent(value) -> int:
    return max(0, min(100, int(value or 0)))


def split_compute(
    *,
    total: int,
    lines: list[SplitLine] | tuple[SplitLine, ...],
    enabled: bool,
    company_fee_percent: int,
    founder_percent: int,
    cofounder_percent: int,
    extra_base: int = 0,
) -> SplitParts:
    """Pure arithmetic of the split (whole rupiah, floors). Robust to inconsistent input: a commission is capped at
    its line, the lines at the total, Founder + Co-Founder at what remains. `extra_base` (tax and admin fee the
    settings share) joins what remains after commissions and mentors, within the total."""
    total = max(0, int(total))
    budget = total  # what the per-line parts may still take
    affiliate = 0
    line_commissions = []
    mentors: dict[int, int] = {}
    for line in lines:
        amount = max(0, min(int(line.amount), budget))
        commission = max(0, min(int(line.commission), amount))
        mentor = 0
        if line.mentor_id is not None:
            mentor = (amount - commission) * _clamp_percent(line.mentor_percent) // 100
            if mentor:
                mentors[line.mentor_id] = mentors.get(line.mentor_id, 0) + mentor
        affiliate += commission
        line_commissions.append(commission)
        budget -= amount
    goods = sum(max(0, min(int(line.amount), total)) for line in lines)
    rest = max(0, min(goods + max(0, int(extra_base)), total) - affiliate - sum(mentors.values()))
    company_fee = founder = cofounder = 0
    if enabled:
        company_fee = rest * _clamp_percent(company_fee_percent) // 100
        remaining = rest - company_fee
        founder = remaining * _clamp_percent(founder_percent) // 100
        cofounder = min(remaining * _clamp_percent(cofounder_percent) // 100, remaining - founder)
    company = total - affiliate - sum(mentors.values()) - founder - cofounder
    return SplitParts(
        total=total,
        affiliate=affiliate,
        mentors=tuple(sorted(mentors.items())),
        company_fee=company_fee,
        founder=founder,
        cofounder=cofounder,
        company=company,
        line_commissions=tuple(line_commissions),
    )


def role_holders(*roles: str) -> dict[str, int]:
    """role → the user whose wallet receives that share: the first active holder (by id). One query."""
    holders: dict[str, int] = {}
    rows = UserRole.objects.filter(role__in=roles, user__is_active=True).order_by("user_id")
    for role, user_id in rows.values_list("role", "user_id"):
        holders.setdefault(role, user_id)
    return holders


@functools.cache
def _split_start_sql() -> str:
    """The SQL of `_split_start` (table and column names from the models, built once per process)."""
    qn = connection.ops.quote_name
    user_field = UserRole._meta.get_field("user")
    users = user_field.related_model._meta
    role, user = qn(UserRole._meta.get_field("role").column), qn(user_field.column)
    holder = (
        f"(SELECT r.{user} FROM {qn(UserRole._meta.db_table)} r JOIN {qn(users.db_table)} u"  # noqa: S608
        f" ON u.{qn(users.pk.column)} = r.{user} WHERE r.{role} = %s AND u.{qn(users.get_field('is_active').column)}"
        f" = %s ORDER BY r.{user} LIMIT 1)"
    )
    ledger = LedgerTransaction._meta
    return (
        f"SELECT EXISTS (SELECT 1 FROM {qn(ledger.db_table)} WHERE {qn(ledger.get_field('key').column)} = %s),"  # noqa: S608
        f" {holder}, {holder}"
    )


def _split_start(order) -> tuple[bool, dict[str, int]]:
    """Whether the order's split is posted already, and `role_holders(FOUNDER, COFOUNDER)`, in ONE statement (two
    before) whose SQL is built once per process."""
    with connection.cursor() as cursor:
        cursor.execute(_split_start_sql(), [split_key(order), Role.FOUNDER, True, Role.COFOUNDER, True])
        posted, founder, cofounder = cursor.fetchone()
    holders = {role: user_id for role, user_id in ((Role.FOUNDER, founder), (Role.COFOUNDER, cofounder)) if user_id}
    return bool(posted), holders


def split_key(order) -> str:
    return f"split:{order.invoice_number}"


def refund_key(order) -> str:
    return f"refund:{order.invoice_number}"


def _commission_quote(order, items=None):
    """The affiliate's quote for the order (affiliates.services.commission_compute; its `affiliate` is None without
    an affiliate profile or for a self-referral), or None when the order has no affiliate. `items`: the order's
    items when the caller holds them."""
    if not order.affiliate_id or order.affiliate_id == order.buyer_id:
        return None
    return affiliate_services.commission_compute(order=order, rule_for=commission_rule_for, items=items)


def _line_commissions(quote, items) -> list[int]:
    """The commission of each order item, in the order of `items`."""
    if quote is None:
        return [0] * len(items)
    by_item = {}
    for line in quote.lines:
        by_item[line.item_id] = by_item.get(line.item_id, 0) + int(line.amount)
    return [by_item.get(item.pk, 0) for item in items]


def order_split_lines(order, items, quote) -> list[SplitLine]:
    commissions = _line_commissions(quote, items)
    lines = []
    for item, commission in zip(items, commissions, strict=True):
        mentor_id, percent = creator_share_for(item)  # the sellable kind's creator share
        lines.append(SplitLine(amount=item.amount, commission=commission, mentor_id=mentor_id, mentor_percent=percent))
    return lines


def split_for_order(order, *, settings_row: RevenueSettings, quote=None, items=None) -> SplitParts:
    """`items`: the order's items with their products when the caller holds them (fulfilment), else read here."""
    items = (
        sorted(items, key=lambda item: item.pk)
        if items is not None
        else list(order.items.select_related("product", "plan").order_by("id"))
    )
    return split_compute(
        total=order.total,
        lines=order_split_lines(order, items, quote),
        enabled=settings_row.enabled,
        company_fee_percent=settings_row.company_fee_percent,
        founder_percent=settings_row.founder_percent,
        cofounder_percent=settings_row.cofounder_percent,
        extra_base=split_base_extra(order),
    )


@service_atomic
def revenue_split_post(*, order, items=None) -> LedgerTransaction | None:
    """Posts the split of a paid order (called by orders' fulfilment in the paid transaction). Creates the
    affiliate's Commission (pending, or review when flagged; available after the holding period) and the mentors'
    shares, then one ledger transaction keyed `split:<invoice>`. A second call, or an order of Rp 0, posts
    nothing and returns None. `items`: the order's items with their products, when the caller already read them."""
    if order.total <= 0:
        return None
    posted, holders = _split_start(order)  # the idempotency check and the founders' wallets, in one statement
    if posted:
        return None
    settings_row = revenue_settings_current()
    if items is not None:
        items = sorted(items, key=lambda item: item.pk)
    quote = _commission_quote(order, items)
    parts = split_for_order(order, settings_row=settings_row, quote=quote, items=items)
    paid_at = order.paid_at or timezone.now()
    available_at = paid_at + timedelta(days=settings_row.holding_days)

    postings = [Posting(AccountKind.GATEWAY, Bucket.NONE, -parts.total)]
    company = parts.company
    data = {
        "settings": settings_row.pk,
        "total": parts.total,
        "affiliate": parts.affiliate,
        "mentors": [[mentor, amount] for mentor, amount in parts.mentors],
        "company_fee": parts.company_fee,
        "founder": parts.founder,
        "cofounder": parts.cofounder,
        "enabled": settings_row.enabled,
    }
    if order.tax or order.admin_fee:
        data.update(tax=order.tax, admin_fee=order.admin_fee, shared_charges=split_base_extra(order))
    profile = quote.affiliate if quote is not None else None
    if profile is not None:
        # A Commission row for every attributed sale (also Rp 0: the sale counts for tiers and challenges).
        commission = affiliate_services.commission_record(
            order=order,
            affiliate=profile,
            base_amount=quote.base_amount,
            amount=parts.affiliate,
            rule=quote.rule,
            flag_reason=quote.flag_reason,
            available_at=available_at,
        )
        if commission.amount > 0:
            transaction.on_commit(partial(commission_notify, commission.pk, kinds.COMMISSION_NEW), robust=True)
        data["commission"] = commission.pk
        data["commission_rule"] = commission.rule
    if parts.affiliate:
        postings.append(Posting(AccountKind.AFFILIATE, Bucket.PENDING, parts.affiliate, order.affiliate_id))
    for mentor_id, amount in parts.mentors:
        MentorShare.objects.create(order=order, mentor_id=mentor_id, amount=amount, available_at=available_at)
        postings.append(Posting(AccountKind.MENTOR, Bucket.PENDING, amount, mentor_id))
    for kind, role, amount in (
        (AccountKind.FOUNDER, Role.FOUNDER, parts.founder),
        (AccountKind.COFOUNDER, Role.COFOUNDER, parts.cofounder),
    ):
        if not amount:
            continue
        holder = holders.get(role)
        if holder is None:
            company += amount
            data[f"{kind}_to_company"] = True
        else:
            postings.append(Posting(kind, Bucket.AVAILABLE, amount, holder))
    postings.append(Posting(AccountKind.COMPANY, Bucket.NONE, company))
    return transaction_post(
        key=split_key(order),
        kind=TransactionKind.SALE_SPLIT,
        postings=postings,
        order=order,
        memo=f"Bagi hasil {order.invoice_number}",
        data=data,
        value_date=order.paid_at,
        key_checked=True,  # looked up above, in this transaction (the unique key stays the last guard)
    )


@transaction.atomic
def refund_reverse(*, order) -> LedgerTransaction | None:
    """Posts the exact reversal of everything posted for a refunded order (split, releases, void), wherever the
    money sits now, keyed `refund:<invoice>`; the commission becomes `reversed`, mentor shares too. Nothing posted
    for the order (a free order): None."""
    posted = LedgerTransaction.objects.filter(order=order).exclude(key=refund_key(order))
    net = net_by_account(transactions=posted)
    affiliate_services.commissions_reverse(order=order)
    MentorShare.objects.filter(order=order).exclude(status=MentorShareStatus.REVERSED).update(
        status=MentorShareStatus.REVERSED
    )
    postings = reversal_postings(net)
    if not postings:
        return None
    return transaction_post(
        key=refund_key(order),
        kind=TransactionKind.REFUND,
        postings=postings,
        order=order,
        memo=f"Refund {order.invoice_number}",
        data={"reversed": sorted(posted.values_list("key", flat=True))},
    )
