from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone

from sanggar.catalog import services
from sanggar.catalog.models import Coupon
from sanggar.catalog.services import CouponLine, coupon_check
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.orders.models import Order

pytestmark = pytest.mark.django_db
_invoice = count(1)


def _order(buyer, coupon, status="paid"):
    return Order.objects.create(
        invoice_number=f"INV{next(_invoice):06d}", buyer=buyer, buyer_name=buyer.full_name, buyer_email=buyer.email,
        status=status, subtotal=100_000, total=90_000, coupon=coupon, coupon_code=coupon.code, provider="manual",
        expires_at=timezone.now() + timedelta(hours=24),
    )  # fmt: skip


def test_create_normalises_the_code_and_validates(admin_user, make_user, make_plan, make_product):
    affiliate = make_user("affiliate")
    plan = make_plan("Gold")
    product = make_product("Ebook")
    coupon = services.coupon_create(
        actor=admin_user, code=" ekspor 10 ", discount_type="percent", value="10", plan_ids=[plan.pk],
        product_ids=[product.pk], affiliate_id=affiliate.pk, max_uses="100", max_uses_per_user=1,
        valid_until="2030-01-01T00:00", description="Promo launching",
    )  # fmt: skip
    coupon.refresh_from_db()
    assert (coupon.code, coupon.value, coupon.max_uses, coupon.max_uses_per_user, coupon.affiliate) == (
        "EKSPOR10", 10, 100, 1, affiliate,
    )  # fmt: skip
    assert timezone.localtime(coupon.valid_until).strftime("%Y-%m-%d %H:%M %Z") == "2030-01-01 00:00 WIB"
    with pytest.raises(ServiceError) as exc:
        services.coupon_create(actor=admin_user, code="Ekspor10", discount_type="percent", value=101,
                               affiliate_id=admin_user.pk, valid_from="2030-01-02T00:00",
                               valid_until="2030-01-01T00:00", max_uses=0)  # fmt: skip
    assert exc.value.errors == {
        "code": ["Kode EKSPOR10 sudah dipakai kupon lain."],
        "value": ["Persen diskon maksimal 100."],
        "valid_until": ["Tanggal berakhir harus setelah tanggal mulai."],
        "max_uses": ["Batas total pemakaian minimal 1."],
        "affiliate_id": ["Pilih affiliate dari daftar pengguna ber-role Affiliate."],
    }
    with pytest.raises(ServiceError) as exc:
        services.coupon_create(actor=admin_user, code="A!", discount_type="fixed", value=0)
    assert exc.value.errors == {
        "code": ["Kode kupon 3–40 karakter: huruf, angka, - atau _, contoh EKSPOR10."],
        "value": ["Nominal diskon minimal 1."],
    }
    assert Coupon.objects.count() == 1


def test_update_and_permission(admin_user, make_user, make_coupon):
    coupon = make_coupon("HEMAT10")
    services.coupon_update(coupon=coupon, actor=admin_user, is_active=False, discount_type="fixed", value=25_000)
    coupon.refresh_from_db()
    assert (coupon.is_active, coupon.discount_type, coupon.value) == (False, "fixed", 25_000)
    with pytest.raises(NotAllowed):
        services.coupon_update(coupon=coupon, actor=make_user(), is_active=True)
    coupon.refresh_from_db()
    assert coupon.is_active is False


def test_percent_applies_to_every_line_when_unrestricted(make_coupon):
    make_coupon("HEMAT10", value=10)
    lines = [CouponLine("plan", 1, None, 999_999), CouponLine("product", None, 2, 150_000)]
    check = coupon_check(code="hemat10", user=None, lines=lines)
    assert (check.valid, check.discounts, check.total) == (True, {0: 99_999, 1: 15_000}, 114_999)
    assert check.message == "Kupon HEMAT10 dipakai: hemat Rp 114.999."


