"""The API key check, filled by accounts (which owns API keys, above the API plumbing) at start-up. Model-free, so
accounts imports it at module level."""

from collections.abc import Callable

from sanggar.core.registry import Slot

# raw key → the active ApiKey or None.
api_key_authenticator: Slot[Callable] = Slot("the API key check (add sanggar.accounts to INSTALLED_APPS)")
