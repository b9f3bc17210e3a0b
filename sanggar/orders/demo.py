"""Demo orders (after the catalog's and memberships' demo data), made through the real services so memberships,
grants, payments, follow-ups and notifications are what a real sale leaves behind:

- member@sanggar.test: Gold (12 months) paid by bank transfer and confirmed by the admin → an active Gold
  membership; an ebook bought with the demo coupon;
- free@sanggar.test: no membership; one order waiting for a manual transfer (with instructions) and one that expired;
- mentor@sanggar.test: a paid product; supplier@sanggar.test: a product refunded by the admin.

Running it twice changes nothing (each step checks whether its order is already there)."""

import io
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw

from sanggar.accounts.models import User
from sanggar.catalog.constants import PlanStatus, PriceType, ProductStatus
from sanggar.catalog.models import Coupon, MembershipPlan, PlanPrice, Product
from sanggar.core.formatting import rupiah

from .constants import OrderStatus
from .demo_referrals import seed_referrals
from .models import Order, TransferProof
from .payments_port import payments
from .services import (
    ItemRequest,
    follow_ups_send_due,
    order_create,
    order_expire_sweep,
    order_proof_upload,
    order_refund,
)
from .services.home import home_page_get, home_page_update

DEMO_NOTE = "Transfer diterima (data demo)."


def _plan_option(slug: str, duration: str):
    plan = MembershipPlan.objects.filter(status=PlanStatus.ACTIVE, slug=slug).first()
    if plan is None:
        return None
    option = PlanPrice.objects.filter(plan=plan, is_active=True, duration=duration).first()
    return option or PlanPrice.objects.filter(plan=plan, is_active=True).order_by("-price").first()


def _products() -> list[Product]:
    """Published products that cost something and have no seat limit, cheapest first."""
    return list(
        Product.objects.filter(status=ProductStatus.PUBLISHED, price_type=PriceType.ONE_TIME, price__gt=0)
        .filter(Q(stock__isnull=True) | Q(stock__gt=20))
        .exclude(access_level="premium")
        .order_by("price", "id")
    )


def _has_order(user, *, plan=None, product=None, status=None) -> bool:
    orders = Order.objects.filter(buyer=user)
    if plan is not None:
        orders = orders.filter(items__plan=plan)
    if product is not None:
        orders = orders.filter(items__product=product)
    if status is not None:
        orders = orders.filter(status=status)
    return orders.exists()


def _pay(order: Order, admin) -> Order:
    payments().start(order=order)
    payments().mark_paid_manual(order=order, actor=admin, note=DEMO_NOTE)
    order.refresh_from_db()
    return order


def _plan_item(option) -> ItemRequest:
    return ItemRequest("plan", option.plan.slug, option.duration)


def _product_item(product) -> ItemRequest:
    return ItemRequest("product", product.slug)


HOME_TESTIMONIALS = (
    "Sari Wulandari | Pemilik UMKM kopi, Temanggung | Tiga bulan setelah ikut kelas buyer, kopi kami dikirim "
    "pertama kali ke Rotterdam. Template dokumennya menghemat waktu berhari-hari.\n"
    "Andi Pratama | Reseller kerajinan rotan | Saya kira ekspor itu rumit. Ternyata langkahnya jelas, dan mentor "
    "menjawab pertanyaan saya sampai ke urusan HS code.\n"
    "Dewi Lestari | Eksportir rempah | Database buyer-nya aktif dan relevan. Dua calon pembeli dari Dubai membalas "
    "email perkenalan saya di minggu pertama."
)


def _seed_home(admin, log) -> None:
    """The front door's testimonials (once: an admin's later edits stay)."""
    page = home_page_get()
    if page.testimonials:
        return
    home_page_update(actor=admin, testimonials=HOME_TESTIMONIALS, headline="Ekspor pertama Anda dimulai di sini")
    log("beranda: judul dan 3 testimoni")


