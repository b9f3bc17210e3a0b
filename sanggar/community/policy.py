"""The group rules the "group" resource kind adds to the one access policy. The policy's answer is whether the user
is a member of the group (may read everything in it, post and comment as far as the group allows):

- an archived group is closed; a member banned from the group is refused;
- an active membership row the person earned themselves (joined a public group, a request approved, added by an
  admin or a group owner/moderator) opens it;
- otherwise the usual rules: an open grant (purchase, admin) or an active plan that includes the group opens it
  ("Grup otomatis dari membership"), so when the membership ends the group locks (the row, its role and settings
  stay) and a renewal reopens it; and the usual messages explain how to unlock it;
- a required group (`Group.required_for`, PR #3) opens to every running membership ("all") or to a lifetime one
  ("lifetime"), whatever the plan: an upgrade keeps it, expiry locks it, a renewal reopens it.

A public group's posts can be read by every signed-in user (pages decide that from `Group.visibility`); a hidden
group is 404 to anyone the policy refuses. Groups and the caller's rows are loaded once per batch."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanggar.access.constants import DenyReason, ResourceKind
from sanggar.access.kinds import ResourceKindEntry
from sanggar.access.policy import ALLOWED, AccessDecision, access_check
from sanggar.core.roles import Role

from .constants import (
    MATRIX_ROLES,
    GroupPermission,
    GroupStatus,
    MemberRole,
    MemberSource,
    MemberStatus,
    RequiredFor,
    Visibility,
)
from .models import Group, GroupMember

CACHE_KEY = "community.groups"


def _load(facts):
    cached = facts.cache.get(CACHE_KEY)
    if cached is None:
        groups = {
            g.resource_id: g
            for g in Group.objects.filter(resource_id__in=facts.resource_ids).only(
                "id", "resource_id", "status", "required_for"
            )
        }
        rows = {}
        user = facts.user
        if user is not None and getattr(user, "is_authenticated", False) and groups:
            for row in GroupMember.objects.filter(user=user, group_id__in=[g.id for g in groups.values()]):
                rows[row.group_id] = row
        cached = (groups, rows)
        facts.cache[CACHE_KEY] = cached
    return cached


def group_check(*, resource, facts):
    groups, rows = _load(facts)
    group = groups.get(resource.pk)
    if group is None:
        return None  # a placeholder resource without a group yet: the usual rules
    if group.status == GroupStatus.ARCHIVED:
        return AccessDecision(allowed=False, reason=DenyReason.INACTIVE_RESOURCE, message=_("Grup ini diarsipkan."))
    row = rows.get(group.id)
    if row is not None and row.status == MemberStatus.BANNED:
        return AccessDecision(
            allowed=False, reason=DenyReason.NO_ACCESS, message=_("Anda diblokir dari grup ini oleh moderator.")
        )
    if row is not None and row.status == MemberStatus.ACTIVE and row.source != MemberSource.MEMBERSHIP:
        return ALLOWED
    membership = facts.membership
    # A required group (PR #3): every running membership opens "all" ones, a lifetime one (no end) "lifetime".
    if membership is not None and (
        group.required_for == RequiredFor.ALL
        or (group.required_for == RequiredFor.LIFETIME and membership.ends_at is None)
    ):
        return ALLOWED
    return None


GROUP_KIND = ResourceKindEntry(
    kind=ResourceKind.GROUP,
    label=gettext_lazy("Grup"),
    this_label=gettext_lazy("Grup ini"),
    unlock=gettext_lazy(
        "Bergabung (grup publik), permintaan yang disetujui moderator, paket membership atau produk yang memuatnya"
    ),
    check=group_check,
)


# --- the per-group permissions matrix -----------------------------------------------------------------------------
# The one answer to "may this person do X in this group" for pages, the API and the websockets. A site admin may do
# everything; otherwise the person must be a member by the policy above (a plan that expired locks everything),
# their role is their active row's (a member through a plan without a row is a "member"), the owner may do
# everything, and the other roles what the group's matrix gives them.

_ALL = ["admin", "moderator", "member"]
_STAFF = ["admin", "moderator"]


def default_permissions(group: Group) -> dict[str, list[str]]:
    return {
        GroupPermission.POST: list(_ALL) if group.members_can_post else list(_STAFF),
        GroupPermission.COMMENT: list(_ALL),
        GroupPermission.UPLOAD: list(_ALL),
        GroupPermission.EVENT: ["admin"],
        GroupPermission.CHAT: list(_ALL),
        # members invite to a public group; to a private or hidden one only its staff
        GroupPermission.INVITE: list(_ALL) if group.visibility == Visibility.PUBLIC else list(_STAFF),
        GroupPermission.MODERATE: list(_STAFF),
        GroupPermission.CHALLENGE: list(_STAFF),
    }


def permissions_of(group: Group) -> dict[str, list[str]]:
    """The group's effective matrix: its own choices over the defaults (unknown keys and roles are ignored)."""
    matrix = default_permissions(group)
    stored = group.permissions if isinstance(group.permissions, dict) else {}
    for key, roles in stored.items():
        if key in matrix and isinstance(roles, list):
            matrix[key] = [r for r in MATRIX_ROLES if r in roles]
    return matrix


