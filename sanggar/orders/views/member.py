"""Member pages: the purchase history ("Riwayat Pembelian") and each invoice as a PDF."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from sanggar.core.exceptions import NotFound
from sanggar.core.listing import paginate
from sanggar.core.permissions import login_required

from .. import selectors
from ..pdf import invoice_pdf as render_invoice_pdf
from ..services import paid_payment_for

PURCHASES_PER_PAGE = 10


@login_required
def purchases(request):
    page = paginate(request, selectors.order_list_for_buyer(user=request.user), per_page=PURCHASES_PER_PAGE)
    return render(request, "orders/member/purchases.html", {"page_obj": page, "orders": page.object_list})


@login_required
def invoice_pdf(request, invoice_number: str):
    """The buyer's (or an admin's) invoice; anyone else gets 404, so an invoice number reveals nothing."""
    try:
        order = selectors.order_get_for_user(user=request.user, invoice_number=invoice_number)
    except NotFound:
        raise Http404 from None
    pdf = render_invoice_pdf(order=order, payment=paid_payment_for(order))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{order.invoice_number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
