"""The list-page building blocks: pagination with a fixed page size and CSV export."""

import csv
from collections.abc import Iterable

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse

PAGE_SIZE = 25
CSV_MAX_ROWS = 50_000


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """Returns a Page. An invalid or out-of-range page number shows the nearest valid page."""
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """Streams a CSV (UTF-8 with BOM, so Excel opens Indonesian text correctly)."""
    writer = csv.writer(_Echo())

    def generate():
        yield "\ufeff"
        yield writer.writerow(header)
        for count, row in enumerate(rows):
            if count >= CSV_MAX_ROWS:
                break
            yield writer.writerow(["" if v is None else _safe_cell(v) for v in row])

    response = StreamingHttpResponse(generate(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _safe_cell(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection)."""
    text = str(value)
    if text and text[0] in "=+-@\t\r" and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class Filter:
    """One select filter of a list page: `Filter(request, "role", _("Role"), Role.choices)`."""

    def __init__(self, request, name: str, label: str, options):
        self.name = name
        self.label = label
        self.options = [(str(v), str(lbl)) for v, lbl in options]
        value = request.GET.get(name, "")
        self.value = value if value in {v for v, _l in self.options} else ""


def parse_date(value: str | None):
    """`YYYY-MM-DD` → date, or None when empty or invalid (a bad date in a filter is ignored, not a 500)."""
    from datetime import date

    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
