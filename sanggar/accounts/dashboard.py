"""Dashboard cards about accounts: user figures for admins and founders, profile and affiliate status for everyone
else. Each card runs a fixed number of queries (at most two) and links only to pages its roles may open."""

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from sanggar.core.formatting import tanggal, tanggal_pendek
from sanggar.core.roles import Role, role_label
from sanggar.dashboard.registry import Card, Stat, bar, card, chart, line

from . import selectors
from .constants import AffiliateApplicationStatus
from .selectors import members_daily

FOUNDERS = (Role.FOUNDER, Role.COFOUNDER)
PROFILE_ROLES = (Role.SUPPORT, Role.MENTOR, Role.AFFILIATE, Role.SUPPLIER, Role.MEMBER)


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


# --- Admin ------------------------------------------------------------------------------------------------


@card(roles=(Role.ADMIN,), order=10)
def admin_users_by_role(request) -> Card:
    counts = selectors.user_counts_by_role()
    users_url = reverse("accounts:admin_users")
    return Card(
        title=_("Pengguna per role"),
        icon="users",
        hint=_("Akun aktif; satu pengguna bisa memiliki beberapa role."),
        stats=tuple(
            Stat(role_label(role), _number(counts[role]), f"{users_url}?role={role}&status=active") for role in counts
        ),
        link=users_url,
        link_label=_("Kelola pengguna"),
        style="list",
    )


@card(roles=(Role.ADMIN,), order=20)
def admin_registrations(request) -> Card:
    stats = selectors.user_stats()
    return Card(
        title=_("Pendaftar baru"),
        icon="user-plus",
        value=_number(stats.joined_week),
        hint=_("7 hari terakhir · hari ini %(today)s") % {"today": _number(stats.joined_today)},
        link=reverse("accounts:admin_users"),
        link_label=_("Lihat pengguna terbaru"),
    )


@card(roles=(Role.ADMIN,), order=7)
def admin_members_chart(request) -> Card:
    points = members_daily(days=30)
    return Card(
        title=_("Member 30 hari"),
        icon="users",
        value=_number(points[-1]["total"]),
        hint=_("akun aktif · %(n)s pendaftar baru dalam 30 hari") % {"n": _number(sum(p["joined"] for p in points))},
        style="wide",
        chart=chart(
            "members",
            [tanggal_pendek(p["date"]) for p in points],
            bar(_("Pendaftar baru"), [p["joined"] for p in points], color="secondary"),
            line(_("Total akun aktif"), [p["total"] for p in points], color="primary"),
        ),
    )


@card(roles=(Role.ADMIN,), order=30)
def admin_pending_affiliates(request) -> Card:
    pending = selectors.affiliate_applications_pending_count()
    return Card(
        title=_("Pengajuan affiliate"),
        icon="user-check",
        value=_number(pending),
        hint=_("Menunggu keputusan Anda") if pending else _("Tidak ada yang menunggu"),
        link=reverse("accounts:admin_affiliate_applications"),
        link_label=_("Tinjau pengajuan"),
    )


@card(roles=(Role.ADMIN,), order=40)
def admin_inactive_users(request) -> Card:
    stats = selectors.user_stats()
    return Card(
        title=_("Akun nonaktif"),
        icon="ban",
        value=_number(stats.inactive),
        hint=_("dari %(total)s akun terdaftar") % {"total": _number(stats.total)},
        link=reverse("accounts:admin_users") + "?status=inactive",
        link_label=_("Lihat akun nonaktif"),
    )


# --- Founder, Co-Founder ------------------------------------------------------------------------------


@card(roles=FOUNDERS, order=10)
def founder_members(request) -> Card:
    return Card(
        title=_("Total member"),
        icon="users",
        # Every active account is a member (staff included); "Pendaftar baru" beside it counts the same accounts.
        value=_number(selectors.user_stats().active),
        hint=_("Akun aktif"),
    )


