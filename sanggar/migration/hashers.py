"""WordPress password hashes, accepted at an imported member's first login and then upgraded.

Imported users keep their WordPress hash behind the prefix `wordpress$`:
- phpass portable hashes `$P$…` / `$H$…` (WordPress up to 6.7);
- WordPress 6.8+ bcrypt `$wp$2y$…`: bcrypt over base64(HMAC-SHA384(password, key "wp-sha384"));
- plain bcrypt `$2y$…` (plugins that replaced the hasher) and very old plain MD5 (32 hex digits).
Django calls `must_update` after a successful check, so the first login re-hashes the password with the platform's
own hasher (Argon2); the WordPress hash is never produced for new passwords."""

import base64
import hashlib
import hmac

from django.contrib.auth.hashers import BasePasswordHasher, mask_hash
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_noop

ALGORITHM = "wordpress"
ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _encode64(data: bytes, count: int) -> str:
    out = []
    i = 0
    while i < count:
        value = data[i]
        i += 1
        out.append(ITOA64[value & 0x3F])
        if i < count:
            value |= data[i] << 8
        out.append(ITOA64[(value >> 6) & 0x3F])
        if i >= count:
            break
        i += 1
        if i < count:
            value |= data[i] << 16
        out.append(ITOA64[(value >> 12) & 0x3F])
        if i >= count:
            break
        i += 1
        out.append(ITOA64[(value >> 18) & 0x3F])
    return "".join(out)


def phpass_crypt(password: str, setting: str) -> str:
    """phpass's crypt_private: `setting` is an existing hash (or its first 12 characters)."""
    if setting[:3] not in ("$P$", "$H$") or len(setting) < 12:
        return "*0"
    count_log2 = ITOA64.find(setting[3])
    if count_log2 < 7 or count_log2 > 30:
        return "*0"
    salt = setting[4:12]
    if len(salt) != 8:
        return "*0"
    raw = password.encode("utf-8")
    digest = hashlib.md5(salt.encode("utf-8") + raw).digest()  # noqa: S324 (the legacy format itself)
    for _i in range(1 << count_log2):
        digest = hashlib.md5(digest + raw).digest()  # noqa: S324
    return setting[:12] + _encode64(digest, 16)


def phpass_hash(password: str, salt: str, count_log2: int = 8) -> str:
    """A phpass hash (for tests and the synthetic source)."""
    return phpass_crypt(password, "$P$" + ITOA64[count_log2] + salt[:8])


def wp_bcrypt_prehash(password: str) -> bytes:
    mac = hmac.new(b"wp-sha384", password.encode("utf-8"), hashlib.sha384).digest()
    return base64.b64encode(mac)


def wordpress_check(password: str, stored: str) -> bool:
    import bcrypt

    if stored.startswith(("$P$", "$H$")):
        return constant_time_compare(phpass_crypt(password, stored), stored)
    if stored.startswith("$wp$2"):
        # wp_hash_password trims the password before hashing; try it as typed as well.
        for candidate in dict.fromkeys((password, password.strip())):
            try:
                if bcrypt.checkpw(wp_bcrypt_prehash(candidate), stored[3:].encode("ascii")):
                    return True
            except ValueError:
                return False
        return False
    if stored.startswith(("$2y$", "$2a$", "$2b$")):
        try:
            return bcrypt.checkpw(password.encode("utf-8")[:72], stored.encode("ascii"))
        except ValueError:
            return False
    if len(stored) == 32 and all(c in "0123456789abcdef" for c in stored.lower()):
        return constant_time_compare(hashlib.md5(password.encode("utf-8")).hexdigest(), stored.lower())  # noqa: S324
    return False


def wordpress_encoded(stored_hash: str) -> str:
    """What an imported user's `password` field holds: the WordPress hash behind this hasher's prefix."""
    return f"{ALGORITHM}${stored_hash}"


class WordPressPasswordHasher(BasePasswordHasher):
    algorithm = ALGORITHM

    def encode(self, password, salt):
        raise ValueError(gettext_noop("Hash WordPress hanya diterima untuk akun impor, tidak dibuat untuk sandi baru."))

    def decode(self, encoded):
        algorithm, _sep, stored = encoded.partition("$")
        return {"algorithm": algorithm, "hash": stored, "salt": ""}

    def verify(self, password, encoded):
        algorithm, _sep, stored = encoded.partition("$")
        if algorithm != self.algorithm or not stored:
            return False
        return wordpress_check(password, stored)

    def safe_summary(self, encoded):
        decoded = self.decode(encoded)
        return {"algorithm": decoded["algorithm"], "hash": mask_hash(decoded["hash"])}

    def must_update(self, encoded):
        return True  # upgraded to the platform's hasher at the first successful login

    def harden_runtime(self, password, encoded):
        return None