def seed(*, log):
    users = {u.email: u for u in User.objects.filter(email__endswith="@sanggar.test")}
    admin = users.get("admin@sanggar.test")
    member = users.get("member@sanggar.test")
    free = users.get("free@sanggar.test")
    mentor = users.get("mentor@sanggar.test")
    supplier = users.get("supplier@sanggar.test")
    if not all((admin, member, free, mentor, supplier)):
        log("demo accounts missing; run the accounts demo first")
        return
    _seed_home(admin, log)
    gold = _plan_option("gold", "12m")
    twelve = _plan_option("12-bulan", "12m") or _plan_option("silver", "12m")
    products = _products()
    if gold is None or twelve is None or len(products) < 2:
        log("the catalog demo (plans gold and 12-bulan, products) is missing; no demo orders")
        return
    ebook, template = products[0], products[1]
    now = timezone.now()
    made = []

    if not _has_order(member, plan=gold.plan):
        order = order_create(buyer=member, items=[_plan_item(gold)], provider="manual", now=now - timedelta(hours=3))
        made.append(_pay(order, admin))
    if not _has_order(member, product=ebook):
        coupon = Coupon.objects.filter(is_active=True).order_by("id").first()
        order = order_create(
            buyer=member,
            items=[_product_item(ebook)],
            coupon_code=coupon.code if coupon else "",
            provider="manual",
            now=now - timedelta(hours=2),
        )
        made.append(order if order.status == OrderStatus.PAID else _pay(order, admin))
    if not _has_order(free, status=OrderStatus.EXPIRED):
        order = order_create(
            buyer=free, items=[_product_item(template)], provider="manual", now=now - timedelta(days=3)
        )
        order_expire_sweep(now=now)
        order.refresh_from_db()
        made.append(order)
    if not _has_order(free, plan=twelve.plan, status=OrderStatus.PENDING):
        order = order_create(buyer=free, items=[_plan_item(twelve)], provider="manual", now=now - timedelta(minutes=20))
        payments().start(order=order)
        made.append(order)
    if not _has_order(mentor, product=template):
        order = order_create(
            buyer=mentor, items=[_product_item(template)], provider="manual", now=now - timedelta(hours=20)
        )
        made.append(_pay(order, admin))
    if not _has_order(supplier, product=ebook):
        order = order_create(
            buyer=supplier, items=[_product_item(ebook)], provider="manual", now=now - timedelta(hours=22)
        )
        _pay(order, admin)
        made.append(order_refund(order=order, actor=admin, reason="Pembeli salah memilih produk (data demo)."))

    pending = Order.objects.filter(buyer=free, status=OrderStatus.PENDING).order_by("-created_at").first()
    if pending is not None and not TransferProof.objects.filter(order=pending).exists():
        order_proof_upload(
            order=pending, user=free, file=_receipt_image(pending), note="Sudah transfer dari BCA a.n. Fajar Gratis"
        )
        log(f"{pending.invoice_number}: transfer proof waiting for confirmation")

    # Only on the run that creates the orders, so a second seed changes nothing (beat sends the rest).
    sent = follow_ups_send_due() if made else 0
    if made:
        log(f"{len(made)} demo orders: " + ", ".join(f"{o.invoice_number} ({o.buyer.email}, {o.status})" for o in made))
    else:
        log("demo orders already there")
    if sent:
        log(f"{sent} follow-ups sent")
    if admin is not None:
        seed_referrals(admin=admin, log=log)


def _receipt_image(order) -> ContentFile:
    """A small picture of a bank transfer receipt for the demo's transfer proof."""
    image = Image.new("RGB", (480, 300), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    lines = [
        "m-BCA  Transfer Berhasil",
        f"Ke: {settings.MANUAL_BANK_ACCOUNT_HOLDER}",
        f"Rekening: {settings.MANUAL_BANK_NAME} {settings.MANUAL_BANK_ACCOUNT_NUMBER}",
        f"Jumlah: {rupiah(order.total)}",
        f"Berita: {order.invoice_number}",
    ]
    for row, text in enumerate(lines):
        draw.text((24, 30 + row * 48), text, fill=(20, 40, 90))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="bukti-transfer.png")
