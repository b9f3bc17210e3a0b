"""The list-page building blocks: pagination with a fixed page size and CSV / XLSX export."""

import csv
import html
import io
from collections.abc import Iterable

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.safestring import mark_safe

PAGE_SIZE = 25
CSV_MAX_ROWS = 50_000
# A long list (every order ever) counts at most this many rows past the first page it shows.
COUNT_CAP = 1000
_PAGE_MAX = 1_000_000  # larger page numbers are read as the last page (and keep the counting LIMIT an integer)


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """Returns a Page. An invalid or out-of-range page number shows the nearest valid page."""
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


class CappedPaginator(Paginator):
    """A Paginator whose count was taken with a LIMIT (`paginate_capped`). `more`: rows exist past the ones counted;
    `count` then includes one of them, so the page that was asked for always offers the next one."""

    def __init__(self, object_list, per_page: int, *, count: int, more: bool, shown: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached property: no COUNT(*) of the whole list
        self.more = more
        self.shown_count = shown  # "lebih dari <shown>" when `more`


def paginate_capped(request, queryset, per_page: int = PAGE_SIZE, cap: int = COUNT_CAP):
    """`paginate` for lists that grow without bound (the admin's sales list over every order): the count reads at
    most `cap` rows, or up to the page asked for, plus one. Past that the page says "lebih dari 1000" instead of the
    exact total, so a page costs the same at 20,000 rows as at 1,000; a filtered list under the cap keeps its exact
    count and page total."""
    try:
        number = min(max(int(request.GET.get("page") or 1), 1), _PAGE_MAX)
    except (TypeError, ValueError):
        number = 1
    limit = max(cap, number * per_page)
    counted = queryset.order_by().values("pk")[: limit + 1].count()
    more = counted > limit
    paginator = CappedPaginator(queryset, per_page, count=counted, more=more, shown=limit if more else counted)
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


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(filename: str, header: list[str], rows: Iterable[Iterable], *, sheet: str = "Data") -> HttpResponse:
    """An Excel workbook of the same rows as `csv_response` (at most CSV_MAX_ROWS, formulas neutralised), written
    with openpyxl's streaming writer so memory stays flat per row."""
    from openpyxl import Workbook  # a heavy module, loaded only for an export

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    worksheet.append(header)
    for count, row in enumerate(rows):
        if count >= CSV_MAX_ROWS:
            break
        worksheet.append([_xlsx_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_cell(value):
    """Numbers stay numbers; text goes through the formula guard; characters XML forbids are dropped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    text = _safe_cell(value)
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20)


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
        # Several selects may share a name (one per source kind): each takes the submitted value that is its own.
        known = {v for v, _l in self.options}
        self.value = next((v for v in request.GET.getlist(name) if v in known), "")

    @property
    def options_html(self) -> str:
        """The select's `<option>` elements (the current value selected), escaped as the template engine escapes:
        a template loop over the options was ~1.5 ms of a list page with five filters (three nodes per option)."""
        escape, value = html.escape, self.value
        return mark_safe(  # every value and label is escaped
            "".join(
                f'<option value="{escape(v)}"{" selected" if v == value else ""}>{escape(label)}</option>'
                for v, label in self.options
            )
        )


def parse_date(value: str | None):
    """`YYYY-MM-DD` → date, or None when empty or invalid (a bad date in a filter is ignored, not a 500)."""
    from datetime import date

    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
