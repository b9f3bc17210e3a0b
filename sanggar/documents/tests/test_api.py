import pytest

from sanggar.api.testing import call
from sanggar.documents.models import DownloadLog

pytestmark = pytest.mark.django_db


def test_list_has_locked_and_access(client, make_document, silver_member):
    open_doc = make_document("Panduan Dasar", min_rank=1)
    locked_doc = make_document("Data Buyer", min_rank=2)
    response = call(client, "get", "/documents", user=silver_member)
    assert response.status_code == 200
    body = response.json()
    rows = {row["id"]: row for row in body["results"]}
    assert body["count"] == 2
    assert rows[open_doc.pk]["locked"] is False and rows[open_doc.pk]["access"]["allowed"] is True
    locked = rows[locked_doc.pk]
    assert locked["locked"] is True
    assert locked["access"]["reason"] == "premium_required"
    assert "Gold ke atas" in locked["access"]["message"]
    assert locked["level"] == 2 and locked["level_label"] == "Gold"


def test_download_link_or_403(client, make_document, silver_member, gold_member):
    doc = make_document(min_rank=2)
    denied = call(client, "get", f"/documents/{doc.pk}/download", user=silver_member)
    assert denied.status_code == 403
    assert "Gold ke atas" in denied.json()["message"]
    ok = call(client, "get", f"/documents/{doc.pk}/download", user=gold_member)
    assert ok.status_code == 200
    url = ok.json()["url"]
    assert "/dokumen/unduh/" in url and ok.json()["expires_in"] > 0
    client.force_login(gold_member)
    served = client.get("/" + url.split("://", 1)[-1].split("/", 1)[-1])
    assert served.status_code == 200


def test_detail_404_and_auth(client, make_document, gold_member):
    assert call(client, "get", "/documents").status_code == 401
    assert call(client, "get", "/documents/999999", user=gold_member).status_code == 404
    doc = make_document(min_rank=1)
    assert call(client, "get", f"/documents/{doc.pk}", user=gold_member).json()["views"] == 0


def test_my_downloads(client, make_document, silver_member):
    doc = make_document(min_rank=3)
    call(client, "get", f"/documents/{doc.pk}/download", user=silver_member)
    body = call(client, "get", "/me/document-downloads", user=silver_member).json()
    assert body["count"] == 1 and body["results"][0]["status"] == "failed"


def test_admin_endpoints(client, make_document, silver_member, admin_user):
    doc = make_document(min_rank=3)
    call(client, "get", f"/documents/{doc.pk}/download", user=silver_member)
    assert call(client, "get", "/admin/documents/downloads", user=silver_member).status_code == 403
    body = call(client, "get", "/admin/documents/downloads", {"status": "failed"}, user=admin_user).json()
    assert body["count"] == 1 and body["results"][0]["user"]["email"] == "sari@example.com"
    log = DownloadLog.objects.get()
    response = call(
        client, "post", f"/admin/documents/downloads/{log.pk}/verify", {"notes": "OK via WA"}, user=admin_user
    )
    assert response.status_code == 200 and response.json()["admin_verified"] is True
    bad = call(client, "post", f"/admin/documents/downloads/{log.pk}/verify", {"notes": "a\u0000b"}, user=admin_user)
    assert bad.status_code == 400
    wrong = call(client, "post", f"/admin/documents/downloads/{log.pk}/verify", {"notes": ["x"]}, user=admin_user)
    assert wrong.status_code == 422


def test_hostile_filters(client, gold_member):
    assert call(client, "get", "/documents", {"page": "x"}, user=gold_member).status_code == 422
    assert call(client, "get", "/documents", {"q": "a" * 500}, user=gold_member).status_code == 422
    assert call(client, "get", "/documents", {"category": "-1"}, user=gold_member).status_code == 422


def test_api_list_query_count(client, make_document, gold_member, django_assert_max_num_queries):
    for number in range(12):
        make_document(f"Dokumen {number}", min_rank=1 + number % 3)
    with django_assert_max_num_queries(25):
        assert call(client, "get", "/documents", user=gold_member).status_code == 200
