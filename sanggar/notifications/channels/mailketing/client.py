"""The only module that speaks HTTP to Mailketing: `POST {MAILKETING_BASE_URL}/api/v1/send`, form-encoded, the
token in the `api_token` field. Success is `{"status": "success", ...}`; anything else is a failure, even with HTTP
200."""

import httpx

from ..base import ProviderError


class MailketingClient:
    def __init__(self, *, api_token: str, base_url: str, timeout: float):
        self.api_token = api_token
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def send(self, *, from_name: str, from_email: str, recipient: str, subject: str, content: str) -> dict:
        """Sends one email; returns Mailketing's answer or raises ProviderError."""
        form = {
            "api_token": self.api_token,
            "from_name": from_name,
            "from_email": from_email,
            "recipient": recipient,
            "subject": subject,
            "content": content,
        }
        try:
            with httpx.Client(timeout=self.timeout) as http:
                response = http.post(f"{self.base_url}/api/v1/send", data=form)
        except httpx.HTTPError as exc:
            raise ProviderError(f"Mailketing tidak dapat dihubungi: {type(exc).__name__}") from exc
        answer = _json(response)
        if response.status_code >= 400:
            raise ProviderError(f"Mailketing menjawab HTTP {response.status_code}", response=answer)
        if answer.get("status") != "success":
            reason = answer.get("response") or answer.get("message") or "unknown"
            raise ProviderError(f"Mailketing menolak: {reason}", response=answer)
        return answer


def _json(response: httpx.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        return {"text": response.text[:500]}
    return data if isinstance(data, dict) else {"data": data}
