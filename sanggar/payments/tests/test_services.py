"""Payment services: manual transfer, admin mark-paid with proof, amount checks, late and double payments, refunds,
and the provider list."""

from datetime import timedelta
from io import BytesIO

import httpx
import pytest
import respx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sanggar.audit.models import ActivityLog
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.formatting import rupiah, tanggal_jam
from sanggar.memberships.selectors import membership_active_for
from sanggar.notifications.models import Notification
from sanggar.orders.constants import OrderStatus
from sanggar.orders.services import ItemRequest, order_cancel, order_expire_sweep
from sanggar.payments.constants import PaymentStatus, RefundMode, WebhookOutcome
from sanggar.payments.models import Payment, Refund
from sanggar.payments.selectors import providers_enabled
from sanggar.payments.services import (
    PaymentAmountMismatch,
    payment_confirm,
    payment_mark_paid_manual,
    payment_refund,
    payment_start,
    webhook_receive,
)
from sanggar.payments.tests.conftest import paid_rows

from .conftest import XENDIT_TOKEN, XENDIT_URL, xendit_callback

pytestmark = pytest.mark.django_db


def png_file(name="bukti.png") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (20, 20), "#336699").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# --- providers_enabled ---------------------------------------------------------------------------------------------


def test_providers_enabled_follow_the_setting_and_credentials(settings):
    assert [(p.identifier, p.label) for p in providers_enabled()] == [
        ("manual", "Transfer Bank"),
        ("xendit", "Xendit"),
        ("midtrans", "Midtrans"),
        ("scalev", "Scalev"),
    ]
    settings.PAYMENT_PROVIDERS = ["midtrans", "xendit", "unknown"]
    settings.XENDIT_CALLBACK_TOKEN = ""  # a listed provider without its credentials is not offered
    assert [p.identifier for p in providers_enabled()] == ["midtrans", "manual"]
    settings.PAYMENT_PROVIDERS = []
    assert [p.identifier for p in providers_enabled()] == ["manual"]


# --- manual --------------------------------------------------------------------------------------------------------


def test_manual_payment_start_gives_transfer_instructions(make_order):
    order = make_order("manual")
    assert 1 <= order.unique_code <= 999
    assert order.total == 150_000 + order.unique_code

    with respx.mock(assert_all_called=False) as mock:
        payment = payment_start(order=order)
        assert mock.calls.call_count == 0

    assert payment.provider == "manual"
    assert payment.provider_reference == ""
    assert payment.checkout_url == ""
    deadline = timezone.localtime(order.expires_at)
    assert payment.instructions == {
        "bank_name": "BCA",
        "account_number": "1234567890",
        "account_holder": "PT Sanggar Edukasi Nusantara",
        "accounts": [
            {
                "bank_name": "BCA",
                "account_number": "1234567890",
                "account_holder": "PT Sanggar Edukasi Nusantara",
                "logo_url": "",
            }
        ],
        "amount": order.total,
        "unique_code": order.unique_code,
        "invoice_number": order.invoice_number,
        "deadline": deadline.isoformat(),
        "note": (
            f"Transfer tepat {rupiah(order.total)} (sudah termasuk kode unik {order.unique_code}) sebelum "
            f"{tanggal_jam(order.expires_at)} agar pembayaran mudah dicocokkan. Admin akan mengonfirmasi setelah dana "
            "masuk."
        ),
    }
    assert rupiah(order.total) == f"Rp {order.total:,}".replace(",", ".")
    assert payment_start(order=order).pk == payment.pk  # the same open attempt


def test_admin_marks_a_manual_order_paid_with_note_and_proof(make_order, admin_user):
    order = make_order("manual")
    started = payment_start(order=order)

    payment = payment_mark_paid_manual(order=order, actor=admin_user, note="  BCA a.n. Budi 14:05 ", proof=png_file())

    assert payment.pk == started.pk
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert (payment.status, payment.paid_amount, payment.method) == (PaymentStatus.PAID, order.total, "manual")
    assert payment.confirmed_by == admin_user
    assert payment.note == "BCA a.n. Budi 14:05"
    assert payment.proof.name.startswith(f"private/payment-proofs/{order.invoice_number}-")
    assert payment.proof.name.endswith(".png")
    assert "bukti" not in payment.proof.name
    log = ActivityLog.objects.get(action="payment.marked_paid")
    assert (log.actor, log.target_label, log.data["amount"]) == (admin_user, order.invoice_number, order.total)


