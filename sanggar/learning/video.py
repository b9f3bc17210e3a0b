"""Private lesson videos: the mentor uploads an MP4 or WebM (recognised by its first bytes, not its name); a learner
who may open the lesson gets a signed link bound to their account and the lesson, valid for
LEARNING_VIDEO_LINK_TTL_SECONDS; the stream checks the signature, the account and the course policy again, then
serves the requested byte range (HTTP 206, for seeking). Files never sit under a public URL."""

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from sanggar.audit.services import activity_record
from sanggar.catalog.uploads import file_size, generated_name
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError

from .constants import Action
from .models import Lesson
from .validation import embed_url, video_hosts

VIDEO_SALT = "learning.video"
# content type → (extension, how its first bytes look)
VIDEO_TYPES = {
    "video/mp4": "mp4",
    "video/webm": "webm",
}


def sniff_video(head: bytes) -> str | None:
    """The content type of a video from its first bytes (MP4: an `ftyp` box; WebM: the EBML header), else None."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video/webm"
    return None


def _fail(message: str):
    raise ServiceError(message, errors={"video_file": [message]})


@transaction.atomic
def lesson_video_set(*, actor, lesson: Lesson, upload) -> Lesson:
    """Stores `upload` as the lesson's private video (replacing the previous one) and makes the lesson a video
    lesson. Refused unless the bytes are MP4 or WebM and the size is within LEARNING_VIDEO_MAX_BYTES."""
    from .services import require_edit

    require_edit(actor, lesson.course)
    if upload is None:
        _fail(_("Pilih berkas video."))
    size = file_size(upload)
    if not size:
        _fail(_("Berkas video kosong."))
    if size > settings.LEARNING_VIDEO_MAX_BYTES:
        _fail(
            _("Video terlalu besar (maksimal %(mb)s MB).") % {"mb": settings.LEARNING_VIDEO_MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_video(head if isinstance(head, bytes) else b"")
    if content_type is None:
        _fail(_("Isi berkas bukan video MP4 atau WebM. Unggah video aslinya."))
    if lesson.video_file:
        lesson.video_file.delete(save=False)
    lesson.video_file.save(generated_name("video", VIDEO_TYPES[content_type]), upload, save=False)
    lesson.video_size = size
    lesson.video_type = content_type
    lesson.kind = "video"
    lesson.save(update_fields=["video_file", "video_size", "video_type", "kind"])
    activity_record(
        action=Action.VIDEO_UPLOADED,
        actor=actor,
        target=lesson.course,
        target_label=lesson.course.title[:200],
        data={"lesson": lesson.title, "bytes": size},
    )
    return lesson


@transaction.atomic
def lesson_video_remove(*, actor, lesson: Lesson) -> Lesson:
    from .services import require_edit

    require_edit(actor, lesson.course)
    if lesson.video_file:
        lesson.video_file.delete(save=False)
    lesson.video_size = 0
    lesson.video_type = ""
    if not lesson.video_url:
        lesson.kind = "text"
    lesson.save(update_fields=["video_file", "video_size", "video_type", "kind"])
    return lesson


def video_link(*, user, lesson: Lesson, session_bound: bool = True) -> str:
    """A signed path to stream the lesson's private video for `user`. The caller has checked the lesson is open to
    them (lesson_open, or a preview); the stream checks again. A page's link only plays in the same signed-in
    browser (`session_bound`); the API's link (for the apps' players, which cannot send the token header) carries
    the account itself and is as short-lived."""
    if not lesson.video_file:
        raise NotFound(_("Pelajaran ini tidak punya video unggahan."))
    payload = {"u": user.pk if user.is_authenticated else 0, "l": lesson.pk, "s": 1 if session_bound else 0}
    return reverse("learning:video", args=[signing.dumps(payload, salt=VIDEO_SALT)])


@dataclass(frozen=True)
class VideoFile:
    lesson: Lesson
    file: object  # the FieldFile
    size: int
    content_type: str


def video_open(*, user, token: str) -> VideoFile:
    """Checks a signed video link (expiry, account) and the lesson's access again (the membership may have ended
    since the link was made). Raises NotAllowed (403) or NotFound."""
    from .services import lesson_open

    try:
        payload = signing.loads(token, salt=VIDEO_SALT, max_age=settings.LEARNING_VIDEO_LINK_TTL_SECONDS)
    except signing.SignatureExpired:
        raise NotAllowed(
            _("Link video sudah kedaluwarsa. Muat ulang halaman pelajaran."), code="link_expired"
        ) from None
    except signing.BadSignature:
        raise NotAllowed(_("Link video tidak valid."), code="link_invalid") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("l"), int):
        raise NotAllowed(_("Link video tidak valid."), code="link_invalid")
    user_id = user.pk if user.is_authenticated else 0
    if payload.get("s", 1) and payload.get("u") != user_id:
        raise NotAllowed(_("Link video ini dibuat untuk akun lain."), code="link_other_user")
    if not payload.get("s", 1):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import AnonymousUser

        user = get_user_model().objects.filter(pk=payload.get("u"), is_active=True).first() or AnonymousUser()
    lesson = Lesson.objects.select_related("course__resource", "prerequisite").filter(pk=payload["l"]).first()
    if lesson is None or not lesson.video_file:
        raise NotFound(_("Video ini sudah tidak tersedia."))
    if lesson.is_preview:
        # a preview plays for whoever may see the course page (visitors too, on a public course)
        from .selectors import can_see_page, decisions_for

        decision = decisions_for(user=user, courses=[lesson.course])[lesson.course_id]
        if not can_see_page(user, lesson.course, decision):
            raise NotAllowed(decision.message or _("Anda tidak memiliki izin untuk mengakses kelas ini."))
    else:
        lesson_open(user=user, lesson=lesson, touch=False)
    storage = lesson.video_file.storage
    if not storage.exists(lesson.video_file.name):
        raise NotFound(_("Video ini sudah tidak tersedia."))
    return VideoFile(
        lesson=lesson,
        file=lesson.video_file,
        size=storage.size(lesson.video_file.name),
        content_type=lesson.video_type or "video/mp4",
    )


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class RangeNotSatisfiable(Exception):
    pass


def parse_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single `Range: bytes=…` request, None for the whole file (no header, several
    ranges, or a unit we do not serve). Raises RangeNotSatisfiable when it starts past the end."""
    if not header:
        return None
    header = header.strip()
    if "," in header:
        return None  # several ranges: answered with the whole file (allowed by RFC 9110)
    match = _RANGE.match(header)
    if not match or (not match.group(1) and not match.group(2)):
        return None
    first, last = match.group(1), match.group(2)
    if not first:  # the last N bytes
        length = int(last[:18])
        if length == 0:
            raise RangeNotSatisfiable
        return max(0, size - length), size - 1
    start = int(first[:18])
    end = min(int(last[:18]), size - 1) if last else size - 1
    if start >= size or end < start:
        raise RangeNotSatisfiable
    return start, end


