"""Tutor LMS lessons whose video is a self-hosted file (an attachment in the media library, or a URL under the site's
`wp-content/uploads/`): where the file is, so the import can copy it from a local copy of the uploads folder into the
platform's private video storage (`learning.video.lesson_video_set`). YouTube / Vimeo / other hosts stay links."""

from pathlib import Path
from urllib.parse import unquote, urlparse

UPLOADS_MARK = "/wp-content/uploads/"
SELF_HOSTED_SOURCES = ("html5", "external_url", "shortcode")


def is_uploads_url(url: str) -> bool:
    return UPLOADS_MARK in (urlparse(str(url or "")).path or "")


def video_reference(video) -> tuple[str, str] | None:
    """("attachment", id) for a video picked from the media library, ("path", path inside uploads/) for an uploads URL,
    None for anything hosted elsewhere (or nothing)."""
    if not isinstance(video, dict):
        return None
    source = video.get("source")
    for key in ("source_external_url", f"source_{source}", "source_html5"):
        url = video.get(key)
        if isinstance(url, str) and is_uploads_url(url):
            path = unquote(urlparse(url).path)
            return "path", path.split(UPLOADS_MARK, 1)[1]
    if source in SELF_HOSTED_SOURCES:
        attachment = str(video.get("source_video_id") or "").strip()
        if attachment.isdigit() and int(attachment) > 0:
            return "attachment", attachment
    return None


def uploads_file(root: Path, relative: str) -> Path | None:
    """The file `relative` (as WordPress stores `_wp_attached_file`: `2021/05/video.mp4`) inside `root`, or None when
    it is missing or the path leaves the folder (`..`, absolute paths, links pointing out)."""
    relative = (relative or "").strip().lstrip("/")
    if not relative or "\x00" in relative:
        return None
    base = root.resolve()
    try:
        candidate = (base / relative).resolve()
    except (OSError, ValueError):
        return None
    if not candidate.is_relative_to(base) or not candidate.is_file():
        return None
    return candidate