def test_mark_paid_without_an_open_attempt_records_a_manual_payment(make_order, admin_user):
    order = make_order("xendit")  # the buyer transferred directly instead
    payment = payment_mark_paid_manual(order=order, actor=admin_user)
    assert (payment.provider, payment.amount, payment.status) == ("manual", 150_000, PaymentStatus.PAID)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_mark_paid_by_a_non_admin_changes_nothing(make_order, make_user):
    order = make_order("manual")
    for actor in (make_user(), make_user("support"), None):
        with pytest.raises(NotAllowed):
            payment_mark_paid_manual(order=order, actor=actor)
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert Payment.objects.count() == 0


def test_mark_paid_twice_is_refused_the_second_time(make_order, admin_user):
    order = make_order("manual")
    payment_mark_paid_manual(order=order, actor=admin_user)
    with pytest.raises(ServiceError) as exc:
        payment_mark_paid_manual(order=order, actor=admin_user)
    assert exc.value.message == f"Pesanan {order.invoice_number} sudah lunas."
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == 1
    assert paid_rows(order) == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("bukti.exe", b"MZ\x90\x00", "application/octet-stream"), "Bukti pembayaran harus berupa"),
        (SimpleUploadedFile("bukti.png", b"%PDF-1.4 not a png", "image/png"), "Isi file bukti pembayaran tidak sesuai"),
        (SimpleUploadedFile("bukti.pdf", b"", "application/pdf"), "File bukti pembayaran kosong."),
        (
            SimpleUploadedFile("bukti.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "application/pdf"),
            "Ukuran bukti pembayaran maksimal 5 MB.",
        ),
    ],
)
def test_bad_proof_is_refused_on_the_proof_field(make_order, admin_user, upload, message):
    order = make_order("manual")
    with pytest.raises(ServiceError) as exc:
        payment_mark_paid_manual(order=order, actor=admin_user, proof=upload)
    assert exc.value.message.startswith(message)
    assert exc.value.errors == {"proof": [exc.value.message]}
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert Payment.objects.count() == 0


def test_pdf_and_webp_proofs_are_accepted(make_order, admin_user):
    pdf = SimpleUploadedFile("bukti.PDF", b"%PDF-1.4\n%%EOF", "application/pdf")
    payment = payment_mark_paid_manual(order=make_order("manual"), actor=admin_user, proof=pdf)
    assert payment.proof.name.endswith(".pdf")
    buffer = BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="WEBP")
    webp = SimpleUploadedFile("b.webp", buffer.getvalue(), "image/webp")
    assert payment_mark_paid_manual(order=make_order("manual"), actor=admin_user, proof=webp).proof.name.endswith(
        ".webp"
    )


# --- amount, late and double payments ------------------------------------------------------------------------------


def test_amount_mismatch_is_refused_logged_and_told_to_admins(
    make_order, admin_user, django_capture_on_commit_callbacks
):
    order = make_order("manual")
    payment = payment_start(order=order)

    # the admins are told after the commit (their notifications are created in bulk then)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PaymentAmountMismatch) as exc:
        payment_confirm(payment=payment, paid_amount=order.total - 1)

    assert exc.value.message == (
        f"Jumlah pembayaran Rp {order.total - 1:,} tidak sama dengan tagihan Rp {order.total:,} untuk "
        f"{order.invoice_number}.".replace(",", ".")
    )
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert (payment.status, payment.paid_amount) == (PaymentStatus.PENDING, None)
    log = ActivityLog.objects.get(action="payment.rejected")
    assert (log.data["expected"], log.data["paid"]) == (order.total, order.total - 1)
    note = Notification.objects.get(user=admin_user)
    assert note.title == f"Pembayaran {order.invoice_number} ditolak: jumlah tidak cocok"
    assert (note.kind, note.link) == ("transaction", f"/admin/sales/{order.invoice_number}")
    assert ActivityLog.objects.filter(target_id=str(order.pk), action__startswith="payment.rejected").count() == 1
    assert log.data["message"].startswith("Jumlah pembayaran")  # the one row carries the message for the timeline