def read_chunks(file, start: int, end: int, chunk: int = 256 * 1024):
    """Yields bytes start…end (inclusive) of an open file, then closes it."""
    try:
        file.seek(start)
        left = end - start + 1
        while left > 0:
            data = file.read(min(chunk, left))
            if not data:
                break
            left -= len(data)
            yield data
    finally:
        file.close()


@dataclass(frozen=True)
class EmbedPlayer:
    """An embedded lesson video as the player page shows it: the iframe's src (resuming at `position`), and the
    provider whose postMessage protocol reports the playing second ("youtube", "vimeo"; "" for other hosts)."""

    src: str
    provider: str
    origin: str  # the iframe's origin, the only sender the page listens to


def embed_player(*, video_url: str, position: int = 0, page_origin: str = "") -> EmbedPlayer | None:
    """The iframe of a lesson's video URL, or None when its host is no longer allowed (the admin removed it).
    YouTube: `enablejsapi=1` (and the page's origin) so the player posts its `infoDelivery` messages, `start=N`;
    Vimeo: `api=1`, `#t=Ns`. The page's script (lesson.html) listens to those messages and saves the second."""
    try:
        url = embed_url(video_url)
    except ValueError:
        return None
    position = max(int(position or 0), 0)
    parsed = urlsplit(url)
    query = dict(parse_qsl(parsed.query))
    host = (parsed.hostname or "").lower()
    if host == "www.youtube-nocookie.com":
        query.update({"enablejsapi": "1", "rel": "0"})
        if page_origin:
            query["origin"] = page_origin
        if position:
            query["start"] = str(position)
        return EmbedPlayer(
            src=urlunsplit(parsed._replace(query=urlencode(query))), provider="youtube", origin=f"https://{host}"
        )
    if host == "player.vimeo.com":
        query.update({"api": "1", "dnt": "1"})
        fragment = f"t={position}s" if position else ""
        return EmbedPlayer(
            src=urlunsplit(parsed._replace(query=urlencode(query), fragment=fragment)),
            provider="vimeo",
            origin=f"https://{host}",
        )
    return EmbedPlayer(src=url, provider="", origin="")


PLAYER_FRAMES = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")


def lesson_csp_sources(request) -> dict:
    """The lesson player's iframes (registered with core's CSP): YouTube (privacy-enhanced), Vimeo and the allowed
    hosts, on the player pages only."""
    if not request.path_info.startswith("/belajar/"):
        return {}
    return {"frame-src": [*PLAYER_FRAMES, *(f"https://{host}" for host in sorted(video_hosts()))]}