def test_restricted_coupon_only_discounts_its_items(make_coupon, make_plan, make_product):
    plan = make_plan("Gold")
    ebook = make_product("Ebook")
    other = make_product("Template")
    make_coupon("GOLD50", discount_type="fixed", value=50_000, plan_ids=[plan.pk])
    lines = [CouponLine("product", None, ebook.pk, 100_000), CouponLine("plan", plan.pk, None, 30_000)]
    check = coupon_check(code="GOLD50", user=None, lines=lines)
    assert (check.valid, check.discounts) == (True, {0: 0, 1: 30_000})  # never beyond the line
    check = coupon_check(code="GOLD50", user=None, lines=[CouponLine("product", None, other.pk, 100_000)])
    assert (check.valid, check.message, check.discounts) == (
        False, "Kupon GOLD50 tidak berlaku untuk item yang dipilih.", {0: 0},
    )  # fmt: skip


def test_unknown_inactive_and_window(make_coupon):
    line = [CouponLine("plan", 1, None, 100_000)]
    assert coupon_check(code="", user=None, lines=line).message == "Masukkan kode kupon."
    assert coupon_check(code="NOPE", user=None, lines=line).message == "Kode kupon NOPE tidak ditemukan."
    make_coupon("MATI", is_active=False)
    assert coupon_check(code="MATI", user=None, lines=line).message == "Kupon MATI sudah tidak berlaku."
    now = timezone.now()
    make_coupon("NANTI", valid_from=now + timedelta(days=1))
    check = coupon_check(code="NANTI", user=None, lines=line, now=now)
    assert not check.valid and check.message.startswith("Kupon NANTI baru berlaku mulai ")
    make_coupon("LEWAT", valid_until=now)
    check = coupon_check(code="LEWAT", user=None, lines=line, now=now)
    assert (check.valid, check.message) == (False, "Masa berlaku kupon LEWAT sudah habis.")
    assert coupon_check(code="LEWAT", user=None, lines=line, now=now - timedelta(seconds=1)).valid is True


def test_total_and_per_user_limits_count_pending_and_paid_orders(make_coupon, make_user):
    first, second, third = make_user(), make_user(), make_user()
    coupon = make_coupon("TERBATAS", max_uses=2, max_uses_per_user=1)
    line = [CouponLine("plan", 1, None, 100_000)]
    _order(first, coupon, status="paid")
    _order(second, coupon, status="expired")
    _order(second, coupon, status="cancelled")
    check = coupon_check(code="TERBATAS", user=first, lines=line)
    message = "Anda sudah memakai kupon TERBATAS sebanyak batas maksimal (1 kali)."
    assert (check.valid, check.message) == (False, message)
    assert coupon_check(code="TERBATAS", user=second, lines=line).valid is True
    _order(third, coupon, status="pending")
    check = coupon_check(code="TERBATAS", user=second, lines=line)
    assert (check.valid, check.message) == (False, "Kuota pemakaian kupon TERBATAS sudah habis.")


def test_a_coupon_that_gives_nothing_is_refused(make_coupon):
    make_coupon("HEMAT10")
    check = coupon_check(code="HEMAT10", user=None, lines=[CouponLine("product", None, 1, 0)])
    assert (check.valid, check.message) == (False, "Kupon HEMAT10 tidak memberi potongan untuk pesanan ini.")


def test_hundred_percent_and_large_fixed_are_capped(make_coupon):
    make_coupon("GRATIS", value=100)
    make_coupon("POTONG", discount_type="fixed", value=10_000_000)
    lines = [CouponLine("plan", 1, None, 1_500_000), CouponLine("product", None, 2, 99_999)]
    assert coupon_check(code="GRATIS", user=None, lines=lines).discounts == {0: 1_500_000, 1: 99_999}
    assert coupon_check(code="POTONG", user=None, lines=lines).total == 1_599_999


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_orders_cannot_both_take_the_last_use(make_coupon, make_user):
    import threading

    from django.db import close_old_connections, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    coupon = make_coupon("TERAKHIR", max_uses=1)
    buyers = [make_user() for _ in range(6)]
    barrier = threading.Barrier(len(buyers))
    valid: list[bool] = []
    lock = threading.Lock()

    def checkout(buyer):
        try:
            barrier.wait()
            with transaction.atomic():  # as order creation does: check, then create the order, then commit
                check = coupon_check(code="TERAKHIR", user=buyer, lines=[CouponLine("plan", 1, None, 100_000)])
                if check.valid:
                    _order(buyer, coupon, status="pending")
            with lock:
                valid.append(check.valid)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=checkout, args=(buyer,)) for buyer in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(valid) == [False] * 5 + [True]
    assert Order.objects.filter(coupon=coupon).count() == 1
