"""Output schemas (and list filters) of the catalog API: membership plans and products for the mobile apps."""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field, field_validator

from .constants import ProductKind

PAGE_SIZE = 20


class PageFilter(Schema):
    page: int = Field(default=1, ge=1, le=100_000, description="Halaman, mulai dari 1 (20 per halaman).")


class ProductFilters(PageFilter):
    q: str = Field(default="", max_length=100, description="Cari di judul dan deskripsi singkat.")
    category: str = Field(default="", max_length=90, description="Slug kategori.")
    kind: str = Field(default="", description="Jenis produk: " + ", ".join(ProductKind.values) + ".")

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        value = value.strip()
        if value and value not in ProductKind.values:
            kinds = ", ".join(ProductKind.values)
            raise ValueError(_("Jenis produk tidak dikenal. Pilihan: %(kinds)s.") % {"kinds": kinds})
        return value


class BadgesOut(Schema):
    best_seller: bool = Field(description="Badge “Paling Laris”.")
    cheapest: bool = Field(description="Badge “Paling Murah”.")


class PlanPriceOut(Schema):
    duration: str = Field(description="1m, 3m, 6m, 12m atau lifetime.")
    duration_label: str
    price: int = Field(description="Harga normal, rupiah.")
    promo_price: int | None = Field(description="Harga promo yang sedang berlaku, atau null.")
    promo_ends_at: datetime | None = Field(description="Akhir promo yang sedang berlaku, atau null (tanpa akhir).")
    effective_price: int = Field(description="Harga yang dibayar sekarang (promo bila berlaku).")


class PlanResourceOut(Schema):
    kind: str = Field(description="group, course, event, document atau feature.")
    kind_label: str
    title: str


class ProductRefOut(Schema):
    slug: str
    title: str
    url: str


class PlanOut(Schema):
    slug: str
    title: str
    description: str = Field(description="HTML yang sudah disanitasi.")
    badges: BadgesOut
    rank: int = Field(description="Peringkat; paket berperingkat lebih tinggi adalah upgrade.")
    upgrade_mode: str = Field(description="accumulate (bayar selisih) atau full (bayar penuh).")
    features: list[str]
    prices: list[PlanPriceOut] = Field(description="Opsi harga aktif, 1m → lifetime.")
    logo_url: str | None
    banner_url: str | None
    sales_url: str = Field(description="Halaman sales (/membership/slug) atau salespage eksternal.")
    checkout_url: str


class PlanDetailOut(PlanOut):
    resources: list[PlanResourceOut] = Field(description="Grup, kelas, event, dokumen dan fitur yang dibuka paket.")
    products: list[ProductRefOut] = Field(description="Produk yang termasuk dalam paket.")


class PlanPageOut(Schema):
    count: int
    next_page: int | None
    results: list[PlanOut]


class CategoryOut(Schema):
    slug: str
    name: str


class ProductOut(Schema):
    slug: str
    title: str
    kind: str
    kind_label: str
    status: str = Field(description="published atau coming_soon (belum bisa dibeli).")
    short_description: str
    cover_url: str | None
    price_type: str = Field(description="one_time atau free.")
    price: int
    promo_price: int | None = Field(description="Harga promo yang sedang berlaku, atau null.")
    promo_ends_at: datetime | None
    effective_price: int = Field(description="Harga yang dibayar sekarang (sebelum potongan member).")
    categories: list[CategoryOut]
    tags: list[str]
    access_level: str = Field(description="public, member atau premium.")
    stock_left: int | None = Field(description="Sisa kuota, atau null bila tanpa batas.")
    sold_out: bool
    url: str


class MemberDiscountOut(Schema):
    type: str = Field(description="percent atau fixed.")
    value: int


class FaqOut(Schema):
    question: str
    answer: str


class FileOut(Schema):
    title: str
    size: int = Field(description="Ukuran, byte. Unduhan hanya untuk pembeli, lewat halaman produk.")


class CreatorOut(Schema):
    name: str


class ProductDetailOut(ProductOut):
    description: str = Field(description="HTML yang sudah disanitasi.")
    video_url: str
    gallery: list[str] = Field(description="URL absolut gambar galeri.")
    faq: list[FaqOut]
    cta_text: str
    member_discount: MemberDiscountOut | None = Field(description="Potongan untuk member premium, atau null.")
    access_days: int | None = Field(description="Masa akses setelah beli (hari), atau null (selamanya).")
    files: list[FileOut]
    resources: list[PlanResourceOut]
    bundled_products: list[ProductRefOut]
    creator: CreatorOut | None
    seo_title: str
    seo_description: str
    checkout_url: str


class ProductPageOut(Schema):
    count: int
    next_page: int | None
    results: list[ProductOut]
