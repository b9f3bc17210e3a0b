from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sanggar.banners import services


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png(size=(60, 20)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, (10, 20, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("b.png", buffer.getvalue(), content_type="image/png")


def data(**overrides) -> dict:
    now = timezone.now()
    base = {
        "title": "Upgrade Premium", "description": "Buka semua kelas", "link_url": "https://ekspor.example/upgrade",
        "cta_text": "Gabung Sekarang", "placement": "dashboard", "target_roles": [], "audience": "all",
        "start_at": now - timedelta(days=1), "end_at": now + timedelta(days=1), "priority": 3, "active": True,
    }  # fmt: skip
    base.update(overrides)
    return base


@pytest.fixture
def make_banner(admin_user):
    def make(**overrides):
        return services.banner_create(actor=admin_user, data=data(**overrides), image=png())

    return make
