import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfReader

from sanggar.access.services import grant_admin_create
from sanggar.audit.models import ActivityLog
from sanggar.core.exceptions import NotAllowed, RateLimited, ServiceError
from sanggar.documents import services
from sanggar.documents.announce import document_announce, documents_remind_sweep
from sanggar.documents.models import Document, DownloadLog
from sanggar.documents.policy import document_decision
from sanggar.notifications.models import Notification

from .conftest import join, pdf_upload

pytestmark = pytest.mark.django_db


def _download(user, document):
    link = services.download_link_issue(user=user, document=document, ip="10.0.0.1", user_agent="Tes")
    token = link.path.rstrip("/").rsplit("/", 1)[-1]
    return services.download_open(user=user, token=token, ip="10.0.0.1", user_agent="Tes"), token


def test_level_rule(make_document, gold_member, silver_member, make_user, plans):
    gold_doc = make_document(min_rank=2)
    assert document_decision(user=gold_member, document=gold_doc).allowed
    denied = document_decision(user=silver_member, document=gold_doc)
    assert not denied.allowed and denied.reason == "premium_required"
    assert "Gold ke atas" in denied.message
    assert denied.action_label == "Upgrade Membership"
    nobody = make_user()
    assert not document_decision(user=nobody, document=gold_doc).allowed
    platinum_doc = make_document("Data Buyer Premium", min_rank=3)
    assert not document_decision(user=gold_member, document=platinum_doc).allowed
    assert "Platinum ke atas" in document_decision(user=gold_member, document=platinum_doc).message


def test_expired_member_is_asked_to_rejoin(make_document, make_user, plans):
    user = make_user()
    join(user, plans["gold"], ends_in_days=-2, status="expired")
    decision = document_decision(user=user, document=make_document(min_rank=1))
    assert decision.reason == "membership_expired"
    assert "Gabung ulang untuk mengakses dokumen" in decision.message


def test_admin_grant_opens_one_document(make_document, silver_member, admin_user):
    doc = make_document(min_rank=3)
    assert not document_decision(user=silver_member, document=doc).allowed
    grant_admin_create(user=silver_member, resource=doc.resource, actor=admin_user, note="Klaim manual")
    assert document_decision(user=silver_member, document=doc).allowed


def test_inactive_and_deleted_documents_are_closed(make_document, gold_member, admin_user):
    doc = make_document(min_rank=1)
    services.document_set_active(document=doc, actor=admin_user, active=False)
    doc.refresh_from_db()
    assert not doc.resource.is_active
    assert document_decision(user=gold_member, document=doc).reason == "inactive"
    services.document_delete(document=doc, actor=admin_user)
    doc.refresh_from_db()
    assert doc.deleted_at is not None


def test_pdf_download_is_stamped_logged_and_single_use(make_document, gold_member):
    doc = make_document(min_rank=2)
    opened, token = _download(gold_member, doc)
    reader = PdfReader(io.BytesIO(opened.content))
    text = reader.pages[0].extract_text()
    assert "Budi Santoso" in text and "budi@example.com" in text
    assert "Budi Santoso" in reader.pages[1].extract_text()
    log = DownloadLog.objects.get(document=doc)
    assert log.status == "success" and log.membership_level == "Gold" and log.ip == "10.0.0.1"
    doc.refresh_from_db()
    assert (doc.downloads, doc.download_total) == (1, 1)
    with pytest.raises(NotAllowed) as exc:
        services.download_open(user=gold_member, token=token)
    assert exc.value.code == "link_used"
    assert DownloadLog.objects.filter(document=doc, status="failed").count() == 1
    _download(gold_member, doc)
    doc.refresh_from_db()
    assert (doc.downloads, doc.download_total) == (1, 2)  # each member counted once


def test_denied_attempt_is_logged_failed(make_document, silver_member):
    doc = make_document(min_rank=2)
    with pytest.raises(NotAllowed):
        services.download_link_issue(user=silver_member, document=doc)
    log = DownloadLog.objects.get(document=doc)
    assert log.status == "failed" and "Gold" in log.reason and log.membership_level == "Silver"


