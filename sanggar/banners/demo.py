"""Demo banners, drawn with Pillow and created through the services: an upgrade banner for free members on the
dashboard, a webinar banner for premium members, an affiliate banner in the sidebar, banners in the feed, group
header, course, event and product pages, an admin-entered sponsor (a logistics company) and a sponsor package sold
as a catalog product. Running it twice changes nothing."""

from datetime import timedelta
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from sanggar.catalog.services import product_create
from sanggar.core.roles import Role
from sanggar.core.site import absolute

from . import services
from .constants import Audience, Kind, Placement
from .models import Banner

DEMO = (
    {
        "title": "Upgrade ke Premium, buka semua kelas ekspor",
        "description": "Akses modul lengkap, database buyer, dan konsultasi mentor setiap minggu.",
        "link_url": "/membership-saya",
        "cta_text": "Upgrade Premium Sekarang",
        "placement": Placement.DASHBOARD,
        "target_roles": [Role.MEMBER],
        "audience": Audience.FREE,
        "priority": 5,
        "color": (37, 99, 235),
    },
    {
        "title": "Webinar: Menembus Pasar Jepang 2027",
        "description": "Khusus member premium. Sabtu pukul 19.00 WIB bersama mentor ekspor.",
        "link_url": "/event",
        "cta_text": "Daftar Webinar",
        "placement": Placement.DASHBOARD,
        "target_roles": [],
        "audience": Audience.PREMIUM,
        "priority": 4,
        "color": (22, 163, 74),
    },
    {
        "title": "Bonus komisi affiliate bulan ini",
        "description": "Ajak 5 member baru dan dapatkan bonus Rp500.000.",
        "link_url": "/affiliate/link",
        "cta_text": "Lihat Detail",
        "placement": Placement.SIDEBAR,
        "target_roles": [Role.AFFILIATE],
        "audience": Audience.ALL,
        "priority": 3,
        "color": (234, 179, 8),
    },
    {
        "title": "Kelas Live Semi-Private IELTS dibuka",
        "description": "Maksimal 10 siswa per section, jadwal malam hari. Kuota Januari tinggal sedikit.",
        "link_url": "/kelas-live",
        "cta_text": "Lihat Jadwal",
        "placement": Placement.DASHBOARD,
        "target_roles": [Role.MEMBER],
        "audience": Audience.PREMIUM,
        "priority": 4,
        "daily_cap": 5,
        "color": (124, 58, 237),
    },
    {
        "title": "Ikuti Klinik Dokumen Ekspor gratis",
        "description": "Bawa draf invoice dan packing list Anda, kami periksa bersama.",
        "link_url": "/event",
        "cta_text": "Daftar Gratis",
        "placement": Placement.FEED,
        "target_roles": [],
        "audience": Audience.ALL,
        "priority": 4,
        "daily_cap": 3,
        "color": (13, 148, 136),
    },
    {
        "title": "Kursus Strategi Ekspor untuk anggota grup",
        "description": "Modul negosiasi buyer dan termin pembayaran T/T, L/C dan DP.",
        "link_url": "/kursus",
        "cta_text": "Mulai Belajar",
        "placement": Placement.GROUP,
        "target_roles": [],
        "audience": Audience.ALL,
        "priority": 3,
        "color": (37, 99, 235),
    },
    {
        "title": "Hemat 20% untuk paket Lifetime",
        "description": "Satu kali bayar, akses semua kelas dan grup selamanya.",
        "link_url": "/membership-saya",
        "cta_text": "Upgrade Sekarang",
        "placement": Placement.PRODUCT,
        "target_roles": [],
        "audience": Audience.ALL,
        "priority": 3,
        "color": (220, 38, 38),
    },
    {
        "title": "Webinar gratis: menghitung harga FOB",
        "description": "Cocok setelah Anda menyelesaikan modul harga ekspor.",
        "link_url": "/event",
        "cta_text": "Daftar Webinar",
        "placement": Placement.COURSE,
        "target_roles": [],
        "audience": Audience.ALL,
        "priority": 3,
        "color": (22, 163, 74),
    },
    {
        "title": "Kirim sampel ke Jepang mulai Rp150.000",
        "description": "Door-to-door, termasuk dokumen. Khusus member Ekspor Yuk.",
        "link_url": "https://samuderacargo.co.id",
        "cta_text": "Cek Tarif",
        "placement": Placement.EVENT,
        "target_roles": [],
        "audience": Audience.ALL,
        "priority": 3,
        "kind": Kind.SPONSOR,
        "sponsor_name": "PT Samudera Cargo Logistik",
        "color": (30, 64, 175),
    },
)


def _image(color) -> SimpleUploadedFile:
    image = Image.new("RGB", (1200, 400), color)
    ImageDraw.Draw(image).rectangle((40, 40, 1160, 360), outline=(255, 255, 255), width=8)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("banner.png", buffer.getvalue(), content_type="image/png")


def seed(*, log):
    admin = get_user_model().objects.filter(email="admin@sanggar.test", roles__role=Role.ADMIN).first()
    if admin is None:
        log("demo admin missing; no demo banners")
        return
    if Banner.objects.exists():
        log("demo banners already there")
        return
    now = timezone.now()
    for item in DEMO:
        data = {k: v for k, v in item.items() if k != "color"}
        data.update(start_at=now - timedelta(days=1), end_at=now + timedelta(days=60), active=True)
        if data["link_url"].startswith("/"):
            data["link_url"] = absolute(data["link_url"])
        services.banner_create(actor=admin, data=data, image=_image(item["color"]))
    product = product_create(
        actor=admin,
        title="Paket Iklan Sidebar 7 Hari",
        status="published",
        price=350000,
        short_description="Banner usaha Anda tampil di sidebar komunitas selama 7 hari setelah disetujui admin.",
    )
    services.sponsor_package_save(actor=admin, product=product, placement=Placement.SIDEBAR, days=7, daily_cap=3)
    log(f"{len(DEMO)} demo banners, 1 sponsor package")
