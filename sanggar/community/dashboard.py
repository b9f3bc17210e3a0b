"""Dashboard cards of the community: the moderation queue for admins (pending posts and open reports site-wide),
and a member's points, level and the member of the week."""

from django.urls import reverse
from django.utils.translation import gettext as _

from sanggar.core.roles import Role
from sanggar.dashboard.registry import Card, Stat, card

from . import engagement, gamification, services
from .constants import PostStatus, ReportStatus
from .models import Post, Report


@card(roles=(Role.ADMIN,), order=40)
def moderation_queue(request) -> Card:
    pending = Post.objects.filter(status=PostStatus.PENDING).count()
    reports = Report.objects.filter(status=ReportStatus.OPEN).count()
    link = reverse("community:moderation")
    return Card(
        title=_("Moderasi Komunitas"),
        icon="shield",
        value=str(pending + reports),
        hint=_("menunggu ditinjau"),
        link=link,
        link_label=_("Buka antrean"),
        style="list",
        stats=(
            Stat(_("Postingan menunggu"), str(pending), link),
            Stat(_("Laporan terbuka"), str(reports), link),
        ),
    )


@card(roles=(Role.MEMBER, Role.MENTOR, Role.AFFILIATE), order=70)
def my_points(request) -> Card:
    points = services.points_total(request.user.pk)
    star = engagement.member_of_week()
    stats = [Stat(_("Level"), f"{services.level_for(points)} · {gamification.level_name(points)}")]
    if star:
        stats.append(Stat(_("Member minggu ini"), star["name"]))
    return Card(
        title=_("Poin Komunitas"),
        icon="trophy",
        value=str(points),
        hint=_("poin"),
        link=reverse("community:leaderboard"),
        link_label=_("Lihat peringkat"),
        style="list",
        stats=tuple(stats),
    )
