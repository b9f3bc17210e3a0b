"""The invoice as a PDF (WeasyPrint, from the template orders/pdf/invoice.html).

Nothing is fetched while rendering: the platform logo is embedded as a data: URI and every other URL scheme is
refused, so an invoice can never make the server open a file or a network address."""

import base64
import mimetypes

from django.conf import settings
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone

from sanggar.branding.selectors import branding_get
from sanggar.core.site import site_url

from .constants import PROVIDER_LABELS, OrderStatus
from .models import Order

LOGO_MAX_BYTES = 2 * 1024 * 1024


def _logo_data_uri(url: str) -> str:
    """The branding logo (a /media/ URL) as a data: URI, or "" when there is none or it cannot be read."""
    if not url or not url.startswith(settings.MEDIA_URL):
        return ""
    name = url[len(settings.MEDIA_URL) :]
    mime = mimetypes.guess_type(name)[0] or ""
    if not mime.startswith("image/"):
        return ""
    try:
        if default_storage.size(name) > LOGO_MAX_BYTES:
            return ""
        with default_storage.open(name, "rb") as handle:
            data = handle.read()
    except OSError:
        return ""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def provider_label(identifier: str) -> str:
    return str(PROVIDER_LABELS.get(identifier, identifier))


def invoice_context(*, order: Order, payment=None) -> dict:
    brand = branding_get()
    items = list(order.items.all())
    return {
        "order": order,
        "items": items,
        "brand": brand,
        "logo": _logo_data_uri(brand.logo_main_url),
        "payment": payment,
        "provider_label": provider_label(order.provider),
        "is_paid": order.status == OrderStatus.PAID,
        "member_discount": sum(item.member_discount for item in items),
        "upgrade_credit": sum(item.upgrade_credit for item in items),
        "coupon_discount": sum(item.coupon_discount for item in items),
        "printed_at": timezone.now(),
        "site_url": site_url(),
    }


def invoice_pdf(*, order: Order, payment=None) -> bytes:
    """The order's invoice as PDF bytes; `payment` is the paid payment (for the method), when there is one."""
    # Imported here: WeasyPrint parses its stylesheets on import, which every web process need not pay for.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("orders/pdf/invoice.html", invoice_context(order=order, payment=payment))
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
