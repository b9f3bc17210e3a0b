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
from sanggar.access.policy import ALLOWED, AccessDecision

from .constants import GroupStatus, MemberSource, MemberStatus, RequiredFor
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
