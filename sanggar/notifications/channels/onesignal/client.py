"""The only module that speaks HTTP to OneSignal: `POST {ONESIGNAL_BASE_URL}/notifications?c=push` with a JSON body
and `Authorization: Key <app API key>`. Users are targeted by their external ID (our user id) through
`include_aliases`. An answer without an `id` means nothing was sent; when its errors say the user has no subscribed
device, that is not a failure worth retrying."""

import httpx

from ..base import ProviderError


class NoSubscribedDevice(ProviderError):
    """The user has no device subscribed to push."""


class OneSignalClient:
    def __init__(self, *, app_id: str, api_key: str, base_url: str, timeout: float):
        self.app_id = app_id
        self.api_key = api_key
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def send(
        self,
        *,
        external_id: str,
        heading: str,
        content: str,
        url: str = "",
        data: dict | None = None,
        icon_url: str = "",
        app_url: str = "",
    ) -> dict:
        """Pushes one notification to the devices of `external_id`; returns OneSignal's answer or raises. `icon_url`
        is the web and Android icon; `app_url` (a deep link) opens in the mobile app while `url` stays the browser's
        link (OneSignal then takes `web_url` + `app_url` instead of `url`)."""
        payload = {
            "app_id": self.app_id,
            "include_aliases": {"external_id": [external_id]},
            "target_channel": "push",
            "headings": {"en": heading, "id": heading},
            "contents": {"en": content, "id": content},
        }
        if url and app_url:
            payload["web_url"], payload["app_url"] = url, app_url
        elif url or app_url:
            payload["url"] = url or app_url
        if icon_url:
            payload["chrome_web_icon"] = payload["firefox_icon"] = payload["large_icon"] = icon_url
        if data:
            payload["data"] = data
        try:
            with httpx.Client(timeout=self.timeout) as http:
                response = http.post(
                    f"{self.base_url}/notifications",
                    params={"c": "push"},
                    headers={"Authorization": f"Key {self.api_key}"},
                    json=payload,
                )
        except httpx.HTTPError as exc:
            raise ProviderError(f"OneSignal tidak dapat dihubungi: {type(exc).__name__}") from exc
        answer = _json(response)
        if response.status_code >= 400:
            raise ProviderError(f"OneSignal menjawab HTTP {response.status_code}", response=answer)
        if not answer.get("id"):
            errors = answer.get("errors")
            if _no_subscribed_device(errors):
                raise NoSubscribedDevice("Pengguna belum memiliki perangkat yang berlangganan push", response=answer)
            raise ProviderError(f"OneSignal tidak mengirim notifikasi: {errors or 'id kosong'}", response=answer)
        return answer


def _no_subscribed_device(errors) -> bool:
    if isinstance(errors, dict):
        return "invalid_aliases" in errors or "invalid_external_user_ids" in errors
    if isinstance(errors, list):
        return any("not subscribed" in str(e).lower() for e in errors)
    return False


def _json(response: httpx.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        return {"text": response.text[:500]}
    return data if isinstance(data, dict) else {"data": data}
