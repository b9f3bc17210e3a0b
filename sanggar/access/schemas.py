"""Input and output schemas of the access API."""

from datetime import datetime

from ninja import Schema
from pydantic import Field

PAGE_SIZE = 50


class AccessFilters(Schema):
    page: int = Field(default=1, ge=1, le=100_000, description="Halaman, mulai dari 1 (50 per halaman).")


class ResourceOut(Schema):
    kind: str = Field(description="product, course, group, event, document atau feature.")
    key: str
    title: str


class GrantOut(Schema):
    resource: ResourceOut
    source: str = Field(description="membership, purchase atau admin.")
    source_label: str
    starts_at: datetime
    ends_at: datetime | None = Field(description="null: tanpa batas waktu.")


class AccessPageOut(Schema):
    count: int
    next_page: int | None
    results: list[GrantOut]