def test_link_is_bound_to_its_user_and_rechecks_access(make_document, gold_member, make_user, plans):
    doc = make_document(min_rank=2)
    link = services.download_link_issue(user=gold_member, document=doc)
    token = link.path.rstrip("/").rsplit("/", 1)[-1]
    other = make_user()
    join(other, plans["platinum"])
    with pytest.raises(NotAllowed) as exc:
        services.download_open(user=other, token=token)
    assert exc.value.code == "link_other_user"
    gold_member.memberships.update(status="expired", ends_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(NotAllowed):
        services.download_open(user=gold_member, token=token)
    assert DownloadLog.objects.get(nonce__isnull=False).status == "failed"


def test_tampered_and_expired_links(make_document, gold_member, settings):
    doc = make_document(min_rank=1)
    with pytest.raises(NotAllowed) as exc:
        services.download_open(user=gold_member, token="bukan-token")
    assert exc.value.code == "link_invalid"
    link = services.download_link_issue(user=gold_member, document=doc)
    token = link.path.rstrip("/").rsplit("/", 1)[-1]
    settings.PRIVATE_LINK_TTL_SECONDS = -1
    with pytest.raises(NotAllowed) as exc:
        services.download_open(user=gold_member, token=token)
    assert exc.value.code == "link_expired"
    assert DownloadLog.objects.get().status == "failed"


def test_link_rate_limit_per_user(make_document, gold_member, settings):
    settings.DOCUMENT_LINK_RATE_LIMIT = "2/600"
    doc = make_document(min_rank=1)
    services.download_link_issue(user=gold_member, document=doc)
    services.download_link_issue(user=gold_member, document=doc)
    with pytest.raises(RateLimited):
        services.download_link_issue(user=gold_member, document=doc)


def test_suspicious_burst_is_flagged_and_admins_told(
    make_document, gold_member, admin_user, settings, django_capture_on_commit_callbacks
):
    settings.DOCUMENT_SUSPICIOUS_DOWNLOADS = 2
    doc = make_document(min_rank=1)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            _download(gold_member, doc)
    assert DownloadLog.objects.filter(flagged=True).count() == 3
    assert ActivityLog.objects.filter(action="documents.download_suspicious").count() == 1
    assert Notification.objects.filter(user=admin_user, data__template="documents.suspicious_downloads").exists()
    _download(gold_member, doc)
    assert ActivityLog.objects.filter(action="documents.download_suspicious").count() == 1  # once per burst


def test_docx_is_sent_as_is(make_document, gold_member):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    upload = SimpleUploadedFile("template.docx", buffer.getvalue())
    doc = make_document("Template Kontrak", min_rank=1, file=upload)
    opened, _token = _download(gold_member, doc)
    assert opened.content.read() == buffer.getvalue()
    opened.content.close()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "Jenis berkas tidak didukung"),
        ("palsu.pdf", b"PK\x03\x04 bukan pdf", "tidak sesuai"),
        ("palsu.docx", b"%PDF-1.4 bukan docx", "tidak sesuai"),
        ("rusak.pdf", b"%PDF-1.4 rusak", "rusak"),
        ("kosong.pdf", b"", "kosong"),
    ],
)
def test_upload_is_checked_by_content(make_document, name, content, message):
    with pytest.raises(ServiceError) as exc:
        make_document(file=SimpleUploadedFile(name, content))
    assert message in exc.value.errors["file"][0]
    assert not Document.objects.exists()


def test_upload_size_limit(make_document, settings):
    settings.DOCUMENT_MAX_BYTES = 100
    with pytest.raises(ServiceError) as exc:
        make_document(file=pdf_upload())
    assert "maksimal" in exc.value.message


def test_nul_in_title_is_refused(make_document):
    with pytest.raises(ServiceError):
        make_document("Judul\x00jahat")


def test_new_document_is_announced_to_eligible_members(
    make_document, gold_member, silver_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        doc = make_document(min_rank=2)  # tasks run eagerly in tests
    assert Notification.objects.filter(user=gold_member, data__template="documents.new").exists()
    assert not Notification.objects.filter(user=silver_member, data__template="documents.new").exists()
    assert document_announce(document_id=doc.pk) == 1


def test_weekly_reminder_skips_who_opened(make_document, gold_member, silver_member, make_user):
    doc = make_document(min_rank=1)
    services.document_view_record(user=gold_member, document=doc)
    assert documents_remind_sweep() == 1
    assert Notification.objects.filter(user=silver_member, data__template="documents.weekly_reminder").exists()


def test_verify(make_document, silver_member, admin_user):
    doc = make_document(min_rank=2)
    with pytest.raises(NotAllowed):
        services.download_link_issue(user=silver_member, document=doc)
    log = DownloadLog.objects.get()
    log = services.download_verify(log=log, actor=admin_user, notes="Dikonfirmasi lewat WA")
    assert log.admin_verified and log.verified_by == admin_user
    assert ActivityLog.objects.filter(action="documents.download_verified").exists()
