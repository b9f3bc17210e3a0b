"""The only module that speaks HTTP to Starsender: `POST {STARSENDER_BASE_URL}/api/send` with a JSON body, the
device API key in the `Authorization` header (no "Bearer"). The answer is `{"success": bool, "data": …,
"message": …}`; `success` is the flag."""

import httpx

from ..base import ProviderError


class StarsenderClient:
    def __init__(self, *, api_key: str, base_url: str, timeout: float):
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def send(self, *, to: str, body: str) -> dict:
        """Sends one text message to `to` (digits, 62…); returns Starsender's answer or raises ProviderError."""
        try:
            with httpx.Client(timeout=self.timeout) as http:
                response = http.post(
                    f"{self.base_url}/api/send",
                    headers={"Authorization": self.api_key},
                    json={"messageType": "text", "to": to, "body": body},
                )
        except httpx.HTTPError as exc:
            raise ProviderError(f"Starsender tidak dapat dihubungi: {type(exc).__name__}") from exc
        answer = _json(response)
        if response.status_code >= 400:
            raise ProviderError(f"Starsender menjawab HTTP {response.status_code}", response=answer)
        if answer.get("success") is not True:
            raise ProviderError(f"Starsender menolak: {answer.get('message') or 'unknown'}", response=answer)
        return answer


def message_id(answer: dict) -> str:
    data = answer.get("data")
    if isinstance(data, dict):
        return str(data.get("id") or data.get("message_id") or "")
    return ""


def _json(response: httpx.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        return {"text": response.text[:500]}
    return data if isinstance(data, dict) else {"data": data}
