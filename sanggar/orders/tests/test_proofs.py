"""Transfer proofs: buyers upload an image or PDF for their own pending manual-transfer order (page and API);
the type is checked by content; other buyers' orders and closed orders are refused; the file is private; admins
see the "Menunggu konfirmasi" queue and are told."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from sanggar.api.testing import bearer
from sanggar.audit.models import ActivityLog
from sanggar.notifications.models import Notification
from sanggar.orders.models import TransferProof
from sanggar.orders.tests.shop import Shop, plan_item

pytestmark = pytest.mark.django_db


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def order(admin_user, make_user):
    shop = Shop(admin_user)
    return shop.buy(make_user(full_name="Rina Wulandari"), plan_item(shop.plan("Gold").slug))


def api_upload(client, order, user, content: bytes, name: str, note: str = ""):
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    return client.post(
        f"/api/v1/orders/{order.invoice_number}/proof", {"file": upload, "note": note}, headers=bearer(user)
    )


def test_api_upload_stores_a_private_proof_and_tells_the_admins(
    client, order, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_upload(client, order, order.buyer, png_bytes(), "bukti.png", "Transfer BCA")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["content_type"], body["note"], body["status"]) == ("image/png", "Transfer BCA", "waiting_confirmation")
    proof = TransferProof.objects.get(order=order)
    assert proof.file.name.startswith("private/proofs/") and "bukti" not in proof.file.name.split("/")[-1][:5]
    assert ActivityLog.objects.filter(action="order.proof_uploaded", actor=order.buyer).count() == 1
    assert (
        Notification.objects.get(user=admin_user).title == f"Bukti transfer {order.invoice_number} menunggu konfirmasi"
    )
    pdf = api_upload(client, order, order.buyer, PDF, "mutasi.pdf")
    assert pdf.status_code == 201 and pdf.json()["content_type"] == "application/pdf"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00 not an image", "bukti.png"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "bukti.svg"),
        (b"", "a.png"),
    ],
)
def test_wrong_types_are_refused(client, order, content, name):
    response = api_upload(client, order, order.buyer, content, name)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["file"]
    assert TransferProof.objects.count() == 0


def test_size_limit(client, order, settings):
    settings.TRANSFER_PROOF_MAX_BYTES = 100
    response = api_upload(client, order, order.buyer, png_bytes() + b"\0" * 200, "besar.png")
    assert response.status_code == 400 and "maksimal" in response.json()["message"]
    assert TransferProof.objects.count() == 0


def test_other_buyers_orders_are_refused(client, order, make_user):
    stranger = make_user()
    assert api_upload(client, order, stranger, png_bytes(), "x.png").status_code == 404
    page = Client()
    page.force_login(stranger)
    upload = SimpleUploadedFile("x.png", png_bytes(), content_type="image/png")
    assert page.post(f"/invoice/{order.invoice_number}/bukti-transfer", {"proof": upload}).status_code == 404
    assert TransferProof.objects.count() == 0


def test_closed_orders_take_no_proof(client, order):
    order.status = "expired"
    order.save(update_fields=["status"])
    response = api_upload(client, order, order.buyer, png_bytes(), "x.png")
    assert response.status_code == 400
    assert TransferProof.objects.count() == 0


def test_invoice_page_upload_queue_and_private_file(order, admin_user, make_user):
    buyer = Client()
    buyer.force_login(order.buyer)
    page = buyer.get(f"/invoice/{order.invoice_number}").content.decode()
    assert 'id="transfer-proof"' in page
    upload = SimpleUploadedFile("bukti.png", png_bytes(), content_type="image/png")
    response = buyer.post(f"/invoice/{order.invoice_number}/bukti-transfer", {"proof": upload, "note": "BRI"})
    assert response.status_code == 302
    assert "Menunggu konfirmasi admin" in buyer.get(f"/invoice/{order.invoice_number}").content.decode()
    proof = TransferProof.objects.get(order=order)
    file_url = f"/invoice/{order.invoice_number}/bukti-transfer/{proof.pk}"
    assert buyer.get(file_url)["Content-Type"] == "image/png"
    stranger = Client()
    stranger.force_login(make_user())
    assert stranger.get(file_url).status_code == 404
    assert Client().get(file_url).status_code == 302
    assert Client().get("/media/" + proof.file.name).status_code == 404
    admin = Client()
    admin.force_login(admin_user)
    queue = admin.get("/admin/sales/menunggu-konfirmasi").content.decode()
    assert order.invoice_number in queue and "Rina Wulandari" in queue
    assert admin.get(file_url).status_code == 200
    member = Client()
    member.force_login(order.buyer)
    assert member.get("/admin/sales/menunggu-konfirmasi").status_code == 403


def test_a_retried_upload_with_the_same_key_stores_one_proof(client, order):
    key = {"Idempotency-Key": "bukti-1"}
    for _ in range(2):
        upload = SimpleUploadedFile("bukti.png", png_bytes(), content_type="image/png")
        response = client.post(
            f"/api/v1/orders/{order.invoice_number}/proof", {"file": upload}, headers={**bearer(order.buyer), **key}
        )
        assert response.status_code == 201
    assert TransferProof.objects.filter(order=order).count() == 1
