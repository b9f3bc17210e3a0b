"""Dashboard cards of the directory: the member's buyer quota this month, and the admins' open reports."""

from django.urls import reverse
from django.utils.translation import gettext as _

from sanggar.core.roles import ALL_ROLES, Role
from sanggar.dashboard.registry import Card, card

from . import services as shared
from .constants import KIND_BUYER, ReportStatus
from .models import DirectoryReport


@card(roles=tuple(r for r in ALL_ROLES if r != Role.ADMIN), order=40)
def buyer_quota(request) -> Card:
    status = shared.quota_status(user=request.user, kind=KIND_BUYER)
    return Card(
        title=_("Database Buyer"),
        icon="globe",
        value=f"{status.used}/{status.limit}" if status.limit is not None else str(status.used),
        hint=status.label,
        link=reverse("directory:buyers"),
        link_label=_("Cari buyer"),
    )


@card(roles=(Role.ADMIN,), order=45)
def directory_reports(request) -> Card:
    open_reports = DirectoryReport.objects.filter(status=ReportStatus.OPEN).count()
    return Card(
        title=_("Laporan Data Direktori"),
        icon="flag",
        value=str(open_reports),
        hint=_("laporan menunggu diperiksa"),
        link=reverse("directory:admin_reports"),
        link_label=_("Buka laporan"),
    )
