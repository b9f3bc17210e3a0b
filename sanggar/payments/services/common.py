"""Pieces the payment services share: admin notifications, the proof upload check, activity rows."""

import uuid
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from sanggar.accounts.selectors import users_with_role
from sanggar.audit.services import activity_record
from sanggar.core.exceptions import ServiceError
from sanggar.core.roles import Role
from sanggar.notifications.services import notify_users

from ..constants import PROOF_MAX_BYTES, PROOF_TYPES

# The first bytes of each accepted proof format.
_MAGIC = {
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "application/pdf": (b"%PDF-",),
}


def sale_link(order) -> str:
    """The admin sale detail page of an order (orders app)."""
    return reverse("orders:admin_sale_detail", args=[order.invoice_number])


def admins_notify(*, order, kind: str, **context) -> None:
    """Tells every active admin about a payment that needs a human (in the app and per their channel preferences),
    with the template of `kind`. Call inside the transaction of the change: after it commits, the notifications and
    deliveries of all the admins are created in bulk (one insert each) and sent."""
    transaction.on_commit(
        partial(_admins_notify, kind=kind, link=sale_link(order), context={"invoice": order.invoice_number, **context}),
        robust=True,
    )


def _admins_notify(*, kind: str, link: str, context: dict) -> None:
    notify_users(users=list(users_with_role(role=Role.ADMIN)), kind=kind, link=link, context=context)


def record(*, action: str, order, actor=None, message: str = "", **data) -> None:
    """The one audit row of a payment event, on the order it concerns (the order's timeline shows it)."""
    if message:
        data["message"] = str(message)[:300]
    activity_record(action=action, actor=actor, target=order, target_label=order.invoice_number, data=data)


def proof_check(proof) -> tuple[str, str]:
    """Validates a manual-confirmation proof (image or PDF, at most 5 MB, content matching its extension).
    Returns (extension, content type) or raises ServiceError with the error on the `proof` field."""

    def refuse(message):
        raise ServiceError(message, errors={"proof": [message]})

    name = str(getattr(proof, "name", "") or "")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    content_type = PROOF_TYPES.get(ext)
    if content_type is None:
        refuse(_("Bukti pembayaran harus berupa gambar (JPG, PNG, WEBP) atau PDF."))
    size = getattr(proof, "size", None) or 0
    if size <= 0:
        refuse(_("File bukti pembayaran kosong."))
    if size > PROOF_MAX_BYTES:
        refuse(_("Ukuran bukti pembayaran maksimal 5 MB."))
    proof.seek(0)
    head = proof.read(16)
    proof.seek(0)
    if content_type == "image/webp":
        valid = head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    else:
        valid = any(head.startswith(magic) for magic in _MAGIC[content_type])
    if not valid:
        refuse(_("Isi file bukti pembayaran tidak sesuai dengan jenisnya (%(ext)s).") % {"ext": ext.upper()})
    return ext, content_type


def proof_filename(*, invoice_number: str, ext: str) -> str:
    """A stored proof never keeps the uploader's file name."""
    return f"{invoice_number}-{uuid.uuid4().hex[:12]}.{ext}"
