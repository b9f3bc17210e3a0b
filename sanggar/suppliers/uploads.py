"""Checks of a supplier's uploads: images opened with Pillow (catalog's check), documents recognised by their first
bytes (the extension proves nothing), sizes from settings. Stored names are generated."""

import io
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from sanggar.catalog.uploads import file_size, validate_image
from sanggar.core.exceptions import ServiceError

_MAGIC = {
    "pdf": lambda head: head.startswith(b"%PDF-"),
    "png": lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"),
    "jpg": lambda head: head.startswith(b"\xff\xd8\xff"),
    "jpeg": lambda head: head.startswith(b"\xff\xd8\xff"),
    "docx": lambda head: head.startswith(b"PK\x03\x04"),
}


def _fail(field: str, message: str):
    raise ServiceError(message, errors={field: [message]})


def image(file, *, field: str, label: str) -> str:
    if file is None:
        _fail(field, _("Pilih file gambar."))
    return validate_image(file, field=field, label=label, max_bytes=settings.SUPPLIER_IMAGE_MAX_BYTES)


def document(file, *, field: str, extensions: tuple[str, ...]) -> str:
    """A file whose extension is one of `extensions` and whose content matches it; returns the extension."""
    if file is None:
        _fail(field, _("Pilih file."))
    name = str(getattr(file, "name", "") or "")
    extension = PurePath(name).suffix.lower().lstrip(".")
    allowed = ", ".join(e.upper() for e in extensions if e != "jpeg")
    if "\x00" in name or extension not in extensions:
        _fail(field, _("Jenis file tidak didukung. Pilih salah satu: %(types)s.") % {"types": allowed})
    size = file_size(file)
    if size == 0:
        _fail(field, _("File kosong."))
    if size > settings.SUPPLIER_FILE_MAX_BYTES:
        _fail(field, _("Ukuran file maksimal %(mb)s MB.") % {"mb": settings.SUPPLIER_FILE_MAX_BYTES // (1024 * 1024)})
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if isinstance(head, str):
        head = head.encode()
    if not _MAGIC[extension](head):
        _fail(field, _("Isi file tidak cocok dengan jenisnya (.%(ext)s). Unggah file aslinya.") % {"ext": extension})
    return "jpg" if extension == "jpeg" else extension


def original_name(file) -> str:
    return PurePath(str(getattr(file, "name", "") or "")).name.replace("\x00", "")[:255]


DISPLAY_MAX_SIDE = 1600
_SAVE = {"jpg": ("JPEG", {"quality": 85, "optimize": True}), "png": ("PNG", {"optimize": True}),
         "webp": ("WEBP", {"quality": 85})}  # fmt: skip


def compressed(file, extension: str) -> ContentFile:
    """An already validated image, re-encoded (spec: "compressed automatically"): turned upright, at most
    DISPLAY_MAX_SIDE pixels a side, without its metadata (camera, GPS)."""
    file.seek(0)
    with Image.open(file) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((DISPLAY_MAX_SIDE, DISPLAY_MAX_SIDE))
        if extension == "jpg" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        fmt, options = _SAVE[extension]
        image.save(buffer, fmt, **options)
    file.seek(0)
    return ContentFile(buffer.getvalue())
