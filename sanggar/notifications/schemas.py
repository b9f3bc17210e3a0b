"""Input and output schemas of the notifications API."""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field, field_validator

from .constants import Channel, DeliveryStatus
from .registry import group_keys

PAGE_SIZE = 20


class NotificationFilters(Schema):
    page: int = Field(default=1, ge=1, le=100_000, description="Halaman, mulai dari 1 (20 per halaman).")
    unread: bool = Field(default=False, description="true: hanya yang belum dibaca.")
    archived: bool = Field(default=False, description="true: hanya yang diarsipkan (tanpa ini: yang tidak diarsipkan).")
    kind: str = Field(default="", description="Jenis notifikasi: " + ", ".join(group_keys()) + ".")
    source: str = Field(
        default="", max_length=60, description='Sumber, mis. "course:12" (notifikasi satu kursus). Kosong: semua.'
    )

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        value = value.strip()
        if value and value not in group_keys():
            raise ValueError(
                _("Jenis notifikasi tidak dikenal. Pilihan: %(kinds)s.") % {"kinds": ", ".join(group_keys())}
            )
        return value


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    message: str
    link: str = Field(description="Path di platform (mis. /dashboard/), atau kosong.")
    url: str | None = Field(description="URL absolut dari link, atau null.")
    data: dict
    source: str = Field(default="", description='Sumber notifikasi, mis. "course:12", atau kosong.')
    is_read: bool
    read_at: datetime | None
    archived_at: datetime | None = Field(default=None, description="Kapan diarsipkan, atau null.")
    created_at: datetime


class NotificationPageOut(Schema):
    count: int = Field(description="Jumlah notifikasi yang cocok dengan filter.")
    unread: int = Field(description="Jumlah semua notifikasi yang belum dibaca.")
    next_page: int | None
    results: list[NotificationOut]


class ReadAllOut(Schema):
    marked: int = Field(description="Jumlah notifikasi yang baru ditandai dibaca.")
    unread: int


class SubscriptionToggleIn(Schema):
    source: str = Field(max_length=60, description='Sumber: "group:<id>", "course:<id>" atau "event:<id>".')
    subscribed: bool


class SubscriptionStateOut(Schema):
    source: str
    subscribed: bool = Field(description="true: pengguna menerima notifikasi sumber ini.")


class DeliveryFilters(Schema):
    page: int = Field(default=1, ge=1, le=100_000, description="Halaman, mulai dari 1 (20 per halaman).")
    channel: str = Field(default="", description="Kanal: " + ", ".join(Channel.values) + ". Kosong: semua.")
    status: str = Field(default="", description="Status: " + ", ".join(DeliveryStatus.values) + ". Kosong: semua.")
    q: str = Field(default="", max_length=100, description="Cari penerima (email, nomor WhatsApp, nama pengguna).")

    @field_validator("channel")
    @classmethod
    def _channel(cls, value: str) -> str:
        value = value.strip()
        if value and value not in Channel.values:
            raise ValueError(_("Kanal tidak dikenal. Pilihan: %(c)s.") % {"c": ", ".join(Channel.values)})
        return value

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        value = value.strip()
        if value and value not in DeliveryStatus.values:
            raise ValueError(_("Status tidak dikenal. Pilihan: %(s)s.") % {"s": ", ".join(DeliveryStatus.values)})
        return value


class DeliveryOut(Schema):
    id: int
    channel: str
    channel_label: str
    status: str
    status_label: str
    provider: str
    recipient: str
    user_id: int | None
    user_name: str
    template_key: str = Field(description="Jenis notifikasi (kunci template), atau kosong.")
    private: bool = Field(
        description="true: pesan chat pribadi; `subject` dan `body` berisi penanda, bukan isi pesannya."
    )
    subject: str
    body: str
    link: str
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None
    provider_status: str
    delivered_at: datetime | None
    opened_at: datetime | None
    clicked_at: datetime | None


class DeliveryDetailOut(DeliveryOut):
    response: dict | list = Field(description="Jawaban penyedia (tanpa isi pesan pribadi).")


class DeliveryPageOut(Schema):
    count: int
    next_page: int | None
    results: list[DeliveryOut]
