"""Checks of an uploaded document before it is stored: the extension is one of DOCUMENT_EXTENSIONS, the first bytes
match it (an Office file is a zip holding its part: word/, xl/, ppt/), a PDF opens and is not encrypted (so it can
be stamped at download), and the size is within settings.DOCUMENT_MAX_BYTES. Stored names are generated."""

import secrets
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from sanggar.core.exceptions import ServiceError

from .constants import DOCUMENT_EXTENSIONS

OFFICE_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


def _fail(message: str):
    raise ServiceError(message, errors={"file": [message]})


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    return int(size)


def extension_of(name: str) -> str:
    suffix = PurePath(name or "").suffix.lower().lstrip(".")
    return suffix


def validate_document_file(file) -> str:
    """Returns the file's extension; raises ServiceError on `file` with an Indonesian message."""
    name = str(getattr(file, "name", "") or "")
    if "\x00" in name:
        _fail(_("Nama berkas tidak valid."))
    extension = extension_of(name)
    allowed = ", ".join(e.upper() for e in DOCUMENT_EXTENSIONS)
    if extension not in DOCUMENT_EXTENSIONS:
        _fail(_("Jenis berkas tidak didukung. Gunakan %(allowed)s.") % {"allowed": allowed})
    size = _size(file)
    if size == 0:
        _fail(_("Berkas kosong."))
    if size > settings.DOCUMENT_MAX_BYTES:
        _fail(_("Ukuran berkas maksimal %(mb)s MB.") % {"mb": settings.DOCUMENT_MAX_BYTES // (1024 * 1024)})
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    mismatch = _("Isi berkas tidak sesuai dengan jenisnya (.%(ext)s).") % {"ext": extension}
    if extension == "pdf":
        if not head.startswith(b"%PDF-"):
            _fail(mismatch)
        try:
            reader = PdfReader(file)
            if reader.is_encrypted:
                _fail(_("PDF yang dikunci kata sandi tidak bisa diberi tanda pengunduh. Unggah PDF tanpa kata sandi."))
            if len(reader.pages) == 0:
                _fail(mismatch)
        except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
            _fail(_("PDF ini rusak atau tidak bisa dibaca."))
        finally:
            file.seek(0)
        return extension
    if not head.startswith(b"PK\x03\x04"):
        _fail(mismatch)
    part = OFFICE_PARTS.get(extension)
    if part:
        try:
            with zipfile.ZipFile(file) as archive:
                names = archive.namelist()[:2000]
        except (zipfile.BadZipFile, OSError, ValueError):
            _fail(mismatch)
        finally:
            file.seek(0)
        if not any(n.startswith(part) for n in names):
            _fail(mismatch)
    return extension


def stored_name(extension: str) -> str:
    return f"{secrets.token_hex(16)}.{extension}"
