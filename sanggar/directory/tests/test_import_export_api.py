"""The buyer import through the API (upload → preview with per-row validation and duplicates → start → progress and
report; the same service as the admin page) and the Excel / CSV export for admins (page and API). Members never
import or export."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from sanggar.api.testing import PREFIX, bearer, call
from sanggar.audit.models import ActivityLog
from sanggar.directory.models import Buyer, BuyerImport

pytestmark = pytest.mark.django_db

CSV = (
    b"Perusahaan,Negara,Produk,Email\n"
    b"Osaka Spice Co,Japan,Lada,osaka@buyer.example\n"
    b",JP,Kopi,\n"  # no company
    b"Rotterdam Cacao BV,NL,Kakao,bukan-email\n"  # bad email
    b"Existing Foods Ltd,JP,Teh,\n"  # already in the database
    b"Osaka Spice Co.,JP,Lada,\n"  # the first row again
    b"Hamburg Tea GmbH,DE,Teh,hamburg@buyer.example\n"
)


def _upload(client, user, content=CSV, name="buyer.csv", mode="skip"):
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(f"{PREFIX}/admin/buyer-imports", {"file": upload, "mode": mode}, headers=bearer(user))


def test_import_through_the_api_preview_start_progress_and_report(
    admin_user, make_buyer, client, django_capture_on_commit_callbacks
):
    make_buyer(company="Existing Foods Ltd", country="JP", email="exist@buyer.example")
    response = _upload(client, admin_user)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["total_rows"], body["valid_rows"], body["invalid_rows"], body["duplicate_rows"]) == (
        "preview",
        6,
        2,
        2,
        2,
    )
    assert [r["state"] for r in body["preview"]] == ["valid", "invalid", "invalid", "duplicate", "dup_file", "valid"]
    assert {p["row"] for p in body["problems"]} == {3, 4, 5, 6}
    assert Buyer.objects.count() == 1  # the preview writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        started = call(client, "post", f"/admin/buyer-imports/{body['id']}/start", user=admin_user)
    assert started.status_code == 200
    report = call(client, "get", f"/admin/buyer-imports/{body['id']}", user=admin_user).json()
    assert (report["status"], report["progress"], report["created_count"], report["skipped_count"]) == (
        "done",
        100,
        2,
        2,
    )
    assert set(Buyer.objects.values_list("company", flat=True)) == {
        "Existing Foods Ltd",
        "Osaka Spice Co",
        "Hamburg Tea GmbH",
    }
    again = call(client, "post", f"/admin/buyer-imports/{body['id']}/start", user=admin_user)
    assert again.status_code == 400 and Buyer.objects.count() == 3


def test_import_api_update_mode_cancel_and_refusals(admin_user, mentor, member, make_buyer, client):
    make_buyer(company="Existing Foods Ltd", country="JP", city="")
    batch = _upload(client, admin_user, mode="update").json()
    assert batch["mode"] == "update"
    cancelled = call(client, "post", f"/admin/buyer-imports/{batch['id']}/cancel", user=admin_user)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    # members never import; a mentor imports but sees only their own imports
    assert _upload(client, member).status_code == 403
    assert call(client, "get", f"/admin/buyer-imports/{batch['id']}", user=member).status_code == 403
    assert call(client, "get", f"/admin/buyer-imports/{batch['id']}", user=mentor).status_code == 404
    own = _upload(client, mentor)
    assert own.status_code == 201
    assert call(client, "get", f"/admin/buyer-imports/{own.json()['id']}", user=mentor).status_code == 200
    # hostile files: 4xx with the reason, nothing stored
    count = BuyerImport.objects.count()
    for name, content in (
        ("x.txt", b"a,b"),
        ("x.csv", b"foo,bar\n1,2\n"),
        ("x.xlsx", b"not a zip"),
    ):
        refused = _upload(client, admin_user, content=content, name=name)
        assert refused.status_code == 400, (name, refused.content)
        assert refused.json()["message"]
    assert BuyerImport.objects.count() == count
    nul = _upload(client, admin_user, content=CSV.replace(b"Osaka Spice Co,", b"Osaka\x00Spice,"))
    assert nul.status_code == 201 and nul.json()["preview"][0]["state"] == "invalid"  # a row problem, never a 500
    assert call(client, "get", "/admin/buyer-imports/999999", user=admin_user).status_code == 404


def test_admin_exports_excel_on_the_page_and_through_the_api(admin_user, mentor, member, make_buyer, client):
    make_buyer(company="Tokyo Bean", country="JP", email="tokyo@buyer.example")
    make_buyer(company='=HYPERLINK("http://x")', country="DE", email="berlin@buyer.example")
    web = Client()
    web.force_login(admin_user)
    response = web.get(reverse("directory:admin_buyers_export_xlsx"), {"country": "JP"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("id", "perusahaan", "negara") and len(rows) == 2
    assert rows[1][1] == "Tokyo Bean" and rows[1][11] == "tokyo@buyer.example"
    api = call(client, "get", "/admin/buyer-export", user=admin_user, data={"format": "xlsx"})
    assert api.status_code == 200
    companies = [r[1] for r in load_workbook(io.BytesIO(api.content)).active.iter_rows(min_row=2, values_only=True)]
    assert sorted(companies) == ['\'=HYPERLINK("http://x")', "Tokyo Bean"]  # formulas neutralised
    csv_export = call(client, "get", "/admin/buyer-export", user=admin_user, data={"format": "csv", "country": "DE"})
    text = b"".join(csv_export.streaming_content).decode()
    assert "berlin@buyer.example" in text and "tokyo@buyer.example" not in text
    assert ActivityLog.objects.filter(action="directory.buyer_exported").count() == 3
    # members and mentors never export
    for user in (member, mentor):
        assert call(client, "get", "/admin/buyer-export", user=user).status_code == 403
        other = Client()
        other.force_login(user)
        assert other.get(reverse("directory:admin_buyers_export_xlsx")).status_code == 403
    assert ActivityLog.objects.filter(action="directory.buyer_exported").count() == 3
