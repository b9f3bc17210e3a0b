"""Accounts API: register, obtain and refresh tokens, read and update the signed-in user."""

from django.conf import settings
from django.db import transaction
from ninja import Router
from ninja.errors import AuthenticationError
from ninja.responses import Status

from sanggar.api.auth import jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.api.ratelimit import register_guard
from sanggar.api.schemas import ErrorOut
from sanggar.api.tokens import TokenInvalid, TokenPair, token_pair_issue, token_refresh
from sanggar.core import request_context
from sanggar.core.roles import sort_roles
from sanggar.notifications.constants import Channel
from sanggar.notifications.registry import group_keys

from . import services
from .api_login import token_obtain
from .hooks import profile_section
from .models import User
from .schemas import MeOut, MeUpdateIn, RefreshIn, RegisterIn, RegisterOut, TokenIn, TokenPairOut

router = Router(tags=["akun"])
# Mounted by `sanggar.api.api` (discovery): this app's routers, at this place in the document.
API_ORDER = 10

_ERRORS = {400: ErrorOut, 401: ErrorOut, 422: ErrorOut}


def _tokens(pair: TokenPair) -> dict:
    return {
        "access": pair.access,
        "refresh": pair.refresh,
        "token_type": "Bearer",
        "expires_in": int(settings.JWT_ACCESS_TTL.total_seconds()),
    }


def me_data(request, user: User) -> dict:
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "whatsapp": user.whatsapp,
        "avatar_url": request.build_absolute_uri(user.avatar.url) if user.avatar else None,
        "province": user.province,
        "city": user.city,
        "bio": user.bio,
        "social_links": user.social_links or {},
        "roles": sort_roles(user.role_set),
        "notification_prefs": {
            kind: {channel: user.channel_enabled(kind, channel) for channel in Channel.values} for kind in group_keys()
        },
        "date_joined": user.date_joined,
        "affiliate": profile_section("affiliate", user),  # filled by affiliates (accounts.hooks)
        "username": (profile_section("community", user) or {}).get("username"),  # filled by community
    }


@router.post(
    "/auth/register",
    response={201: RegisterOut, 429: ErrorOut, **_ERRORS},
    summary="Daftar akun baru",
    description="Membuat akun Member dan langsung masuk. Data yang ditolak (email sudah terdaftar, nomor WhatsApp "
    "tidak valid, kata sandi lemah) dijawab 400 dengan `errors` per field.",
)
@idempotent
def register(request, payload: RegisterIn):
    register_guard(ip=request_context.client_ip(request))
    user = services.user_register(
        email=payload.email, full_name=payload.full_name, whatsapp=payload.whatsapp, password=payload.password
    )
    return Status(201, {**_tokens(token_pair_issue(user=user)), "user": me_data(request, user)})


@router.post(
    "/auth/token",
    response={200: TokenPairOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Masuk",
    description="Email dan kata sandi → token akses dan refresh. Percobaan gagal dibatasi per IP dan per email; "
    "melewati batas dijawab 429 dengan header Retry-After.",
)
def token(request, payload: TokenIn):
    try:
        _user, pair = token_obtain(email=payload.email, password=payload.password, ip=request_context.current().ip)
    except TokenInvalid as exc:
        raise AuthenticationError(message=exc.message) from None
    return _tokens(pair)


@router.post(
    "/auth/refresh",
    response={200: TokenPairOut, 401: ErrorOut, 422: ErrorOut},
    summary="Perbarui token",
    description="Refresh token → token akses baru dan refresh token baru. Setiap refresh token hanya berlaku sekali; "
    "kirim `Idempotency-Key` agar permintaan ulang mendapat pasangan token yang sama.",
)
@idempotent
def refresh(request, payload: RefreshIn):
    try:
        pair = token_refresh(refresh=payload.refresh)
    except TokenInvalid as exc:
        raise AuthenticationError(message=exc.message) from None
    return _tokens(pair)


@router.get(
    "/me",
    auth=jwt_auth,
    response={200: MeOut, 401: ErrorOut},
    summary="Profil saya",
    description="Pengguna yang sedang masuk, dengan role dan preferensi notifikasinya.",
)
def me(request):
    return me_data(request, request.auth)


@router.patch(
    "/me",
    auth=jwt_auth,
    response={200: MeOut, **_ERRORS},
    summary="Ubah profil saya",
    description="Hanya field yang dikirim yang diubah. Nilai yang ditolak (mis. nomor WhatsApp bukan nomor Indonesia) "
    "dijawab 400 dan tidak ada yang berubah.",
)
@idempotent
def me_update(request, payload: MeUpdateIn):
    # Profile and preferences change together or not at all.
    user = request.auth
    values = payload.model_dump(exclude_unset=True)
    prefs = values.pop("notification_prefs", None)
    with transaction.atomic():
        if values:
            services.user_update_profile(user=user, actor=user, **values)
        if prefs:
            services.user_set_notification_prefs(
                user=user, prefs={str(kind): {str(ch): on for ch, on in chans.items()} for kind, chans in prefs.items()}
            )
    return me_data(request, user)
