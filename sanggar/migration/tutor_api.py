"""The Tutor LMS REST API (`/wp-json/tutor/v1/`, API key + secret over HTTP Basic auth) as an optional second source for
lesson content: body HTML, the `_video` meta and the attachments. Read-only; every failure (timeout, refused
connection, HTTP error such as 401, a body that is not the expected JSON, Tutor's `not_found` answered with HTTP 200)
comes back as a reason in Indonesian, never as an exception, so the import reports it per lesson and goes on.

Shapes honoured (research §6.4): the envelope `{code | status_code, message, data}`; meta values arriving as
single-element arrays (`video: [{...}]`); attachments as URLs (older versions) or objects with a URL and a title
(v4.2); lessons of a topic at `lessons?topic_id=N` (the code's path)."""

import json
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlparse

import requests
from django.utils.translation import gettext as _

from sanggar.core.exceptions import ServiceError

API_PATH = "/wp-json/tutor/v1/"
TIMEOUT_SECONDS = 15
MAX_BYTES = 5_000_000


@dataclass
class TutorLesson:
    lesson_id: int
    content: str
    video: dict | None
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (title, url)


def api_base(url: str) -> str:
    """The API's base (`https://site/wp-json/tutor/v1/`) from the site's address or the API's own."""
    url = (url or "").replace("\x00", "").strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ServiceError(_("Alamat API Tutor harus http(s)://situs-wordpress"))
    path = parsed.path.rstrip("/")
    if path.endswith("/wp-json/tutor/v1"):
        path = path[: -len("/wp-json/tutor/v1")]
    return f"{parsed.scheme}://{parsed.netloc}{path}{API_PATH}"


def _single(value):
    """Tutor returns post meta as arrays of one value."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def _attachments(value) -> list[tuple[str, str]]:
    value = value if isinstance(value, list) else []
    out = []
    for item in value:
        if isinstance(item, str):
            url, title = item, ""
        elif isinstance(item, dict):
            url = item.get("url") or item.get("guid") or ""
            title = item.get("title") or item.get("name") or ""
        else:
            continue
        if isinstance(url, str) and urlparse(url).scheme in ("http", "https"):
            title = str(title or "").strip() or url.rstrip("/").rsplit("/", 1)[-1]
            out.append((title[:200], url[:500]))
    return out


def lesson_parse(item) -> TutorLesson | None:
    if not isinstance(item, dict):
        return None
    raw_id = item.get("ID", item.get("id"))
    if not str(raw_id or "").isdigit():
        return None
    content = item.get("post_content", item.get("content", ""))
    if isinstance(content, dict):  # {"rendered": "..."}
        content = content.get("rendered", "")
    video = _single(item.get("video"))
    return TutorLesson(
        lesson_id=int(raw_id),
        content=content if isinstance(content, str) else "",
        video=video if isinstance(video, dict) else None,
        attachments=_attachments(item.get("attachments")),
    )


class TutorApi:
    def __init__(self, url: str, key: str, secret: str, *, timeout: float | None = None):
        self.base = api_base(url)
        self.auth = (key or "", secret or "")
        self.timeout = timeout or TIMEOUT_SECONDS
        self.session = requests.Session()

    def _get(self, path: str, params: dict) -> tuple[object, str]:
        """(data of the envelope, "") or (None, the reason it failed)."""
        url = f"{self.base}{path}?{urlencode(params)}"
        try:
            with self.session.get(url, auth=self.auth, timeout=self.timeout, stream=True) as response:
                body = response.raw.read(MAX_BYTES + 1, decode_content=True)
                status = response.status_code
        except requests.Timeout:
            return None, _("API Tutor: waktu habis")
        except requests.RequestException as exc:
            return None, _("API Tutor: tidak bisa dihubungi (%(error)s)") % {"error": type(exc).__name__}
        if status in (401, 403):
            return None, _("API Tutor: ditolak (HTTP %(status)s), periksa API key dan secret") % {"status": status}
        if status != 200:
            return None, _("API Tutor: HTTP %(status)s") % {"status": status}
        if len(body) > MAX_BYTES:
            return None, _("API Tutor: jawaban terlalu besar")
        try:
            payload = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None, _("API Tutor: jawaban bukan JSON")
        if not isinstance(payload, dict):
            return None, _("API Tutor: bentuk jawaban tidak dikenal")
        code = str(payload.get("code") or payload.get("status_code") or "")
        if code == "not_found":  # Tutor answers "not found" with HTTP 200
            return None, _("API Tutor: tidak ditemukan")
        if code and code != "success":
            return None, _("API Tutor: galat %(code)s") % {"code": code[:60]}
        return payload.get("data"), ""

    def topic_lessons(self, topic_id: int) -> tuple[dict[int, TutorLesson], str]:
        """The lessons of a Tutor topic by their ids, or ({}, the reason it failed)."""
        data, error = self._get("lessons", {"topic_id": int(topic_id)})
        if error:
            return {}, error
        if not isinstance(data, list):
            return {}, _("API Tutor: bentuk jawaban tidak dikenal")
        lessons = [lesson_parse(item) for item in data]
        return {lesson.lesson_id: lesson for lesson in lessons if lesson is not None}, ""

    def close(self) -> None:
        self.session.close()
