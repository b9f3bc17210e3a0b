"""Pages for groups mentors create (a private group for one of their courses, or a public group proposed for an
admin's approval), the admin's proposal queue, and the group's post feature switches (on the settings page)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sanggar.core.exceptions import ServiceError
from sanggar.core.listing import paginate
from sanggar.core.permissions import login_required, role_required
from sanggar.core.roles import Role

from . import features, proposals, services, stats
from .models import GroupProposal
from .views import _group_or_404


def _group_data(post) -> dict:
    return {k: post.get(k, "") for k in ("name", "slug", "description", "rules", "reason")}


@role_required(Role.MENTOR, Role.ADMIN)
def group_new(request):
    """A mentor's new group: private for one of their courses (created at once) or a public proposal."""
    courses = list(proposals.mentor_courses(request.user))
    if request.method == "POST":
        kind = request.POST.get("kind") or "course"
        try:
            data = _group_data(request.POST)
            if kind == "public":
                course = (
                    proposals.course_for(request.user, request.POST["course"]) if request.POST.get("course") else None
                )
                proposals.proposal_create(actor=request.user, data=data, course=course)
                messages.success(request, _("Usulan grup publik dikirim. Admin akan meninjaunya."))
                return redirect("community:my_proposals")
            course = proposals.course_for(request.user, request.POST.get("course"))
            group = proposals.mentor_group_create(actor=request.user, course=course, data=data)
            messages.success(request, _("Grup privat untuk kursus %(c)s dibuat.") % {"c": course.title})
            return redirect("community:group", slug=group.slug)
        except ServiceError as exc:
            messages.error(request, exc.message)
    return render(request, "community/group_new.html", {"courses": courses, "values": request.POST or None})


@role_required(Role.MENTOR, Role.ADMIN)
def my_proposals(request):
    qs = proposals.proposals_for(request.user).filter(proposer=request.user)
    page = paginate(request, qs, per_page=20)
    return render(request, "community/proposals.html", {"page_obj": page, "rows": page.object_list, "admin": False})


@role_required(Role.ADMIN)
def admin_proposals(request):
    status = request.GET.get("status") or GroupProposal.PENDING
    if status not in dict(GroupProposal.STATUS_CHOICES):
        status = GroupProposal.PENDING
    page = paginate(request, proposals.proposals_for(request.user).filter(status=status), per_page=20)
    return render(
        request,
        "community/proposals.html",
        {
            "page_obj": page,
            "rows": page.object_list,
            "admin": True,
            "status": status,
            "statuses": GroupProposal.STATUS_CHOICES,
        },
    )


@role_required(Role.ADMIN)
@require_POST
def admin_proposal_decide(request, pk):
    proposal = get_object_or_404(GroupProposal, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        proposals.proposal_decide(actor=request.user, proposal=proposal, approve=approve, note=request.POST.get("note"))
        messages.success(request, _("Usulan disetujui, grup dibuat.") if approve else _("Usulan ditolak."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("community:admin_proposals")


@login_required
@require_POST
def group_features(request, slug):
    """The settings page's "Fitur postingan" form: every switch and pre-moderation."""
    group, _decision = _group_or_404(request, slug)
    if not services.can_manage(request.user, group):
        raise PermissionDenied
    switches = {key: request.POST.get(f"feature_{key}") == "1" for key in features.FEATURE_KEYS}
    try:
        features.group_features_update(
            actor=request.user,
            group=group,
            features=switches,
            require_approval=request.POST.get("require_approval") == "1",
        )
        messages.success(request, _("Fitur postingan grup disimpan."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("community:group_settings", slug=group.slug)


@login_required
@require_GET
def group_stats(request, slug):
    """The group's figures for its staff (moderators, admins, owner) and site admins."""
    group, _decision = _group_or_404(request, slug)
    if not services.can_moderate(request.user, group):
        raise PermissionDenied
    return render(request, "community/group_stats.html", {"group": group, "stats": stats.group_stats(group)})
