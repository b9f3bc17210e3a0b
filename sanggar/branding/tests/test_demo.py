from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from sanggar.accounts import demo as accounts_demo
from sanggar.audit.constants import Action
from sanggar.audit.models import ActivityLog
from sanggar.branding import demo
from sanggar.branding.models import Branding

pytestmark = pytest.mark.django_db


def _image(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


def test_drawn_logos_are_distinct_pngs():
    main, affiliate, favicon = demo.draw_main_logo(), demo.draw_affiliate_logo(), demo.draw_favicon()
    assert (_image(main).format, _image(main).size) == ("PNG", (480, 120))
    assert (_image(affiliate).format, _image(affiliate).size) == ("PNG", (480, 120))
    assert (_image(favicon).format, _image(favicon).size) == ("PNG", (64, 64))
    assert main != affiliate
    assert _image(main).getpixel((60, 60))[:3] != _image(affiliate).getpixel((60, 60))[:3]


def test_seed_sets_ekspor_yuk_and_is_idempotent():
    messages = []
    accounts_demo.seed(log=messages.append)
    demo.seed(log=messages.append)
    branding = Branding.objects.get()
    assert (branding.platform_name, branding.short_name) == ("Ekspor Yuk", "EksporYuk")
    assert branding.tagline == "Belajar ekspor dari nol sampai kirim barang ke pembeli luar negeri"
    assert (branding.primary_color, branding.secondary_color) == ("#2047FC", "#FFC30D")
    names = (branding.logo_main.name, branding.logo_affiliate.name, branding.favicon.name)
    assert all(name.startswith("branding/") and default_storage.exists(name) for name in names)
    assert messages[-1] == "Ekspor Yuk branding set: name, tagline, main and affiliate logos, favicon, default colours"
    rows = ActivityLog.objects.filter(action=Action.SETTINGS_CHANGED).count()

    demo.seed(log=messages.append)
    branding.refresh_from_db()
    assert (branding.logo_main.name, branding.logo_affiliate.name, branding.favicon.name) == names
    assert ActivityLog.objects.filter(action=Action.SETTINGS_CHANGED).count() == rows
    assert messages[-1] == "Ekspor Yuk branding already there"
