"""Demo Booster data (after the affiliates' and catalog's demos): the five credit packages of the brief, the admins'
email templates and bio templates, the four default sequences, and Dinda's bio page, opt-in form, leads, an
activated welcome sequence and a draft broadcast. Built through the services; running it twice changes nothing."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from sanggar.affiliates.services.profiles import affiliate_profile_ensure
from sanggar.catalog.constants import PlanStatus, ProductStatus
from sanggar.catalog.models import MembershipPlan, Product
from sanggar.core.roles import Role

from .models import BioTemplate, CreditPackage, EmailTemplate, Lead, Sequence
from .services import admin as admin_services
from .services import broadcasts, credits, leads, pages, sequences

PACKAGES = (("Kredit 70", 50_000, 70), ("Kredit 150", 100_000, 150), ("Kredit 400", 250_000, 400),
            ("Kredit 900", 500_000, 900), ("Kredit 2.000", 1_000_000, 2_000))  # fmt: skip

EMAILS = (
    ("Pengingat pembayaran", "payment", "{first_name}, pesanan Anda menunggu pembayaran",
     "Halo {first_name},\n\nPesanan Anda belum dibayar. Selesaikan sebelum batas waktu agar akses langsung aktif.\n\n"
     "Salam,\n{affiliate}"),
    ("Setelah Zoom", "after_zoom", "Rekaman & materi webinar ekspor hari ini",
     "Terima kasih sudah ikut webinar, {first_name}!\n\nRekaman dan slide bisa Anda unduh di tautan berikut. "
     "Ada pertanyaan? Balas email ini saja.\n\n{affiliate}"),
    ("Promo membership", "membership", "Diskon membership Ekspor Yuk minggu ini",
     "Halo {first_name},\n\nMembership premium membuka kelas, grup mentor, dan database buyer. "
     "Promo berlaku sampai Minggu.\n\n{affiliate}"),
    ("Upsell ebook", "ebook", "Ebook: 7 Dokumen Wajib Ekspor",
     "Halo {first_name},\n\nEbook ini merangkum dokumen ekspor dari proforma sampai COO, lengkap dengan contoh.\n\n"
     "{affiliate}"),
    ("Upsell jasa website", "website", "Website ekspor siap dalam 7 hari",
     "Halo {first_name},\n\nBuyer luar negeri menilai dari website. Tim kami membuatkan website bisnis ekspor Anda.\n\n"
     "{affiliate}"),
    ("Welcome", "welcome", "Selamat datang, {first_name}!",
     "Halo {first_name},\n\nTerima kasih sudah bergabung. Dalam beberapa hari ke depan saya kirim langkah awal "
     "memulai ekspor.\n\n{affiliate}"),
    ("Edukasi harian", "education", "Tips ekspor hari ini: memilih HS Code",
     "Halo {first_name},\n\nHS Code menentukan bea masuk di negara tujuan. Cek dulu sebelum menawar harga.\n\n"
     "{affiliate}"),
    ("Launch / promo / urgency", "launch", "Tinggal 24 jam: kelas ekspor batch baru",
     "Halo {first_name},\n\nPendaftaran batch baru ditutup besok malam. Kursi tinggal sedikit.\n\n{affiliate}"),
)  # fmt: skip

BIO_TEMPLATES = (
    ("Modern - Mentor Ekspor", "modern", "#0f766e",
     [("plan", "Join Membership Premium"), ("optin", "Ambil Ebook Gratis")]),
    ("Minimal - Ebook", "minimal", "#111827", [("optin", "Ambil Ebook Gratis"), ("product", "Mulai Belajar Ekspor")]),
    ("Bold - Webinar", "bold", "#dc2626", [("event", "Daftar Webinar"), ("whatsapp", "Tanya via WhatsApp")]),
    ("Elegant - Konsultan", "elegant", "#92400e", [("course", "Mulai Belajar Ekspor"), ("wa_group", "Gabung Grup WA")]),
    ("Creative - Komunitas", "creative", "#7c3aed", [("plan", "Join Membership Premium"), ("event", "Daftar Webinar")]),
)  # fmt: skip

H = 60
D = 24 * H
DEFAULT_SEQUENCES = (
    ("Tindak Lanjut Zoom", "Setelah webinar: replay, edukasi buyer, kesalahan pemula, promo", "tag_added", "zoom",
     [(0, "Replay webinar & langkah berikutnya", "Halo {first_name}, ini rekaman webinar kemarin."),
      (D, "Cara mencari buyer pertama", "Halo {first_name}, hari ini kita bahas mencari buyer."),
      (D, "5 kesalahan eksportir pemula", "Halo {first_name}, hindari lima kesalahan ini."),
      (D, "Promo berakhir hari ini", "Halo {first_name}, promo untuk peserta webinar berakhir malam ini.")]),
    ("Pengingat Pembayaran Tertunda", "Pengingat pembayaran: 30 menit, 2 jam, H+1, H+2, H+3", "tag_added", "pending",
     [(30, "Pesanan Anda menunggu", "Halo {first_name}, pesanan Anda belum dibayar."),
      (90, "Ada kendala pembayaran?", "Halo {first_name}, balas email ini bila ada kendala."),
      (D - 2 * H, "Masih tertarik?", "Halo {first_name}, akses Anda menunggu."),
      (D, "Pengingat kedua", "Halo {first_name}, jangan lewatkan kesempatan ini."),
      (D, "Kesempatan terakhir", "Halo {first_name}, ini pengingat terakhir dari saya.")]),
    ("Sambutan Lead Baru", "Selamat datang, dasar buyer, cara mulai ekspor", "optin", "",
     [(0, "Selamat datang, {first_name}!", "Terima kasih sudah bergabung."),
      (D, "Mengenal buyer luar negeri", "Halo {first_name}, ini dasar-dasar buyer."),
      (2 * D, "Cara mulai ekspor dari nol", "Halo {first_name}, ini langkah pertama Anda.")]),
    ("Rangkaian Ebook / Lead Magnet", "Tautan unduhan, edukasi lanjutan, ajakan membership", "optin", "",
     [(0, "Ebook Anda siap diunduh", "Halo {first_name}, terima kasih! Unduh ebooknya dari halaman tadi."),
      (D, "Bab favorit pembaca", "Halo {first_name}, bab tiga paling sering ditanyakan."),
      (3 * D, "Lanjut belajar bersama mentor", "Halo {first_name}, membership membuka kelas dan grup mentor.")]),
)  # fmt: skip

LEADS = (
    ("Sari Wulandari", "sari.wulandari@contoh.id", "081311110001", "new", ["webinar"]),
    ("Budi Hartono", "budi.hartono@contoh.id", "081311110002", "contacted", ["hot"]),
    ("Agus Prasetyo", "agus.prasetyo@contoh.id", "", "interested", ["hot", "kopi"]),
    ("Rina Marlina", "rina.marlina@contoh.id", "081311110004", "new", []),
    ("Dedi Kurniawan", "", "081311110005", "contacted", ["warm"]),
    ("Wulan Sari", "wulan.sari@contoh.id", "", "lost", []),
    ("Yusuf Hakim", "yusuf.hakim@contoh.id", "081311110007", "new", ["rempah"]),
    ("Fitri Handayani", "fitri.handayani@contoh.id", "", "interested", ["warm", "webinar"]),
)  # fmt: skip


def seed(*, log):
    users = get_user_model().objects
    admin = users.filter(email="admin@sanggar.test", roles__role=Role.ADMIN).first()
    user = users.filter(email="affiliate@sanggar.test", roles__role=Role.AFFILIATE).first()
    if admin is None or user is None:
        log("demo accounts missing; no Booster demo")
        return
    if CreditPackage.objects.exists():
        log("Booster demo already there")
        return
    for i, (name, price, amount) in enumerate(PACKAGES):
        admin_services.package_save(
            actor=admin, name=name, price=price, credits_amount=amount, is_active=True, position=i
        )
    for name, category, subject, body in EMAILS:
        admin_services.email_template_save(
            actor=admin, name=name, category=category, subject=subject, body=body, is_published=True
        )
    for name, theme, color, buttons in BIO_TEMPLATES:
        admin_services.bio_template_save(
            actor=admin, name=name, theme=theme, primary_color=color, font="sans", headline="", bio="",
            buttons=[{"kind": k, "label": label} for k, label in buttons], is_published=True,
        )  # fmt: skip
    for name, description, trigger, tag, steps in DEFAULT_SEQUENCES:
        sequences.sequence_save(
            affiliate=None, name=name, description=description, trigger=trigger, tag=tag,
            steps=[{"delay_minutes": d, "subject": s, "body": b} for d, s, b in steps],
        )  # fmt: skip
    affiliate = affiliate_profile_ensure(user=user)
    form = pages.optin_save(affiliate=affiliate, data={
        "title": "Ebook 7 Langkah Ekspor", "slug": "ebook-ekspor-dinda", "headline": "Ebook Gratis: 7 Langkah Ekspor",
        "description": "Panduan singkat dari riset produk sampai pengiriman pertama.", "badge_text": "Gratis",
        "benefits": "Cara menentukan HS Code\nDaftar dokumen ekspor\nTemplate penawaran ke buyer",
        "faq": "Apakah gratis? | Ya, cukup isi nama dan email.\nFormatnya apa? | PDF, 32 halaman.",
        "ask_name": True, "ask_email": True, "ask_whatsapp": True, "action": "message",
        "success_message": "Terima kasih! Ebook bisa Anda buka dari tombol di bawah.",
        "magnet_url": "https://eksporyuk.com/ebook-7-langkah-ekspor", "is_active": True,
    })  # fmt: skip
    pages.bio_page_save(
        affiliate=affiliate, theme="modern", primary_color="#0f766e", font="sans",
        headline="Dinda - Pendamping UMKM Ekspor", bio="Membantu UMKM Bali menembus pasar ekspor sejak 2019.",
        whatsapp="081200000006", wa_group_url="", socials={"instagram": "dinda.ekspor", "tiktok": "dindaekspor"},
        is_published=True,
    )  # fmt: skip
    pages.bio_button_save(affiliate=affiliate, kind="optin", target=form.slug, label="Ambil Ebook Gratis")
    plan = MembershipPlan.objects.filter(status=PlanStatus.ACTIVE).order_by("id").first()
    if plan is not None:
        pages.bio_button_save(affiliate=affiliate, kind="plan", target=plan.slug, label="Join Membership Premium")
    product = Product.objects.filter(status=ProductStatus.PUBLISHED).order_by("id").first()
    if product is not None:
        pages.bio_button_save(affiliate=affiliate, kind="product", target=product.slug, label="Mulai Belajar Ekspor")
    pages.bio_button_save(affiliate=affiliate, kind="whatsapp", target="", label="Tanya via WhatsApp")
    credits.credit_adjust(actor=admin, affiliate=affiliate, amount=150, reason="Kredit percobaan demo")
    welcome = Sequence.objects.filter(owner_id__isnull=True, name="Sambutan Lead Baru").first()
    sequences.sequence_adopt(affiliate=affiliate, default=welcome)
    for name, email, wa, status, tags in LEADS:
        via_form = "webinar" in tags
        leads.lead_upsert(affiliate=affiliate, name=name, email=email, whatsapp=wa, status=status, tags=tags,
                          source="optin" if via_form else "manual", form=form if via_form else None)  # fmt: skip
    template = EmailTemplate.objects.filter(category="membership").first()
    broadcasts.broadcast_save(
        affiliate=affiliate, name="Promo membership Desember", subject=template.subject, body=template.body,
        segment={"status": "interested"}, template=template,
    )  # fmt: skip
    log(
        f"Booster: {CreditPackage.objects.count()} packages, {BioTemplate.objects.count()} bio templates, "
        f"{Lead.objects.filter(Q(affiliate=affiliate)).count()} leads for {affiliate.code}"
    )
