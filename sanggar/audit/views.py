"""The admin's activity-log page and its CSV export."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanggar.core.listing import Filter, csv_response, paginate, parse_date
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role, role_label

from .constants import Action
from .models import ActivityLog
from .selectors import activity_list

# Labels for the keys services put in `ActivityLog.data`; unknown keys are shown as they are.
DATA_LABELS = {
    "role": gettext_lazy("Role"),
    "reason": gettext_lazy("Alasan"),
    "note": gettext_lazy("Catatan"),
    "fields": gettext_lazy("Kolom"),
    "email": gettext_lazy("Email"),
    "application": gettext_lazy("Pengajuan"),
}


def describe(data: dict) -> str:
    """`{"role": "mentor", "reason": "x"}` → `Role: Mentor; Alasan: x` (empty values left out)."""
    parts = []
    for key, value in (data or {}).items():
        if value in (None, "", [], {}):
            continue
        if key == "role":
            value = role_label(str(value))
        elif isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value)
        parts.append(f"{DATA_LABELS.get(key, key)}: {value}")
    return "; ".join(parts)


@dataclass(frozen=True)
class ActivityRow:
    entry: ActivityLog
    action_label: str
    details: str
    target_url: str


def activity_rows(entries: Iterable[ActivityLog]) -> list[ActivityRow]:
    """Rows for the activity table (this page and the user detail page). Users link to their admin page."""
    rows = []
    for entry in entries:
        url = ""
        if entry.target_type == "accounts.user" and entry.target_id.isdigit():
            url = reverse("accounts:admin_user_detail", args=[int(entry.target_id)])
        rows.append(ActivityRow(entry, str(entry.get_action_display()), describe(entry.data), url))
    return rows


def _filters(request):
    q = request.GET.get("q", "").strip()[:100]
    action = Filter(request, "action", _("Aksi"), Action.choices)
    date_from = parse_date(request.GET.get("from"))
    date_to = parse_date(request.GET.get("to"))
    return q, action, date_from, date_to


@role_required(Role.ADMIN)
def admin_list(request):
    q, action, date_from, date_to = _filters(request)
    page = paginate(request, activity_list(action=action.value, q=q, date_from=date_from, date_to=date_to))
    return render(
        request,
        "audit/admin_list.html",
        {
            "page_obj": page,
            "rows": activity_rows(page.object_list),
            "search": q,
            "filters": [action],
            "date_from": date_from.isoformat() if date_from else "",
            "date_to": date_to.isoformat() if date_to else "",
        },
    )


@role_required(Role.ADMIN)
def admin_export(request):
    q, action, date_from, date_to = _filters(request)
    entries = activity_list(action=action.value, q=q, date_from=date_from, date_to=date_to)
    header = [_("Waktu"), _("Aktor"), _("Aksi"), _("Kode aksi"), _("Target"), _("IP"), _("User agent"), _("Detail")]
    rows = (
        (
            timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor_label,
            entry.get_action_display(),
            entry.action,
            entry.target_label,
            entry.ip,
            entry.user_agent,
            describe(entry.data),
        )
        for entry in entries.iterator(chunk_size=2000)
    )
    return csv_response(f"activity-log-{timezone.localdate():%Y%m%d}.csv", header, rows)
