"""Product-description drafts (Supplier §7c "AI Product Description", §9–10; D-DIR-15).

A writer turns the facts of a product the supplier already entered (title, HS code, MOQ, price range, capacity,
categories, the company, its verified legal documents) into a first draft the supplier then edits. Nothing is
published by a writer: the draft fills the form, the supplier saves it.

- `TemplateWriter` (default, `SUPPLIER_DRAFT_WRITER=template`): local and deterministic, the same facts give the
  same text; labelled to the supplier as a draft from a template, never as AI.
- `HttpWriter` (`SUPPLIER_DRAFT_WRITER=http`): POSTs the facts as JSON to `SUPPLIER_DRAFT_HTTP_URL` (a text
  generation service the operator runs or buys, e.g. an LLM gateway) with `Authorization: Bearer
  SUPPLIER_DRAFT_HTTP_TOKEN` and expects `{"text": "..."}` back. Any failure (unreachable, timeout, HTTP error,
  wrong answer) raises `WriterError`; the service then falls back to the template (external services are optional).

Register another adapter with `writer_register(key, factory)`."""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import httpx
from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from sanggar.core.registry import Registry


class WriterError(Exception):
    """The writer could not produce a draft (the reason is for the log, never shown with a credential)."""


@dataclass(frozen=True)
class ProductFacts:
    title: str
    language: str = "id"  # "id" | "en"
    hs_code: str = ""
    moq: int | None = None
    moq_unit: str = ""
    price_min: int | None = None  # rupiah
    price_max: int | None = None
    price_unit: str = ""
    capacity: str = ""
    categories: tuple[str, ...] = ()
    company: str = ""
    supplier_type: str = ""
    city: str = ""
    province: str = ""
    certificates: tuple[str, ...] = field(default=())


def _hs(code: str) -> str:
    return f"{code[:4]}.{code[4:]}" if len(code) > 4 else code


def _rupiah(amount: int, *, english: bool) -> str:
    grouped = f"{amount:,}"
    return f"IDR {grouped}" if english else "Rp " + grouped.replace(",", ".")


class TemplateWriter:
    key = "template"
    label = _("Draf dari template (bukan AI)")

    def write(self, facts: ProductFacts) -> str:
        en = facts.language == "en"
        e = {
            k: escape(v) if isinstance(v, str) else tuple(map(escape, v)) if isinstance(v, tuple | list) else v
            for k, v in asdict(facts).items()
        }
        origin = ", ".join(v for v in (e["city"], e["province"]) if v)
        who = e["company"] or ("an Indonesian supplier" if en else "supplier Indonesia")
        if en:
            intro = f"{e['title']} supplied by {who}"
            intro += f" ({e['supplier_type'].lower()})" if e["supplier_type"] else ""
            intro += f", from {origin}, Indonesia." if origin else ", from Indonesia."
        else:
            intro = f"{e['title']} dari {who}"
            intro += f" ({e['supplier_type'].lower()})" if e["supplier_type"] else ""
            intro += f", {origin}, Indonesia." if origin else ", Indonesia."
        rows = []
        if facts.hs_code:
            rows.append(("HS code" if en else "Kode HS", _hs(e["hs_code"])))
        if facts.moq:
            moq = f"{facts.moq:,}" if en else f"{facts.moq:,}".replace(",", ".")
            rows.append(("Minimum order (MOQ)" if en else "Minimal order (MOQ)", f"{moq} {e['moq_unit']}".strip()))
        if facts.price_min:
            price = _rupiah(facts.price_min, english=en)
            if facts.price_max and facts.price_max != facts.price_min:
                price += " – " + _rupiah(facts.price_max, english=en)
            if facts.price_unit:
                price += (" per " if en else " per ") + e["price_unit"]
            rows.append(("Price range" if en else "Kisaran harga", price))
        if facts.capacity:
            rows.append(("Supply capacity" if en else "Kapasitas pasokan", e["capacity"]))
        if facts.categories:
            rows.append(("Category" if en else "Kategori", ", ".join(e["categories"])))
        if facts.certificates:
            rows.append(("Verified documents" if en else "Legalitas terverifikasi", ", ".join(e["certificates"])))
        items = "".join(f"<li><strong>{label}:</strong> {value}</li>" for label, value in rows)
        closing = (
            "Contact us through the chat for samples, full specifications and a quotation."
            if en
            else "Hubungi kami lewat chat untuk sampel, spesifikasi lengkap dan penawaran harga."
        )
        return f"<p>{intro}</p>" + (f"<ul>{items}</ul>" if items else "") + f"<p>{closing}</p>"


class HttpWriter:
    key = "http"
    label = _("Draf dari layanan penulis otomatis")

    def __init__(self, *, url: str, token: str = "", timeout: float = 10.0):
        self.url, self.token, self.timeout = url, token, timeout

    def write(self, facts: ProductFacts) -> str:
        if not self.url:
            raise WriterError("SUPPLIER_DRAFT_HTTP_URL is not set")
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        payload = {"task": "product_description", **asdict(facts)}
        try:
            with httpx.Client(timeout=self.timeout) as http:
                response = http.post(self.url, json=payload, headers=headers)
        except httpx.HTTPError as exc:
            raise WriterError(f"unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 400:
            raise WriterError(f"HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError as exc:
            raise WriterError("answer is not JSON") from exc
        text = answer.get("text") if isinstance(answer, dict) else None
        if not isinstance(text, str) or not text.strip() or len(text) > 20_000:
            raise WriterError("answer has no usable text")
        return text


_writers: Registry[Callable[[], object]] = Registry("description writer")


def writer_register(key: str, factory: Callable[[], object]) -> None:
    _writers.register(key, factory)


writer_register("template", TemplateWriter)
writer_register(
    "http",
    lambda: HttpWriter(
        url=getattr(settings, "SUPPLIER_DRAFT_HTTP_URL", ""),
        token=getattr(settings, "SUPPLIER_DRAFT_HTTP_TOKEN", ""),
        timeout=float(getattr(settings, "SUPPLIER_DRAFT_HTTP_TIMEOUT", 10)),
    ),
)


def writer_active():
    """The configured writer (`SUPPLIER_DRAFT_WRITER`), the template when the setting names none known."""
    factory = _writers.get(getattr(settings, "SUPPLIER_DRAFT_WRITER", "template")) or TemplateWriter
    return factory()
