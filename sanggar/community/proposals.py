"""Groups mentors create (PRODUCT.md "Decisions for community"): a private group for one of their own courses
directly (the mentor owns it; it becomes the course's study group when the course has none, so its learners are let
in), and a public group only as a proposal an admin approves (the group is created with the mentor as owner) or
rejects with a note. The mentor is told either way; admins are told of a new proposal; every step is audited."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sanggar.access.constants import ResourceKind
from sanggar.access.services import resource_ensure
from sanggar.accounts.selectors import users_with_role
from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.core.roles import Role
from sanggar.learning import services as learning
from sanggar.learning.models import Course
from sanggar.notifications.services import notify, notify_users

from .constants import Action, MemberRole, MemberSource, MemberStatus, Notify, Visibility
from .models import Group, GroupMember, GroupProposal
from .services import clean_text, group_link

PROPOSALS_PENDING_MAX = 5  # open proposals per mentor


class Decided(ServiceError):
    """The proposal was already approved or rejected (the API answers 409)."""

    status_code = 409


def _mentor(actor) -> None:
    if actor is None or not actor.is_authenticated or not (actor.has_role(Role.MENTOR) or actor.has_role(Role.ADMIN)):
        raise NotAllowed(_("Hanya mentor yang dapat membuat atau mengusulkan grup."))


def _texts(data: dict) -> dict:
    return {
        "name": clean_text(data.get("name"), field="name", label=_("Nama grup"), max_length=120),
        "description": clean_text(
            data.get("description"), field="description", label=_("Deskripsi"), max_length=2000, required=False
        ),
        "rules": clean_text(data.get("rules"), field="rules", label=_("Aturan"), max_length=4000, required=False),
    }


def _free_slug(raw, name: str) -> str:
    slug = slugify(raw or name)[:80]
    if not slug:
        raise ServiceError(_("Alamat grup tidak valid."), errors={"slug": [_("Gunakan huruf, angka dan tanda -.")]})
    if Group.objects.filter(slug=slug).exists():
        raise ServiceError(_("Alamat grup sudah dipakai."), errors={"slug": [_("Pilih alamat lain.")]})
    return slug


def _insert(*, actor, owner, slug: str, values: dict, visibility: str, course=None) -> Group:
    resource = resource_ensure(kind=ResourceKind.GROUP, key=slug, title=values["name"])
    group = Group.objects.create(
        slug=slug, resource=resource, owner=owner, created_by=actor, visibility=visibility, course=course, **values
    )
    GroupMember.objects.create(
        group=group, user=owner, role=MemberRole.OWNER, source=MemberSource.ADMIN, status=MemberStatus.ACTIVE
    )
    return group


def mentor_courses(user):
    """The courses a mentor may make a group for: the ones they teach or wrote (admins: all). Bounded."""
    if user is None or not user.is_authenticated:
        return Course.objects.none()
    qs = Course.objects.all()
    if not user.has_role(Role.ADMIN):
        qs = qs.filter(mentor=user) | qs.filter(created_by=user)
    return qs.order_by("title", "pk")[:200]


def course_for(user, course_id) -> Course:
    text = str(course_id or "").strip()
    course = None
    if text.isdigit() and len(text) < 12:
        course = next((c for c in mentor_courses(user) if c.pk == int(text)), None)
    if course is None:
        raise ServiceError(_("Pilih salah satu kursus Anda."), errors={"course": [_("Kursus tidak tersedia.")]})
    return course


@transaction.atomic
def mentor_group_create(*, actor, course: Course, data: dict) -> Group:
    """A private group for one of the mentor's own courses: created at once, the mentor owns it. When the course has
    no study group yet the group becomes it (the course's learners are let in through the course)."""
    _mentor(actor)
    if not learning.can_edit(actor, course):
        raise NotAllowed(_("Grup kursus hanya untuk kursus yang Anda ajar."))
    values = _texts(data)
    slug = _free_slug(data.get("slug"), values["name"])
    group = _insert(actor=actor, owner=actor, slug=slug, values=values, visibility=Visibility.PRIVATE, course=course)
    activity_record(
        action=Action.MENTOR_GROUP, actor=actor, target=group, target_label=group.name, data={"course": course.title}
    )
    has_group = any(r.kind == ResourceKind.GROUP for r in course.resource.bundled.all())
    if not has_group:
        try:
            with transaction.atomic():
                learning.course_extras_set(actor=actor, course=course, study_group=str(group.resource_id))
        except ServiceError:
            pass  # a course under review keeps its extras; the mentor names the group on the course later
    return group


@transaction.atomic
def proposal_create(*, actor, data: dict, course=None) -> GroupProposal:
    """A mentor proposes a public group; admins are told. At most PROPOSALS_PENDING_MAX open proposals each."""
    _mentor(actor)
    values = _texts(data)
    slug = _free_slug(data.get("slug"), values["name"])
    reason = clean_text(data.get("reason"), field="reason", label=_("Alasan"), max_length=1000, required=False)
    open_count = GroupProposal.objects.filter(proposer=actor, status=GroupProposal.PENDING).count()
    if open_count >= PROPOSALS_PENDING_MAX:
        raise ServiceError(
            _("Anda masih punya %(n)s usulan yang menunggu. Tunggu keputusan admin dulu.") % {"n": open_count}
        )
    if course is not None and not learning.can_edit(actor, course):
        raise NotAllowed(_("Grup kursus hanya untuk kursus yang Anda ajar."))
    proposal = GroupProposal.objects.create(proposer=actor, slug=slug, reason=reason, course=course, **values)
    activity_record(action=Action.PROPOSAL_CREATED, actor=actor, target=proposal, target_label=proposal.name)
    admins = list(users_with_role(role=Role.ADMIN).filter(is_active=True)[:50])
    if admins:
        notify_users(
            users=admins,
            kind=Notify.PROPOSAL_FILED,
            link=reverse("community:admin_proposals"),
            context={"group": proposal.name, "member": actor.full_name},
        )
    return proposal


@transaction.atomic
def proposal_decide(*, actor, proposal: GroupProposal, approve: bool, note: str = "") -> GroupProposal:
    """An admin approves (the public group is created, the proposer owns it) or rejects (a note is required)."""
    if actor is None or not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang dapat memutuskan usulan grup."))
    note = clean_text(note, field="note", label=_("Catatan"), max_length=500, required=not approve)
    proposal = GroupProposal.objects.select_for_update().filter(pk=proposal.pk).first()
    if proposal is None:
        raise NotFound(_("Usulan tidak ditemukan."))
    if proposal.status != GroupProposal.PENDING:
        raise Decided(_("Usulan ini sudah diputuskan."), code="conflict")
    proposal.note, proposal.handled_by, proposal.handled_at = note, actor, timezone.now()
    if approve:
        slug = _free_slug(proposal.slug, proposal.name)
        values = {"name": proposal.name, "description": proposal.description, "rules": proposal.rules}
        group = _insert(
            actor=actor,
            owner=proposal.proposer,
            slug=slug,
            values=values,
            visibility=Visibility.PUBLIC,
            course=proposal.course,
        )
        proposal.status, proposal.group = GroupProposal.APPROVED, group
        link, kind, action = group_link(group), Notify.PROPOSAL_APPROVED, Action.PROPOSAL_APPROVED
        activity_record(action=Action.GROUP_CREATED, actor=actor, target=group, target_label=group.name)
    else:
        proposal.status = GroupProposal.REJECTED
        link, kind, action = reverse("community:my_proposals"), Notify.PROPOSAL_REJECTED, Action.PROPOSAL_REJECTED
    proposal.save()
    activity_record(action=action, actor=actor, target=proposal, target_label=proposal.name, data={"note": note})
    notify(user=proposal.proposer, kind=kind, link=link, context={"group": proposal.name, "note": note})
    return proposal


def proposals_for(user):
    """Admins: every proposal (open first); a mentor: their own."""
    qs = GroupProposal.objects.select_related("proposer", "course", "group", "handled_by")
    if not user.has_role(Role.ADMIN):
        qs = qs.filter(proposer=user)
    return qs.order_by("-created_at", "-id")
