"""Demo documents (after the memberships' demo): four categories and six documents for Silver, Gold and Platinum
members, real PDFs drawn with WeasyPrint, and a few downloads by the mentor (who holds a Gold membership from the
admin). Built through the services; running it twice changes nothing. The demo does not announce the documents
(nobody is notified while seeding): they are saved inactive, then switched on."""

from django.core.files.uploadedfile import SimpleUploadedFile
from weasyprint import HTML

from sanggar.accounts.models import User
from sanggar.catalog.models import MembershipPlan

from . import services
from .models import Document, DocumentCategory, DownloadLog

CATEGORIES = ("Panduan", "Template", "Buyer Data", "Legalitas")

DOCUMENTS = (
    (
        "Panduan Ekspor ke Timur Tengah",
        "Panduan",
        1,
        "Regulasi impor, sertifikasi halal dan jalur pengiriman ke Arab Saudi, UEA dan Qatar.",
        [
            (
                "1. Memahami pasar",
                "Permintaan produk makanan olahan, kopi dan rempah Indonesia terus naik di kawasan Teluk.",
            ),
            (
                "2. Sertifikasi",
                "Siapkan sertifikat halal BPJPH dan registrasi produk di SFDA (Arab Saudi) sebelum kirim sampel.",
            ),
            ("3. Pengiriman", "Gunakan FCL dari Tanjung Priok ke Jebel Ali; waktu transit sekitar 18–21 hari."),
        ],
    ),
    (
        "Template Proforma Invoice (PDF)",
        "Template",
        1,
        "Contoh proforma invoice berbahasa Inggris yang siap diisi untuk penawaran pertama ke buyer.",
        [
            (
                "Proforma Invoice",
                "Seller, buyer, Incoterms (FOB/CIF), HS code, quantity, unit price, total, payment terms.",
            )
        ],
    ),
    (
        "Checklist Dokumen Ekspor Lengkap",
        "Panduan",
        2,
        "Daftar periksa PEB, packing list, commercial invoice, COO, B/L dan fumigasi untuk setiap pengapalan.",
        [("Checklist", "PEB · Commercial invoice · Packing list · Certificate of Origin · Bill of Lading · Fumigasi")],
    ),
    (
        "Data Buyer Kopi Eropa 2026",
        "Buyer Data",
        2,
        "40 importir kopi hijau di Jerman, Belanda dan Belgia beserta volume impor tahunan.",
        [("Buyer kopi", "Contoh baris: Hamburg Coffee Import GmbH — Jerman — 1.200 ton/tahun — arabika Gayo.")],
    ),
    (
        "Kontrak Penjualan Internasional (Sales Contract)",
        "Legalitas",
        3,
        "Kontrak standar dengan klausul force majeure, arbitrase dan L/C untuk transaksi pertama.",
        [("Sales Contract", "Pasal 1 Barang · Pasal 2 Harga · Pasal 3 Pembayaran (L/C at sight) · Pasal 4 Arbitrase")],
    ),
    (
        "Data Buyer Rempah Timur Tengah",
        "Buyer Data",
        3,
        "Importir lada, pala dan kayu manis di UEA dan Arab Saudi, lengkap dengan kontak pengadaan.",
        [("Buyer rempah", "Contoh baris: Al Noor Spices LLC — Dubai — lada hitam, pala — 300 ton/tahun.")],
    ),
)


def _pdf(title: str, sections) -> bytes:
    body = "".join(f"<h2>{heading}</h2><p>{text}</p>" for heading, text in sections)
    html = (
        "<html><head><style>body{font-family:sans-serif;margin:2cm;color:#1f2937}h1{color:#0f766e}</style></head>"
        f"<body><h1>{title}</h1><p>Dokumen khusus member Ekspor Yuk.</p>{body}</body></html>"
    )
    return HTML(string=html).write_pdf()


def seed(*, log):
    admin = User.objects.filter(email="admin@sanggar.test").first()
    if admin is None:
        log("demo accounts missing; run the accounts demo first")
        return
    for order, name in enumerate(CATEGORIES):
        if not DocumentCategory.objects.filter(name=name).exists():
            services.category_save(actor=admin, name=name, sort_order=order * 10)
    ranks = sorted(set(MembershipPlan.objects.values_list("rank", flat=True))) or [1]
    created = 0
    for title, category_name, level, description, sections in DOCUMENTS:
        if Document.objects.filter(title=title).exists():
            continue
        rank = min(level, ranks[-1])
        upload = SimpleUploadedFile(f"{title}.pdf", _pdf(title, sections), content_type="application/pdf")
        document = services.document_create(
            actor=admin, title=title, description=description, min_rank=rank, file=upload, is_active=False,
            category=DocumentCategory.objects.get(name=category_name),
        )  # fmt: skip
        services.document_set_active(document=document, actor=admin, active=True)
        created += 1
    log(f"{created} documents added" if created else "demo documents already there")

    mentor = User.objects.filter(email="mentor@sanggar.test").first()
    if mentor is None or DownloadLog.objects.filter(user=mentor).exists():
        return
    for document in Document.objects.filter(is_active=True).order_by("min_rank", "id")[:3]:
        services.document_view_record(user=mentor, document=document)
        try:
            link = services.download_link_issue(user=mentor, document=document, ip="36.72.14.9", user_agent="Demo")
            services.download_open(
                user=mentor, token=link.path.rsplit("/", 1)[-1], ip="36.72.14.9", user_agent="Mozilla/5.0 (Android 14)"
            )
        except services.ServiceError as exc:
            log(f"{mentor.email}: {document.title}: {exc.message}")
    log(f"{mentor.email}: demo downloads")
