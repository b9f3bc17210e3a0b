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
