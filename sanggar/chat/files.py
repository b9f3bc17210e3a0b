"""How an attachment is served (page, API, the admin's review): private, never cached, sandboxed."""

from django.http import FileResponse


def attachment_response(item) -> FileResponse:
    inline = item.kind == "image"
    response = FileResponse(item.file.open("rb"), as_attachment=not inline, filename=item.original_name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
