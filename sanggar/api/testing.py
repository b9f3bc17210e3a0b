"""Helpers for API tests in every app: call an endpoint as a user, with JSON in and out."""

import json

from .tokens import token_pair_issue

PREFIX = "/api/v1"


def bearer(user) -> dict:
    return {"Authorization": f"Bearer {token_pair_issue(user=user).access}"}


def call(client, method: str, path: str, data=None, *, user=None, headers: dict | None = None, raw: str | None = None):
    """`call(client, "post", "/auth/token", {...})`. `raw` sends a body as is (for malformed JSON)."""
    all_headers = {**(bearer(user) if user is not None else {}), **(headers or {})}
    kwargs = {"headers": all_headers}
    url = PREFIX + path
    if method.lower() == "get":
        return client.get(url, data or {}, **kwargs)
    body = raw if raw is not None else (json.dumps(data) if data is not None else "")
    return getattr(client, method.lower())(url, data=body, content_type="application/json", **kwargs)
