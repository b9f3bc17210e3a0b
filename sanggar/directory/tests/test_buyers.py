"""Buyers: validation, duplicates, status rules, the member's pages (masking, opening with the quota, like,
report), the admin pages, the API and the import."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sanggar.api.testing import call
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.directory import buyer_services
from sanggar.directory import services as shared
from sanggar.directory.models import Buyer, DirectoryReport, DirectorySearch

from .conftest import BUYER

pytestmark = pytest.mark.django_db

CONTACT_VALUES = ("Takeshi Yamada", "purchasing@tokyobean.example", "5412 7788", "3321 4455", "tokyobean.example",
                  "2-14-1 Minato-ku")  # fmt: skip


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_validation_and_duplicates(admin_user, member, mentor):
    buyer = buyer_services.buyer_create(actor=mentor, data=BUYER)
    assert buyer.dedupe_key == "tokyo bean|JP" and buyer.website == "https://tokyobean.example"
    with pytest.raises(ServiceError) as dup:
        buyer_services.buyer_create(actor=admin_user, data={**BUYER, "company": "PT. Tokyo Bean Trading", "email": ""})
    assert dup.value.code == "duplicate"
    with pytest.raises(ServiceError) as bad:
        buyer_services.buyer_create(
            actor=admin_user,
            data={
                "company": "",
                "country": "Narnia",
                "products": "x",
                "email": "nope",
                "hs_codes": "09a1",
                "rating": 9,
            },
        )
    assert set(bad.value.errors) >= {"company", "country", "email", "hs_codes", "rating"}
    with pytest.raises(ServiceError):
        buyer_services.buyer_create(actor=admin_user, data={**BUYER, "company": "A\x00B"})
    with pytest.raises(NotAllowed):
        buyer_services.buyer_create(actor=member, data={**BUYER, "company": "Lain"})
    # mentors hide, only admins archive
    with pytest.raises(NotAllowed):
        buyer_services.buyer_set_status(actor=mentor, buyer=buyer, status="archived")
    buyer_services.buyer_set_status(actor=mentor, buyer=buyer, status="hidden")
    buyer_services.buyer_set_status(actor=admin_user, buyer=buyer, status="archived")
    assert Buyer.objects.get().status == "archived"


def test_member_list_and_detail_never_show_contacts_before_opening(member, make_buyer):
    buyer = make_buyer(**{k: BUYER[k] for k in ("email",)}, company="Tokyo Bean Trading Co., Ltd.")
    client = _client(member)
    page = client.get(reverse("directory:buyers"), {"country": "JP"}).content.decode()
    assert "Tokyo Bean Trading" in page and "0 dari 5 detail buyer bulan ini" in page
    detail = client.get(reverse("directory:buyer_detail", args=[buyer.pk])).content.decode()
    for value in CONTACT_VALUES:
        assert value not in page and value not in detail
    assert "p•••@t•••.example" in detail
    assert DirectorySearch.objects.filter(country="JP").count() == 1
    response = client.post(reverse("directory:buyer_detail", args=[buyer.pk]), {"action": "open"})
    assert response.status_code == 302
    detail = client.get(reverse("directory:buyer_detail", args=[buyer.pk])).content.decode()
    assert "purchasing@tokyobean.example" in detail and "1 dari 5 detail buyer bulan ini" in detail
    assert "Hubungi Buyer" in detail
    assert Buyer.objects.get(pk=buyer.pk).view_count == 1


def test_exhausted_quota_shows_the_locked_card(member, make_buyer, admin_user):
    shared.quota_set(actor=admin_user, kind="buyer", plan=None, monthly_limit=1)
    first, second = make_buyer(), make_buyer()
    client = _client(member)
    client.post(reverse("directory:buyer_detail", args=[first.pk]), {"action": "open"})
    response = client.post(reverse("directory:buyer_detail", args=[second.pk]), {"action": "open"}, follow=True)
    body = response.content.decode()
    assert "Kuota bulan ini sudah habis" in body and 'data-locked="quota_exhausted"' in body
    assert "b2@buyer.example" not in body


def test_like_favourites_and_report(member, make_buyer, admin_user):
    buyer = make_buyer()
    client = _client(member)
    client.post(reverse("directory:buyer_detail", args=[buyer.pk]), {"action": "like"})
    client.post(reverse("directory:buyer_detail", args=[buyer.pk]), {"action": "like"})
    assert Buyer.objects.get(pk=buyer.pk).like_count == 1
    assert buyer.company in client.get(reverse("directory:buyer_favourites")).content.decode()
    response = client.post(reverse("directory:buyer_report", args=[buyer.pk]), {"reason": "fake", "detail": "Penipu"})
    assert response.status_code == 302
    report = DirectoryReport.objects.get()
    admin = _client(admin_user)
    assert buyer.company in admin.get(reverse("directory:admin_reports")).content.decode()
    admin.post(reverse("directory:admin_reports"), {"report": report.pk, "status": "hidden", "note": "Dicek, palsu."})
    assert Buyer.objects.get(pk=buyer.pk).status == "hidden"
    assert client.get(reverse("directory:buyer_detail", args=[buyer.pk])).status_code == 404


def test_member_list_query_count(member, make_buyer, django_assert_max_num_queries):
    for _ in range(30):
        make_buyer()
    client = _client(member)
    client.get(reverse("directory:buyers"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("directory:buyers"), {"page": 2})
    assert response.status_code == 200


def test_admin_pages_and_export(admin_user, mentor, member, make_buyer):
    buyer = make_buyer()
    admin = _client(admin_user)
    for name, args in (("admin_buyers", []), ("admin_buyer_create", []), ("admin_buyer_edit", [buyer.pk]),
                       ("admin_buyer_import", []), ("admin_buyer_stats", []), ("admin_buyer_tracker", []),
                       ("admin_reports", []), ("admin_quotas", [])):  # fmt: skip
        assert admin.get(reverse(f"directory:{name}", args=args)).status_code == 200, name
    export = admin.get(reverse("directory:admin_buyers_export"))
    assert b"b1@buyer.example" in b"".join(export.streaming_content)
    mentor_client = _client(mentor)
    assert mentor_client.get(reverse("directory:admin_buyers")).status_code == 200
    assert mentor_client.get(reverse("directory:admin_buyers_export")).status_code == 403
    assert _client(member).get(reverse("directory:admin_buyers")).status_code == 403
    response = admin.post(
        reverse("directory:admin_buyer_create"), {**BUYER, "company": "Baru Sekali GmbH", "country": "DE"}
    )
    assert response.status_code == 302 and Buyer.objects.filter(company="Baru Sekali GmbH").exists()
    response = admin.post(reverse("directory:admin_buyer_create"), {**BUYER, "company": "X\x00"})
    assert response.status_code in (200, 400)


def test_admin_quota_page_saves_the_table(admin_user, plans, member):
    from .conftest import join

    join(member, plans["6m"])
    admin = _client(admin_user)
    data = {f"q-buyer-{plans['6m'].pk}": "7", "q-buyer-free": "0", f"q-buyer-{plans['life'].pk}": ""}
    admin.post(reverse("directory:admin_quotas"), data)
    assert shared.quota_status(user=member, kind="buyer").limit == 7
    assert admin.post(reverse("directory:admin_quotas"), {"q-buyer-free": "abc"}, follow=True).status_code == 200


def test_api_masks_until_view_then_403_at_the_edge(member, make_buyer, admin_user, client):
    shared.quota_set(actor=admin_user, kind="buyer", plan=None, monthly_limit=1)
    first, second = make_buyer(), make_buyer()
    listing = call(client, "get", "/buyers", user=member)
    assert listing.status_code == 200 and listing.json()["count"] == 2
    text = listing.content.decode()
    assert "b1@buyer.example" not in text and "Takeshi" not in text
    detail = call(client, "get", f"/buyers/{first.pk}", user=member).json()
    assert detail["contact"] is None and detail["quota"]["label"] == "0 dari 1 detail buyer bulan ini"
    opened = call(client, "post", f"/buyers/{first.pk}/view", user=member)
    assert opened.status_code == 200 and opened.json()["contact"]["email"] == "b1@buyer.example"
    refused = call(client, "post", f"/buyers/{second.pk}/view", user=member)
    assert refused.status_code == 403
    body = refused.json()
    assert body["errors"]["reason"] == ["quota_exhausted"] and body["errors"]["quota"] == [
        "1 dari 1 detail buyer bulan ini"
    ]
    assert "b2@buyer.example" not in refused.content.decode()
    assert call(client, "get", "/me/buyer-quota", user=member).json()["used"] == 1
    assert call(client, "get", "/buyers/999999999999", user=member).status_code in (404, 422)
    like = call(client, "post", f"/buyers/{first.pk}/like", {"liked": True}, user=member)
    assert like.json()["liked"] is True
    assert call(client, "get", "/buyers/favorites", user=member).json()["count"] == 1
    report = call(client, "post", f"/buyers/{first.pk}/report", {"reason": "other", "detail": ""}, user=member)
    assert report.status_code == 400
    # members cannot write buyers
    assert call(client, "post", "/admin/buyers", BUYER, user=member).status_code == 403
    created = call(client, "post", "/admin/buyers", {**BUYER, "company": "API Buyer"}, user=admin_user)
    assert created.status_code == 201


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Perusahaan", "Negara", "Produk", "Email", "Kode HS"])
    writer.writerows(rows)
    return out.getvalue().encode()


def test_import_preview_then_run_with_report(admin_user, make_buyer, settings, django_capture_on_commit_callbacks):
    make_buyer(company="Existing Foods Ltd", country="JP", email="exist@buyer.example")
    rows = [
        [f"Importir {i} Co", "Japan" if i % 2 else "NL", "Kopi", f"imp{i}@buyer.example", "0901"] for i in range(20)
    ]
    rows += [["", "JP", "Kopi", "", ""], ["Salah Negara", "Atlantis", "Kopi", "", ""]]
    rows += [["Existing Foods", "JP", "Teh", "", ""], ["Importir 1 Co.", "JP", "Kopi", "", ""]]
    upload = SimpleUploadedFile("buyer.csv", _csv(rows), content_type="text/csv")
    batch = buyer_services.buyer_import_upload(actor=admin_user, upload=upload, mode="skip")
    assert (batch.total_rows, batch.valid_rows, batch.invalid_rows, batch.duplicate_rows) == (24, 20, 2, 2)
    assert Buyer.objects.count() == 1  # nothing written by the preview
    client = _client(admin_user)
    page = client.get(reverse("directory:admin_buyer_import_detail", args=[batch.pk])).content.decode()
    assert "Atlantis" not in page or "Negara tidak dikenal" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory:admin_buyer_import_detail", args=[batch.pk]), {"action": "start"})
    batch.refresh_from_db()
    assert batch.status == "done" and batch.created_count == 20 and batch.skipped_count == 2
    assert batch.progress == 100
    assert Buyer.objects.count() == 21
    problems = client.get(reverse("directory:admin_buyer_import_problems", args=[batch.pk]))
    assert b"Negara tidak dikenal" in b"".join(problems.streaming_content)
    with pytest.raises(ServiceError):
        buyer_services.buyer_import_start(actor=admin_user, batch_id=batch.pk)


def test_import_refuses_bad_files(admin_user):
    for name, content in (("x.txt", b"a"), ("x.csv", b""), ("x.xlsx", b"not a zip"), ("x.csv", b"foo,bar\n1,2\n")):
        with pytest.raises(ServiceError):
            buyer_services.buyer_import_upload(actor=admin_user, upload=SimpleUploadedFile(name, content))


def test_import_xlsx(admin_user):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Company", "Country", "Products", "Verified"])
    sheet.append(["Hamburg Tea Kontor GmbH", "Germany", "Teh hitam", "yes"])
    sheet.append(["Kosong", None, "Teh", None])
    out = io.BytesIO()
    workbook.save(out)
    batch = buyer_services.buyer_import_upload(actor=admin_user, upload=SimpleUploadedFile("b.xlsx", out.getvalue()))
    assert (batch.valid_rows, batch.invalid_rows) == (1, 1)
    buyer_services.buyer_import_start(actor=admin_user, batch_id=batch.pk)
    batch = buyer_services.buyer_import_run(batch_id=batch.pk)
    assert Buyer.objects.get().is_verified is True and Buyer.objects.get().country == "DE"


def test_import_of_20000_rows(admin_user, make_buyer, settings):
    make_buyer(company="Existing 5 Co", country="JP")
    rows = []
    for i in range(20_000):
        if i % 100 == 0:
            rows.append([f"Rusak {i}", "??", "Kopi", "bukan-email", ""])
        elif i % 250 == 1:
            rows.append([f"Existing {5} Co", "JP", "Kopi", "", ""])
        else:
            rows.append([f"Importir {i} Trading", "JP", "Kopi", f"i{i}@buyer.example", "0901"])
    batch = buyer_services.buyer_import_upload(actor=admin_user, upload=SimpleUploadedFile("besar.csv", _csv(rows)))
    assert batch.total_rows == 20_000 and batch.invalid_rows == 200
    assert batch.duplicate_rows == 80 and batch.valid_rows == 20_000 - 200 - 80
    buyer_services.buyer_import_start(actor=admin_user, batch_id=batch.pk)
    batch = buyer_services.buyer_import_run(batch_id=batch.pk)
    assert batch.created_count == batch.valid_rows and Buyer.objects.count() == batch.valid_rows + 1


def test_weekly_announcement_by_interest(member, make_buyer):
    from sanggar.directory.profile_services import profile_save
    from sanggar.notifications.models import Notification

    profile_save(user=member, data={"interests": "kopi, 1801"})
    make_buyer(products="Kopi robusta")
    make_buyer(products="Kakao", hs_codes="1801")
    make_buyer(products="Furnitur")
    assert buyer_services.buyers_digest_sweep() == 1
    assert buyer_services.buyers_digest_sweep() == 0  # not twice in a week
    note = Notification.objects.get(user=member)
    assert "2 buyer baru" in note.title or "2 buyer baru" in note.message
