"""Demo attribution data (after the orders' demo data, before finance's), through the affiliate and orders services:

- affiliate@sanggar.test (Dinda) has the code DINDA;
- the short-link domain link.eksporyuk.com, with link.eksporyuk.com/dinda → Gold and /s/ebook-dinda → the ebook;
- two weeks of clicks on Dinda's links (some repeats from one address, which count once);
- three buyers referred by Dinda: two paid orders (Gold 12 months through the short link's cookie, the ebook
  through a coupon-free referral link), and one paid from the address Dinda logged in from, so its commission
  waits in the admin's review queue.

Running it twice changes nothing."""

from datetime import timedelta

from django.utils import timezone

from sanggar.accounts.models import User
from sanggar.audit.constants import Action
from sanggar.audit.services import activity_record
from sanggar.catalog.constants import PlanStatus, ProductStatus
from sanggar.catalog.models import MembershipPlan, Product
from sanggar.core.exceptions import ServiceError
from sanggar.orders.models import Order
from sanggar.orders.services import ItemRequest, order_create, order_mark_paid

from .constants import ReferralSource
from .models import Click, ShortLink, ShortLinkDomain
from .services import (
    affiliate_profile_ensure,
    attribution_record,
    attribution_resolve,
    click_record,
    referral_bind,
    referral_cookie_value,
    short_link_create,
    short_link_domain_create,
)

DOMAIN = "link.eksporyuk.com"
EBOOK = "ebook-panduan-ekspor-pemula"
DINDA_IP = "36.72.10.15"
BUYERS = (
    ("rudi.hartono@sanggar.test", "Rudi Hartono", "081200000021", "gold", "12m", 6),
    ("lestari.ayu@sanggar.test", "Lestari Ayu", "081200000022", EBOOK, None, 3),
    ("yoga.pratama@sanggar.test", "Yoga Pratama", "081200000023", "silver", "12m", 1),
)
NOTE = "Transfer diterima (data demo)."


def _links(profile, admin, log) -> None:
    domain = ShortLinkDomain.objects.filter(domain=DOMAIN).first() or short_link_domain_create(
        actor=admin, domain=DOMAIN
    )
    wanted = [(domain, "dinda", "plan", "gold"), (None, "ebook-dinda", "product", EBOOK)]
    for dom, slug, kind, target in wanted:
        if ShortLink.objects.filter(domain=dom, slug=slug).exists():
            continue
        try:
            short_link_create(affiliate=profile, domain=dom, slug=slug, target_kind=kind, target_slug=target)
        except ServiceError as exc:
            log(f"link pendek {slug} dilewati: {exc.message}")
        else:
            log(f"link pendek {slug} ({dom.domain if dom else 'domain utama'}) dibuat")


def _clicks(profile, log) -> None:
    if Click.objects.filter(affiliate=profile).exists():
        return
    now = timezone.now()
    short = {link.slug: link for link in ShortLink.objects.filter(affiliate=profile)}
    landings = ("/membership/gold", "/checkout/gold?durasi=12m", f"/produk/{EBOOK}", "/membership/silver")
    referrers = ("https://wa.me/", "https://www.instagram.com/", "https://www.facebook.com/", "")
    count = 0
    for day in range(14):
        for i in range(1 + (day * 7) % 5):
            n = day * 10 + i
            link = short.get("dinda") if n % 3 == 0 else None
            click_record(
                code=profile.code,
                landing_path="/membership/gold" if link else landings[n % len(landings)],
                referrer=referrers[n % len(referrers)],
                user_agent="Mozilla/5.0 (Linux; Android 13) Demo",
                ip=f"114.124.{day}.{i % 3}",  # some addresses come back: those repeats count once
                short_link=link,
                now=now - timedelta(days=13 - day, hours=i),
            )
            count += 1
    log(f"{count} klik demo untuk {profile.code}")


def _buyer(email, name, whatsapp):
    user = User.objects.filter(email=email).first()
    if user is None:
        from sanggar.accounts.demo import DEMO_PASSWORD

        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=name, whatsapp="+62" + whatsapp[1:]
        )
    return user


def _item(slug, duration):
    if duration:
        if not MembershipPlan.objects.filter(slug=slug, status=PlanStatus.ACTIVE).exists():
            return None
        return ItemRequest("plan", slug, duration)
    if not Product.objects.filter(slug=slug, status=ProductStatus.PUBLISHED).exists():
        return None
    return ItemRequest("product", slug)


