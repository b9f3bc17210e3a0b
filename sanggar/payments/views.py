"""Provider webhooks and the admin's view of a manual-payment proof."""

from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from sanggar.core.files import private_file_response
from sanggar.core.permissions import role_required
from sanggar.core.request_context import client_ip
from sanggar.core.roles import Role

from . import selectors, services
from .constants import PROOF_TYPES


@csrf_exempt
@require_POST
def webhook(request, provider: str):
    """`/webhooks/<provider>`: the provider's notification, handled by `services.webhook_receive`."""
    result = services.webhook_receive(
        provider=provider, headers=request.headers, raw_body=request.body, client_ip=client_ip(request)
    )
    return JsonResponse({"outcome": result.outcome, "detail": result.detail}, status=result.status_code)


@require_GET
@role_required(Role.ADMIN)
def proof(request, pk: int):
    """The proof an admin attached when confirming a manual transfer (private file: admins only)."""
    payment = selectors.payment_get(pk=pk)
    if payment is None or not payment.proof:
        raise Http404
    ext = payment.proof.name.rsplit(".", 1)[-1].lower()
    content_type = PROOF_TYPES.get(ext)
    if content_type is None:
        raise Http404
    if not payment.proof.storage.exists(payment.proof.name):
        raise Http404
    return private_file_response(
        payment.proof,
        filename=f"bukti-{payment.order.invoice_number}.{ext}",
        as_attachment=False,
        content_type=content_type,
    )
