"""Checks of uploaded files before the catalog stores them: images are opened with Pillow, private product files
are recognised by their first bytes (the extension alone proves nothing). Stored names are generated, never the
uploader's."""

import io
import secrets
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from sanggar.core.exceptions import ServiceError

from .constants import FILE_MAX_BYTES, IMAGE_FORMATS, IMAGE_MAX_SIDE, PRODUCT_FILE_EXTENSIONS


def _fail(field: str, message: str):
    raise ServiceError(message, errors={field: [message]})


def file_size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    return int(size)


def _megabytes(value: int) -> str:
    return f"{value // (1024 * 1024)} MB"


def validate_image(file, *, field: str, label: str, max_bytes: int) -> str:
    """PNG, JPEG or WebP up to `max_bytes` and IMAGE_MAX_SIDE pixels a side; returns the extension of its real
    format. Raises ServiceError on `field` with an Indonesian message."""
    size = file_size(file)
    if size == 0:
        _fail(field, _("%(label)s: file kosong.") % {"label": label})
    if size > max_bytes:
        _fail(field, _("Ukuran %(label)s maksimal %(max)s.") % {"label": label.lower(), "max": _megabytes(max_bytes)})
    type_message = _("%(label)s harus berupa gambar PNG, JPEG atau WebP (SVG tidak diterima).") % {"label": label}
    image_format = None
    width = height = 0
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        _fail(field, type_message)
    finally:
        file.seek(0)
    if image_format not in IMAGE_FORMATS:
        _fail(field, type_message)
    if width > IMAGE_MAX_SIDE or height > IMAGE_MAX_SIDE:
        message = _("%(label)s terlalu besar: paling besar %(max)s × %(max)s piksel.")
        _fail(field, message % {"label": label, "max": IMAGE_MAX_SIDE})
    return IMAGE_FORMATS[image_format]


def _head(file, length: int = 16) -> bytes:
    file.seek(0)
    data = file.read(length)
    file.seek(0)
    return data if isinstance(data, bytes) else data.encode()


def _matches(extension: str, head: bytes) -> bool:
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in ("zip", "epub", "docx", "xlsx", "pptx"):
        return head.startswith(b"PK\x03\x04")
    if extension == "mp4":
        return head[4:8] == b"ftyp"
    if extension == "mp3":
        return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    return False


def validate_product_file(file, *, field: str = "file") -> str:
    """A private download: one of PRODUCT_FILE_EXTENSIONS whose content matches its extension, at most
    FILE_MAX_BYTES. Returns the (lower-case) extension."""
    name = getattr(file, "name", "") or ""
    extension = PurePath(name).suffix.lower().lstrip(".")
    allowed = ", ".join(ext.upper() for ext in PRODUCT_FILE_EXTENSIONS if ext != "jpeg")
    if extension not in PRODUCT_FILE_EXTENSIONS:
        _fail(field, _("Jenis file tidak didukung. Pilih salah satu: %(types)s.") % {"types": allowed})
    size = file_size(file)
    if size == 0:
        _fail(field, _("File kosong."))
    if size > FILE_MAX_BYTES:
        _fail(field, _("Ukuran file maksimal %(max)s.") % {"max": _megabytes(FILE_MAX_BYTES)})
    if not _matches(extension, _head(file)):
        _fail(
            field,
            _("Isi file tidak cocok dengan jenisnya (.%(ext)s). Unggah file aslinya.") % {"ext": extension},
        )
    return extension


def generated_name(prefix: str, extension: str) -> str:
    """`cover-3f9a….png`: random, so an upload can neither guess nor overwrite another file's name."""
    return f"{prefix}-{secrets.token_hex(12)}.{extension}"


def original_name(file) -> str:
    """The uploader's file name without any folder part, for the download's file name."""
    return PurePath(getattr(file, "name", "") or "").name[:255]


def image_fit(
    upload, *, field: str, label: str, size: tuple[int, int], max_bytes: int, transparent: bool = False
) -> ContentFile:
    """An uploaded image checked by content and size, re-encoded as a fresh JPEG cropped to `size`; `transparent`:
    a PNG that keeps the transparency, the whole picture fitted inside `size` (badges, stickers)."""
    kind = field
    validate_image(upload, field=field, label=label, max_bytes=max_bytes)
    try:
        upload.seek(0)
        with Image.open(upload) as source:
            source.load()
            frame = ImageOps.exif_transpose(source).convert("RGBA" if transparent else "RGB")
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError):
        raise ServiceError(_("%(l)s tidak dapat dibaca.") % {"l": label}, errors={kind: [_("Tidak valid.")]}) from None
    out = io.BytesIO()
    if transparent:
        frame = ImageOps.contain(frame, size, Image.Resampling.LANCZOS)
        canvas = Image.new("RGBA", size, (0, 0, 0, 0))
        canvas.paste(frame, ((size[0] - frame.width) // 2, (size[1] - frame.height) // 2))
        canvas.save(out, format="PNG", optimize=True)
        return ContentFile(out.getvalue())
    frame = ImageOps.fit(frame, size, Image.Resampling.LANCZOS)
    frame.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue())