@respx.mock
def test_late_payment_after_expiry_is_recorded_and_flagged(
    make_order, admin_user, buyer, django_capture_on_commit_callbacks
):
    order = make_order("xendit")
    respx.post(f"{XENDIT_URL}/v2/invoices").mock(
        return_value=httpx.Response(
            200, json={"id": "inv-late", "invoice_url": "https://checkout.xendit.test/inv-late"}
        )
    )
    payment = payment_start(order=order)
    assert order_expire_sweep(now=timezone.now() + timedelta(hours=25)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        result = webhook_receive(
            provider="xendit",
            headers={"x-callback-token": XENDIT_TOKEN},
            raw_body=xendit_callback(invoice_id="inv-late", external_id=order.invoice_number),
        )

    assert (result.status_code, result.outcome) == (200, WebhookOutcome.REVIEW)
    assert result.detail == "Pembayaran diterima setelah pesanan berstatus kedaluwarsa."
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED
    assert order.needs_review is True
    assert order.review_reason == "Pembayaran diterima setelah pesanan berstatus kedaluwarsa."
    assert (payment.status, payment.paid_amount) == (PaymentStatus.PAID, 150_000)
    assert (
        Notification.objects.filter(user=admin_user, title=f"Pembayaran {order.invoice_number} perlu ditinjau").count()
        == 1
    )
    assert ActivityLog.objects.filter(action="payment.needs_review").count() == 1
    assert membership_active_for(user=buyer) is None
    # One row for the event: the payment arrived and needs review (with the payment's amount and reason).
    row = ActivityLog.objects.get(target_id=str(order.pk), action="payment.needs_review")
    assert (row.data["amount"], row.data["message"]) == (150_000, order.review_reason)
    assert not ActivityLog.objects.filter(action="payment.confirmed").exists()


def test_late_payment_on_a_cancelled_order_is_flagged(make_order, admin_user, buyer):
    order = make_order("manual")
    payment = payment_start(order=order)
    order_cancel(order=order, actor=buyer)
    payment_confirm(payment=payment, paid_amount=order.total)
    order.refresh_from_db()
    assert (order.status, order.needs_review) == (OrderStatus.CANCELLED, True)
    assert order.review_reason == "Pembayaran diterima setelah pesanan berstatus dibatalkan."


def test_admin_mark_paid_on_an_expired_order_goes_to_review(make_order, admin_user):
    order = make_order("manual", now=timezone.now() - timedelta(hours=30))
    order_expire_sweep()
    payment = payment_mark_paid_manual(order=order, actor=admin_user, note="transfer telat")
    order.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert (order.status, order.needs_review) == (OrderStatus.EXPIRED, True)


def test_second_payment_of_a_paid_order_is_flagged_as_double(make_order, admin_user):
    order = make_order("xendit")
    with respx.mock:
        respx.post(f"{XENDIT_URL}/v2/invoices").mock(
            return_value=httpx.Response(
                200, json={"id": "inv-2x", "invoice_url": "https://checkout.xendit.test/inv-2x"}
            )
        )
        gateway = payment_start(order=order)
    payment_mark_paid_manual(order=order, actor=admin_user, note="transfer langsung")

    payment_confirm(payment=gateway, paid_amount=150_000, method="QRIS")

    order.refresh_from_db()
    gateway.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert gateway.status == PaymentStatus.PAID
    assert order.needs_review is True
    assert order.review_reason == "Pembayaran ganda: pesanan sudah lunas lewat pembayaran lain (xendit)."
    assert paid_rows(order) == 1


def test_confirm_twice_does_nothing_the_second_time(make_order):
    order = make_order("manual")
    payment = payment_start(order=order)
    payment_confirm(payment=payment, paid_amount=order.total)
    first = Payment.objects.get(pk=payment.pk)
    again = payment_confirm(payment=payment, paid_amount=order.total, method="other")
    assert (again.paid_at, again.method) == (first.paid_at, "")
    assert paid_rows(order) == 1
    assert ActivityLog.objects.filter(action="payment.confirmed").count() == 1


def test_paid_plan_order_activates_the_membership(make_order, plan, buyer):
    order = make_order("manual", items=[ItemRequest(kind="plan", slug=plan.slug, duration="12m")])
    payment_confirm(payment=payment_start(order=order), paid_amount=order.total)
    membership = membership_active_for(user=buyer)
    assert membership is not None
    assert membership.plan == plan


# --- starting a payment: refusals -----------------------------------------------------------------------------------


def test_start_refuses_a_disabled_provider_and_a_paid_order(make_order, settings, admin_user):
    order = make_order("xendit")
    settings.PAYMENT_PROVIDERS = ["manual"]
    with pytest.raises(ServiceError) as exc:
        payment_start(order=order)
    assert exc.value.errors == {"provider": ["Metode pembayaran ini sedang tidak tersedia. Silakan pilih metode lain."]}

    paid = make_order("manual")
    payment_mark_paid_manual(order=paid, actor=admin_user)
    with pytest.raises(ServiceError) as exc:
        payment_start(order=paid)
    assert exc.value.message == f"Pesanan {paid.invoice_number} tidak menunggu pembayaran (status: Lunas)."


# --- refunds -------------------------------------------------------------------------------------------------------


def test_refund_is_recorded_as_manual_with_a_note(make_order, admin_user):
    order = make_order("manual")
    payment = payment_mark_paid_manual(order=order, actor=admin_user)

    part = payment_refund(payment=payment, amount=50_000, actor=admin_user, reason="Sebagian kelas batal")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert (part.mode, part.amount, part.provider_reference) == (RefundMode.MANUAL, 50_000, "")
    assert part.note == "Tanpa API refund: kembalikan Rp 50.000 ke pembeli secara manual."

    rest = order.total - 50_000
    payment_refund(payment=payment, amount=rest, actor=admin_user, reason="Sisanya")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert Refund.objects.filter(payment=payment).count() == 2
    assert ActivityLog.objects.filter(action="payment.refunded").count() == 2


@pytest.mark.parametrize("amount", [0, -5, "abc", None])
def test_refund_amount_must_be_within_what_was_paid(make_order, admin_user, amount):
    order = make_order("manual")
    payment = payment_mark_paid_manual(order=order, actor=admin_user)
    for bad in (amount, order.total + 1):
        with pytest.raises(ServiceError) as exc:
            payment_refund(payment=payment, amount=bad, actor=admin_user, reason="x")
        assert list(exc.value.errors) == ["amount"]
    assert Refund.objects.count() == 0


def test_refund_refusals(make_order, admin_user, make_user):
    order = make_order("manual")
    pending = payment_start(order=order)
    with pytest.raises(ServiceError):
        payment_refund(payment=pending, amount=1, actor=admin_user, reason="x")
    paid = payment_mark_paid_manual(order=order, actor=admin_user)
    with pytest.raises(NotAllowed):
        payment_refund(payment=paid, amount=1, actor=make_user(), reason="x")
    with pytest.raises(ServiceError) as exc:
        payment_refund(payment=paid, amount=1, actor=admin_user, reason="   ")
    assert exc.value.errors == {"reason": ["Tuliskan alasan pengembalian dana."]}
    assert Refund.objects.count() == 0


def test_a_paid_order_whose_plan_cannot_be_activated_keeps_the_payment_and_its_other_lines(make_user, admin_user):
    """The one savepoint of fulfilment: the refused plan is rolled back and the order fulfilled again without it."""
    from sanggar.access.models import Grant
    from sanggar.finance.models import LedgerTransaction
    from sanggar.orders.constants import OrderAction
    from sanggar.orders.tests.shop import Shop, plan_item

    shop = Shop(admin_user)
    silver = shop.plan("Silver", rank=1)
    gold = shop.plan("Gold", rank=2)
    ebook = shop.product("Ebook Ekspor", price=150_000)
    buyer = make_user(full_name="Rina Pembeli", email="rina@contoh.test")
    order = shop.buy(buyer, plan_item(silver.slug), ItemRequest("product", ebook.slug))  # priced while nothing active
    shop.buy_paid(buyer, plan_item(gold.slug))  # meanwhile Gold became active: Silver can no longer be taken

    payment = payment_mark_paid_manual(order=order, actor=admin_user, note="transfer diterima")

    order.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert (order.status, order.needs_review) == (OrderStatus.PAID, True)
    assert order.review_reason.startswith("Pembayaran diterima, tetapi aktivasi gagal: Silver (12 Bulan): ")
    assert membership_active_for(user=buyer).plan_id == gold.pk
    assert Grant.objects.filter(user=buyer, source_ref=f"order:{order.invoice_number}").count() == 1  # the ebook
    assert LedgerTransaction.objects.filter(key=f"split:{order.invoice_number}").count() == 1
    paid_row = ActivityLog.objects.get(target_id=str(order.pk), action="payment.marked_paid")
    assert paid_row.data["message"] == order.review_reason
    assert not ActivityLog.objects.filter(target_id=str(order.pk), action=OrderAction.PAID).exists()
