"""Demo money (after the orders' demo data), through the finance services:

- the webinar made by mentor@ carries a 30% mentor share;
- support@ bought the webinar, the ebook and the template bundle ten days ago through affiliate@'s link (paid by
  transfer), so the commission and the mentor's share are past the holding period and available;
- every paid demo order gets its split posted (orders paid before this app existed have none yet);
- what is past the holding period is released;
- affiliate@ has one payout request waiting in the admin's queue.

Running it twice changes nothing."""

from datetime import timedelta

from django.utils import timezone

from sanggar.accounts.models import User
from sanggar.affiliates.services import affiliate_profile_ensure
from sanggar.catalog.constants import ProductStatus
from sanggar.catalog.models import Product
from sanggar.catalog.services import product_update
from sanggar.core.exceptions import ServiceError
from sanggar.orders.constants import OrderStatus
from sanggar.orders.models import Order
from sanggar.orders.services import ItemRequest, order_create, order_mark_paid

from .constants import AccountKind, PayoutStatus
from .models import LedgerTransaction, Payout
from .selectors import wallet_balances
from .services import commissions_release_sweep, payout_request, revenue_settings_current, revenue_split_post

WEBINAR = "webinar-menembus-buyer-eropa"
REFERRED_PRODUCTS = (WEBINAR, "ebook-panduan-ekspor-pemula", "bundel-template-dokumen-ekspor")
MENTOR_SHARE = 30


def _user(email: str):
    return User.objects.filter(email=email).first()


def _mentor_share(admin, log) -> None:
    product = Product.objects.filter(slug=WEBINAR).first()
    if product is not None and product.creator_id and product.mentor_share_percent != MENTOR_SHARE:
        product_update(product=product, actor=admin, mentor_share_percent=MENTOR_SHARE)
        log(f"{product.title}: bagian mentor {MENTOR_SHARE}%")


def _referred_sale(*, admin, affiliate, buyer, log) -> None:
    if Order.objects.filter(buyer=buyer, affiliate=affiliate, status=OrderStatus.PAID).exists():
        return

    affiliate_profile_ensure(user=affiliate)
    when = timezone.now() - timedelta(days=10)
    slugs = Product.objects.filter(slug__in=REFERRED_PRODUCTS, status=ProductStatus.PUBLISHED).values_list(
        "slug", flat=True
    )
    if not slugs:
        return
    try:
        order = order_create(
            buyer=buyer,
            items=[ItemRequest("product", slug) for slug in sorted(slugs)],
            provider="manual",
            affiliate=affiliate,
            now=when,
        )
        order_mark_paid(order=order, actor=admin, note="Transfer diterima (data demo).", now=when)
    except ServiceError as exc:
        log(f"penjualan referral dilewati: {exc.message}")
        return
    log(f"{order.invoice_number}: {buyer.email} membeli {len(slugs)} produk lewat {affiliate.email}")


def _post_missing_splits(log) -> None:
    posted = LedgerTransaction.objects.filter(key__startswith="split:").values_list("key", flat=True)
    done = {key.removeprefix("split:") for key in posted}
    orders = Order.objects.filter(status=OrderStatus.PAID, total__gt=0).order_by("paid_at", "id")
    count = 0
    for order in orders.exclude(invoice_number__in=done):
        if revenue_split_post(order=order) is not None:
            count += 1
    if count:
        log(f"bagi hasil diposting untuk {count} pesanan")


def _payout(affiliate, log) -> None:
    if Payout.objects.filter(user=affiliate, status=PayoutStatus.REQUESTED).exists():
        return
    available = next((w.available for w in wallet_balances(user=affiliate) if w.kind == AccountKind.AFFILIATE), 0)
    amount = min(available, max(revenue_settings_current().min_payout, available // 2))
    if amount <= 0 or amount < revenue_settings_current().min_payout:
        log("affiliate@ belum punya saldo tersedia untuk penarikan demo")
        return
    payout = payout_request(
        user=affiliate,
        wallet_kind=AccountKind.AFFILIATE,
        amount=amount,
        bank_name="BCA",
        bank_account_number="1234567890",
        bank_account_holder=affiliate.full_name or "Affiliate Demo",
    )
    log(f"penarikan #{payout.pk} sebesar {amount} menunggu persetujuan admin")


def seed(*, log):
    admin = _user("admin@sanggar.test")
    affiliate = _user("affiliate@sanggar.test")
    buyer = _user("support@sanggar.test")
    revenue_settings_current()
    if admin:
        _mentor_share(admin, log)
    if admin and affiliate and buyer:
        _referred_sale(admin=admin, affiliate=affiliate, buyer=buyer, log=log)
    _post_missing_splits(log)
    released = commissions_release_sweep()
    if released:
        log(f"{released} komisi / bagian mentor tersedia")
    if affiliate:
        _payout(affiliate, log)
