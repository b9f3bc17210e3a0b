"""The buyer's invoice page: for its buyer and for admins; anyone else gets 404."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sanggar.core.exceptions import ServiceError
from sanggar.core.files import private_file_response
from sanggar.core.permissions import login_required
from sanggar.core.roles import Role
from sanggar.marketing.selectors import pixels_configured, tracking_for

from .. import selectors, services
from ..checkout import (
    checkout_pay,
)
from ..constants import ItemKind, OrderStatus
from ..payments_port import payments as payments_port
from ..sellables import open_links_for, tracking_item_for
from .checkout import or_404

# --- invoice ---------------------------------------------------------------------------------------------------


def _order_for_viewer(request, invoice_number: str):
    """The order for its buyer or an admin; anyone else gets 404 (an invoice number reveals nothing)."""
    return or_404(selectors.order_get_for_user, user=request.user, invoice_number=invoice_number)


def _reorder_url(order) -> str:
    for item in order.items.all():
        if item.kind == ItemKind.PLAN and item.plan_id:
            return reverse("orders:checkout_plan", args=[item.plan.slug]) + "?" + urlencode({"durasi": item.duration})
        if item.kind == ItemKind.PRODUCT and item.product_id:
            return reverse("orders:checkout_product", args=[item.product.slug])
    return reverse("orders:checkout_all")


@login_required
@require_GET
def invoice(request, invoice_number):
    order = _order_for_viewer(request, invoice_number)
    payments = list(order.payments.all())
    payment = payments[0] if payments else None
    is_buyer = order.buyer_id == request.user.pk
    items = list(order.items.all())
    tracking = None
    if is_buyer and pixels_configured():
        item = next((found for i in items if (found := tracking_item_for(i)) is not None), None)
        # Purchase fires once per order: the first render after payment claims it (a reload does not).
        if order.status == OrderStatus.PAID and services.order_pixel_purchase_claim(order=order):
            tracking = tracking_for(
                item=item, event="Purchase", value=int(order.total), extra={"transaction_id": order.invoice_number}
            )
        else:
            tracking = tracking_for(item=item)
    return render(
        request,
        "orders/public/invoice.html",
        {
            "order": order,
            "items": items,
            "payment": payment,
            "instructions": (payment.instructions or {}) if payment else {},
            "is_buyer": is_buyer,
            "is_admin": request.user.has_role(Role.ADMIN),
            "has_plan": any(item.kind == ItemKind.PLAN for item in items),
            "has_product": any(item.kind == ItemKind.PRODUCT for item in items),
            "open_links": open_links_for(items) if order.status == OrderStatus.PAID else [],
            "providers": (
                payments_port().providers_enabled() if is_buyer and order.status == OrderStatus.PENDING else []
            ),
            "reorder_url": _reorder_url(order),
            "PENDING": OrderStatus.PENDING,
            "proofs": selectors.order_proofs(order=order),
            "can_upload_proof": is_buyer and order.status == OrderStatus.PENDING and order.provider == "manual",
            "proof_max_mb": max(1, settings.TRANSFER_PROOF_MAX_BYTES // (1024 * 1024)),
            "tracking": tracking,
        },
    )


@login_required
@require_GET
def invoice_status(request, invoice_number):
    """HTMX poll while pending: 204 while nothing changed, else asks the page to reload."""
    order = _order_for_viewer(request, invoice_number)
    if order.status == request.GET.get("status", ""):
        return HttpResponse(status=204)
    response = HttpResponse(status=200)
    response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def invoice_pay(request, invoice_number):
    """The buyer starts a new payment attempt of a pending order, with the chosen provider."""
    order = _order_for_viewer(request, invoice_number)
    if order.buyer_id != request.user.pk:
        raise Http404
    provider = request.POST.get("provider", "")
    if provider not in {p.identifier for p in payments_port().providers_enabled()}:
        messages.error(request, _("Pilih metode pembayaran yang tersedia."))
        return redirect("orders:invoice", invoice_number=order.invoice_number)
    try:
        result = checkout_pay(order=order, provider=provider, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("orders:invoice", invoice_number=order.invoice_number)
    if result.error:
        messages.warning(request, result.error)
    return redirect(result.redirect_url)


@login_required
@require_POST
def invoice_proof_upload(request, invoice_number):
    """The buyer uploads the proof of a manual transfer; errors come back on the invoice page."""
    order = _order_for_viewer(request, invoice_number)
    upload = request.FILES.get("proof")
    if upload is None:
        messages.error(request, _("Pilih file bukti transfer (foto atau PDF)."))
    else:
        try:
            services.order_proof_upload(order=order, user=request.user, file=upload, note=request.POST.get("note", ""))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Bukti transfer terkirim. Admin akan mengonfirmasi pembayaran Anda."))
    return redirect("orders:invoice", invoice_number=order.invoice_number)


@login_required
@require_GET
def invoice_proof_file(request, invoice_number, proof_id: int):
    """A transfer proof, for its buyer and admins only (never a public media URL)."""
    proof = or_404(selectors.proof_get_for_user, user=request.user, invoice_number=invoice_number, proof_id=proof_id)
    return private_file_response(
        proof.file,
        filename=f"bukti-{proof.order.invoice_number}-{proof.pk}",
        as_attachment=False,
        content_type=proof.content_type,
    )
