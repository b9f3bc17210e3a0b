"""The only module that speaks HTTP to Xendit: `POST {XENDIT_BASE_URL}/v2/invoices` with HTTP Basic auth (the secret
key as the user name, an empty password)."""

import base64

import httpx

from ..base import ProviderError
from ..http import answer_json


def basic_auth(secret_key: str) -> str:
    """`Basic base64("<secret_key>:")`, as Xendit's reference and SDK build it."""
    return "Basic " + base64.b64encode(f"{secret_key}:".encode()).decode()


class XenditClient:
    def __init__(self, *, secret_key: str, base_url: str, timeout: float):
        self.secret_key = secret_key
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def create_invoice(self, payload: dict) -> dict:
        """Creates an invoice; returns Xendit's Invoice object or raises ProviderError."""
        try:
            with httpx.Client(timeout=self.timeout) as http:
                response = http.post(
                    f"{self.base_url}/v2/invoices",
                    json=payload,
                    headers={"Authorization": basic_auth(self.secret_key), "Accept": "application/json"},
                )
        except httpx.HTTPError as exc:
            raise ProviderError(f"Xendit tidak dapat dihubungi: {type(exc).__name__}") from exc
        answer = answer_json(response)
        if response.status_code >= 400:
            reason = answer.get("error_code") or answer.get("message") or "unknown"
            raise ProviderError(
                f"Xendit menjawab HTTP {response.status_code}: {reason}",
                response=answer,
                status_code=response.status_code,
            )
        if not answer.get("id") or not answer.get("invoice_url"):
            raise ProviderError("Jawaban Xendit tanpa id atau invoice_url", response=answer)
        return answer

    def ping(self) -> dict:
        """Lists one invoice: HTTP 200 means the key is accepted. Raises ProviderError otherwise."""
        try:
            with httpx.Client(timeout=self.timeout) as http:
                response = http.get(
                    f"{self.base_url}/v2/invoices",
                    params={"limit": 1},
                    headers={"Authorization": basic_auth(self.secret_key), "Accept": "application/json"},
                )
        except httpx.HTTPError as exc:
            raise ProviderError(f"Xendit tidak dapat dihubungi: {type(exc).__name__}") from exc
        answer = answer_json(response)
        if response.status_code >= 400:
            reason = answer.get("error_code") or answer.get("message") or "unknown"
            raise ProviderError(
                f"Xendit menjawab HTTP {response.status_code}: {reason}",
                response=answer,
                status_code=response.status_code,
            )
        return answer
