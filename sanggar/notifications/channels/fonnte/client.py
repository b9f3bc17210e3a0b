"""The only module that speaks HTTP to Fonnte: `POST {FONNTE_BASE_URL}/send` with form fields, the device token in
the `Authorization` header (no "Bearer"). `status` in the answer is the success flag, even with HTTP 200."""

import httpx

from ..base import ProviderError


class FonnteClient:
    def __init__(self, *, token: str, base_url: str, timeout: float):
        self.token = token
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def send(self, *, target: str, message: str) -> dict:
        """Sends one text message to `target` (digits, 62…); returns Fonnte's answer or raises ProviderError."""
        try:
            with httpx.Client(timeout=self.timeout) as http:
                response = http.post(
                    f"{self.base_url}/send",
                    headers={"Authorization": self.token},
                    data={"target": target, "message": message, "countryCode": "62"},
                )
        except httpx.HTTPError as exc:
            raise ProviderError(f"Fonnte tidak dapat dihubungi: {type(exc).__name__}") from exc
        answer = _json(response)
        if response.status_code >= 400:
            raise ProviderError(f"Fonnte menjawab HTTP {response.status_code}", response=answer)
        if answer.get("status") is not True:
            reason = answer.get("reason") or answer.get("detail") or "unknown"
            raise ProviderError(f"Fonnte menolak: {reason}", response=answer)
        return answer


def message_id(answer: dict) -> str:
    ids = answer.get("id")
    if isinstance(ids, list):
        return ",".join(str(i) for i in ids)
    return str(ids or "")


def _json(response: httpx.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        return {"text": response.text[:500]}
    return data if isinstance(data, dict) else {"data": data}
