"""The holding period: commissions and mentor shares move pending → available once it ends (a sweep); a flagged
commission waits for an admin, who clears it (released as usual) or voids it (its money goes to the company)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.affiliates import services as affiliate_services
from sanggar.affiliates.constants import CommissionStatus, DecisionKind
from sanggar.affiliates.models import Commission
from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.roles import Role

from ..constants import AccountKind, Bucket, FinanceAction, MentorShareStatus, TransactionKind
from ..models import MentorShare
from .ledger import Posting, transaction_post

NOTE_MAX = 300


def _release_commission(commission: Commission, *, now: datetime) -> bool:
    """Moves a locked pending commission to available. True when it was released now."""
    if commission.status != CommissionStatus.PENDING or commission.available_at > now:
        return False
    user_id = commission.affiliate.user_id
    transaction_post(  # nothing is posted for a commission of Rp 0
        key=f"release:commission:{commission.pk}",
        kind=TransactionKind.RELEASE,
        postings=[
            Posting(AccountKind.AFFILIATE, Bucket.PENDING, -commission.amount, user_id),
            Posting(AccountKind.AFFILIATE, Bucket.AVAILABLE, commission.amount, user_id),
        ],
        order=commission.order,
        memo=f"Komisi {commission.order.invoice_number} tersedia",
        data={"commission": commission.pk},
    )
    affiliate_services.commission_release(commission=commission, now=now)
    return True


def _release_mentor_shares(order_id: int, *, now: datetime) -> int:
    """Releases every due pending mentor share of one order in one transaction (`release:mentor:<invoice>`)."""
    shares = list(
        MentorShare.objects.select_for_update(skip_locked=True)
        .select_related("order")
        .filter(order_id=order_id, status=MentorShareStatus.PENDING, available_at__lte=now)
    )
    if not shares:
        return 0
    order = shares[0].order
    postings = []
    for share in shares:
        postings.append(Posting(AccountKind.MENTOR, Bucket.PENDING, -share.amount, share.mentor_id))
        postings.append(Posting(AccountKind.MENTOR, Bucket.AVAILABLE, share.amount, share.mentor_id))
    transaction_post(
        key=f"release:mentor:{order.invoice_number}",
        kind=TransactionKind.RELEASE,
        postings=postings,
        order=order,
        memo=f"Bagian mentor {order.invoice_number} tersedia",
        data={"mentor_shares": [share.pk for share in shares]},
    )
    MentorShare.objects.filter(pk__in=[share.pk for share in shares]).update(
        status=MentorShareStatus.AVAILABLE, released_at=now
    )
    return len(shares)


def commissions_release_sweep(*, now: datetime | None = None, batch: int = 500) -> int:
    """Releases every commission and mentor share whose holding period has ended (flagged commissions wait for an
    admin). One short transaction per item, rows locked with `skip_locked`: safe twice or concurrently. Returns
    how many were released."""
    now = now or timezone.now()
    released = 0
    due = Commission.objects.filter(status=CommissionStatus.PENDING, available_at__lte=now).order_by("available_at")
    for pk in list(due.values_list("pk", flat=True)[:batch]):
        with transaction.atomic():
            commission = (
                Commission.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("affiliate", "order")
                .filter(pk=pk)
                .first()
            )
            if commission is not None and _release_commission(commission, now=now):
                released += 1
    orders = (
        MentorShare.objects.filter(status=MentorShareStatus.PENDING, available_at__lte=now)
        .order_by("order_id")
        .values_list("order_id", flat=True)
        .distinct()
    )
    for order_id in list(orders[:batch]):
        with transaction.atomic():
            released += _release_mentor_shares(order_id, now=now)
    return released


@transaction.atomic
def commission_review_decide(*, commission: Commission, actor, clear: bool, note: str = "") -> Commission:
    """An admin's decision on a flagged commission (status review). clear: it becomes pending again and is
    released at once when its holding period is over. void (a note is required): the affiliate loses it and its
    money goes to the company (`void:commission:<id>`). Both write an AttributionDecision and an activity row."""
    if actor is None or not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang dapat memutuskan komisi yang ditinjau."))
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX:
        message = _("Catatan paling banyak %(n)s karakter.") % {"n": NOTE_MAX}
        raise ServiceError(message, errors={"note": [message]})
    locked = (
        Commission.objects.select_for_update(of=("self",)).select_related("affiliate", "order").get(pk=commission.pk)
    )
    if locked.status != CommissionStatus.REVIEW:
        raise ServiceError(_("Komisi ini tidak sedang ditinjau."))
    now = timezone.now()
    if clear:
        affiliate_services.commission_status_set(commission=locked, status=CommissionStatus.PENDING)
        _release_commission(locked, now=now)
        kind, action = DecisionKind.CLEARED, FinanceAction.COMMISSION_CLEARED
    else:
        if not note:
            message = _("Tuliskan alasan pembatalan komisi.")
            raise ServiceError(message, errors={"note": [message]})
        transaction_post(
            key=f"void:commission:{locked.pk}",
            kind=TransactionKind.VOID,
            postings=[
                Posting(AccountKind.AFFILIATE, Bucket.PENDING, -locked.amount, locked.affiliate.user_id),
                Posting(AccountKind.COMPANY, Bucket.NONE, locked.amount),
            ],
            order=locked.order,
            memo=f"Komisi {locked.order.invoice_number} dibatalkan",
            data={"commission": locked.pk, "note": note},
        )
        affiliate_services.commission_status_set(commission=locked, status=CommissionStatus.VOID)
        kind, action = DecisionKind.VOIDED, FinanceAction.COMMISSION_VOIDED
    affiliate_services.attribution_decision_record(
        affiliate=locked.affiliate,
        order=locked.order,
        kind=kind,
        reason=(note or (locked.flag_reason if clear else ""))[:300] or str(kind.label),
        actor=actor,
    )
    activity_record(
        action=action,
        actor=actor,
        target=locked,
        target_label=f"{locked.affiliate.code} · {locked.order.invoice_number}",
        data={"amount": locked.amount, "note": note, "flag_reason": locked.flag_reason},
    )
    commission.status = locked.status
    commission.released_at = locked.released_at
    return locked