def member_role(user, group: Group, *, row=None, decision=None) -> str | None:
    """The user's role in the group now, or None when they are not a member (by the policy)."""
    if user is None or not getattr(user, "is_authenticated", False) or group.status != GroupStatus.ACTIVE:
        return None
    if decision is None:
        decision = access_check(user=user, resource=group.resource)
    if not decision.allowed:
        return None
    if row is None:
        row = GroupMember.objects.filter(group=group, user=user).first()
    if row is not None and row.status == MemberStatus.ACTIVE:
        return row.role
    return MemberRole.MEMBER


def group_allows(user, group: Group, permission: str, *, row=None, decision=None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.has_role(Role.ADMIN):
        return True
    role = member_role(user, group, row=row, decision=decision)
    if role is None:
        return False
    if role == MemberRole.OWNER:
        return True
    return role in permissions_of(group).get(permission, ())


def allowed_permissions(user, group: Group, *, row=None, decision=None) -> list[str]:
    """Every permission the user has in the group (one policy decision and one row query)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    if user.has_role(Role.ADMIN):
        return list(GroupPermission.values)
    role = member_role(user, group, row=row, decision=decision)
    if role is None:
        return []
    return role_permissions(group, role)


def role_permissions(group: Group, role: str) -> list[str]:
    """What a role may do in the group: the owner everything, the others what the group's matrix gives them."""
    if role == MemberRole.OWNER:
        return list(GroupPermission.values)
    return [p for p, roles in permissions_of(group).items() if role in roles]


def may_post(allowed, *, premium: bool) -> bool:
    """Whether the composer is offered: the group's matrix lets the member's role post, and posting needs premium
    unless they moderate the group (PRODUCT.md). `post_prepare` enforces the same rule, with its messages, on submit;
    the group page, the API (group list and detail) and the feed's group picker ask here so none disagrees with it."""
    return GroupPermission.POST in allowed and (premium or GroupPermission.MODERATE in allowed)


def postable_groups(user, groups, *, premium: bool) -> list[Group]:
    """Of `groups` (ones the policy already lets the user in: the feed's "my groups"), those `may_post` allows.
    One query for the user's rows in all of them, whatever their number."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    groups = [g for g in groups if g.status == GroupStatus.ACTIVE]
    if user.has_role(Role.ADMIN):
        return groups if may_post(GroupPermission.values, premium=premium) else []
    roles = dict(
        GroupMember.objects.filter(
            user=user, group_id__in=[g.pk for g in groups], status=MemberStatus.ACTIVE
        ).values_list("group_id", "role")
    )
    return [g for g in groups if may_post(role_permissions(g, roles.get(g.pk, MemberRole.MEMBER)), premium=premium)]


def can_manage(user, group: Group) -> bool:
    """The group's settings (the matrix, roles): its owner and admins, and site admins."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.has_role(Role.ADMIN):
        return True
    return member_role(user, group) in (MemberRole.OWNER, MemberRole.ADMIN)
