"""Answering with a private file after the caller's access check passed.

On the local disk the file is streamed (FileResponse). On an S3-compatible store the answer is a redirect to a
signed link that expires after `PRIVATE_LINK_TTL_SECONDS` and carries the download name and type, so the web
process does not stream large files and no object is ever public.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponseRedirect

from .storage import is_remote


def _disposition(filename: str, as_attachment: bool) -> str:
    kind = "attachment" if as_attachment else "inline"
    ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "") or "file"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def private_file_response(
    fieldfile, *, filename: str | None = None, as_attachment: bool = True, content_type: str | None = None
):
    filename = filename or fieldfile.name.rsplit("/", 1)[-1]
    if is_remote(fieldfile.storage):
        parameters = {"ResponseContentDisposition": _disposition(filename, as_attachment)}
        if content_type:
            parameters["ResponseContentType"] = content_type
        url = fieldfile.storage.url(fieldfile.name, parameters=parameters, expire=settings.PRIVATE_LINK_TTL_SECONDS)
        response = HttpResponseRedirect(url)
    else:
        kwargs = {"as_attachment": as_attachment, "filename": filename}
        if content_type:
            kwargs["content_type"] = content_type
        response = FileResponse(fieldfile.open("rb"), **kwargs)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
