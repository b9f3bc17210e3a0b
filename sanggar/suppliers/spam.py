"""Anti-spam on supplier uploads (spec Supplier §11 "Anti-spam filter pada upload (gambar & teks)"): the public texts
a supplier uploads (product name and description, profile texts, captions) are refused when they carry a blocked
word (built-in gambling / loan / scam terms plus the admins' list), more links than the admins allow, long runs of
one character or one word, or a phone number or email address (contacts are opened through the directory's quota,
never placed in public text); an image identical to one the supplier already uploaded is refused."""

import hashlib
import re

from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from sanggar.core.exceptions import ServiceError

BUILTIN_WORDS = ("slot gacor", "judi online", "togel", "casino", "kasino", "pinjol", "pinjaman online cepat",
                 "jackpot", "maxwin", "viagra", "obat kuat", "deposit pulsa")  # fmt: skip
WORDS_MAX = 200
WORD_MAX = 60
_LINK = re.compile(r"(?:https?://|www\.)", re.IGNORECASE)
_RUN = re.compile(r"(\S)\1{9,}")
_WORD_RUN = re.compile(r"\b(\w+)(?:\W+\1\b){5,}", re.IGNORECASE)
_PHONE = re.compile(r"(?<!\d)(?:\+?62|0)\s?8(?:[\s.\-]?\d){7,12}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)


def words_clean(value) -> str:
    """The admins' blocked words: one per line (lower case, trimmed, no duplicates), at most WORDS_MAX."""
    if value is None:
        value = ""
    if not isinstance(value, str) or "\x00" in value or len(value) > WORDS_MAX * (WORD_MAX + 2):
        raise ServiceError(_("Daftar kata terlarang tidak valid."), errors={"spam_words": [_("Teks tidak valid.")]})
    words = list(dict.fromkeys(w.strip().lower() for w in value.splitlines() if w.strip()))
    if len(words) > WORDS_MAX or any(len(w) > WORD_MAX for w in words):
        raise ServiceError(
            _("Daftar kata terlarang tidak valid."),
            errors={"spam_words": [_("Paling banyak %(n)s kata, masing-masing %(m)s karakter.") % {"n": WORDS_MAX,
                                                                                              "m": WORD_MAX}]},
        )  # fmt: skip
    return "\n".join(words)


def _blocked(text: str, admin_words: str) -> str:
    lowered = " ".join(text.lower().split())
    for word in (*BUILTIN_WORDS, *(w for w in admin_words.splitlines() if w)):
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered):
            return word
    return ""


def text_problem(text: str, *, admin_words: str, max_links: int) -> str:
    """Why `text` (plain or HTML) is spam, or ""."""
    plain = strip_tags(text or "")
    if not plain.strip():
        return ""
    word = _blocked(plain, admin_words)
    if word:
        return _("Teks berisi kata yang tidak diizinkan: \u201c%(w)s\u201d.") % {"w": word}
    links = len(_LINK.findall(text or ""))
    if links > max_links:
        return _("Terlalu banyak tautan (%(n)s; paling banyak %(max)s).") % {"n": links, "max": max_links}
    if _RUN.search(plain) or _WORD_RUN.search(plain):
        return _("Teks terlihat seperti spam: karakter atau kata yang sama diulang-ulang.")
    if _PHONE.search(plain) or _EMAIL.search(plain):
        return _("Jangan menaruh nomor telepon atau email di teks publik; member membuka kontak Anda lewat direktori.")
    return ""


def texts_check(values: dict, *, settings_row) -> None:
    """Raises ServiceError naming each field of `values` whose text is spam."""
    errors = {}
    for field, text in values.items():
        if isinstance(text, str):
            problem = text_problem(text, admin_words=settings_row.spam_words, max_links=settings_row.spam_max_links)
            if problem:
                errors[field] = [problem]
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], errors=errors)


def digest(file) -> str:
    """sha256 of an uploaded file's content (the read position is put back to the start)."""
    h = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(65536), b""):
        h.update(chunk)
    file.seek(0)
    return h.hexdigest()
