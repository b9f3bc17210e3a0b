"""Dashboard cards of memberships: the member's own plan, and the admin's membership counts."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sanggar.core.dates import days_between
from sanggar.core.formatting import tanggal
from sanggar.core.roles import Role
from sanggar.dashboard.registry import Card, Stat, card

from .selectors import membership_active_for, membership_stats

MEMBER_ROLES = (Role.MEMBER, Role.AFFILIATE, Role.SUPPLIER, Role.MENTOR)


@card(roles=MEMBER_ROLES, order=10)
def my_membership(request) -> Card:
    membership = membership_active_for(user=request.user)
    link = reverse("memberships:mine")
    if membership is None:
        return Card(
            title=_("Membership"),
            icon="crown",
            value=_("Free"),
            hint=_("Jadi Member Premium untuk membuka kelas, grup dan produk eksklusif."),
            link=link,
            link_label=_("Lihat paket"),
        )
    if membership.ends_at is None:
        hint = _("Seumur hidup")
    else:
        days = max(0, days_between(timezone.now(), membership.ends_at))
        hint = ngettext("Sisa %(days)s hari (sampai %(date)s)", "Sisa %(days)s hari (sampai %(date)s)", days) % {
            "days": days,
            "date": tanggal(membership.ends_at),
        }
    return Card(
        title=_("Membership"),
        icon="crown",
        value=membership.plan.title,
        hint=hint,
        link=link,
        link_label=_("Membership Saya"),
    )


@card(roles=(Role.ADMIN,), order=20)
def memberships_admin(request) -> Card:
    stats = membership_stats()
    return Card(
        title=_("Membership aktif"),
        icon="crown",
        value=str(stats.active),
        stats=(
            Stat(label=_("Berakhir dalam 7 hari"), value=str(stats.expiring_week)),
            Stat(label=_("Lifetime"), value=str(stats.lifetime)),
        ),
        link=reverse("access:admin_grants") + "?source=membership&state=active",
        link_label=_("Lihat hak akses"),
        style="list",
    )
