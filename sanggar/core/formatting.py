"""Formatting shared by pages, emails and exports: rupiah and Indonesian dates in WIB."""

from datetime import date, datetime

from django.utils import timezone

MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
MONTHS_LONG = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def rupiah(amount: int | None) -> str:
    """`1500000` → `Rp 1.500.000`; negative amounts keep their sign in front."""
    if amount is None:
        return ""
    value = int(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}Rp {abs(value):,}".replace(",", ".")


def _local(value: datetime | date) -> datetime | date:
    if isinstance(value, datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


def tanggal(value: datetime | date | None) -> str:
    """`23 Nov 2025` (in WIB for datetimes)."""
    if not value:
        return ""
    value = _local(value)
    return f"{value.day} {MONTHS_SHORT[value.month - 1]} {value.year}"


def tanggal_pendek(value: datetime | date | None) -> str:
    """`23 Nov` (chart labels; in WIB for datetimes)."""
    if not value:
        return ""
    value = _local(value)
    return f"{value.day} {MONTHS_SHORT[value.month - 1]}"


def bulan(value: date) -> str:
    """`November 2025`."""
    return f"{MONTHS_LONG[value.month - 1]} {value.year}"


def tanggal_panjang(value: datetime | date | None) -> str:
    if not value:
        return ""
    value = _local(value)
    return f"{value.day} {MONTHS_LONG[value.month - 1]} {value.year}"


def jam(value: datetime | None) -> str:
    """`14:05 WIB`."""
    if not value:
        return ""
    value = _local(value)
    return f"{value:%H:%M} WIB"


def tanggal_jam(value: datetime | None) -> str:
    """`23 Nov 2025, 14:05 WIB`."""
    if not value:
        return ""
    return f"{tanggal(value)}, {jam(value)}"
