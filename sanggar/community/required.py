"""The spec's required groups (PRD "PR #3: Setup Grup Wajib untuk Member"): "Support Ekspor Yuk" for every plan and
"Website Ekspor" for lifetime members. `required_groups_setup` creates them (adopting an existing group or resource of
the same slug), marks them required (the policy then opens them to every running membership of the kind, whatever the
plan: an upgrade keeps them, expiry locks them, a renewal reopens them) and gives every entitled member a membership
row (so they show in the member list and get announcements). `required_groups_report` checks, set-based, that every
active member is in the right groups. Both are idempotent: a second run changes nothing. The management command
`community_required_groups` runs them."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sanggar.access.constants import ResourceKind
from sanggar.access.services import resource_ensure
from sanggar.accounts.selectors import users_with_role
from sanggar.audit.services import activity_record
from sanggar.core.roles import Role
from sanggar.memberships.constants import MembershipStatus
from sanggar.memberships.models import UserMembership

from .constants import (
    REQUIRED_GROUPS,
    Action,
    GroupStatus,
    MemberRole,
    MemberSource,
    MemberStatus,
    RequiredFor,
    Visibility,
)
from .models import Group, GroupMember

BATCH = 1000


@dataclass
class GroupReport:
    slug: str
    name: str
    required_for: str
    expected: int = 0  # members with a running membership of the kind
    present: int = 0  # of those, with an active row
    created: bool = False
    rows_added: int = 0
    missing: list = field(default_factory=list)  # (user id, email, why) of the expected who are not in
    missing_count: int = 0

    @property
    def ok(self) -> bool:
        return self.missing_count == 0


def _running_memberships(now, required_for: str):
    qs = UserMembership.objects.filter(
        Q(status=MembershipStatus.ACTIVE) & (Q(ends_at__isnull=True) | Q(ends_at__gt=now)),
        user__is_active=True,
    )
    if required_for == RequiredFor.LIFETIME:
        qs = qs.filter(ends_at__isnull=True)
    return qs


@transaction.atomic
def _group_ensure(slug: str, name: str, required_for: str, description: str, actor) -> tuple[Group, bool]:
    group = Group.objects.select_for_update().filter(slug=slug).first()
    if group is not None:
        changed = []
        if group.required_for != required_for:
            group.required_for = required_for
            changed.append("required_for")
        if group.status != GroupStatus.ACTIVE:
            group.status = GroupStatus.ACTIVE
            changed.append("status")
        if changed:
            group.save(update_fields=changed)
            activity_record(action=Action.REQUIRED_GROUPS, actor=actor, target=group, target_label=group.name)
        return group, False
    owner = actor or users_with_role(role=Role.ADMIN).order_by("pk").first()
    resource = resource_ensure(kind=ResourceKind.GROUP, key=slug, title=name)
    group = Group.objects.create(
        slug=slug,
        name=name,
        description=description,
        visibility=Visibility.PRIVATE,
        required_for=required_for,
        resource=resource,
        owner=owner,
        created_by=owner,
    )
    if owner is not None:
        GroupMember.objects.create(
            group=group, user=owner, role=MemberRole.OWNER, source=MemberSource.ADMIN, status=MemberStatus.ACTIVE
        )
    activity_record(action=Action.REQUIRED_GROUPS, actor=actor, target=group, target_label=group.name)
    return group, True


def _backfill(group: Group, now) -> int:
    """Active rows for the entitled members who have none, or whose row is `left` / `pending` (a ban stays)."""
    added = 0
    user_ids = _running_memberships(now, group.required_for).values_list("user_id", flat=True).order_by("user_id")
    batch: list[int] = []

    def flush(ids):
        nonlocal added
        rows = dict(GroupMember.objects.filter(group=group, user_id__in=ids).values_list("user_id", "status"))
        new = [
            GroupMember(group=group, user_id=uid, source=MemberSource.MEMBERSHIP, status=MemberStatus.ACTIVE)
            for uid in ids
            if uid not in rows
        ]
        GroupMember.objects.bulk_create(new, ignore_conflicts=True)
        reopened = GroupMember.objects.filter(
            group=group, user_id__in=ids, status__in=(MemberStatus.LEFT, MemberStatus.PENDING)
        ).update(status=MemberStatus.ACTIVE, source=MemberSource.MEMBERSHIP)
        added += len(new) + reopened

    for uid in user_ids.iterator(chunk_size=BATCH):
        batch.append(uid)
        if len(batch) == BATCH:
            flush(batch)
            batch = []
    if batch:
        flush(batch)
    return added


def required_groups_setup(*, actor=None, now=None) -> list[GroupReport]:
    """Creates / marks the required groups and adds the rows; returns the report afterwards."""
    now = now or timezone.now()
    created = {}
    added = {}
    for slug, name, required_for, description in REQUIRED_GROUPS:
        group, was_created = _group_ensure(slug, name, required_for, description, actor)
        created[slug] = was_created
        with transaction.atomic():
            added[slug] = _backfill(group, now)
    reports = required_groups_report(now=now)
    for report in reports:
        report.created = created.get(report.slug, False)
        report.rows_added = added.get(report.slug, 0)
    return reports


def required_groups_report(*, now=None, sample: int = 20) -> list[GroupReport]:
    """For each required group: how many members with a running membership of the kind should be in it, how many
    are (an active row, the group active and required), and up to `sample` of those who are not, with why."""
    now = now or timezone.now()
    reports = []
    for slug, name, required_for, _description in REQUIRED_GROUPS:
        report = GroupReport(slug=slug, name=name, required_for=required_for)
        memberships = _running_memberships(now, required_for)
        report.expected = memberships.values("user_id").distinct().count()
        group = Group.objects.filter(slug=slug).first()
        if group is None or group.status != GroupStatus.ACTIVE or group.required_for != required_for:
            why = "grup belum ada" if group is None else "grup tidak aktif atau tidak ditandai wajib"
            report.missing_count = report.expected
            report.missing = [
                (m.user_id, m.user.email, why) for m in memberships.select_related("user").order_by("user_id")[:sample]
            ]
            reports.append(report)
            continue
        expected_ids = memberships.values("user_id")
        rows = GroupMember.objects.filter(group=group, user_id__in=expected_ids)
        report.present = rows.filter(status=MemberStatus.ACTIVE).count()
        report.missing_count = report.expected - report.present
        if report.missing_count:
            statuses = dict(rows.exclude(status=MemberStatus.ACTIVE).values_list("user_id", "status"))
            absent = (
                memberships.exclude(user_id__in=rows.filter(status=MemberStatus.ACTIVE).values("user_id"))
                .select_related("user")
                .order_by("user_id")[:sample]
            )
            for m in absent:
                status = statuses.get(m.user_id)
                why = {
                    MemberStatus.BANNED: "diblokir moderator grup",
                    None: "belum punya baris keanggotaan",
                }.get(status, f"status {status}")
                report.missing.append((m.user_id, m.user.email, why))
        reports.append(report)
    return reports
