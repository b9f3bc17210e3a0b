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
from sanggar.core.exceptions import ServiceError

from .models import Click, ShortLink, ShortLinkDomain
from .services import (
    affiliate_profile_ensure,
    click_record,
    short_link_create,
    short_link_domain_create,
)

DOMAIN = "link.eksporyuk.com"
EBOOK = "ebook-panduan-ekspor-pemula"
DINDA_IP = "36.72.10.15"


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


def seed(*, log):
    admin = User.objects.filter(email="admin@sanggar.test").first()
    user = User.objects.filter(email="affiliate@sanggar.test").first()
    if admin is None or user is None:
        return
    profile = affiliate_profile_ensure(user=user)
    _links(profile, admin, log)
    _clicks(profile, log)


def _png(text: str, size=(600, 200), colour=(32, 71, 252)):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).text((24, size[1] // 2 - 8), text, fill=(255, 255, 255))
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"{text.lower().replace(' ', '-')}.png", buffer.getvalue(), content_type="image/png")


def program_seed(admin, log):
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
