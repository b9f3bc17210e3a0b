"""Admin sales pages: access, filters, query counts, CSV export, detail page and its actions."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanggar.access.models import Grant
from sanggar.core.formatting import rupiah
from sanggar.memberships.models import UserMembership
from sanggar.orders.constants import OrderStatus
from sanggar.orders.models import Order
from sanggar.orders.services import order_expire_sweep
from sanggar.orders.tests.shop import Shop, legacy_follow_ups, plan_item, product_item
from sanggar.payments.models import Payment, Refund
from sanggar.payments.services import payment_mark_paid_manual

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def shop(admin_user):
    return Shop(admin_user)


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("path", ["/admin/sales", "/admin/sales/export.csv"])
def test_sales_pages_are_for_admins(client, make_user, path):
    assert client.get(path).status_code == 302
    for role in ("member", "founder", "support", "affiliate"):
        client.force_login(make_user(role))
        assert client.get(path).status_code == 403


def test_sales_list_shows_the_spec_columns(admin_client, shop, make_user):
    buyer = make_user(full_name="Budi Santoso", email="budi@contoh.test")
    gold = shop.plan("Gold", follow_ups=[(0, "Halo"), (2, "Hari kedua")])
    order = shop.buy_paid(buyer, plan_item(gold.slug))
    legacy_follow_ups(order, list(gold.follow_ups.all()))  # orders' own rows (from before the move) still count
    response = admin_client.get("/admin/sales")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-order="{order.invoice_number}"' in html
    assert "Budi Santoso" in html and "budi@contoh.test" in html
    assert "Gold (12 Bulan)" in html and "Paket" in html
    assert "0/2 terkirim" in html
    assert "data-commission>—" in html
    row = response.context["rows"][0]
    assert (row.follow_ups_sent, row.follow_ups_total, row.provider_label) == (0, 2, "Transfer bank (manual)")


def test_sales_list_runs_the_same_queries_for_3_or_30_orders(
    admin_client, shop, make_user, django_assert_max_num_queries
):
    gold = shop.plan("Gold", follow_ups=[(0, "Halo")])
    ebook = shop.product("Ebook")
    buyer = make_user()

    def add(n):
        for i in range(n):
            if i % 2:
                shop.buy_paid(make_user(), plan_item(gold.slug))
            else:
                shop.buy(buyer, product_item(ebook.slug), plan_item(gold.slug))

    add(3)
    with django_assert_max_num_queries(40) as few:
        admin_client.get("/admin/sales")
    add(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get("/admin/sales")
    assert len(response.context["rows"]) == 25


def test_filters_and_search(admin_client, shop, make_user):
    gold = shop.plan("Gold")
    ebook = shop.product("Ebook")
    now = timezone.now()
    budi = make_user(full_name="Budi Santoso")
    sari = make_user(full_name="Sari Wulandari")
    paid_plan = shop.buy_paid(budi, plan_item(gold.slug))
    pending_product = shop.buy(sari, product_item(ebook.slug))
    old = shop.buy(sari, product_item(ebook.slug), now=now - timedelta(days=400))
    order_expire_sweep(now=now)

    def invoices(query):
        response = admin_client.get("/admin/sales" + query)
        assert response.status_code == 200
        return {row.order.invoice_number for row in response.context["rows"]}

    assert invoices("?status=paid") == {paid_plan.invoice_number}
    assert invoices("?status=expired") == {old.invoice_number}
    assert invoices("?kind=product") == {pending_product.invoice_number, old.invoice_number}
    assert invoices(f"?item=plan-{gold.pk}") == {paid_plan.invoice_number}
    assert invoices("?q=budi") == {paid_plan.invoice_number}
    assert invoices(f"?q={old.invoice_number.lower()}") == {old.invoice_number}
    assert invoices("?period=today") == {paid_plan.invoice_number, pending_product.invoice_number}
    assert invoices("?period=year") == {paid_plan.invoice_number, pending_product.invoice_number}
    day = (now - timedelta(days=400)).astimezone(timezone.get_current_timezone()).date().isoformat()
    assert invoices(f"?from={day}&to={day}") == {old.invoice_number}
    assert invoices("?provider=manual&status=pending") == {pending_product.invoice_number}
    assert invoices("?provider=xendit") == set()
    # Unknown values are ignored, bad dates too: never a 500.
    assert len(invoices("?status=zzz&from=kemarin&item=plan-abc&period=abad")) == 3


def test_review_filter_and_summary(admin_client, shop, make_user, admin_user):
    ebook = shop.product("Ebook", price=100_000)
    late = shop.buy(make_user(), product_item(ebook.slug))
    order_expire_sweep(now=late.expires_at + timedelta(seconds=1))
    payment_mark_paid_manual(order=late, actor=admin_user)
    paid = shop.buy_paid(make_user(), product_item(ebook.slug))
    shop.buy(make_user(), product_item(ebook.slug))

    response = admin_client.get("/admin/sales?review=1")
    assert [row.order.invoice_number for row in response.context["rows"]] == [late.invoice_number]
    summary = response.context["summary"]
    assert (summary.revenue_today, summary.paid_today, summary.pending, summary.needs_review) == (
        paid.total, 1, 1, 1,
    )  # fmt: skip


def test_csv_export_has_the_filtered_rows(admin_client, shop, make_user):
    gold = shop.plan("Gold")
    ebook = shop.product("Ebook")
    paid = shop.buy_paid(make_user(full_name="=HYPERLINK(1)"), plan_item(gold.slug))
    shop.buy(make_user(), product_item(ebook.slug))
    response = admin_client.get("/admin/sales/export.csv?status=paid")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert rows[0][:4] == ["Invoice", "Tanggal", "Nama", "Email"]
    assert len(rows) == 2
    assert rows[1][0] == paid.invoice_number
    assert rows[1][2] == "'=HYPERLINK(1)"
    assert rows[1][5:7] == ["Gold (12 Bulan)", "Membership"]
    assert rows[1][10] == str(paid.total)
    assert rows[1][12] == "Lunas"


def test_detail_page(admin_client, client, shop, make_user):
    buyer = make_user(full_name="Maya Member", city="Semarang")
    gold = shop.plan("Gold", follow_ups=[(0, "Halo {name}")])
    order = shop.buy_paid(buyer, plan_item(gold.slug))
    legacy_follow_ups(order, list(gold.follow_ups.all()))
    response = admin_client.get(f"/admin/sales/{order.invoice_number}")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Maya Member", "Semarang", "Gold (12 Bulan)", "Halo Maya Member", "Pesanan dibuat", "Lunas"):
        assert text in html
    assert admin_client.get("/admin/sales/INV424242").status_code == 404
    client.force_login(buyer)
    assert client.get(f"/admin/sales/{order.invoice_number}").status_code == 403


def test_mark_paid_with_note_and_proof(admin_client, shop, make_user, admin_user):
    buyer = make_user()
    gold = shop.plan("Gold")
    order = shop.buy(buyer, plan_item(gold.slug))
    proof = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = admin_client.post(
        f"/admin/sales/{order.invoice_number}/mark-paid", {"note": "BCA 14.05", "proof": proof}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/admin/sales/{order.invoice_number}"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    payment = Payment.objects.get(order=order)
    assert (payment.status, payment.note, payment.confirmed_by_id, bool(payment.proof)) == (
        "paid", "BCA 14.05", admin_user.pk, True,
    )  # fmt: skip
    assert UserMembership.objects.get(user=buyer).status == "active"


def test_mark_paid_goes_through_a_confirmation_page_that_asks_for_a_note(admin_client, shop, make_user):
    """Issue 9, item 9: no more one-click "Tandai Lunas"."""
    order = shop.buy(make_user(full_name="Rina"), product_item(shop.product("Ebook").slug))
    detail = admin_client.get(f"/admin/sales/{order.invoice_number}").content.decode()
    assert f'href="/admin/sales/{order.invoice_number}/mark-paid" id="mark-paid-start"' in detail
    assert 'action="/admin/sales/' + order.invoice_number + '/mark-paid"' not in detail
    page = admin_client.get(f"/admin/sales/{order.invoice_number}/mark-paid")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="mark-paid-form"' in html and 'name="note"' in html and 'name="proof"' in html and "Rina" in html
    refused = admin_client.post(f"/admin/sales/{order.invoice_number}/mark-paid", {"note": ""})
    assert refused.status_code == 200
    assert "Tulis catatan: dari rekening mana dan kapan transfer diterima." in refused.content.decode()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING
    admin_client.post(f"/admin/sales/{order.invoice_number}/mark-paid", {"note": "BCA 09.12"})
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID
    # A paid order has nothing to confirm: back to its detail page.
    assert admin_client.get(f"/admin/sales/{order.invoice_number}/mark-paid").status_code == 302


def test_sale_detail_leads_to_the_orders_whole_split(admin_client, client, shop, make_user, admin_user):
    """Issue 9, item 8: a founder or admin sees what one sale gave whom."""
    founder = make_user("founder", full_name="Pendiri Satu")
    order = shop.buy(make_user(), product_item(shop.product("Ebook", price=1_000_000).slug))
    detail = admin_client.get(f"/admin/sales/{order.invoice_number}").content.decode()
    assert f'href="/admin/finance/penjualan/{order.invoice_number}" id="order-split-link"' in detail
    before = admin_client.get(f"/admin/finance/penjualan/{order.invoice_number}").content.decode()
    assert "Belum ada bagi hasil" in before
    payment_mark_paid_manual(order=order, actor=admin_user, note="BCA")
    client.force_login(founder)  # a founder sees what one sale gave whom too
    html = client.get(f"/admin/finance/penjualan/{order.invoice_number}").content.decode()
    split = html[html.index('id="order-split"') :]
    assert f"Dari {rupiah(order.total)} yang diterima" in split  # the price plus the transfer's unique code
    assert "Founder" in split and "Pendiri Satu" in split and "Operasional perusahaan" in split
    assert split.count("data-split-line") >= 2 and founder.pk


def test_mark_paid_refuses_a_bad_proof_and_changes_nothing(admin_client, shop, make_user):
    order = shop.buy(make_user(), product_item(shop.product("Ebook").slug))
    bad = SimpleUploadedFile("bukti.exe", b"MZ...", content_type="application/octet-stream")
    response = admin_client.post(f"/admin/sales/{order.invoice_number}/mark-paid", {"note": "x", "proof": bad})
    assert response.status_code == 200  # the form again, with the error on the file field
    assert "Bukti pembayaran harus berupa gambar (JPG, PNG, WEBP) atau PDF." in response.content.decode()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING
    assert Payment.objects.filter(order=order, status="paid").count() == 0


def test_member_cannot_post_actions(client, shop, make_user):
    buyer = make_user()
    order = shop.buy(buyer, product_item(shop.product("Ebook").slug))
    client.force_login(buyer)
    for action, data in (("mark-paid", {"note": ""}), ("cancel", {}), ("resend", {}), ("refund", {"reason": "x"}),
                         ("review", {"decision": "accept"})):  # fmt: skip
        assert client.post(f"/admin/sales/{order.invoice_number}/{action}", data).status_code == 403
    order.refresh_from_db()
    assert (order.status, order.needs_review) == (OrderStatus.PENDING, False)
    assert Payment.objects.count() == 0


def test_actions_need_post(admin_client, shop, make_user):
    order = shop.buy(make_user(), product_item(shop.product("Ebook").slug))
    assert admin_client.get(f"/admin/sales/{order.invoice_number}/cancel").status_code == 405
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PENDING


def test_refund_page_action(admin_client, shop, make_user):
    buyer = make_user()
    ebook = shop.product("Ebook")
    order = shop.buy(buyer, product_item(ebook.slug))
    admin_client.post(f"/admin/sales/{order.invoice_number}/mark-paid", {"note": "BCA"})  # the note is required
    response = admin_client.post(f"/admin/sales/{order.invoice_number}/refund", {"reason": ""})
    assert response.status_code == 200  # the form again, with the error
    assert "Tuliskan alasan pengembalian dana." in response.content.decode()
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PAID

    response = admin_client.post(f"/admin/sales/{order.invoice_number}/refund", {"reason": "Salah beli"})
    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).status == OrderStatus.REFUNDED
    assert Refund.objects.get().reason == "Salah beli"
    assert Grant.objects.filter(user=buyer, revoked_at__isnull=True).count() == 0


def test_cancel_and_resend_actions(admin_client, shop, make_user):
    order = shop.buy(make_user(), product_item(shop.product("Ebook").slug))
    response = admin_client.post(f"/admin/sales/{order.invoice_number}/resend", {"next": "list"})
    assert response["Location"] == "/admin/sales"
    admin_client.post(f"/admin/sales/{order.invoice_number}/cancel")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED
    response = admin_client.post(f"/admin/sales/{order.invoice_number}/cancel", follow=True)
    assert "Hanya pesanan yang menunggu pembayaran" in response.content.decode()


def test_review_action(admin_client, shop, make_user, admin_user):
    buyer = make_user()
    gold = shop.plan("Gold")
    order = shop.buy(buyer, plan_item(gold.slug))
    order_expire_sweep(now=order.expires_at + timedelta(seconds=1))
    payment_mark_paid_manual(order=order, actor=admin_user)
    html = admin_client.get(f"/admin/sales/{order.invoice_number}").content.decode()
    assert 'id="review"' in html and 'id="mark-paid"' not in html

    response = admin_client.post(f"/admin/sales/{order.invoice_number}/review", {"decision": "reject", "note": ""})
    assert response.status_code == 200
    assert Order.objects.get(pk=order.pk).needs_review is True

    admin_client.post(f"/admin/sales/{order.invoice_number}/review", {"decision": "accept", "note": "OK"})
    order.refresh_from_db()
    assert (order.status, order.needs_review) == (OrderStatus.PAID, False)
    assert UserMembership.objects.get(user=buyer).status == "active"


@pytest.mark.parametrize("query", ["q=a%00b", "status=a%00b", "buyer=%00"])
def test_csv_export_refuses_characters_the_database_refuses_before_streaming(admin_client, shop, make_user, query):
    """Issue 7: a NUL in the search dropped the connection in the middle of the file; now it is a clear 400."""
    shop.buy_paid(make_user(), plan_item(shop.plan("Gold").slug))
    response = admin_client.get(f"/admin/sales/export.csv?{query}")
    assert response.status_code == 400
    assert not response.streaming
    assert "karakter yang tidak diizinkan" in response.content.decode()
    complete = csv_rows(admin_client.get("/admin/sales/export.csv"))
    assert len(complete) == 2  # a normal export streams to the end
