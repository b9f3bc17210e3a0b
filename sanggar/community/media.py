"""Audio and video on posts: the type is recognised from the file's first bytes (never its name), the size is capped
by COMMUNITY_AUDIO_MAX_BYTES / COMMUNITY_VIDEO_MAX_BYTES, the file is stored privately, and readers play it through a
signed link bound to their account and the post (valid COMMUNITY_MEDIA_LINK_TTL_SECONDS). The stream re-checks the
signature and the group's access, then serves the requested byte range the way learning's private lesson videos do
(`sanggar.learning.video`: parse_range / read_chunks)."""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.translation import gettext as _

from sanggar.accounts.models import User
from sanggar.catalog.uploads import file_size
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.learning.video import sniff_video

from .constants import MEDIA_AUDIO, MEDIA_VIDEO, PostStatus
from .models import Post

MEDIA_SALT = "community.media"
# content type → (kind, extension)
MEDIA_TYPES = {
    "video/mp4": (MEDIA_VIDEO, "mp4"),
    "video/webm": (MEDIA_VIDEO, "webm"),
    "audio/mpeg": (MEDIA_AUDIO, "mp3"),
    "audio/mp4": (MEDIA_AUDIO, "m4a"),
    "audio/ogg": (MEDIA_AUDIO, "ogg"),
    "audio/wav": (MEDIA_AUDIO, "wav"),
}
AUDIO_MP4_BRANDS = (b"M4A ", b"M4B ", b"F4A ")


def sniff_media(head: bytes) -> str | None:
    """The content type of an audio or video file from its first 16 bytes, else None."""
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in AUDIO_MP4_BRANDS:
        return "audio/mp4"
    video = sniff_video(head)
    if video:
        return video
    if head.startswith(b"ID3") or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if len(head) >= 12 and head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav"
    return None


def _fail(message: str):
    raise ServiceError(message, errors={"media": [message]})


