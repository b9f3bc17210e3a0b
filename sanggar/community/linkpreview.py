"""Link previews fetched on the server, safely (SSRF): the host is resolved first and every address it resolves to
must be public (no private, loopback, link-local, multicast, reserved or unspecified address); the connection goes to
that checked address (no second lookup a DNS rebinding could change), with a connect/read timeout, a cap on the bytes
read, only http(s) on the usual ports, and redirects followed by hand (at most `MAX_REDIRECTS`), each one checked
again. What is read is parsed for the page's Open Graph / title / description.

`fetch_preview(url, resolve=..., open_connection=...)`: the two seams let tests use a local fake instead of the
internet (never the network in tests)."""

import contextlib
import ipaddress
import re
import socket
import ssl
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from http.client import HTTPConnection, HTTPSConnection
from io import BytesIO
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from PIL import Image, UnidentifiedImageError

MAX_REDIRECTS = 3
ALLOWED_PORTS = {None, 80, 443, 8080, 8443}
USER_AGENT = "SanggarLinkPreview/1.0 (+https://sanggar.id)"


class PreviewError(Exception):
    """The link cannot be previewed (the message is Indonesian, shown to admins in the preview's status)."""


@dataclass
class Preview:
    url: str
    title: str = ""
    description: str = ""
    image: str = ""
    site_name: str = ""


def address_is_public(ip: str) -> bool:
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return not (
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_multicast
        or addr.is_reserved
        or addr.is_unspecified
        or not addr.is_global
    )


def system_resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def _public_address(host: str, port: int, resolve) -> str:
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    try:
        addresses = [str(literal)] if literal is not None else list(resolve(host, port))
    except (OSError, UnicodeError) as exc:
        raise PreviewError("Alamat situs tidak ditemukan.") from exc
    if not addresses:
        raise PreviewError("Alamat situs tidak ditemukan.")
    # every address must be public: a name that also points inside is refused as a whole
    if not all(address_is_public(a) for a in addresses):
        raise PreviewError("Alamat ini mengarah ke jaringan internal dan tidak diizinkan.")
    return addresses[0]


