"""Demo branding: Ekspor Yuk, with logos drawn here (a main logo, a different affiliate logo and a favicon).
Idempotent: once the Ekspor Yuk identity and its three images are in place, nothing changes."""

from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from sanggar.core.roles import Role

from .constants import DEFAULT_COLORS, SECTION_IDENTITY
from .models import SINGLETON_ID, Branding
from .services import branding_reset_colors, branding_update

PLATFORM_NAME = "Ekspor Yuk"
SHORT_NAME = "EksporYuk"
TAGLINE = "Belajar ekspor dari nol sampai kirim barang ke pembeli luar negeri"

BLUE = DEFAULT_COLORS["primary_color"]
YELLOW = DEFAULT_COLORS["secondary_color"]
INK = DEFAULT_COLORS["secondary_text_color"]
WHITE = "#FFFFFF"
SCALE = 2  # drawn at twice the size, then reduced for smooth edges


def _font(size: int):
    for path in (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _mark(draw: ImageDraw.ImageDraw, x: int, y: int, size: int, *, tile: str, letter: str, arrow: str) -> None:
    """The Ekspor Yuk mark: a rounded tile with an "E" built from three bars and an arrow leaving to the
    upper right (goods going abroad)."""
    draw.rounded_rectangle((x, y, x + size, y + size), radius=size // 4, fill=tile)
    unit = size / 8
    left = x + 2 * unit
    for row, width in ((2, 3.2), (3.6, 2.4), (5.2, 3.2)):
        top = y + row * unit
        draw.rounded_rectangle((left, top, left + width * unit, top + 1.0 * unit), radius=unit / 3, fill=letter)
    draw.rectangle((left, y + 2 * unit, left + 1.0 * unit, y + 6.2 * unit), fill=letter)
    tip = (x + 7.0 * unit, y + 1.0 * unit)
    draw.polygon([tip, (x + 5.2 * unit, y + 1.0 * unit), (x + 7.0 * unit, y + 2.8 * unit)], fill=arrow)
    shaft = (x + 5.6 * unit, y + 3.4 * unit, x + 6.6 * unit, y + 1.4 * unit)
    draw.line(shaft, fill=arrow, width=max(2, int(unit * 0.7)))


def _wordmark(draw: ImageDraw.ImageDraw, x: int, baseline: int, font) -> None:
    draw.text((x, baseline), "Ekspor", font=font, fill=INK, anchor="ls")
    draw.text((x + draw.textlength("Ekspor", font=font), baseline), "Yuk", font=font, fill=BLUE, anchor="ls")


def _png(image: Image.Image, size: tuple[int, int]) -> bytes:
    buffer = BytesIO()
    image.resize(size, Image.Resampling.LANCZOS).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def draw_main_logo() -> bytes:
    width, height = 480 * SCALE, 120 * SCALE
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    _mark(draw, 8 * SCALE, 8 * SCALE, 104 * SCALE, tile=BLUE, letter=WHITE, arrow=YELLOW)
    font = _font(54 * SCALE)
    _wordmark(draw, 132 * SCALE, 88 * SCALE, font)
    return _png(image, (480, 120))


def draw_affiliate_logo() -> bytes:
    width, height = 480 * SCALE, 120 * SCALE
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    _mark(draw, 8 * SCALE, 8 * SCALE, 104 * SCALE, tile=YELLOW, letter=INK, arrow=BLUE)
    name_font, tag_font = _font(46 * SCALE), _font(20 * SCALE)
    text_x = 132 * SCALE
    _wordmark(draw, text_x, 62 * SCALE, name_font)
    label = "AFFILIATE"
    label_width = draw.textlength(label, font=tag_font)
    top = 74 * SCALE
    draw.rounded_rectangle(
        (text_x, top, text_x + label_width + 20 * SCALE, top + 32 * SCALE), radius=16 * SCALE, fill=BLUE
    )
    draw.text((text_x + 10 * SCALE, top + 16 * SCALE), label, font=tag_font, fill=WHITE, anchor="lm")
    return _png(image, (480, 120))


def draw_favicon() -> bytes:
    size = 64 * SCALE
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    _mark(ImageDraw.Draw(image), 0, 0, size, tile=BLUE, letter=WHITE, arrow=YELLOW)
    return _png(image, (64, 64))


def _complete(row: Branding | None) -> bool:
    if row is None or row.platform_name != PLATFORM_NAME:
        return False
    return all(getattr(row, name).name and getattr(row, name).storage.exists(getattr(row, name).name) for name in (
        "logo_main", "logo_affiliate", "favicon"
    ))  # fmt: skip


def seed(*, log):
    if _complete(Branding.objects.filter(pk=SINGLETON_ID).first()):
        log("Ekspor Yuk branding already there")
        return
    admin = get_user_model().objects.filter(email="admin@sanggar.test", roles__role=Role.ADMIN).first()
    if admin is None:
        raise RuntimeError("The demo admin (admin@sanggar.test) must exist before the demo branding.")
    branding_update(
        actor=admin,
        section=SECTION_IDENTITY,
        platform_name=PLATFORM_NAME,
        short_name=SHORT_NAME,
        tagline=TAGLINE,
        logo_main=SimpleUploadedFile("logo.png", draw_main_logo(), content_type="image/png"),
        logo_affiliate=SimpleUploadedFile("logo-affiliate.png", draw_affiliate_logo(), content_type="image/png"),
        favicon=SimpleUploadedFile("favicon.png", draw_favicon(), content_type="image/png"),
    )
    branding_reset_colors(actor=admin)
    log("Ekspor Yuk branding set: name, tagline, main and affiliate logos, favicon, default colours")
