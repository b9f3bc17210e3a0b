"""JWT access and refresh tokens for the mobile apps, and the password login that issues them.

Tokens are HS256-signed with `settings.JWT_SIGNING_KEY` and carry `sub` (user id), `type` (access | refresh), `iat`,
`exp`, `jti` and `fp` (the user's token fingerprint, which changes with the password). Every use re-reads the user:
a deactivated account or a changed password ends every token at once. A refresh token is single-use: refreshing
returns a new pair, and the old refresh token is refused afterwards.
"""

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils.translation import gettext as _

from sanggar.core.prepared import Prepared

ALGORITHM = "HS256"
ACCESS = "access"
REFRESH = "refresh"
_USED_REFRESH_PREFIX = "api:jwt:used-refresh:"

User = get_user_model()  # the API plumbing sits below accounts and never imports it


class TokenInvalid(Exception):
    """The token cannot be used; `message` says why, in words a user can read."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str


def _encode(user: User, token_type: str, now: datetime) -> str:
    ttl = settings.JWT_ACCESS_TTL if token_type == ACCESS else settings.JWT_REFRESH_TTL
    claims = {
        "sub": str(user.pk),
        "type": token_type,
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
        "jti": uuid.uuid4().hex,
        "fp": user.token_fingerprint(),
    }
    return jwt.encode(claims, settings.JWT_SIGNING_KEY, algorithm=ALGORITHM)


def token_pair_issue(*, user: User) -> TokenPair:
    now = datetime.now(tz=UTC)
    return TokenPair(access=_encode(user, ACCESS, now), refresh=_encode(user, REFRESH, now))


def token_decode(token: str, *, token_type: str) -> dict:
    """Verified claims of a token of the given type; raises TokenInvalid."""
    try:
        claims = jwt.decode(
            token,
            settings.JWT_SIGNING_KEY,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "type", "iat", "exp", "jti", "fp"]},
        )
    except jwt.ExpiredSignatureError:
        raise TokenInvalid(_("Token sudah kedaluwarsa. Perbarui token atau masuk kembali.")) from None
    except jwt.PyJWTError:
        raise TokenInvalid(_("Token tidak valid.")) from None
    if claims.get("type") != token_type:
        raise TokenInvalid(_("Jenis token salah."))
    return claims


# Every authenticated API request reads its user: compiled once per process (a prepared query, the same statement).
_USER = Prepared(lambda pk: User.objects.filter(pk=pk), pk=-1_000_010)


def _user_for_claims(claims: dict) -> User:
    try:
        user = _USER.get(pk=int(claims["sub"]))
    except (User.DoesNotExist, TypeError, ValueError):
        raise TokenInvalid(_("Token tidak valid.")) from None
    if not user.is_active:
        raise TokenInvalid(_("Akun ini sudah dinonaktifkan."))
    if claims["fp"] != user.token_fingerprint():
        raise TokenInvalid(_("Sesi sudah berakhir karena kata sandi diubah. Silakan masuk kembali."))
    return user


# Access tokens whose signature was verified in this process: an app sends the same token with every request, and
# the signature check costs more than the rest of the authentication. The claims of a verified token cannot change
# (they are signed); its time limits are checked again on every use, and the user is read again (deactivation,
# password change). Keyed by the signing key too; bounded (emptied when full).
_VERIFIED_MAX = 4096
_verified: dict[tuple[str, str], dict] = {}


def _access_claims(token: str) -> dict:
    key = (settings.JWT_SIGNING_KEY, token)
    claims = _verified.get(key)
    if claims is None:
        claims = token_decode(token, token_type=ACCESS)
        if len(_verified) >= _VERIFIED_MAX:
            _verified.clear()
        _verified[key] = claims
        return claims
    now = time.time()
    if int(claims["exp"]) <= now:  # as PyJWT: expired at `exp`
        _verified.pop(key, None)
        raise TokenInvalid(_("Token sudah kedaluwarsa. Perbarui token atau masuk kembali."))
    if int(claims["iat"]) > now:  # (a clock set back: PyJWT refuses a token issued in the future)
        raise TokenInvalid(_("Token tidak valid."))
    return claims


def token_user(token: str, *, token_type: str = ACCESS) -> User:
    """The active user a token belongs to; raises TokenInvalid. One query."""
    if token_type == ACCESS:
        return _user_for_claims(_access_claims(token))
    return _user_for_claims(token_decode(token, token_type=token_type))


def token_refresh(*, refresh: str) -> TokenPair:
    """A new access token and a rotated refresh token; the refresh token given is spent."""
    claims = token_decode(refresh, token_type=REFRESH)
    user = _user_for_claims(claims)
    remaining = max(1, int(claims["exp"] - datetime.now(tz=UTC).timestamp()))
    # cache.add is atomic: of two concurrent refreshes with the same token, one wins.
    if not cache.add(_USED_REFRESH_PREFIX + str(claims["jti"]), 1, timeout=remaining):
        raise TokenInvalid(_("Refresh token ini sudah dipakai. Silakan masuk kembali."))
    return token_pair_issue(user=user)
