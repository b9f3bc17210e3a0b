"""Input and output schemas of the accounts API (auth and the signed-in user's profile)."""

from datetime import datetime
from enum import StrEnum

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, Field, field_validator

from sanggar.notifications.constants import Channel
from sanggar.notifications.registry import group_keys

# The preference groups registered by the apps (sanggar.notifications.registry), as the enum the API documents.
NotificationKind = StrEnum("NotificationKind", {key.upper(): key for key in group_keys()})
NotificationKind.__doc__ = "Kinds of notification a user can set channel preferences for (see notifications.constants)."


class _In(Schema):
    # Unknown fields are refused (422) rather than silently ignored: a typo in a client must not look like success.
    model_config = ConfigDict(extra="forbid")


class RegisterIn(_In):
    full_name: str = Field(max_length=150)
    email: str = Field(max_length=254)
    whatsapp: str = Field(max_length=30)
    password: str = Field(max_length=128)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError(_("Alamat email tidak valid.")) from None
        return value


class TokenIn(_In):
    email: str = Field(max_length=254)
    password: str = Field(max_length=128)


class RefreshIn(_In):
    refresh: str = Field(max_length=2000)


class TokenPairOut(Schema):
    access: str
    refresh: str
    token_type: str = "Bearer"
    expires_in: int = Field(description="Masa berlaku token akses, dalam detik.")


class AffiliateOut(Schema):
    code: str = Field(description='Kode referral, dipakai sebagai `?ref=KODE` dan `"ref"` di POST /orders.')
    status: str = Field(description="`active` atau `suspended`.")


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    whatsapp: str
    avatar_url: str | None = Field(description="URL absolut foto profil, atau null.")
    province: str
    city: str
    bio: str
    social_links: dict[str, str] = Field(
        default_factory=dict, description="Jaringan → URL: website, instagram, youtube, linkedin, tiktok, facebook, x."
    )
    roles: list[str] = Field(description="Role pengguna, huruf kecil: admin, founder, cofounder, support, …")
    notification_prefs: dict[str, dict[str, bool]] = Field(
        description="Untuk setiap jenis notifikasi, kanal (email, whatsapp, push) yang aktif."
    )
    date_joined: datetime
    affiliate: AffiliateOut | None = Field(
        default=None, description="Kode dan status affiliate (hanya untuk pengguna dengan role affiliate), atau null."
    )
    username: str | None = Field(default=None, description="Username komunitas (@mention, /u/<username>).")


class RegisterOut(TokenPairOut):
    user: MeOut


class MeUpdateIn(_In):
    """Only the fields sent are changed. `null` clears an optional field."""

    full_name: str | None = Field(default=None, max_length=150)
    whatsapp: str | None = Field(default=None, max_length=30)
    province: str | None = Field(default=None, max_length=64)
    city: str | None = Field(default=None, max_length=100)
    bio: str | None = Field(default=None, max_length=1000)
    social_links: dict[str, str | None] | None = Field(
        default=None,
        max_length=10,
        description="Seluruh tautan (yang tidak dikirim dihapus): website, instagram, youtube, linkedin, tiktok, "
        "facebook, x → URL http(s) di domain jaringan itu.",
    )
    notification_prefs: dict[NotificationKind, dict[Channel, bool]] | None = Field(
        default=None, description="Sebagian atau seluruh matriks jenis → kanal → aktif."
    )
