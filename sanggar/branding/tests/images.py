"""Small in-memory uploads for the branding tests."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(fmt: str, size=(40, 20), color="#2047FC") -> bytes:
    buffer = BytesIO()
    image = Image.new("RGBA" if fmt in ("PNG", "ICO", "WEBP") else "RGB", size, color)
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def png(name="logo.png", size=(40, 20), color="#2047FC") -> SimpleUploadedFile:
    return upload(name, image_bytes("PNG", size, color))


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
