"""The only module that speaks HTTP to Midtrans: Snap `POST {MIDTRANS_SNAP_BASE_URL}/snap/v1/transactions` and
`GET {MIDTRANS_API_BASE_URL}/v2/{order_id}/status`, both with HTTP Basic auth (the server key as the user name, an
empty password)."""

import base64
from urllib.parse import quote

import httpx

from ..base import ProviderError, ProviderNotFound
from ..http import answer_json


class MidtransClient:
    def __init__(self, *, server_key: str, snap_base_url: str, api_base_url: str, timeout: float):
        self.server_key = server_key
        self.snap_base_url = snap_base_url.rstrip("/")
        self.api_base_url = api_base_url.rstrip("/")
        self.timeout = timeout

    def _headers(self) -> dict:
        token = base64.b64encode(f"{self.server_key}:".encode()).decode()
        return {"Authorization": f"Basic {token}", "Accept": "application/json", "Content-Type": "application/json"}

    def create_transaction(self, payload: dict) -> dict:
        """Creates a Snap transaction; returns `{"token", "redirect_url"}` or raises ProviderError."""
        try:
            with httpx.Client(timeout=self.timeout) as http:
                response = http.post(
                    f"{self.snap_base_url}/snap/v1/transactions", json=payload, headers=self._headers()
                )
        except httpx.HTTPError as exc:
            raise ProviderError(f"Midtrans tidak dapat dihubungi: {type(exc).__name__}") from exc
        answer = answer_json(response)
        if response.status_code >= 400:
            messages = answer.get("error_messages") or answer.get("status_message") or "unknown"
            if isinstance(messages, list):
                messages = "; ".join(str(m) for m in messages)
            raise ProviderError(
                f"Midtrans menjawab HTTP {response.status_code}: {messages}",
                response=answer,
                status_code=response.status_code,
            )
        if not answer.get("redirect_url"):
            raise ProviderError("Jawaban Midtrans tanpa redirect_url", response=answer)
        return answer

    def get_status(self, order_id: str) -> dict:
        """The transaction's current state. Midtrans may answer an unknown transaction with HTTP 404 or with HTTP 200
        and `"status_code": "404"`: both raise ProviderNotFound."""
        try:
            with httpx.Client(timeout=self.timeout) as http:
                response = http.get(
                    f"{self.api_base_url}/v2/{quote(order_id, safe='')}/status", headers=self._headers()
                )
        except httpx.HTTPError as exc:
            raise ProviderError(f"Midtrans tidak dapat dihubungi: {type(exc).__name__}") from exc
        answer = answer_json(response)
        if response.status_code == 404 or str(answer.get("status_code")) == "404":
            raise ProviderNotFound("Midtrans: transaksi tidak ditemukan", response=answer, status_code=404)
        if response.status_code >= 400:
            raise ProviderError(
                f"Midtrans menjawab HTTP {response.status_code}", response=answer, status_code=response.status_code
            )
        return answer

    def ping(self) -> str:
        """Asks the status of a transaction that does not exist: "not found" means the server key is accepted;
        HTTP 401 means it is not. Returns Midtrans' status message or raises ProviderError."""
        try:
            self.get_status("sanggar-tes-koneksi")
        except ProviderNotFound as exc:
            return str(exc.response.get("status_message") or "transaksi uji tidak ditemukan")
        return "OK"
