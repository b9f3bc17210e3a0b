"""Forwarder import from csv / xlsx for admins, on the buyer import's machinery (imports.py): preview with per-row
validation and duplicates (database and file), start → rows written with the progress counter → result report;
page and API; mentors and members refused; hostile files refused with a reason."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sanggar.api.testing import PREFIX, bearer, call
from sanggar.audit.models import ActivityLog
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.directory import forwarder_services
from sanggar.directory.constants import ACTION_FORWARDER_IMPORTED
from sanggar.directory.imports import import_run
from sanggar.directory.models import BuyerImport, Forwarder

pytestmark = pytest.mark.django_db

CSV = (
    b"Nama,Kota,Layanan,Pelabuhan,Email,Terverifikasi\n"
    b'PT Laut Biru Logistik,Surabaya,"FCL, LCL, PPJK",Tanjung Perak,ops@lautbiru.example,ya\n'
    b",Medan,FCL,Belawan,,\n"  # no name
    b"CV Kargo Cepat,Semarang,teleportasi,Tanjung Emas,,\n"  # unknown service
    b"PT Samudera Kargo,Jakarta Utara,FCL,Tanjung Priok,,\n"  # already in the database
    b"Laut Biru Logistik,surabaya,udara,,,\n"  # the first row again (legal form and case ignored)
    b'PT Angkasa Cargo,Tangerang,"udara, kurir",Soekarno-Hatta,cs@angkasa.example,tidak\n'
)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def existing(admin_user):
    return forwarder_services.forwarder_save(
        actor=admin_user, data={"name": "PT Samudera Kargo", "city": "Jakarta Utara", "services": ["fcl"]}
    )


def test_preview_validation_duplicates_run_and_report(admin_user, existing):
    batch = forwarder_services.forwarder_import_upload(actor=admin_user, upload=SimpleUploadedFile("fw.csv", CSV))
    assert batch.target == "forwarder"
    assert (batch.total_rows, batch.valid_rows, batch.invalid_rows, batch.duplicate_rows) == (6, 2, 2, 2)
    assert [p["state"] for p in batch.preview] == ["valid", "invalid", "invalid", "duplicate", "dup_file", "valid"]
    assert batch.preview[0]["products"] == "Kepabeanan (PPJK), Sea freight FCL, Sea freight LCL"
    assert any("teleportasi" in m for p in batch.problems for m in p["messages"])
    assert Forwarder.objects.count() == 1  # the preview writes nothing
    forwarder_services.forwarder_import_start(actor=admin_user, batch_id=batch.pk)
    batch = import_run(batch_id=batch.pk)
    assert (batch.status, batch.created_count, batch.skipped_count, batch.progress) == ("done", 2, 2, 100)
    laut = Forwarder.objects.get(name="PT Laut Biru Logistik")
    assert laut.service_list == ["customs", "fcl", "lcl"] and laut.is_verified and laut.is_active
    assert Forwarder.objects.get(name="PT Angkasa Cargo").service_list == ["air", "courier"]
    assert ActivityLog.objects.filter(action=ACTION_FORWARDER_IMPORTED).count() == 1
    assert import_run(batch_id=batch.pk).created_count == 2  # a second run changes nothing
    assert Forwarder.objects.count() == 3
    with pytest.raises(ServiceError):
        forwarder_services.forwarder_import_start(actor=admin_user, batch_id=batch.pk)


def test_update_mode_and_xlsx(admin_user, existing):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "City", "Services", "Ports", "WhatsApp"])
    sheet.append(["Samudera Kargo", "Jakarta Utara", "FCL, trucking", "Tanjung Priok", "+62 812 0000 1111"])
    sheet.append(["PT Baru", "Makassar", None, None, "abc"])  # bad number
    out = io.BytesIO()
    workbook.save(out)
    batch = forwarder_services.forwarder_import_upload(
        actor=admin_user, upload=SimpleUploadedFile("fw.xlsx", out.getvalue()), mode="update"
    )
    assert (batch.valid_rows, batch.invalid_rows, batch.duplicate_rows) == (0, 1, 1)
    forwarder_services.forwarder_import_start(actor=admin_user, batch_id=batch.pk)
    batch = import_run(batch_id=batch.pk)
    existing.refresh_from_db()
    assert batch.updated_count == 1 and existing.ports == "Tanjung Priok" and existing.whatsapp == "+62 812 0000 1111"
    assert existing.service_list == ["fcl", "trucking"] and Forwarder.objects.count() == 1


def test_only_admins_import_and_batches_stay_apart(admin_user, mentor, member, make_user):
    for user in (mentor, member):
        with pytest.raises(NotAllowed):
            forwarder_services.forwarder_import_upload(actor=user, upload=SimpleUploadedFile("fw.csv", CSV))
        assert _client(user).get(reverse("directory:admin_forwarder_import")).status_code == 403
    assert not BuyerImport.objects.exists()
    batch = forwarder_services.forwarder_import_upload(actor=admin_user, upload=SimpleUploadedFile("fw.csv", CSV))
    # a forwarder batch is not a buyer batch: the buyer pages and API do not find it
    admin = _client(admin_user)
    assert admin.get(reverse("directory:admin_buyer_import_detail", args=[batch.pk])).status_code == 404
    assert call(Client(), "get", f"/admin/buyer-imports/{batch.pk}", user=admin_user).status_code == 404
    assert "fw.csv" not in admin.get(reverse("directory:admin_buyer_import")).content.decode()
    with pytest.raises(NotAllowed):
        forwarder_services.forwarder_import_start(actor=mentor, batch_id=batch.pk)
    assert BuyerImport.objects.get().status == "preview"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("fw.txt", b"Nama,Kota\nA,B\n"),
        ("fw.csv", b""),
        ("fw.xlsx", b"not a zip"),
        ("fw.csv", b"foo,bar\n1,2\n"),  # no Nama / Kota columns
        ("fw\x00.csv", b"Nama,Kota\nA,B\n"),
        ("fw.csv", b"\xff\xfe\x00\x00garbage"),
    ],
)
def test_hostile_files_are_refused_with_a_reason(admin_user, name, content):
    with pytest.raises(ServiceError) as caught:
        forwarder_services.forwarder_import_upload(actor=admin_user, upload=SimpleUploadedFile(name, content))
    assert caught.value.message
    assert not BuyerImport.objects.exists()


def test_nul_inside_a_cell_is_a_row_problem_not_a_crash(admin_user):
    content = b"Nama,Kota\nPT Nul\x00Cargo,Jakarta\nPT Baik,Bandung\n"
    batch = forwarder_services.forwarder_import_upload(actor=admin_user, upload=SimpleUploadedFile("fw.csv", content))
    assert (batch.valid_rows, batch.invalid_rows) == (1, 1)
    assert "\x00" not in str(batch.problems) and "\x00" not in str(batch.preview)


def test_pages_preview_start_progress_and_problems(admin_user, existing, django_capture_on_commit_callbacks):
    admin = _client(admin_user)
    listing = admin.get(reverse("directory:admin_forwarders")).content.decode()
    assert reverse("directory:admin_forwarder_import") in listing
    page = admin.get(reverse("directory:admin_forwarder_import"))
    assert page.status_code == 200 and "Impor Forwarder" in page.content.decode()
    template = admin.get(reverse("directory:admin_forwarder_import_template"))
    assert b"Nama,Kota" in b"".join(template.streaming_content)
    refused = admin.post(
        reverse("directory:admin_forwarder_import"), {"file": SimpleUploadedFile("x.txt", b"a"), "mode": "skip"}
    )
    assert refused.status_code == 200 and "Jenis berkas tidak didukung." in refused.content.decode()
    response = admin.post(
        reverse("directory:admin_forwarder_import"), {"file": SimpleUploadedFile("fw.csv", CSV), "mode": "skip"}
    )
    batch = BuyerImport.objects.get(target="forwarder")
    assert response.status_code == 302 and response["Location"].endswith(f"/forwarder/impor/{batch.pk}")
    detail = admin.get(reverse("directory:admin_forwarder_import_detail", args=[batch.pk])).content.decode()
    assert "PT Laut Biru Logistik" in detail and "Kota" in detail and "Simpan 2 baris valid" in detail
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("directory:admin_forwarder_import_detail", args=[batch.pk]), {"action": "start"})
    progress = admin.get(reverse("directory:admin_forwarder_import_progress", args=[batch.pk])).content.decode()
    assert 'data-status="done"' in progress and reverse("directory:admin_forwarders") in progress
    problems = admin.get(reverse("directory:admin_forwarder_import_problems", args=[batch.pk]))
    body = b"".join(problems.streaming_content).decode()
    assert "teleportasi" in body and "baris,jenis,nama" in body.splitlines()[0]
    assert Forwarder.objects.count() == 3


def test_api_upload_start_report_and_denial(admin_user, member, existing, client, django_capture_on_commit_callbacks):
    def upload(user, content=CSV, name="fw.csv"):
        return client.post(
            f"{PREFIX}/admin/forwarder-imports",
            {"file": SimpleUploadedFile(name, content), "mode": "skip"},
            headers=bearer(user),
        )

    denied = upload(member)
    assert denied.status_code == 403 and denied.json()["message"]
    bad = upload(admin_user, name="fw.exe")
    assert bad.status_code == 400 and "file" in bad.json()["errors"]
    created = upload(admin_user)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["valid_rows"], body["invalid_rows"], body["duplicate_rows"]) == (2, 2, 2)
    assert call(client, "get", f"/admin/forwarder-imports/{body['id']}", user=member).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        started = call(client, "post", f"/admin/forwarder-imports/{body['id']}/start", user=admin_user)
    assert started.status_code == 200
    report = call(client, "get", f"/admin/forwarder-imports/{body['id']}", user=admin_user).json()
    assert (report["status"], report["created_count"], report["skipped_count"]) == ("done", 2, 2)
    again = call(client, "post", f"/admin/forwarder-imports/{body['id']}/start", user=admin_user)
    assert again.status_code == 400 and again.json()["message"]
    assert call(client, "post", f"/admin/forwarder-imports/{body['id']}/cancel", user=admin_user).status_code == 400
    assert call(client, "get", "/admin/forwarder-imports/0", user=admin_user).status_code == 422
