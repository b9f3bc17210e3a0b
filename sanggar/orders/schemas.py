"""Input and output schemas of the orders API (the buyer's own orders; checkout for the mobile apps)."""

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field

from .constants import MAX_ITEMS_PER_ORDER

PAGE_SIZE = 20

# Kept in step with catalog.constants.Duration, orders.constants.OrderStatus and the payment providers (test_api).
DurationValue = Literal["1m", "3m", "6m", "12m", "lifetime"]
ProviderValue = Literal["manual", "xendit", "midtrans", "scalev"]
StatusValue = Literal["", "pending", "paid", "expired", "failed", "cancelled", "refunded"]


class _In(Schema):
    # Unknown fields are refused (422) rather than silently ignored: a typo in a client must not look like success.
    model_config = ConfigDict(extra="forbid")


class OrderItemIn(_In):
    kind: Literal["plan", "product", "course"] = Field(
        description="`plan` (paket membership), `product` (produk) atau `course` (kursus)."
    )
    slug: str = Field(min_length=1, max_length=210, description="Slug paket, produk atau kursus.")
    duration: DurationValue | None = Field(
        default=None, description="Durasi paket (wajib bila paket punya lebih dari satu pilihan); kosong untuk produk."
    )


class OrderIn(_In):
    items: list[OrderItemIn] = Field(
        min_length=1, max_length=MAX_ITEMS_PER_ORDER, description="Paling banyak satu paket membership per pesanan."
    )
    coupon: str = Field(default="", max_length=40, description="Kode kupon (opsional).")
    provider: ProviderValue = Field(description="Metode pembayaran; hanya yang diaktifkan di server yang diterima.")
    ref: str = Field(
        default="",
        max_length=40,
        description="Kode affiliate (diketik atau dari link yang dibuka di aplikasi). Kode yang tidak dikenal atau "
        "ditangguhkan diabaikan; tanpa kode, referral akun pembeli atau kupon affiliate yang dipakai.",
    )


class PayIn(_In):
    provider: ProviderValue = Field(description="Metode pembayaran untuk percobaan pembayaran baru.")


class OrderFilters(Schema):
    page: int = Field(default=1, ge=1, le=100_000, description="Halaman, mulai dari 1 (20 per halaman).")
    status: StatusValue = Field(default="", description="Saring menurut status pesanan (kosong: semua).")


class OrderItemOut(Schema):
    kind: str
    title: str
    plan: str | None = Field(description="Slug paket (item membership), atau null.")
    product: str | None = Field(description="Slug produk (item produk), atau null.")
    duration: str | None
    pricing: str = Field(description="`new`, `renewal` (perpanjangan) atau `upgrade`.")
    list_price: int = Field(description="Harga katalog setelah promo, rupiah.")
    member_discount: int
    upgrade_credit: int = Field(description="Sisa nilai paket lama yang dipotong (upgrade mode akumulasi).")
    coupon_discount: int
    amount: int = Field(description="Harga item setelah semua potongan.")


class PaymentOut(Schema):
    provider: str
    provider_label: str
    status: str
    amount: int
    url: str | None = Field(description="Halaman pembayaran penyedia (Xendit, Midtrans, Scalev), atau null.")
    instructions: dict | None = Field(
        description="Instruksi transfer manual: bank_name, account_number, account_holder, amount, unique_code, "
        "deadline; null untuk penyedia lain."
    )
    expires_at: datetime | None


class OrderOut(Schema):
    invoice_number: str
    status: str
    status_label: str
    subtotal: int
    discount: int
    tax: int = Field(default=0, description="Pajak (mis. PPN), sudah termasuk di total.")
    tax_label: str = Field(default="", description="Nama dan persen pajak, mis. `PPN 11%`.")
    admin_fee: int = Field(default=0, description="Biaya admin per pesanan, sudah termasuk di total.")
    unique_code: int = Field(description="Kode unik transfer manual yang sudah termasuk di total (0 bila tidak ada).")
    total: int
    coupon: str | None
    provider: str
    items: list[OrderItemOut]
    payment: PaymentOut | None = Field(description="Percobaan pembayaran terakhir, atau null bila belum dimulai.")
    payment_error: str | None = Field(
        default=None, description="Mengapa pembayaran belum bisa dimulai (pesanan tetap menunggu pembayaran)."
    )
    invoice_url: str = Field(description="Halaman invoice di web (status dan instruksi pembayaran).")
    created_at: datetime
    expires_at: datetime
    paid_at: datetime | None


class OrderPageOut(Schema):
    count: int
    next_page: int | None
    results: list[OrderOut]
