"""Input / output schemas of the finance API."""

from datetime import date, datetime

from ninja import Schema
from pydantic import ConfigDict, Field


class WalletOut(Schema):
    kind: str
    label: str
    pending: int
    available: int
    reserved: int
    paid_out: int


class PayoutIn(Schema):
    model_config = ConfigDict(extra="forbid")

    wallet_kind: str = Field(description="affiliate | mentor | founder | cofounder")
    amount: int
    bank_name: str = Field(max_length=60)
    bank_account_number: str = Field(max_length=40)
    bank_account_holder: str = Field(max_length=120)


class PayoutOut(Schema):
    id: int
    wallet_kind: str
    amount: int
    status: str
    bank_name: str
    bank_account_number: str
    bank_account_holder: str
    requested_at: datetime
    decided_at: datetime | None
    transfer_reference: str
    reason: str


class PayoutApproveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    transfer_reference: str = Field(max_length=120)


class PayoutRejectIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=300)


class SummaryQuery(Schema):
    date_from: str = Field("", alias="from", max_length=10, description="YYYY-MM-DD")
    date_to: str = Field("", alias="to", max_length=10, description="YYYY-MM-DD")


class FinanceSummaryOut(Schema):
    date_from: date = Field(description="Awal rentang yang dipakai (bisa berbeda dari yang diminta; lihat range_note)")
    date_to: date = Field(description="Akhir rentang yang dipakai: tidak pernah setelah hari ini")
    range_note: str | None = Field(description="Mengapa rentang berbeda dari permintaan; null bila sama")
    gross: int
    affiliate_commissions: int
    mentor_shares: int
    company_fee: int
    founder: int
    cofounder: int
    refunds: int
    payouts: int
    net: int
    orders: int


class MentorSaleItemOut(Schema):
    title: str
    amount: int


class MentorSaleOut(Schema):
    invoice_number: str
    paid_at: datetime | None
    status: str = Field(description="`paid` atau `refunded` (bagian ditarik kembali).")
    buyer_name: str
    items: list[MentorSaleItemOut] = Field(
        description="Baris pesanan yang memberi Anda bagian: paket/produk buatan Anda, kursus, kelas."
    )
    amount: int = Field(description="Yang dibayar untuk baris-baris itu (rupiah).")
    share: int = Field(description="Bagian Anda yang dicatat saat penjualan (buku besar).")
    net_share: int = Field(description="Bagian Anda setelah refund (0 bila dikembalikan).")


class MentorMonthOut(Schema):
    month: date = Field(description="Tanggal 1 bulan itu.")
    sales: int
    amount: int
    share: int


class MentorSalesOut(Schema):
    count: int
    next_page: int | None
    results: list[MentorSaleOut]
    months: list[MentorMonthOut] = Field(description="12 bulan terakhir, terbaru dulu; refund tidak dihitung.")


class MentorSalesQuery(Schema):
    page: int = Field(default=1, ge=1, le=100_000)
