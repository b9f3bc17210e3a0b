"""Community pages added for issue 13: post editing with its history, followers / following lists, blocking and
reporting a member from their profile, the profile's cover and social links, the admin's statistics page, and the
old member-directory address (now the directory app's one page)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sanggar.core.exceptions import ServiceError
from sanggar.core.listing import paginate
from sanggar.core.permissions import login_required, role_required
from sanggar.core.request_context import client_ip
from sanggar.core.roles import Role

from . import achievements, activity, engagement, selectors, services
from .constants import SOCIAL_NETWORKS, ReportCategory
from .sidebar import stats_blocks
from .views import _fail, _post_or_404

FOLLOW_PAGE_SIZE = 30


def _profile_or_404(username):
    profile = selectors.profile_by_username((username or "")[:30])
    if profile is None:
        raise Http404
    return profile


@login_required
def post_edit(request, pk):
    post = _post_or_404(request, pk)
    if not engagement.can_edit(request.user, post):
        messages.error(request, _("Postingan ini tidak dapat Anda sunting lagi."))
        return redirect("community:post", pk=post.pk)
    if request.method == "POST":
        try:
            engagement.post_edit(
                actor=request.user,
                post=post,
                body=request.POST.get("body", ""),
                body_html=request.POST.get("body_html") or None,
            )
            messages.success(request, _("Postingan disunting."))
            return redirect("community:post", pk=post.pk)
        except ServiceError as exc:
            _fail(request, exc)
    return render(
        request,
        "community/post_edit.html",
        {
            "post": post,
            "revisions": engagement.post_revisions(post),
            "deadline": engagement.edit_deadline(post),
            "is_moderator": services.can_moderate(request.user, post.group),
            "values": request.POST or None,
        },
    )


def _follow_list(request, username, which):
    profile = _profile_or_404(username)
    qs = (selectors.followers if which == "followers" else selectors.following)(profile.user).order_by(
        "full_name", "pk"
    )
    page = paginate(request, qs, per_page=FOLLOW_PAGE_SIZE)
    rows = list(page.object_list)
    online = engagement.online_ids([u.pk for u in rows])
    return render(
        request,
        "community/follow_list.html",
        {"profile": profile, "which": which, "page_obj": page, "rows": rows, "online": online},
    )


@login_required
@require_GET
def followers(request, username):
    return _follow_list(request, username, "followers")


@login_required
@require_GET
def following(request, username):
    return _follow_list(request, username, "following")


@login_required
@require_POST
def member_block(request, username):
    profile = _profile_or_404(username)
    try:
        if request.POST.get("unblock") == "1":
            engagement.member_unblock(user=request.user, target=profile.user)
            messages.success(request, _("Blokir dibuka."))
        else:
            engagement.member_block(user=request.user, target=profile.user)
            messages.success(request, _("%(n)s diblokir.") % {"n": profile.user.full_name})
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("community:profile", username=profile.username)


@login_required
@require_POST
def member_report(request, username):
    profile = _profile_or_404(username)
    category = request.POST.get("category") or ReportCategory.OTHER
    try:
        services.report_create(
            user=request.user,
            kind="user",
            target_id=profile.user_id,
            reason=request.POST.get("reason", ""),
            category=category if category in ReportCategory.values else "invalid",
            ip=client_ip(request),
        )
        messages.success(request, _("Terima kasih, laporan Anda sudah kami terima dan akan ditinjau moderator."))
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("community:profile", username=profile.username)


@login_required
@require_POST
def profile_extras(request):
    """The cover photo and the social links (from the community profile page's second form)."""
    try:
        if request.FILES.get("cover") or request.POST.get("remove_cover") == "1":
            engagement.profile_cover_set(
                user=request.user, cover=request.FILES.get("cover"), remove=request.POST.get("remove_cover") == "1"
            )
        engagement.profile_links_update(
            user=request.user, links={key: request.POST.get(f"social_{key}", "") for key in SOCIAL_NETWORKS}
        )
        messages.success(request, _("Sampul dan media sosial disimpan."))
    except ServiceError as exc:
        _fail(request, exc)
    return redirect("community:my_profile")


@role_required(Role.ADMIN)
@require_GET
def admin_stats(request):
    days = request.GET.get("hari")
    days = int(days) if days in ("7", "30", "90") else 30
    stats = activity.community_stats(days=days)
    return render(
        request,
        "community/admin_stats.html",
        {
            "stats": stats,
            "choices": (7, 30, 90),
            "extra_stats": stats_blocks(start=stats["start"], end=stats["end"]),
        },
    )


@login_required
@require_GET
def directory_redirect(request):
    """The community's member directory became the directory app's (one list, one opt-in with field choices)."""
    params = {}
    if request.GET.get("q"):
        params["q"] = request.GET["q"][:100]
    if request.GET.get("provinsi"):
        params["province"] = request.GET["provinsi"][:64]
    url = reverse("directory:members") + (f"?{urlencode(params)}" if params else "")
    return redirect(url, permanent=True)


LEDGER_PAGE_SIZE = 20


@login_required
@require_GET
def achievements_page(request):
    """ "Pencapaian Saya": the member's own level, points, rank, badges, challenges, quizzes and points history."""
    return render(
        request,
        "community/achievements.html",
        {
            **achievements.achievements_of(request.user),
            "page_obj": paginate(request, achievements.ledger(request.user), per_page=LEDGER_PAGE_SIZE),
        },
    )
