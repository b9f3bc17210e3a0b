import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from sanggar.documents.models import Document, DocumentCategory, DownloadLog

from .conftest import join, pdf_bytes

pytestmark = pytest.mark.django_db


def _stream(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_member_list_shows_locked_documents_with_upgrade(client, make_document, silver_member):
    make_document("Panduan Dasar", min_rank=1)
    make_document("Data Buyer Kopi", min_rank=2)
    client.force_login(silver_member)
    response = client.get(reverse("documents:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Panduan Dasar" in html and "Data Buyer Kopi" in html
    assert "Dokumen ini hanya untuk member Gold ke atas." in html
    assert "Upgrade Membership" in html and "/checkout/" in html


def test_member_downloads_a_stamped_pdf(client, make_document, gold_member):
    doc = make_document(min_rank=2)
    client.force_login(gold_member)
    response = client.post(reverse("documents:download", args=[doc.pk]))
    assert response.status_code == 302 and "/dokumen/unduh/" in response["Location"]
    served = client.get(response["Location"])
    assert served.status_code == 200
    assert served["Cache-Control"] == "private, no-store"
    assert served["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(_stream(served))).pages[0].extract_text()
    assert "Budi Santoso" in text and "budi@example.com" in text
    again = client.get(response["Location"])
    assert again.status_code == 403 and "sudah dipakai" in again.content.decode()


def test_locked_download_is_refused_with_reason(client, make_document, silver_member):
    doc = make_document(min_rank=3)
    client.force_login(silver_member)
    response = client.post(reverse("documents:download", args=[doc.pk]))
    assert response.status_code == 403
    assert "Platinum ke atas" in response.content.decode()
    assert DownloadLog.objects.get().status == "failed"


def test_download_needs_post_and_login(client, make_document):
    doc = make_document(min_rank=1)
    assert client.get(reverse("documents:download", args=[doc.pk])).status_code in (302, 405)
    response = client.post(reverse("documents:download", args=[doc.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_file_is_not_reachable_by_media_url(client, make_document, gold_member):
    doc = make_document(min_rank=1)
    client.force_login(gold_member)
    assert client.get("/media/" + doc.file.name).status_code == 404


def test_detail_counts_a_view(client, make_document, gold_member):
    doc = make_document(min_rank=1)
    client.force_login(gold_member)
    assert client.get(reverse("documents:detail", args=[doc.pk])).status_code == 200
    doc.refresh_from_db()
    assert doc.views == 1
    history = client.get(reverse("documents:history"))
    assert doc.title in history.content.decode()


def test_members_cannot_open_admin_pages(client, gold_member):
    client.force_login(gold_member)
    for name in ("documents:admin_documents", "documents:admin_logs", "documents:admin_categories"):
        assert client.get(reverse(name)).status_code in (302, 403)


def test_admin_uploads_edits_and_toggles(admin_client, category, plans):
    upload = SimpleUploadedFile("panduan.pdf", pdf_bytes(), content_type="application/pdf")
    response = admin_client.post(
        reverse("documents:admin_document_create"),
        {"title": "Panduan HS Code", "description": "", "category": category.pk, "min_rank": 2, "file": upload,
         "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    doc = Document.objects.get()
    assert doc.min_rank == 2 and doc.resource.kind == "document"
    listing = admin_client.get(reverse("documents:admin_documents"), {"level": "2"})
    assert "Panduan HS Code" in listing.content.decode() and "Gold ke atas" in listing.content.decode()
    response = admin_client.post(
        reverse("documents:admin_document_edit", args=[doc.pk]),
        {"title": "Panduan HS Code 2026", "description": "Baru", "category": category.pk, "min_rank": 3},
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert (doc.title, doc.min_rank, doc.is_active) == ("Panduan HS Code 2026", 3, False)
    admin_client.post(reverse("documents:admin_document_toggle", args=[doc.pk]))
    doc.refresh_from_db()
    assert doc.is_active
    admin_client.post(reverse("documents:admin_document_delete", args=[doc.pk]))
    doc.refresh_from_db()
    assert doc.deleted_at is not None
    assert f'data-document="{doc.pk}"' not in admin_client.get(reverse("documents:admin_documents")).content.decode()


def test_admin_upload_refuses_wrong_content(admin_client, category, plans):
    upload = SimpleUploadedFile("palsu.pdf", b"MZ\x90\x00 program", content_type="application/pdf")
    response = admin_client.post(
        reverse("documents:admin_document_create"),
        {"title": "Palsu", "category": category.pk, "min_rank": 1, "file": upload, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "tidak sesuai" in response.content.decode()
    assert not Document.objects.exists()


def test_nul_characters_are_refused_with_a_message(admin_client, category, plans):
    response = admin_client.post(reverse("documents:admin_categories"), {"name": "Jahat\x00", "sort_order": 1})
    assert response.status_code == 400
    assert DocumentCategory.objects.count() == 1
    response = admin_client.get(reverse("documents:admin_documents"), {"q": "a\x00b"})
    assert response.status_code == 400


def test_admin_categories(admin_client, category):
    response = admin_client.post(reverse("documents:admin_categories"), {"name": "Legalitas", "sort_order": 5})
    assert response.status_code == 302
    response = admin_client.post(reverse("documents:admin_categories"), {"name": "panduan", "sort_order": 5})
    assert "sudah ada" in response.content.decode()


def test_admin_log_verify_and_csv(admin_client, make_document, silver_member):
    doc = make_document(min_rank=3)
    client = Client()
    client.force_login(silver_member)
    client.post(reverse("documents:download", args=[doc.pk]), HTTP_USER_AGENT="Mozilla/5.0 Tes")
    log = DownloadLog.objects.get()
    page = admin_client.get(reverse("documents:admin_logs"), {"status": "failed"})
    assert "sari@example.com" in page.content.decode()
    response = admin_client.post(
        reverse("documents:admin_log_detail", args=[log.pk]), {"verified": "on", "notes": "Dikonfirmasi via WA"}
    )
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.admin_verified and log.notes == "Dikonfirmasi via WA"
    csv = b"".join(admin_client.get(reverse("documents:admin_logs_export")).streaming_content).decode("utf-8-sig")
    assert "Nama User" in csv and "sari@example.com" in csv and "Mozilla/5.0 Tes" in csv


def test_list_pages_have_fixed_query_counts(
    admin_client, make_document, gold_member, django_assert_max_num_queries, plans
):
    for number in range(15):
        make_document(f"Dokumen {number}", min_rank=1 + number % 3)
    client = Client()
    client.force_login(gold_member)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("documents:list")).status_code == 200
    for _ in range(3):
        client.post(reverse("documents:download", args=[Document.objects.filter(min_rank=1).first().pk]))
    with django_assert_max_num_queries(15):
        assert admin_client.get(reverse("documents:admin_documents")).status_code == 200
    with django_assert_max_num_queries(15):
        assert admin_client.get(reverse("documents:admin_logs")).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("documents:history")).status_code == 200


def test_expired_member_sees_rejoin(client, make_document, make_user, plans):
    user = make_user()
    join(user, plans["gold"], ends_in_days=-1, status="expired")
    make_document(min_rank=1)
    client.force_login(user)
    assert "Gabung ulang untuk mengakses dokumen" in client.get(reverse("documents:list")).content.decode()
