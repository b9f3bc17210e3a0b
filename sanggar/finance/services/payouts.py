"""Withdrawals: a request reserves available money under a row lock (so two racing requests cannot both take the
whole balance); an admin approves (the money is paid out) or rejects (it is available again), one by one or as a
batch with a bank-transfer CSV."""

from functools import partial

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.formatting import rupiah
from sanggar.core.roles import Role
from sanggar.notifications.services import notify

from .. import notifications as kinds
from ..constants import (
    PAYOUT_AMOUNT_MAX,
    PAYOUT_KINDS,
    AccountKind,
    Bucket,
    FinanceAction,
    PayoutStatus,
    TransactionKind,
)
from ..models import LedgerAccount, LedgerEntry, Payout, PayoutBatch
from .ledger import Posting, account_get, transaction_post
from .revenue import revenue_settings_current

REASON_MAX = 300
REFERENCE_MAX = 120
PROOF_MAX_BYTES = 5 * 1024 * 1024
PROOF_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".webp")
BATCH_MAX = 200


def _require_admin(actor) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang dapat memproses penarikan dana."))


def account_balance(account: LedgerAccount) -> int:
    return LedgerEntry.objects.filter(account=account).aggregate(total=Sum("amount"))["total"] or 0


def _clean_text(value: str, *, field: str, label: str, max_length: int, errors: dict) -> str:
    value = " ".join(str(value or "").split())
    if not value:
        errors.setdefault(field, []).append(_("%(label)s wajib diisi.") % {"label": label})
    elif len(value) > max_length:
        errors.setdefault(field, []).append(
            _("%(label)s paling banyak %(n)s karakter.") % {"label": label, "n": max_length}
        )
    return value


def _notify(payout_id: int, kind: str, **context) -> None:
    """Tells the payee about their payout (after commit), with the template of `kind`."""

    payout = Payout.objects.select_related("user").get(pk=payout_id)
    context = {"amount": rupiah(payout.amount), "bank": payout.bank_name, **context}
    notify(user=payout.user, kind=kind, link="/dompet", context=context)


@transaction.atomic
def payout_request(
    *, user, wallet_kind: str, amount, bank_name: str, bank_account_number: str, bank_account_holder: str
) -> Payout:
    """Reserves `amount` of the user's available balance in `wallet_kind` for a transfer to their bank account.
    The user's available account row is locked while the balance is checked, so the sum of requests can never
    exceed what is available."""
    errors: dict[str, list[str]] = {}
    if wallet_kind not in PAYOUT_KINDS:
        errors["wallet_kind"] = [_("Pilih dompet yang dapat ditarik.")]
    try:
        if isinstance(amount, bool):
            raise ValueError
        amount = int(amount)
    except (TypeError, ValueError):
        errors["amount"] = [_("Isi jumlah penarikan dengan angka rupiah.")]
        amount = 0
    bank_name = _clean_text(bank_name, field="bank_name", label=_("Nama bank"), max_length=60, errors=errors)
    number = "".join(str(bank_account_number or "").split()).replace("-", "")
    if not number:
        errors["bank_account_number"] = [_("Nomor rekening wajib diisi.")]
    elif not number.isdigit() or not 5 <= len(number) <= 30:
        errors["bank_account_number"] = [_("Nomor rekening hanya berisi angka, 5–30 digit.")]
    holder = _clean_text(
        bank_account_holder, field="bank_account_holder", label=_("Nama pemilik rekening"), max_length=120,
        errors=errors,
    )  # fmt: skip
    settings_row = revenue_settings_current()
    if "amount" not in errors:
        if amount <= 0:
            errors["amount"] = [_("Jumlah penarikan harus lebih dari Rp 0.")]
        elif amount > PAYOUT_AMOUNT_MAX:
            errors["amount"] = [_("Jumlah penarikan tidak wajar.")]
        elif amount < settings_row.min_payout:
            errors["amount"] = [_("Minimal penarikan %(min)s.") % {"min": rupiah(settings_row.min_payout)}]
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], errors=errors)

    available_account = account_get(kind=wallet_kind, bucket=Bucket.AVAILABLE, user_id=user.pk)
    LedgerAccount.objects.select_for_update().get(pk=available_account.pk)
    available = account_balance(available_account)
    if amount > available:
        message = _("Saldo tersedia hanya %(available)s.") % {"available": rupiah(max(available, 0))}
        raise ServiceError(message, errors={"amount": [message]}, code="insufficient_balance")
    payout = Payout.objects.create(
        user=user,
        wallet_kind=wallet_kind,
        amount=amount,
        bank_name=bank_name,
        bank_account_number=number,
        bank_account_holder=holder,
    )
    transaction_post(
        key=f"payout:{payout.pk}:request",
        kind=TransactionKind.PAYOUT_REQUEST,
        postings=[
            Posting(wallet_kind, Bucket.AVAILABLE, -amount, user.pk),
            Posting(wallet_kind, Bucket.RESERVED, amount, user.pk),
        ],
        payout=payout,
        memo=f"Pengajuan penarikan #{payout.pk}",
    )
    activity_record(
        action=FinanceAction.PAYOUT_REQUESTED,
        actor=user,
        target=payout,
        target_label=f"#{payout.pk} · {user.email}",
        data={"amount": amount, "wallet": wallet_kind, "bank": bank_name},
    )
    return payout


