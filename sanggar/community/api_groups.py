"""Community API, groups part two: a group's post feature switches and pre-moderation, a mentor's private group for
their course, and public-group proposals (mentors file them, admins approve or reject)."""

from datetime import datetime

from ninja import Query, Router, Schema
from ninja.responses import Status

from sanggar.accounts.models import User
from sanggar.api.auth import jwt_auth
from sanggar.api.idempotency import idempotent
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError

from . import features, proposals, services, stats
from .api import _ERRORS, _group
from .constants import PAGE_SIZE
from .models import GroupMember, GroupProposal
from .schemas import PageIn

router = Router(tags=["komunitas"])


class FeaturesOut(Schema):
    features: dict[str, bool]
    require_approval: bool


class FeaturesIn(Schema):
    features: dict[str, bool] = {}
    require_approval: bool | None = None


class MentorGroupIn(Schema):
    course: int
    name: str
    slug: str = ""
    description: str = ""
    rules: str = ""


class GroupBriefOut(Schema):
    slug: str
    name: str
    visibility: str
    course: int | None


class ProposalIn(Schema):
    name: str
    slug: str = ""
    description: str = ""
    rules: str = ""
    reason: str = ""
    course: int | None = None


class ProposalOut(Schema):
    id: int
    name: str
    slug: str
    description: str
    status: str
    note: str
    proposer: str
    course: int | None
    group: str | None
    created_at: datetime


class ProposalPageOut(Schema):
    count: int
    next_page: int | None
    results: list[ProposalOut]


class DecisionIn(Schema):
    note: str = ""


def _features(group) -> dict:
    return {"features": features.features_of(group), "require_approval": group.require_approval}


def _proposal(p) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "slug": p.slug,
        "description": p.description,
        "status": p.status,
        "note": p.note,
        "proposer": p.proposer.full_name,
        "course": p.course_id,
        "group": p.group.slug if p.group_id else None,
        "created_at": p.created_at,
    }


@router.get(
    "/groups/{slug}/features", response={200: FeaturesOut, **_ERRORS}, auth=jwt_auth, summary="Fitur postingan grup"
)
def group_features(request, slug: str):
    group, _decision = _group(request, slug)
    return _features(group)


@router.put(
    "/groups/{slug}/features",
    response={200: FeaturesOut, **_ERRORS},
    auth=jwt_auth,
    summary="Ubah fitur postingan dan pra-moderasi (pemilik / admin grup)",
    description="Kunci fitur: " + ", ".join(features.FEATURE_KEYS) + ". Kunci yang tidak dikirim tetap.",
)
@idempotent
def group_features_update(request, slug: str, payload: FeaturesIn):
    group, _decision = _group(request, slug)
    group = features.group_features_update(
        actor=request.auth, group=group, features=payload.features, require_approval=payload.require_approval
    )
    return _features(group)


@router.post(
    "/mentor/groups",
    response={201: GroupBriefOut, **_ERRORS},
    auth=jwt_auth,
    summary="Mentor: buat grup privat untuk kursusnya",
)
@idempotent
def mentor_group_create(request, payload: MentorGroupIn):
    course = proposals.course_for(request.auth, payload.course)
    group = proposals.mentor_group_create(actor=request.auth, course=course, data=payload.dict(exclude={"course"}))
    return Status(
        201, {"slug": group.slug, "name": group.name, "visibility": group.visibility, "course": group.course_id}
    )


@router.get("/group-proposals", response={200: ProposalPageOut, **_ERRORS}, auth=jwt_auth, summary="Usulan grup publik")
def proposal_list(request, filters: Query[PageIn]):
    qs = proposals.proposals_for(request.auth)
    count = qs.count()
    start = (filters.page - 1) * PAGE_SIZE
    rows = list(qs[start : start + PAGE_SIZE]) if start < count else []
    return {
        "count": count,
        "next_page": filters.page + 1 if start + PAGE_SIZE < count else None,
        "results": [_proposal(p) for p in rows],
    }


