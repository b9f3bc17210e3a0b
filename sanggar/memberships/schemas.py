"""Output schemas of the memberships API."""

from datetime import datetime

from ninja import Schema
from pydantic import Field


class MembershipPlanOut(Schema):
    slug: str
    title: str
    rank: int


class MembershipOut(Schema):
    plan: MembershipPlanOut
    duration: str = Field(description="1m, 3m, 6m, 12m atau lifetime (durasi pembelian terakhir).")
    duration_label: str
    status: str = Field(description="active (membership yang berjalan selalu aktif).")
    starts_at: datetime
    ends_at: datetime | None = Field(description="null: seumur hidup.")
    days_left: int | None = Field(description="Sisa hari kalender (WIB) sampai berakhir; null: seumur hidup.")
    is_lifetime: bool