class _PinnedHTTPSConnection(HTTPSConnection):
    """HTTPS to a checked address, with SNI and certificate checks against the original host name."""

    def __init__(self, address: str, hostname: str, port: int, timeout: float):
        super().__init__(address, port, timeout=timeout, context=ssl.create_default_context())
        self._hostname = hostname

    def connect(self):
        sock = socket.create_connection((self.host, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self._hostname)


def system_open_connection(scheme: str, address: str, hostname: str, port: int, timeout: float):
    if scheme == "https":
        return _PinnedHTTPSConnection(address, hostname, port, timeout)
    return HTTPConnection(address, port, timeout=timeout)


def _check_url(url: str):
    if not isinstance(url, str) or len(url) > 500 or "\x00" in url:
        raise PreviewError("Tautan tidak valid.")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PreviewError("Hanya tautan http:// atau https:// yang bisa dipratinjau.")
    if parts.username or parts.password:
        raise PreviewError("Tautan dengan nama pengguna atau sandi tidak diizinkan.")
    try:
        port = parts.port
    except ValueError as exc:
        raise PreviewError("Port tautan tidak valid.") from exc
    if port not in ALLOWED_PORTS:
        raise PreviewError("Port tautan tidak diizinkan.")
    return parts, port or (443 if parts.scheme == "https" else 80)


def _fetch(url: str, *, accept: str, max_bytes: int, resolve, open_connection) -> tuple[str, str, bytes]:
    """GET `url` SSRF-safely (see the module's doc): (final URL, content type, at most `max_bytes` + 1 bytes)."""
    timeout = settings.COMMUNITY_LINK_PREVIEW_TIMEOUT_SECONDS
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        parts, port = _check_url(current)
        address = _public_address(parts.hostname, port, resolve)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        conn = open_connection(parts.scheme, address, parts.hostname, port, timeout)
        try:
            host_header = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
            conn.request(
                "GET",
                path,
                headers={
                    "Host": host_header,
                    "User-Agent": USER_AGENT,
                    "Accept": accept,
                    "Accept-Encoding": "identity",
                },
            )
            response = conn.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location") or ""
                if not location:
                    raise PreviewError("Situs mengalihkan tanpa alamat tujuan.")
                current = urljoin(current, location)
                continue
            if response.status != 200:
                raise PreviewError(f"Situs menjawab dengan status {response.status}.")
            ctype = (response.getheader("Content-Type") or "").lower()
            return current, ctype, response.read(max_bytes + 1)
        except (OSError, TimeoutError) as exc:
            raise PreviewError("Situs tidak dapat dihubungi atau terlalu lama menjawab.") from exc
        finally:
            conn.close()
    raise PreviewError("Terlalu banyak pengalihan.")


def fetch_preview(url: str, *, resolve=system_resolve, open_connection=system_open_connection) -> Preview:
    max_bytes = settings.COMMUNITY_LINK_PREVIEW_MAX_BYTES
    final, ctype, data = _fetch(
        url, accept="text/html", max_bytes=max_bytes, resolve=resolve, open_connection=open_connection
    )
    if "html" not in ctype:
        raise PreviewError("Tautan ini bukan halaman web.")
    if len(data) > max_bytes:
        data = data[:max_bytes]  # the head of a big page is enough for its meta tags
    return parse_html(data.decode("utf-8", errors="replace"), base_url=final)


THUMBNAIL_SIZE = (600, 315)  # the Open Graph ratio, small enough for a feed card
IMAGE_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
MAX_IMAGE_PIXELS = 40_000_000  # refuses decompression bombs before decoding


def fetch_image_thumbnail(url: str, *, resolve=system_resolve, open_connection=system_open_connection) -> bytes:
    """The preview image of a page as our own JPEG thumbnail: fetched SSRF-safely like the page, at most
    COMMUNITY_LINK_PREVIEW_IMAGE_MAX_BYTES, its type decided by its content (JPEG, PNG, GIF or WebP that Pillow
    decodes; the Content-Type header only has to say "image/"), then re-encoded, so nothing of the original file but
    its pixels is ever served (from our origin, which the CSP allows)."""
    max_bytes = settings.COMMUNITY_LINK_PREVIEW_IMAGE_MAX_BYTES
    _final, ctype, data = _fetch(
        url, accept="image/*", max_bytes=max_bytes, resolve=resolve, open_connection=open_connection
    )
    if not ctype.startswith("image/"):
        raise PreviewError("Gambar pratinjau bukan berkas gambar.")
    if len(data) > max_bytes:
        raise PreviewError("Gambar pratinjau terlalu besar.")
    try:
        with Image.open(BytesIO(data)) as img:
            if img.format not in IMAGE_FORMATS:
                raise PreviewError("Jenis gambar pratinjau tidak didukung.")
            width, height = img.size
            if width < 1 or height < 1 or width * height > MAX_IMAGE_PIXELS:
                raise PreviewError("Ukuran gambar pratinjau tidak wajar.")
            img.seek(0)
            frame = img.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise PreviewError("Gambar pratinjau rusak atau bukan gambar.") from exc
    frame.thumbnail(THUMBNAIL_SIZE)
    out = BytesIO()
    frame.save(out, format="JPEG", quality=82, optimize=True)
    return out.getvalue()


class _MetaParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (attrs.get("property") or attrs.get("name") or "").lower()
            if key and key not in self.meta:
                self.meta[key] = attrs.get("content", "")
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title and len(self.title) < 500:
            self.title += data


def _clean(value: str, limit: int) -> str:
    value = re.sub(r"\s+", " ", unescape(value or "")).replace("\x00", "").strip()
    return value[:limit]


def parse_html(html: str, *, base_url: str) -> Preview:
    parser = _MetaParser()
    with contextlib.suppress(ValueError, AssertionError):  # a broken page gives what was parsed so far
        parser.feed(html)
    meta = parser.meta
    image = meta.get("og:image") or meta.get("twitter:image") or ""
    if image:
        image = urljoin(base_url, image)
        if urlsplit(image).scheme not in ("http", "https"):
            image = ""
    return Preview(
        url=base_url,
        title=_clean(meta.get("og:title") or meta.get("twitter:title") or parser.title, 200),
        description=_clean(meta.get("og:description") or meta.get("description") or "", 400),
        image=image[:500],
        site_name=_clean(meta.get("og:site_name") or urlsplit(base_url).hostname or "", 100),
    )


# --- video embeds: allow-listed providers only --------------------------------------------------------------------

_YOUTUBE = re.compile(
    r"^https?://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?:.*&)?v=|embed/|shorts/)|youtu\.be/)([A-Za-z0-9_-]{11})(?:[?&#].*)?$"
)
_VIMEO = re.compile(r"^https?://(?:www\.|player\.)?vimeo\.com/(?:video/)?(\d{6,12})(?:[/?#].*)?$")


def video_embed(url: str) -> tuple[str, str] | None:
    """(provider, embed URL) for an allow-listed video link (YouTube, Vimeo); None for anything else."""
    if not isinstance(url, str) or len(url) > 500:
        return None
    url = url.strip()
    match = _YOUTUBE.match(url)
    if match:
        return "youtube", f"https://www.youtube-nocookie.com/embed/{match.group(1)}"
    match = _VIMEO.match(url)
    if match:
        return "vimeo", f"https://player.vimeo.com/video/{match.group(1)}?dnt=1"
    return None