def _lock_requested(payout: Payout) -> Payout:
    locked = Payout.objects.select_for_update().get(pk=payout.pk)
    if locked.status != PayoutStatus.REQUESTED:
        raise ServiceError(
            _("Penarikan #%(id)s sudah diproses (%(status)s).")
            % {"id": locked.pk, "status": locked.get_status_display()}
        )
    return locked


def _check_proof(proof) -> None:
    if proof is None:
        return
    name = (getattr(proof, "name", "") or "").lower()
    if not name.endswith(PROOF_EXTENSIONS):
        message = _("Bukti transfer harus berupa PDF, PNG, JPG atau WebP.")
        raise ServiceError(message, errors={"proof": [message]})
    if getattr(proof, "size", 0) > PROOF_MAX_BYTES:
        message = _("Bukti transfer paling besar 5 MB.")
        raise ServiceError(message, errors={"proof": [message]})


def _approve_locked(locked: Payout, *, actor, transfer_reference: str, proof=None, batch=None) -> Payout:
    postings = [
        Posting(locked.wallet_kind, Bucket.RESERVED, -locked.amount, locked.user_id),
        Posting(locked.wallet_kind, Bucket.PAID_OUT, locked.amount, locked.user_id),
        # The cash view: money leaves the platform's account (gateway) as a transfer out.
        Posting(AccountKind.GATEWAY, Bucket.NONE, locked.amount),
        Posting(AccountKind.PAYOUT, Bucket.NONE, -locked.amount),
    ]
    transaction_post(
        key=f"payout:{locked.pk}:paid",
        kind=TransactionKind.PAYOUT_PAID,
        postings=postings,
        payout=locked,
        memo=f"Penarikan #{locked.pk} dibayar",
        data={"reference": transfer_reference},
    )
    locked.status = PayoutStatus.APPROVED
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.transfer_reference = transfer_reference
    locked.batch = batch
    fields = ["status", "decided_at", "decided_by", "transfer_reference", "batch"]
    if proof is not None:
        locked.proof = proof
        fields.append("proof")
    locked.save(update_fields=fields)
    activity_record(
        action=FinanceAction.PAYOUT_APPROVED,
        actor=actor,
        target=locked,
        target_label=f"#{locked.pk} · {locked.user.email}",
        data={"amount": locked.amount, "reference": transfer_reference, "batch": batch.pk if batch else None},
    )

    transaction.on_commit(
        partial(
            _notify,
            locked.pk,
            kinds.PAYOUT_PAID,
        ),
        robust=True,
    )
    return locked


