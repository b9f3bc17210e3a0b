import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_WA = re.compile(r"^\+628\d{7,11}$")


def normalize_whatsapp(value: str) -> str:
    """Normalises an Indonesian WhatsApp number to +628…; raises ValidationError when it is not one.

    Accepts `0812…`, `812…`, `62812…`, `+62 812-…`, with spaces, dots, dashes or brackets."""
    raw = (value or "").strip()
    digits = re.sub(r"[\s.\-()]", "", raw)
    if digits.startswith("+"):
        digits = digits[1:]
    if not digits.isdigit():
        raise ValidationError(_("Nomor WhatsApp hanya boleh berisi angka, contoh 081234567890."), code="invalid")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    number = "+" + digits
    if not _WA.match(number):
        raise ValidationError(
            _("Nomor WhatsApp tidak valid. Gunakan nomor seluler Indonesia, contoh 081234567890."), code="invalid"
        )
    return number