@card(roles=FOUNDERS, order=20)
def founder_registrations(request) -> Card:
    stats = selectors.user_stats()
    return Card(
        title=_("Pendaftar baru"),
        icon="user-plus",
        value=_number(stats.joined_week),
        hint=_("7 hari terakhir · hari ini %(today)s") % {"today": _number(stats.joined_today)},
    )


@card(roles=FOUNDERS, order=30)
def founder_affiliates(request) -> Card:
    return Card(
        title=_("Affiliate"),
        icon="handshake",
        value=_number(selectors.user_count_with_role(role=Role.AFFILIATE)),
        hint=_("Affiliate aktif"),
    )


# --- Support ----------------------------------------------------------------------------------------------


@card(roles=(Role.SUPPORT,), order=20)
def support_members(request) -> Card:
    return Card(
        title=_("Member aktif"),
        icon="users",
        value=_number(selectors.user_count_with_role(role=Role.MEMBER)),
        hint=_("Akun member yang bisa Anda bantu"),
    )


# --- Everyone with a profile to keep up to date -----------------------------------------------------------


@card(roles=PROFILE_ROLES, order=5)
def profile_completeness(request) -> Card:
    result = selectors.user_profile_completeness(user=request.user)
    profile_url = reverse("accounts:profile")
    return Card(
        title=_("Kelengkapan profil"),
        icon="circle-user-round",
        value=f"{result.percent}%",
        hint=_("Profil Anda sudah lengkap.")
        if not result.missing
        else _("Lengkapi profil agar admin dan member lain mengenal Anda."),
        stats=tuple(Stat(label, _("Belum diisi"), profile_url) for label in result.missing),
        link=profile_url,
        link_label=_("Lengkapi profil") if result.missing else _("Lihat profil"),
        style="list" if result.missing else "stat",
    )


# --- Affiliate ------------------------------------------------------------------------------------------


@card(roles=(Role.AFFILIATE,), order=10)
def affiliate_status(request) -> Card:
    status = selectors.affiliate_status_for_user(user=request.user)
    stats = []
    app = status.latest_application
    if app is not None:
        stats.append(Stat(_("Pengajuan terakhir"), f"{app.get_status_display()} · {tanggal(app.created_at)}"))
    return Card(
        title=_("Status affiliate"),
        icon="handshake",
        value=_("Aktif") if status.is_affiliate else _("Tidak aktif"),
        hint=_("Menjadi affiliate sejak %(date)s") % {"date": tanggal(status.since)} if status.since else "",
        stats=tuple(stats),
        link=reverse("accounts:profile_affiliate"),
        link_label=_("Lihat detail"),
        style="list",
    )


# --- Member ---------------------------------------------------------------------------------------------


@card(roles=(Role.MEMBER,), order=10)
def member_become_affiliate(request) -> Card | None:
    """A call to action while the member is not an affiliate; the application's state while it is pending."""
    if request.user.has_role(Role.AFFILIATE):
        return None
    status = selectors.affiliate_status_for_user(user=request.user)
    link = reverse("accounts:profile_affiliate")
    app = status.latest_application
    if status.pending:
        return Card(
            title=_("Pengajuan affiliate"),
            icon="clock",
            value=_("Menunggu"),
            hint=_("Diajukan %(date)s. Admin sedang meninjau; Anda akan diberi tahu.")
            % {"date": tanggal(app.created_at)},
            link=link,
            link_label=_("Lihat pengajuan"),
        )
    hint = _("Dapatkan link referral dan komisi dari setiap penjualan yang Anda bawa.")
    if app is not None and app.status == AffiliateApplicationStatus.REJECTED:
        hint = _("Pengajuan terakhir belum disetujui (%(note)s). Anda bisa mengajukan lagi.") % {
            "note": Truncator(app.decision_note).chars(120)
        }
    return Card(
        title=_("Jadi affiliate"),
        icon="handshake",
        hint=hint,
        link=link,
        link_label=_("Ajukan sekarang"),
    )