@transaction.atomic
def payout_approve(*, payout: Payout, actor, transfer_reference: str, proof=None) -> Payout:
    """Marks a requested payout paid: reserved → paid out, with the bank's transfer reference and an optional
    proof (PDF or image ≤ 5 MB). The user is told after commit."""
    _require_admin(actor)
    errors: dict = {}
    reference = _clean_text(
        transfer_reference, field="transfer_reference", label=_("Referensi transfer"), max_length=REFERENCE_MAX,
        errors=errors,
    )  # fmt: skip
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], errors=errors)
    _check_proof(proof)
    locked = _lock_requested(payout)
    locked = _approve_locked(locked, actor=actor, transfer_reference=reference, proof=proof)
    payout.status, payout.transfer_reference = locked.status, locked.transfer_reference
    return locked


@transaction.atomic
def payout_reject(*, payout: Payout, actor, reason: str) -> Payout:
    """Refuses a requested payout with a reason: reserved → available again. The user is told after commit."""
    _require_admin(actor)
    errors: dict = {}
    reason = _clean_text(reason, field="reason", label=_("Alasan"), max_length=REASON_MAX, errors=errors)
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], errors=errors)
    locked = _lock_requested(payout)
    transaction_post(
        key=f"payout:{locked.pk}:reject",
        kind=TransactionKind.PAYOUT_REJECT,
        postings=[
            Posting(locked.wallet_kind, Bucket.RESERVED, -locked.amount, locked.user_id),
            Posting(locked.wallet_kind, Bucket.AVAILABLE, locked.amount, locked.user_id),
        ],
        payout=locked,
        memo=f"Penarikan #{locked.pk} ditolak",
        data={"reason": reason},
    )
    locked.status = PayoutStatus.REJECTED
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.reason = reason
    locked.save(update_fields=["status", "decided_at", "decided_by", "reason"])
    activity_record(
        action=FinanceAction.PAYOUT_REJECTED,
        actor=actor,
        target=locked,
        target_label=f"#{locked.pk} · {locked.user.email}",
        data={"amount": locked.amount, "reason": reason},
    )
    transaction.on_commit(
        partial(
            _notify,
            locked.pk,
            kinds.PAYOUT_REJECTED,
            reason=reason,
        ),
        robust=True,
    )
    payout.status, payout.reason = locked.status, locked.reason
    return locked


@transaction.atomic
def payout_batch_approve(*, payouts, actor, note: str = "") -> PayoutBatch:
    """Approves several requested payouts at once as one batch (the transfer reference of each is
    `BATCH-<batch id>-<payout id>`); the batch's bank-transfer CSV lists them. Refused when none is selected or one
    of them is no longer requested (nothing changes then)."""
    _require_admin(actor)
    ids = sorted({payout.pk if hasattr(payout, "pk") else int(payout) for payout in payouts})
    if not ids:
        raise ServiceError(_("Pilih minimal satu pengajuan penarikan."))
    if len(ids) > BATCH_MAX:
        raise ServiceError(_("Paling banyak %(n)s penarikan per batch.") % {"n": BATCH_MAX})
    locked = list(Payout.objects.select_for_update().select_related("user").filter(pk__in=ids).order_by("pk"))
    if len(locked) != len(ids):
        raise ServiceError(_("Sebagian pengajuan penarikan tidak ditemukan."))
    done = [p for p in locked if p.status != PayoutStatus.REQUESTED]
    if done:
        raise ServiceError(
            _("Penarikan %(ids)s sudah diproses; batch tidak dibuat.") % {"ids": ", ".join(f"#{p.pk}" for p in done)}
        )
    batch = PayoutBatch.objects.create(created_by=actor, note=" ".join((note or "").split())[:200])
    for payout in locked:
        _approve_locked(payout, actor=actor, transfer_reference=f"BATCH-{batch.pk}-{payout.pk}", batch=batch)
    activity_record(
        action=FinanceAction.PAYOUT_BATCH_APPROVED,
        actor=actor,
        target=batch,
        target_label=f"Batch #{batch.pk}",
        data={"payouts": ids, "total": sum(p.amount for p in locked)},
    )
    return batch
