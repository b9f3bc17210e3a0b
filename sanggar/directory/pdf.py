"""An export document as a PDF (WeasyPrint, from directory/pdf/document.html). Labels are bilingual (English for the
buyer and customs, Indonesian for the member); the certificate-of-origin draft carries a DRAFT mark on every page."""

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from sanggar.branding.selectors import branding_get

from .amount_words import amount_in_words, amount_terbilang
from .constants import DocumentKind
from .countries import country_name
from .models import DocumentTemplate, ExportDocument

TITLES = {
    DocumentKind.PROFORMA_INVOICE: "PROFORMA INVOICE",
    DocumentKind.COMMERCIAL_INVOICE: "COMMERCIAL INVOICE",
    DocumentKind.PACKING_LIST: "PACKING LIST",
    DocumentKind.SHIPPING_INSTRUCTION: "SHIPPING INSTRUCTION",
    DocumentKind.COO_DRAFT: "CERTIFICATE OF ORIGIN — DRAFT",
}
PRICED = (DocumentKind.PROFORMA_INVOICE, DocumentKind.COMMERCIAL_INVOICE)


def document_rows(items) -> tuple[list[dict], Decimal]:
    """(rows with each line's amount, the total) of a document's items."""
    rows = []
    for item in items:
        amount = (item.unit_price * item.quantity).quantize(Decimal("0.01")) if item.unit_price is not None else None
        rows.append({"item": item, "amount": amount})
    return rows, sum((r["amount"] for r in rows if r["amount"] is not None), Decimal("0.00"))


def document_context(*, document: ExportDocument) -> dict:
    items = list(document.items.all())
    rows, total = document_rows(items)
    priced = document.kind in PRICED
    template = DocumentTemplate.objects.filter(kind=document.kind).first()
    return {
        "doc": document,
        "title": TITLES[document.kind],
        "rows": rows,
        "priced": priced,
        "template": template,
        "amount_words": amount_words(total=total, currency=document.currency) if priced else None,
        "is_draft_coo": document.kind == DocumentKind.COO_DRAFT,
        "total": total,
        "total_quantity": sum((i.quantity for i in items), Decimal("0")),
        "has_packages": any(i.packages is not None or i.dimensions for i in items),
        "total_packages": sum(i.packages or 0 for i in items),
        "total_net": sum((i.net_weight or Decimal("0") for i in items), Decimal("0")),
        "total_gross": sum((i.gross_weight or Decimal("0") for i in items), Decimal("0")),
        "consignee_country": country_name(document.consignee_country),
        "brand": branding_get(),
        "printed_at": timezone.localtime(),
    }


def amount_words(*, total: Decimal, currency: str) -> dict:
    """The invoice's amount in words: English for every currency, and Indonesian terbilang for rupiah."""
    return {
        "en": amount_in_words(total, currency),
        "id": amount_terbilang(total) if currency == "IDR" else "",
    }


def document_pdf(*, document: ExportDocument) -> bytes:
    # Imported here: WeasyPrint parses its stylesheets on import, which every web process need not pay for.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("directory/pdf/document.html", document_context(document=document))
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
