"""The certificate as a PDF (WeasyPrint, from learning/pdf/certificate.html): the member's name, the course, the
date, the mentor, the unique code and the verification address built from the site address. Nothing is fetched
while rendering (no URLs are resolved)."""

from django.template.loader import render_to_string
from django.urls import reverse

from sanggar.branding.selectors import branding_get
from sanggar.core.site import absolute

from .models import Certificate


def verify_url(cert: Certificate, request=None) -> str:
    return absolute(reverse("learning:certificate", args=[cert.code]), request)


def certificate_html(cert: Certificate, request=None) -> str:
    return render_to_string(
        "learning/pdf/certificate.html",
        {"cert": cert, "verify_url": verify_url(cert, request), "brand": branding_get()},
    )


def certificate_pdf(cert: Certificate, request=None) -> bytes:
    from weasyprint import HTML  # heavy: loaded when a PDF is made (as orders' invoice does)
    from weasyprint.urls import URLFetcher

    return HTML(string=certificate_html(cert, request), url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
