"""Transfer proofs: a buyer paying by manual transfer uploads a photo or PDF of the transfer; the order joins the
admins' "Menunggu konfirmasi" queue and every active admin is told. The file is private (buyer and admins only)."""

from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from sanggar.accounts.selectors import users_with_role
from sanggar.catalog.uploads import file_size, generated_name, original_name, validate_image
from sanggar.core.exceptions import NotFound, ServiceError
from sanggar.core.formatting import rupiah
from sanggar.core.roles import Role
from sanggar.notifications.services import notify_users

from .. import notifications as kinds
from ..constants import (
    PROOF_CONTENT_TYPES,
    PROOF_NOTE_MAX_LENGTH,
    OrderAction,
    OrderStatus,
)
from ..models import Order, TransferProof
from .events import order_log


def _fail(message: str):
    raise ServiceError(message, errors={"file": [message]}, code="proof_invalid")


def proof_kind(file) -> str:
    """The real type of an uploaded proof from its content: "pdf", "png", "jpg" or "webp". Anything else, an
    empty file or one above TRANSFER_PROOF_MAX_BYTES raises ServiceError on "file"."""
    limit = settings.TRANSFER_PROOF_MAX_BYTES
    size = file_size(file)
    if 0 < size <= limit:
        file.seek(0)
        head = file.read(8)
        file.seek(0)
        if head.startswith(b"%PDF-"):
            return "pdf"
    try:
        return validate_image(file, field="file", label=_("Bukti transfer"), max_bytes=limit)
    except ServiceError as exc:
        if "WebP" in exc.message:  # the image check's "not an image": say that a PDF is fine too
            _fail(_("Bukti transfer harus berupa foto (JPG, PNG, WebP) atau PDF."))
        raise


@transaction.atomic
def order_proof_upload(*, order: Order, user, file, note: str = "") -> TransferProof:
    """Stores `user`'s transfer proof for their own pending order. Another buyer's order is "not found" (an
    invoice number reveals nothing); a paid, expired or cancelled order takes no proof."""
    order = Order.objects.select_for_update().filter(pk=order.pk).first()
    if order is None or order.buyer_id != getattr(user, "pk", None):
        raise NotFound(_("Pesanan tidak ditemukan."))
    if order.status != OrderStatus.PENDING:
        raise ServiceError(
            _("Pesanan ini tidak menunggu pembayaran lagi; bukti transfer tidak diperlukan."), code="order_not_pending"
        )
    kind = proof_kind(file)
    note = (note or "").strip()[:PROOF_NOTE_MAX_LENGTH]
    file.seek(0)
    content = file.read()
    proof = TransferProof(
        order=order, uploaded_by=user, content_type=PROOF_CONTENT_TYPES[kind], size=len(content),
        original_name=original_name(file), note=note,
    )  # fmt: skip
    proof.file.save(generated_name(f"proof-{order.invoice_number}", kind), ContentFile(content), save=False)
    proof.save()
    order_log(order=order, action=OrderAction.PROOF_UPLOADED, actor=user, message=note, data={"proof": proof.pk})
    transaction.on_commit(partial(notify_admins_proof, proof.pk), robust=True)
    return proof


def notify_admins_proof(proof_id: int) -> None:
    """Every active admin hears that a transfer proof waits for confirmation (one insert for all of them)."""
    proof = TransferProof.objects.select_related("order").filter(pk=proof_id).first()
    if proof is None:
        return
    order = proof.order
    notify_users(
        users=list(users_with_role(role=Role.ADMIN)),
        kind=kinds.ADMIN_PROOF_UPLOADED,
        link=reverse("orders:admin_sale_detail", args=[order.invoice_number]),
        context={
            "invoice": order.invoice_number,
            "buyer": order.buyer_name or order.buyer_email,
            "total": rupiah(order.total),
        },
        data={"order": order.invoice_number, "event": "proof_uploaded"},
    )
