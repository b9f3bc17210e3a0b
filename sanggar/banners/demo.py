"""Demo banners, drawn with Pillow and created through the services: an upgrade banner for free members on the
dashboard, a webinar banner for premium members, and an affiliate banner in the sidebar for affiliates. Running it
twice changes nothing."""

from datetime import timedelta
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from sanggar.core.roles import Role
from sanggar.core.site import absolute

from . import services
from .constants import Audience, Placement
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
        data["link_url"] = absolute(data["link_url"])
        data.update(start_at=now - timedelta(days=1), end_at=now + timedelta(days=60), active=True)
        services.banner_create(actor=admin, data=data, image=_image(item["color"]))
    log(f"{len(DEMO)} demo banners")
