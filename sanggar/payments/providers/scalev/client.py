"""The only module that speaks HTTP to Scalev: `POST {SCALEV_BASE_URL}/v3/orders` with `Authorization: Bearer <key>`."""

import httpx

from ..base import ProviderError
from ..http import answer_json


class ScalevClient:
    def __init__(self, *, api_key: str, base_url: str, timeout: float):
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def create_order(self, payload: dict) -> dict:
        """Creates an order; returns Scalev's order (unwrapped from a `data` envelope when there is one) or raises
        ProviderError."""
        try:
            with httpx.Client(timeout=self.timeout) as http:
                response = http.post(
                    f"{self.base_url}/v3/orders",
                    json=payload,
                    headers={"Authorization": f"Bearer {self.api_key}", "Accept": "application/json"},
                )
        except httpx.HTTPError as exc:
            raise ProviderError(f"Scalev tidak dapat dihubungi: {type(exc).__name__}") from exc
        answer = answer_json(response)
        if response.status_code >= 400:
            reason = answer.get("error") or answer.get("message") or answer.get("text") or "unknown"
            raise ProviderError(
                f"Scalev menjawab HTTP {response.status_code}: {reason}",
                response=answer,
                status_code=response.status_code,
            )
        order = answer.get("data") if isinstance(answer.get("data"), dict) else answer
        if not order.get("payment_url") or not (order.get("id") or order.get("order_id")):
            raise ProviderError("Jawaban Scalev tanpa id atau payment_url", response=answer)
        return order

    def ping(self) -> dict:
        """Lists the business's stores: HTTP 200 means the key is accepted. Raises ProviderError otherwise."""
        try:
            with httpx.Client(timeout=self.timeout) as http:
                response = http.get(
                    f"{self.base_url}/v3/stores/simplified",
                    headers={"Authorization": f"Bearer {self.api_key}", "Accept": "application/json"},
                )
        except httpx.HTTPError as exc:
            raise ProviderError(f"Scalev tidak dapat dihubungi: {type(exc).__name__}") from exc
        answer = answer_json(response)
        if response.status_code >= 400:
            reason = answer.get("error") or answer.get("message") or answer.get("text") or "unknown"
            raise ProviderError(
                f"Scalev menjawab HTTP {response.status_code}: {reason}",
                response=answer,
                status_code=response.status_code,
            )
        return answer