def _sales(profile, admin, log) -> None:
    # Dinda's own logins: an order placed from this address is flagged for review.
    if not profile.user.last_login:
        activity_record(action=Action.LOGIN, actor=profile.user, ip=DINDA_IP, user_agent="Demo")
    now = timezone.now()
    for index, (email, name, whatsapp, slug, duration, days_ago) in enumerate(BUYERS):
        buyer = _buyer(email, name, whatsapp)
        if Order.objects.filter(buyer=buyer).exists():
            continue
        item = _item(slug, duration)
        if item is None:
            continue
        when = now - timedelta(days=days_ago)
        source = ReferralSource.SHORT_LINK if index == 0 else ReferralSource.LINK
        referral_bind(user=buyer, code=profile.code, clicked_at=when - timedelta(hours=2), source=source, now=when)
        cookie = referral_cookie_value(code=profile.code, clicked_at=when - timedelta(hours=2), source=source)
        client_ip = DINDA_IP if index == 2 else f"182.253.{index}.9"
        try:
            attribution = attribution_resolve(buyer=buyer, cookie_value=cookie, client_ip=client_ip, now=when)
            order = order_create(
                buyer=buyer, items=[item], provider="manual", affiliate=attribution.affiliate_user, now=when
            )
            attribution_record(attribution=attribution, order=order)
            order = order_mark_paid(order=order, actor=admin, note=NOTE, now=when + timedelta(hours=1))
        except ServiceError as exc:
            log(f"penjualan referral {email} dilewati: {exc.message}")
            continue
        log(f"{order.invoice_number}: {name} membeli lewat {profile.code}")


def seed(*, log):
    admin = User.objects.filter(email="admin@sanggar.test").first()
    user = User.objects.filter(email="affiliate@sanggar.test").first()
    if admin is None or user is None:
        return
    profile = affiliate_profile_ensure(user=user)
    _links(profile, admin, log)
    _clicks(profile, log)
    _sales(profile, admin, log)
    _program(admin, log)


def _png(text: str, size=(600, 200), colour=(32, 71, 252)):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).text((24, size[1] // 2 - 8), text, fill=(255, 255, 255))
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"{text.lower().replace(' ', '-')}.png", buffer.getvalue(), content_type="image/png")


def _program(admin, log):
    """Tiers, a running weekly challenge and a marketing kit, through the admin services."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import Challenge, MarketingKitItem, Tier
    from .services_ui import challenge_create, kit_item_create, tier_create

    if not Tier.objects.exists():
        tier_create(actor=admin, name="Silver", min_sales=2, period_days=30, bonus_percent=10)
        tier_create(actor=admin, name="Gold", min_sales=10, period_days=30, bonus_percent=25)
        log("tier Silver (+10%) dan Gold (+25%) dibuat")
    if not Challenge.objects.exists():
        now = timezone.now()
        challenge_create(
            actor=admin,
            title="Sprint Minggu Ini: 5 Penjualan",
            period="weekly",
            starts_at=now - timedelta(days=2),
            ends_at=now + timedelta(days=5),
            target_sales=5,
            reward=500_000,
            description="Capai 5 penjualan minggu ini dan dapatkan bonus Rp 500.000 ke dompet Anda.",
        )
        log("challenge mingguan dibuat")
    if not MarketingKitItem.objects.exists():
        kit_item_create(
            actor=admin,
            title="Copywriting WhatsApp — Membership Gold",
            kind="copy",
            text="Mau mulai ekspor tapi bingung dari mana? Gabung Membership Gold Ekspor Yuk: kelas, komunitas, "
            "dan database buyer dalam satu paket. Daftar di sini: {link}",
            target_kind="plan",
            target_slug="gold",
        )
        kit_item_create(
            actor=admin,
            title="Copywriting Instagram — umum",
            kind="copy",
            text="Belajar ekspor dari nol sampai kirim barang ke pembeli luar negeri bersama Ekspor Yuk. Info: {link}",
        )
        kit_item_create(actor=admin, title="Logo Ekspor Yuk", kind="logo", file=_png("Ekspor Yuk", (400, 400)))
        kit_item_create(actor=admin, title="Banner promo 1200x628", kind="banner", file=_png("Ekspor Yuk", (1200, 628)))
        log("marketing kit: 2 copywriting, logo, banner")
