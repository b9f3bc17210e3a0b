"""The API key check, filled by accounts (which owns API keys, above the API plumbing) at start-up. Model-free, so
accounts imports it at module level."""

from collections.abc import Callable

from sanggar.core.registry import Slot

# raw key → the active ApiKey or None.
api_key_authenticator: Slot[Callable] = Slot("the API key check (add sanggar.accounts to INSTALLED_APPS)")

# Personal keys that a higher app issues (the directory's member keys, prefix "sgm_"): prefix → authenticator
# (raw → the active key object or None). The API-key guard checks an X-API-Key or Bearer value with such a prefix
# with its authenticator instead of refusing it as an unknown client-app key, puts the key on
# `request.personal_api_key` for the operation's own auth, and lets it stand in for the client-app key when
# API_REQUIRE_KEY is on. Operations that do not accept personal keys still refuse them (their JWT check fails).
personal_key_authenticators: dict[str, Callable] = {}


def personal_key_register(prefix: str, authenticator: Callable) -> None:
    personal_key_authenticators[prefix] = authenticator


def personal_key_authenticator(raw: str) -> Callable | None:
    for prefix, authenticator in personal_key_authenticators.items():
        if raw.startswith(prefix):
            return authenticator
    return None
