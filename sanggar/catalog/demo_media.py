"""The demo catalog's pictures and files, drawn with Pillow: plan logos, banners, covers, ebook pages, a PDF and a
ZIP (used by `catalog/demo.py`; other apps' demos may draw their covers with these too)."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

BLUE, YELLOW, INK, WHITE = "#2047FC", "#FFC30D", "#111827", "#FFFFFF"


def _font(size: int, bold: bool = True):
    names = (
        ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf") if bold else ("DejaVuSans.ttf", "LiberationSans-Regular.ttf")
    )
    for name in names:
        for folder in ("/usr/share/fonts/truetype/dejavu/", "/usr/share/fonts/truetype/liberation/"):
            try:
                return ImageFont.truetype(folder + name, size)
            except OSError:
                continue
    return ImageFont.load_default(size=size)


def _png(image: Image.Image, name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _hex(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i : i + 2], 16) for i in (1, 3, 5))


def _gradient(size: tuple[int, int], start: str, end: str) -> Image.Image:
    width, height = size
    a, b = _hex(start), _hex(end)
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for x in range(width):
        t = x / max(1, width - 1)
        draw.line([(x, 0), (x, height)], fill=tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(3)))
    return image


def draw_plan_logo(title: str, color: str) -> SimpleUploadedFile:
    size = 256
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((8, 8, size - 8, size - 8), radius=56, fill=color)
    # A crown: three points over a band.
    draw.polygon([(60, 150), (60, 84), (96, 118), (128, 70), (160, 118), (196, 84), (196, 150)], fill=YELLOW)
    draw.rounded_rectangle((60, 152, 196, 176), radius=8, fill=YELLOW)
    label = title if len(title) <= 8 else title[:8]
    font = _font(34)
    draw.text((size / 2, 212), label.upper(), font=font, fill=WHITE, anchor="mm")
    return _png(image, "logo.png")


def draw_banner(title: str, subtitle: str, color: str, name: str = "banner.png") -> SimpleUploadedFile:
    width, height = 1200, 400
    image = _gradient((width, height), color, "#111827")
    draw = ImageDraw.Draw(image)
    for i, radius in enumerate((260, 180, 110)):
        draw.ellipse(
            (width - 200 - radius, height / 2 - radius, width - 200 + radius, height / 2 + radius),
            outline=(255, 255, 255, 60),
            width=6 - i,
        )
    draw.rounded_rectangle((64, 64, 300, 108), radius=22, fill=YELLOW)
    draw.text((182, 86), "EKSPOR YUK", font=_font(24), fill=INK, anchor="mm")
    draw.text((64, 190), title, font=_font(72), fill=WHITE, anchor="ls")
    draw.text((64, 250), subtitle, font=_font(30, bold=False), fill=WHITE, anchor="ls")
    return _png(image, name)


def draw_cover(title: str, kind_label: str, color: str, name: str = "cover.png") -> SimpleUploadedFile:
    width, height = 1280, 720
    image = _gradient((width, height), color, "#0F172A")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((80, 80, 80 + 24 * len(kind_label) + 60, 140), radius=30, fill=YELLOW)
    draw.text((110, 110), kind_label.upper(), font=_font(28), fill=INK, anchor="lm")
    words, lines, line = title.split(), [], ""
    font = _font(76)
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) > width - 200 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    for i, text in enumerate(lines[:3]):
        draw.text((80, 260 + i * 96), text, font=font, fill=WHITE, anchor="ls")
    draw.text((80, height - 80), "eksporyuk.com", font=_font(30, bold=False), fill=WHITE, anchor="ls")
    return _png(image, name)


def draw_page(number: int, color: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (960, 540), "#F8FAFC")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 960, 80), fill=color)
    draw.text((40, 40), f"Bab {number}", font=_font(36), fill=WHITE, anchor="lm")
    for row in range(7):
        y = 130 + row * 52
        draw.rounded_rectangle((40, y, 920 - (row % 3) * 120, y + 22), radius=11, fill="#CBD5E1")
    return _png(image, f"halaman-{number}.png")


def ebook_pdf() -> SimpleUploadedFile:
    pages = []
    for number, text in enumerate(("Panduan Ekspor Pemula", "Bab 1: Memilih Produk", "Bab 2: Mencari Buyer"), 1):
        page = Image.new("RGB", (1240, 1754), WHITE)
        draw = ImageDraw.Draw(page)
        draw.rectangle((0, 0, 1240, 220), fill=BLUE)
        draw.text((80, 110), "Ekspor Yuk", font=_font(64), fill=WHITE, anchor="lm")
        draw.text((80, 340), text, font=_font(56 if number == 1 else 48), fill=INK, anchor="lm")
        for row in range(18):
            y = 460 + row * 64
            draw.rounded_rectangle((80, y, 1160 - (row % 4) * 140, y + 24), radius=12, fill="#CBD5E1")
        pages.append(page)
    buffer = io.BytesIO()
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=150)
    return SimpleUploadedFile("Panduan-Ekspor-Pemula.pdf", buffer.getvalue(), content_type="application/pdf")


def template_zip() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "commercial-invoice.csv",
            "No,Description of Goods,HS Code,Qty,Unit,Unit Price (USD),Amount (USD)\n"
            "1,Coconut sugar (organic),1701.99,1000,kg,2.10,2100.00\n",
        )
        archive.writestr(
            "packing-list.csv",
            "No,Description,Cartons,Net Weight (kg),Gross Weight (kg),Measurement (m3)\n"
            "1,Coconut sugar,100,1000,1060,2.4\n",
        )
        archive.writestr(
            "proforma-invoice.txt",
            "PROFORMA INVOICE\nSeller: ...\nBuyer: ...\nTerms of payment: 30% T/T in advance, 70% against B/L copy\n",
        )
    return SimpleUploadedFile("Template-Dokumen-Ekspor.zip", buffer.getvalue(), content_type="application/zip")
