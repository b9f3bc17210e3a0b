"""Masking on the server: a masked value keeps just enough to recognise it and never the value itself, so a page or
an API answer before the member opens the detail holds nothing to copy (no client-side blur)."""

import re

MASK = "•"


def mask_email(value: str) -> str:
    """ "jane.doe@acme.co.jp" → "j•••@a•••.jp"."""
    value = (value or "").strip()
    if not value:
        return ""
    local, _sep, domain = value.partition("@")
    tld = domain.rsplit(".", 1)[-1] if "." in domain else ""
    return f"{local[:1]}{MASK * 3}@{domain[:1]}{MASK * 3}" + (f".{tld}" if tld else "")


def mask_phone(value: str) -> str:
    """ "+81 3-1234-5678" → "+81 ••••••78" (the country code and the last two digits)."""
    digits = re.sub(r"\D", "", value or "")
    if not digits:
        return ""
    head = ("+" + digits[:2] + " ") if (value or "").strip().startswith("+") else ""
    return f"{head}{MASK * 6}{digits[-2:]}"


def mask_text(value: str) -> str:
    """A name or address: the first letter of each word ("Takeshi Yamada" → "T••• Y•••")."""
    words = (value or "").split()
    return " ".join(f"{word[:1]}{MASK * 3}" for word in words[:4])


def mask_url(value: str) -> str:
    """ "https://www.acme.co.jp/about" → "www.a•••" (no full domain)."""
    value = re.sub(r"^https?://", "", (value or "").strip(), flags=re.IGNORECASE)
    if not value:
        return ""
    host = value.split("/", 1)[0]
    prefix = "www." if host.lower().startswith("www.") else ""
    rest = host[len(prefix) :]
    return f"{prefix}{rest[:1]}{MASK * 3}"