@router.post(
    "/group-proposals", response={201: ProposalOut, **_ERRORS}, auth=jwt_auth, summary="Mentor: usulkan grup publik"
)
@idempotent
def proposal_create(request, payload: ProposalIn):
    course = proposals.course_for(request.auth, payload.course) if payload.course else None
    proposal = proposals.proposal_create(actor=request.auth, data=payload.dict(exclude={"course"}), course=course)
    return Status(201, _proposal(proposal))


def _decide(request, proposal_id: int, approve: bool, note: str) -> dict:
    proposal = GroupProposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        raise NotFound("Usulan tidak ditemukan.")
    return _proposal(proposals.proposal_decide(actor=request.auth, proposal=proposal, approve=approve, note=note))


@router.post(
    "/group-proposals/{proposal_id}/approve",
    response={200: ProposalOut, **_ERRORS},
    auth=jwt_auth,
    summary="Admin: setujui usulan grup",
)
@idempotent
def proposal_approve(request, proposal_id: int, payload: DecisionIn):
    return _decide(request, proposal_id, True, payload.note)


@router.post(
    "/group-proposals/{proposal_id}/reject",
    response={200: ProposalOut, **_ERRORS},
    auth=jwt_auth,
    summary="Admin: tolak usulan grup (catatan wajib)",
)
@idempotent
def proposal_reject(request, proposal_id: int, payload: DecisionIn):
    return _decide(request, proposal_id, False, payload.note)


class MemberActionIn(Schema):
    action: str  # approve | decline | ban | unban | mute | role
    role: str = ""
    hours: int = 24
    note: str = ""


class MemberStateOut(Schema):
    user_id: int
    status: str
    role: str
    muted_until: datetime | None


MEMBER_ACTIONS = ("approve", "decline", "ban", "unban", "mute", "role")


@router.post(
    "/groups/{slug}/members/{user_id}/moderate",
    response={200: MemberStateOut, **_ERRORS},
    auth=jwt_auth,
    summary="Moderasi anggota grup (moderator / admin grup)",
    description="`action`: approve / decline (permintaan bergabung), ban / unban, mute (`hours`), role (`role`: "
    "admin, moderator, member). Ditolak 403 bila peran Anda di grup tidak mengizinkan.",
)
@idempotent
def member_moderate(request, slug: str, user_id: int, payload: MemberActionIn):
    group, _decision = _group(request, slug)
    if payload.action not in MEMBER_ACTIONS:
        raise ServiceError("Tindakan tidak dikenal.", errors={"action": ["Pilih: " + ", ".join(MEMBER_ACTIONS) + "."]})
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise NotFound("Member tidak ditemukan.")
    actor = request.auth
    if payload.action == "ban":
        member = services.member_ban(actor=actor, group=group, user=user, note=payload.note)
    elif payload.action == "mute":
        member = services.member_mute(actor=actor, group=group, user=user, hours=payload.hours)
    else:
        member = GroupMember.objects.select_related("group", "user").filter(group=group, user=user).first()
        if member is None:
            raise NotFound("Member ini tidak ada di grup.")
        if payload.action == "approve":
            member = services.member_approve(actor=actor, member=member)
        elif payload.action == "decline":
            services.member_decline(actor=actor, member=member)
        elif payload.action == "unban":
            member = services.member_unban(actor=actor, member=member)
        else:
            member = services.member_set_role(actor=actor, member=member, role=payload.role)
        member.refresh_from_db()
    return {"user_id": user.pk, "status": member.status, "role": member.role, "muted_until": member.muted_until}


class GroupStatsOut(Schema):
    days: int
    members: int
    new_members: int
    join_requests: int
    banned: int
    posts: int
    comments: int
    active_members: int
    pending_posts: int
    open_reports: int


@router.get(
    "/groups/{slug}/stats",
    response={200: GroupStatsOut, **_ERRORS},
    auth=jwt_auth,
    summary="Statistik grup 7 hari (moderator / admin grup)",
)
def group_stats(request, slug: str):
    group, _decision = _group(request, slug)
    if not services.can_moderate(request.auth, group):
        raise NotAllowed("Statistik grup hanya untuk moderator dan admin grup.")
    return stats.group_stats(group)
