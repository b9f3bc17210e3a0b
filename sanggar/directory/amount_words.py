"""Amounts in words for invoices: English for any currency ("US Dollars One Thousand Two Hundred and 50/100") and
Indonesian terbilang for rupiah ("Satu juta dua ratus lima puluh ribu rupiah"). Pure functions, no database."""

from decimal import ROUND_HALF_UP, Decimal

CURRENCY_NAMES = {
    "USD": "US Dollars",
    "EUR": "Euros",
    "JPY": "Japanese Yen",
    "SGD": "Singapore Dollars",
    "AUD": "Australian Dollars",
    "CNY": "Chinese Yuan Renminbi",
    "SAR": "Saudi Riyals",
    "AED": "UAE Dirhams",
    "GBP": "Pounds Sterling",
    "IDR": "Indonesian Rupiah",
}
NO_MINOR_UNITS = {"JPY"}  # currencies without cents

_ONES = [
    "Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve",
    "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen",
]  # fmt: skip
_TENS = ["_", "_", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"]
_SCALES_EN = ("", "Thousand", "Million", "Billion", "Trillion", "Quadrillion", "Quintillion", "Sextillion")

_SATUAN = ["nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas"]
_SCALES_ID = ("", "ribu", "juta", "miliar", "triliun", "kuadriliun", "kuintiliun", "sekstiliun")


def _groups(number: int) -> list[int]:
    """1234567 → [567, 234, 1] (groups of three digits, lowest first)."""
    groups = []
    while True:
        number, group = divmod(number, 1000)
        groups.append(group)
        if not number:
            return groups


def _hundreds_en(n: int) -> str:
    words = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words.append(f"{_ONES[hundreds]} Hundred")
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        words.append(_TENS[tens] + (f"-{_ONES[ones]}" if ones else ""))
    elif rest:
        words.append(_ONES[rest])
    return " ".join(words)


def words_en(number: int) -> str:
    """A whole number ≥ 0 in English words ("One Thousand Two Hundred Thirty-Four"); digits beyond sextillions."""
    if number == 0:
        return "Zero"
    groups = _groups(number)
    if len(groups) > len(_SCALES_EN):
        return f"{number:,}"
    parts = [f"{_hundreds_en(g)} {_SCALES_EN[i]}".strip() for i, g in reversed(list(enumerate(groups))) if g]
    return " ".join(parts)


def _hundreds_id(n: int) -> str:
    words = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words.append("seratus" if hundreds == 1 else f"{_SATUAN[hundreds]} ratus")
    if rest < 12:
        if rest:
            words.append(_SATUAN[rest])
    elif rest < 20:
        words.append(f"{_SATUAN[rest - 10]} belas")
    else:
        tens, ones = divmod(rest, 10)
        words.append(f"{_SATUAN[tens]} puluh" + (f" {_SATUAN[ones]}" if ones else ""))
    return " ".join(words)


def terbilang(number: int) -> str:
    """A whole number ≥ 0 in Indonesian ("satu juta dua ratus lima puluh ribu"; 1000 → "seribu")."""
    if number == 0:
        return "nol"
    groups = _groups(number)
    if len(groups) > len(_SCALES_ID):
        return f"{number:,}".replace(",", ".")
    parts = []
    for i, group in reversed(list(enumerate(groups))):
        if not group:
            continue
        if i == 1 and group == 1:
            parts.append("seribu")
        else:
            parts.append(f"{_hundreds_id(group)} {_SCALES_ID[i]}".strip())
    return " ".join(parts)


def _split(amount: Decimal) -> tuple[int, int]:
    cents = int(Decimal(amount).copy_abs().quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) * 100)
    return divmod(cents, 100)


def amount_in_words(amount: Decimal, currency: str) -> str:
    """ "US Dollars One Thousand Two Hundred and 50/100"; currencies without cents end after the whole part."""
    whole, cents = _split(amount)
    name = CURRENCY_NAMES.get(currency.upper(), currency.upper())
    text = f"{name} {words_en(whole)}"
    if currency.upper() in NO_MINOR_UNITS:
        return text
    return f"{text} and {cents:02d}/100"


def amount_terbilang(amount: Decimal) -> str:
    """ "Satu juta dua ratus lima puluh ribu rupiah" (with "… lima puluh sen" for a fraction)."""
    whole, cents = _split(amount)
    text = f"{terbilang(whole)} rupiah"
    if cents:
        text += f" {terbilang(cents)} sen"
    return text[0].upper() + text[1:]
