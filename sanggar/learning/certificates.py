"""The certificate as a PDF (WeasyPrint, from learning/pdf/certificate.html): the member's name, the course, the
date, the mentor, the unique code, the verification address built from the site address and a QR code of that
address (segno, pure Python, embedded as a data: SVG). Nothing is fetched while rendering (no URLs are resolved)."""

import base64

from django.template.loader import render_to_string
from django.urls import reverse

from sanggar.branding.selectors import branding_get
from sanggar.core.site import absolute

from .models import Certificate


def verify_url(cert: Certificate, request=None) -> str:
    return absolute(reverse("learning:certificate", args=[cert.code]), request)


def qr_data_uri(text: str) -> str:
    """A QR code of `text` as an SVG data URI (error correction M, no external request)."""
    import segno

    svg = segno.make(text, error="m").svg_inline(scale=4, border=2, omitsize=False)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def certificate_html(cert: Certificate, request=None) -> str:
    url = verify_url(cert, request)
    return render_to_string(
        "learning/pdf/certificate.html",
        {"cert": cert, "verify_url": url, "qr": qr_data_uri(url), "brand": branding_get()},
    )


def certificate_pdf(cert: Certificate, request=None) -> bytes:
    from weasyprint import HTML  # heavy: loaded when a PDF is made (as orders' invoice does)
    from weasyprint.urls import URLFetcher

    return HTML(string=certificate_html(cert, request), url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
