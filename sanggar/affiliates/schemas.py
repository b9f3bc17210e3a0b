"""Input and output schemas of the attribution API (links, short links, short-link domains)."""

from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class ReadyLinkOut(Schema):
    label: str
    url: str = Field(description="Link lengkap dengan `?ref=KODE`.")
    clicks: int
    counted_clicks: int = Field(
        description="Klik unik (klik berulang dari satu alamat dalam masa atribusi dihitung sekali)."
    )


class LinkGroupOut(Schema):
    kind: str = Field(description="plan, product, atau jenis bagian lain (mis. course)")
    slug: str
    title: str
    links: list[ReadyLinkOut]


class ShortLinkBriefOut(Schema):
    id: int
    url: str
    domain: str | None = Field(description="Domain link pendek, atau null untuk domain utama (`/s/<slug>`).")
    slug: str
    target_kind: str
    target_slug: str
    is_active: bool
    clicks: int
    counted_clicks: int


class LinksOut(Schema):
    code: str
    status: str
    plans: list[LinkGroupOut]
    products: list[LinkGroupOut] = Field(description="Produk yang dipublikasikan (paling banyak 100).")
    short_links: list[ShortLinkBriefOut] = Field(description="Link pendek terbaru (paling banyak 50).")
    sections: list["LinkSectionOut"] = Field(
        default_factory=list, description="Bagian lain dari aplikasi lain, mis. kursus (paling banyak 50 per bagian)."
    )


class LinkSectionOut(Schema):
    key: str
    title: str
    groups: list[LinkGroupOut]


LinksOut.model_rebuild()


class ShortLinkCheckOut(Schema):
    available: bool
    reason: str


class TargetIn(_In):
    kind: Literal["plan", "product", "course", "bio", "optin"]
    slug: str = Field(min_length=1, max_length=210)


class ShortLinkIn(_In):
    domain: str = Field(default="", max_length=253, description="Domain link pendek; kosong = domain utama (/s/).")
    slug: str = Field(min_length=1, max_length=80)
    target: TargetIn


class ShortLinkOut(Schema):
    id: int
    url: str
    domain: str | None
    slug: str
    target_kind: str
    target_slug: str
    is_active: bool


class DomainIn(_In):
    domain: str = Field(min_length=1, max_length=253, description="Nama domain, mis. link.eksporyuk.com.")


class DomainOut(Schema):
    id: int
    domain: str
    is_active: bool
