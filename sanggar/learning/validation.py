"""Input checks shared by the learning services: text without NUL characters and within limits, allow-listed video
hosts, numbers in range. Every problem is a ServiceError with an Indonesian message and the field it concerns."""

from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from sanggar.core.exceptions import ServiceError

from .models import VideoHost


class Errors:
    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(str(message))

    def raise_if_any(self, message: str) -> None:
        if self.errors:
            raise ServiceError(message, errors=self.errors)


def clean_text(value, *, field: str, label: str, errors: Errors, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.add(field, _("%(label)s harus berupa teks.") % {"label": label})
        return ""
    if "\x00" in value:
        errors.add(field, _("%(label)s berisi karakter yang tidak diizinkan.") % {"label": label})
        return ""
    value = value.strip()
    if required and not value:
        errors.add(field, _("%(label)s wajib diisi.") % {"label": label})
    if len(value) > max_length:
        errors.add(
            field,
            _("%(label)s paling panjang %(n)s karakter.") % {"label": label, "n": f"{max_length:,}".replace(",", ".")},
        )
        return value[:max_length]
    return value


def clean_int(
    value, *, field: str, label: str, errors: Errors, minimum: int = 0, maximum: int = 10**12, allow_none: bool = False
) -> int | None:
    if value in (None, "") and allow_none:
        return None
    try:
        number = int(str(value).strip().replace(".", "")) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        errors.add(field, _("%(label)s harus berupa angka.") % {"label": label})
        return None if allow_none else minimum
    if isinstance(value, bool) or number < minimum or number > maximum:
        errors.add(
            field,
            _("%(label)s harus di antara %(min)s dan %(max)s.") % {"label": label, "min": minimum, "max": maximum},
        )
        return None if allow_none else minimum
    return number


def clean_choice(value, *, field: str, label: str, errors: Errors, choices) -> str:
    values = {str(v) for v, _l in choices}
    if str(value or "") not in values:
        errors.add(field, _("Pilih %(label)s yang tersedia.") % {"label": label.lower()})
        return ""
    return str(value)


VIDEO_HOSTS_CACHE_KEY = "learning.video_hosts"


def admin_video_hosts() -> list[str]:
    """The admin's allow-list (`VideoHost`), cached (emptied by every change, `video_hosts_changed`)."""
    hosts = cache.get(VIDEO_HOSTS_CACHE_KEY)
    if hosts is None:
        hosts = sorted(VideoHost.objects.values_list("host", flat=True)[:500])
        cache.set(VIDEO_HOSTS_CACHE_KEY, hosts, 300)
    return hosts


def video_hosts_changed() -> None:
    cache.delete(VIDEO_HOSTS_CACHE_KEY)


def video_hosts() -> set[str]:
    """The iframe hosts lessons may embed besides YouTube and Vimeo: LEARNING_VIDEO_HOSTS and the admin's list
    (`VideoHost`, /admin/kursus/host-video)."""
    configured = {h.strip().lower() for h in settings.LEARNING_VIDEO_HOSTS if h.strip()}
    return configured | set(admin_video_hosts())


def embed_url(url: str) -> str:
    """The embeddable form of a video address: YouTube → youtube-nocookie.com (privacy-enhanced), Vimeo →
    player.vimeo.com, any other allow-listed host as given (https only). Raises ValueError for anything else."""
    url = (url or "").strip()
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.hostname:
        raise ValueError("https")
    host = parsed.hostname.lower()
    bare = host[4:] if host.startswith("www.") else host
    video_id = ""
    if bare in ("youtube.com", "m.youtube.com", "youtube-nocookie.com"):
        if parsed.path == "/watch":
            video_id = (parse_qs(parsed.query).get("v") or [""])[0]
        elif parsed.path.startswith(("/embed/", "/shorts/", "/live/")):
            video_id = parsed.path.split("/")[2]
    elif bare == "youtu.be":
        video_id = parsed.path.lstrip("/").split("/")[0]
    if bare in ("youtube.com", "m.youtube.com", "youtube-nocookie.com", "youtu.be"):
        if not video_id or not all(c.isalnum() or c in "-_" for c in video_id) or len(video_id) > 20:
            raise ValueError("youtube")
        return f"https://www.youtube-nocookie.com/embed/{video_id}"
    if bare == "vimeo.com":
        number = parsed.path.strip("/").split("/")[0]
        if not number.isdigit():
            raise ValueError("vimeo")
        return f"https://player.vimeo.com/video/{number}"
    if bare == "player.vimeo.com":
        number = parsed.path.removeprefix("/video/").split("/")[0]
        if not parsed.path.startswith("/video/") or not number.isdigit():
            raise ValueError("vimeo")
        return f"https://player.vimeo.com/video/{number}"
    if host in video_hosts() or bare in video_hosts():
        return url
    raise ValueError("host")
