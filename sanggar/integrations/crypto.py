"""Secrets at rest: Fernet (AES-128-CBC + HMAC-SHA256) with a key from INTEGRATIONS_ENCRYPTION_KEY, or derived from
SECRET_KEY when that is empty. Changing the key makes stored secrets unreadable (they read as empty and the page says
so); environment variables are never stored."""

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    configured = (getattr(settings, "INTEGRATIONS_ENCRYPTION_KEY", "") or "").strip()
    if configured:
        try:
            return Fernet(configured.encode())
        except ValueError:
            pass  # not a Fernet key: derive one from the text below
    material = configured or settings.SECRET_KEY
    digest = hashlib.sha256(f"sanggar.integrations:{material}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_values(values: dict[str, str]) -> str:
    if not values:
        return ""
    return _fernet().encrypt(json.dumps(values, sort_keys=True).encode()).decode()


class UnreadableSecrets(Exception):
    """The stored token was written with another key."""


def decrypt_values(token: str) -> dict[str, str]:
    if not token:
        return {}
    try:
        data = json.loads(_fernet().decrypt(token.encode()))
    except (InvalidToken, ValueError) as exc:
        raise UnreadableSecrets() from exc
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def mask(value: str) -> str:
    """A secret as an admin may see it: dots and its last four characters (nothing of a short one)."""
    if not value:
        return ""
    if len(value) <= 8:
        return "••••"
    return "••••" + value[-4:]
