"""The admin's activity-log page and its CSV export."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanggar.core.listing import Filter, csv_response, paginate, parse_date
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role, role_label

from .models import ActivityLog
from .registry import action_choices, action_get, target_url
from .selectors import activity_list

# Labels for the keys services put in `ActivityLog.data`; unknown keys are shown as they are.
DATA_LABELS = {
    "role": gettext_lazy("Role"),
    "reason": gettext_lazy("Alasan"),
    "note": gettext_lazy("Catatan"),
    "fields": gettext_lazy("Kolom"),
    "email": gettext_lazy("Email"),
    "application": gettext_lazy("Pengajuan"),
    "message": gettext_lazy("Keterangan"),
    "payment": gettext_lazy("Pembayaran"),
    "provider": gettext_lazy("Metode"),
    "method": gettext_lazy("Cara bayar"),
    "amount": gettext_lazy("Jumlah"),
    "total": gettext_lazy("Total"),
    "reference": gettext_lazy("Referensi"),
    "expected": gettext_lazy("Tagihan"),
    "paid": gettext_lazy("Dibayar"),
    "grants": gettext_lazy("Akses"),
    "follow_ups": gettext_lazy("Follow-up"),
    "coupon": gettext_lazy("Kupon"),
    "unique_code": gettext_lazy("Kode unik"),
    "from": gettext_lazy("Dari"),
    "to": gettext_lazy("Ke"),
    "status": gettext_lazy("Status"),
    "invoice": gettext_lazy("Invoice"),
    "what": gettext_lazy("Bagian"),
    "key": gettext_lazy("Kunci"),
    "via": gettext_lazy("Lewat"),
    "code": gettext_lazy("Kode"),
    "domain": gettext_lazy("Domain"),
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
    alert: bool = False


def activity_rows(entries: Iterable[ActivityLog]) -> list[ActivityRow]:
    """Rows for the activity table (this page and the user detail page). A target links to its admin page when
    its app registered one (`sanggar.audit.registry.target_link`)."""
    rows = []
    for entry in entries:
        url = target_url(entry.target_type, entry.target_id, entry.target_label)
        registered = action_get(entry.action)
        alert = bool(registered and registered.alert)
        rows.append(ActivityRow(entry, entry.action_label, describe(entry.data), url, alert))
    return rows


def _filters(request):
    q = request.GET.get("q", "").strip()[:100]
    action = Filter(request, "action", _("Aksi"), action_choices())
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
            entry.action_label,
            entry.action,
            entry.target_label,
            entry.ip,
            entry.user_agent,
            describe(entry.data),
        )
        for entry in entries.iterator(chunk_size=2000)
    )
    return csv_response(f"activity-log-{timezone.localdate():%Y%m%d}.csv", header, rows)