def check_media(upload) -> tuple[str, str, int]:
    """(content type, kind, size) of an uploaded audio or video, or ServiceError with an Indonesian message."""
    name = str(getattr(upload, "name", "") or "")
    if "\x00" in name:
        _fail(_("Nama berkas tidak valid."))
    size = file_size(upload)
    if not size:
        _fail(_("Berkas audio / video kosong."))
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff_media(head if isinstance(head, bytes) else b"")
    if content_type is None:
        _fail(_("Isi berkas bukan audio (MP3, M4A, OGG, WAV) atau video (MP4, WebM)."))
    kind = MEDIA_TYPES[content_type][0]
    limit = settings.COMMUNITY_VIDEO_MAX_BYTES if kind == MEDIA_VIDEO else settings.COMMUNITY_AUDIO_MAX_BYTES
    if size > limit:
        label = _("Video") if kind == MEDIA_VIDEO else _("Audio")
        _fail(_("%(label)s terlalu besar (maksimal %(mb)s MB).") % {"label": label, "mb": max(1, limit // 1048576)})
    return content_type, kind, size


def signed_link(*, url_name: str, user, obj_id: int, session_bound: bool = True) -> str:
    """A signed path (`url_name` with one token argument) for `user` to open private object `obj_id`. A page's link
    opens only in the same signed-in browser; the API's carries the account (apps' players cannot send the token
    header). Both expire after COMMUNITY_MEDIA_LINK_TTL_SECONDS."""
    payload = {"u": user.pk if user.is_authenticated else 0, "o": obj_id, "s": 1 if session_bound else 0}
    return reverse(url_name, args=[signing.dumps(payload, salt=f"{MEDIA_SALT}.{url_name}")])


def signed_open(*, url_name: str, user, token: str):
    """(the user the link is for, the object id) of a signed link, or NotAllowed."""
    try:
        payload = signing.loads(
            token[:500], salt=f"{MEDIA_SALT}.{url_name}", max_age=settings.COMMUNITY_MEDIA_LINK_TTL_SECONDS
        )
    except signing.SignatureExpired:
        raise NotAllowed(_("Link media sudah kedaluwarsa. Muat ulang halaman."), code="link_expired") from None
    except signing.BadSignature:
        raise NotAllowed(_("Link media tidak valid."), code="link_invalid") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("o"), int):
        raise NotAllowed(_("Link media tidak valid."), code="link_invalid")
    if payload.get("s", 1):
        if payload.get("u") != (user.pk if user.is_authenticated else 0):
            raise NotAllowed(_("Link media ini dibuat untuk akun lain."), code="link_other_user")
        return user, payload["o"]
    owner = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    if owner is None:
        raise NotAllowed(_("Link media tidak valid."), code="link_invalid")
    return owner, payload["o"]


def media_link(*, user, post, session_bound: bool = True) -> str:
    return signed_link(url_name="community:media", user=user, obj_id=post.pk, session_bound=session_bound)


def photo_link(*, user, post, session_bound: bool = True) -> str:
    """The signed link to a post's photo (private file, like its audio / video)."""
    return signed_link(url_name="community:post_photo", user=user, obj_id=post.pk, session_bound=session_bound)


def preview_image_link(*, user, post, session_bound: bool = True) -> str:
    """The signed link to the link-preview image shown on `post` (access follows the post, not the shared preview)."""
    return signed_link(url_name="community:preview_image", user=user, obj_id=post.pk, session_bound=session_bound)


@dataclass(frozen=True)
class MediaFile:
    post: object
    file: object
    size: int
    content_type: str


def _post_file(*, user, token: str, url_name: str, can_read, field):
    """(post, file) of a signed link to one of a post's private files, after the link (expiry, account) and the
    post's access are checked again: `can_read(user, group)`, published (a pending post only for its author), and
    the file still there. `field(post)` picks the file. NotFound otherwise."""
    user, post_id = signed_open(url_name=url_name, user=user, token=token)
    post = Post.objects.select_related("group__resource", "link_preview").filter(pk=post_id).first()
    fieldfile = field(post) if post is not None else None
    if not fieldfile or not can_read(user, post.group):
        raise NotFound(_("Berkas ini tidak tersedia."))
    if post.status != PostStatus.PUBLISHED and not (post.status == PostStatus.PENDING and post.author_id == user.pk):
        raise NotFound(_("Berkas ini tidak tersedia."))  # a pending post's files open only for its author
    if not fieldfile.storage.exists(fieldfile.name):
        raise NotFound(_("Berkas ini tidak tersedia."))
    return post, fieldfile


def media_open(*, user, token: str, can_read) -> MediaFile:
    """Checks a signed media link (expiry, account) and the post's access again (`can_read(user, group)`)."""
    post, fieldfile = _post_file(
        user=user, token=token, url_name="community:media", can_read=can_read, field=lambda p: p.media
    )
    return MediaFile(
        post=post, file=fieldfile, size=fieldfile.storage.size(fieldfile.name), content_type=post.media_type
    )


def photo_open(*, user, token: str, can_read):
    """The photo file of a signed post-photo link, after the same checks as `media_open`."""
    return _post_file(
        user=user, token=token, url_name="community:post_photo", can_read=can_read, field=lambda p: p.image
    )[1]


def preview_image_open(*, user, token: str, can_read):
    """The link-preview image of a signed link (bound to the post that shows it), after the same checks."""

    def field(post):
        return post.link_preview.image if post.link_preview_id and post.link_preview.image else None

    return _post_file(user=user, token=token, url_name="community:preview_image", can_read=can_read, field=field)[1]


def move_photos_private(post_model, preview_model, *, storage=None, log=print) -> int:
    """Moves post photos and link-preview images stored under the old public names (`community/posts/…`,
    `community/previews/…`) to private storage (`private/community/…`) and points the rows at the new names. Used
    by migration 0009 and `manage.py community_private_photos`; running it again moves nothing. A row whose file is
    missing keeps its name (reported); the old file is deleted only after its copy is saved. Returns how many moved."""
    storage = storage or default_storage
    moved = 0
    for model, old_prefix in ((post_model, "community/posts/"), (preview_model, "community/previews/")):
        for row in model.objects.filter(image__startswith=old_prefix).only("pk", "image").order_by("pk").iterator():
            old = row.image.name
            if not storage.exists(old):
                log(f"{model.__name__} {row.pk}: berkas {old} tidak ditemukan, dilewati")
                continue
            with storage.open(old, "rb") as handle:
                new = storage.save("private/" + old, handle)
            model.objects.filter(pk=row.pk).update(image=new)
            storage.delete(old)
            moved += 1
    return moved
