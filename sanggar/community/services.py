"""Every write of the community: groups and their members, posts, comments, reactions, polls, saves, reports and
moderation, keyword rules, follows, profiles, and the points ledger with badges. Pages, the API, tasks and the events
app call these; they check who may do what on the server."""

import re
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sanggar.access.constants import ResourceKind
from sanggar.access.policy import access_check
from sanggar.access.services import resource_ensure
from sanggar.accounts.constants import PROVINCES
from sanggar.accounts.models import User
from sanggar.accounts.selectors import users_with_role
from sanggar.audit.services import activity_record
from sanggar.catalog.uploads import (
    generated_name,
    image_fit,
    original_name,
    validate_image,
    validate_product_file,
)
from sanggar.chat import policy as chat_policy
from sanggar.chat import services as chat_services
from sanggar.chat import stickers as chat_stickers
from sanggar.core.exceptions import NotAllowed, NotFound, RateLimited, ServiceError
from sanggar.core.ratelimit import window_take
from sanggar.core.roles import Role
from sanggar.directory import profile_services as directory_profiles
from sanggar.memberships.selectors import membership_active_for
from sanggar.notifications.registry import source_key
from sanggar.notifications.services import notify, notify_users, subscription_set
from sanggar.notifications.smart_rules import rule_state

from . import activity, badges, gamification, realtime
from .constants import (
    BADGE_ICONS,
    MATRIX_ROLES,
    QUOTE_BACKGROUNDS,
    SOURCE_KIND,
    Action,
    BadgeCriteria,
    BadgePeriod,
    GroupPermission,
    GroupStatus,
    InvitationStatus,
    KeywordAction,
    MemberRole,
    MemberSource,
    MemberStatus,
    Notify,
    PointAction,
    PostStatus,
    ReactionType,
    ReportCategory,
    ReportStatus,
    Rule,
    Visibility,
)
from .features import COMMENTS, feature_require, post_features_require
from .linkpreview import PreviewError, fetch_image_thumbnail, fetch_preview, video_embed
from .media import MEDIA_TYPES, MEDIA_VIDEO, check_media
from .models import (
    Badge,
    Comment,
    Follow,
    Group,
    GroupFile,
    GroupInvitation,
    GroupMember,
    KeywordRule,
    LinkPreview,
    Mention,
    PointEntry,
    PollOption,
    PollVote,
    Post,
    Profile,
    Reaction,
    Report,
    SavedPost,
    UserBadge,
)
from .policy import (  # noqa: F401 (re-exported)
    allowed_permissions,
    can_manage,
    group_allows,
    may_post,
    permissions_of,
    postable_groups,
)
from .richtext import post_plain_text, sanitize_post_html
from .tasks import announcement_fanout_task, link_preview_task, new_post_fanout_task

PREMIUM_ROLES = (Role.ADMIN, Role.MENTOR, Role.AFFILIATE, Role.SUPPORT)


# --- input hygiene ----------------------------------------------------------------------------------------------


def clean_text(value, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    """Text a person typed: a string, no NUL characters (PostgreSQL refuses them), within `max_length`."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ServiceError(_("%(label)s harus berupa teks.") % {"label": label}, errors={field: [_("Harus teks.")]})
    if "\x00" in value:
        raise ServiceError(
            _("%(label)s berisi karakter yang tidak diizinkan.") % {"label": label},
            errors={field: [_("Hapus karakter yang tidak valid.")]},
        )
    value = value.strip()
    if required and not value:
        raise ServiceError(_("%(label)s wajib diisi.") % {"label": label}, errors={field: [_("Wajib diisi.")]})
    if len(value) > max_length:
        raise ServiceError(
            _("%(label)s terlalu panjang (maksimal %(max)s karakter).") % {"label": label, "max": max_length},
            errors={field: [_("Maksimal %(max)s karakter.") % {"max": max_length}]},
        )
    return value


def _limit(setting: str, key: str) -> None:
    wait = window_take(key, setting=setting)
    if wait:
        raise RateLimited(_("Terlalu banyak percobaan. Coba lagi dalam %(s)s detik.") % {"s": wait}, retry_after=wait)


def _limits(kind: str, user, ip: str | None) -> None:
    """The per-user and per-address limit of `kind` (POST, COMMENT, REACTION, REPORT, FOLLOW); posts of a new
    account have a stricter limit of their own (COMMUNITY_NEW_ACCOUNT_POST_RATE_LIMIT)."""
    if kind == "POST" and is_new_account(user):
        wait = window_take(f"new{user.pk}", setting="COMMUNITY_NEW_ACCOUNT_POST_RATE_LIMIT")
        if wait:
            raise RateLimited(
                _("Akun baru dibatasi jumlah postingannya per jam. Coba lagi dalam %(s)s detik.") % {"s": wait},
                retry_after=wait,
            )
    _limit(f"COMMUNITY_{kind}_RATE_LIMIT", f"u{user.pk}")
    if ip:
        _limit(f"COMMUNITY_{kind}_IP_RATE_LIMIT", f"ip{ip}")


def is_new_account(user) -> bool:
    """Younger than COMMUNITY_NEW_ACCOUNT_DAYS and without a role (mentor, affiliate, admin, support)."""
    days = settings.COMMUNITY_NEW_ACCOUNT_DAYS
    young = bool(days) and user.date_joined > timezone.now() - timedelta(days=days)
    return young and not any(user.has_role(r) for r in PREMIUM_ROLES)


def is_premium(user) -> bool:
    """Free members read, react, comment, follow and save; posting and polls need premium or a role (PRODUCT.md)."""
    if any(user.has_role(role) for role in PREMIUM_ROLES):
        return True
    return membership_active_for(user=user) is not None


# --- groups -------------------------------------------------------------------------------------------------------


def group_link(group: Group) -> str:
    return reverse("community:group", args=[group.slug])


def post_link(post: Post) -> str:
    return reverse("community:post", args=[post.pk])


def _require_admin(actor) -> None:
    if actor is None or not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Hanya admin yang dapat mengelola grup."))


GROUP_FIELDS = ("name", "description", "rules", "visibility", "require_approval", "members_can_post", "allow_polls")


def _group_values(data: dict) -> dict:
    values = {
        "name": clean_text(data.get("name"), field="name", label=_("Nama grup"), max_length=120),
        "description": clean_text(
            data.get("description"), field="description", label=_("Deskripsi"), max_length=2000, required=False
        ),
        "rules": clean_text(data.get("rules"), field="rules", label=_("Aturan"), max_length=4000, required=False),
    }
    visibility = data.get("visibility") or Visibility.PUBLIC
    if visibility not in Visibility.values:
        raise ServiceError(
            _("Jenis grup tidak dikenal."), errors={"visibility": [_("Pilih publik, privat atau tersembunyi.")]}
        )
    values["visibility"] = visibility
    for flag in ("require_approval", "members_can_post", "allow_polls", "allow_images"):
        if flag in data:
            values[flag] = bool(data.get(flag))
    return values


@transaction.atomic
def group_create(*, actor, data: dict, owner=None) -> Group:
    """A group (admins only). Its resource adopts an existing key (a placeholder a plan already includes) when the
    slug matches, so plans and products that include the placeholder open the real group."""
    _require_admin(actor)
    values = _group_values(data)
    slug = slugify(data.get("slug") or values["name"])[:80]
    if not slug:
        raise ServiceError(_("Alamat grup tidak valid."), errors={"slug": [_("Gunakan huruf, angka dan tanda -.")]})
    if Group.objects.filter(slug=slug).exists():
        raise ServiceError(_("Alamat grup sudah dipakai."), errors={"slug": [_("Pilih alamat lain.")]})
    resource = resource_ensure(kind=ResourceKind.GROUP, key=slug, title=values["name"])
    group = Group.objects.create(slug=slug, resource=resource, owner=owner or actor, created_by=actor, **values)
    GroupMember.objects.create(
        group=group, user=group.owner, role=MemberRole.OWNER, source=MemberSource.ADMIN, status=MemberStatus.ACTIVE
    )
    activity_record(action=Action.GROUP_CREATED, actor=actor, target=group, target_label=group.name)
    return group


@transaction.atomic
def group_update(*, actor, group: Group, data: dict) -> Group:
    _require_admin(actor)
    values = _group_values(data)
    status = data.get("status") or group.status
    if status not in GroupStatus.values:
        raise ServiceError(_("Status grup tidak dikenal."), errors={"status": [_("Pilih aktif atau diarsipkan.")]})
    values["status"] = status
    posting = values.get("members_can_post", group.members_can_post)
    if GroupPermission.POST in (group.permissions or {}) and posting != group.members_can_post:
        roles = [r for r in group.permissions[GroupPermission.POST] if r != MemberRole.MEMBER]
        group.permissions[GroupPermission.POST] = roles + ([MemberRole.MEMBER] if posting else [])
    for key, value in values.items():
        setattr(group, key, value)
    group.save()
    resource_ensure(kind=ResourceKind.GROUP, key=group.resource.key, title=group.name)
    activity_record(action=Action.GROUP_UPDATED, actor=actor, target=group, target_label=group.name)
    return group


def _permissions_value(raw) -> dict[str, list[str]]:
    """The matrix from a form or JSON: {permission: [roles]} with known keys and roles only."""
    if not isinstance(raw, dict):
        raise ServiceError(
            _("Hak akses harus berupa daftar per izin."), errors={"permissions": [_("Kirim objek izin → peran.")]}
        )
    matrix = {}
    for key, roles in raw.items():
        if key not in GroupPermission.values:
            raise ServiceError(
                _("Izin tidak dikenal: %(k)s.") % {"k": str(key)[:40]}, errors={"permissions": [_("Tidak valid.")]}
            )
        if not isinstance(roles, list | tuple) or not all(isinstance(r, str) for r in roles):
            raise ServiceError(_("Peran harus berupa daftar teks."), errors={"permissions": [_("Tidak valid.")]})
        unknown = [r for r in roles if r not in MATRIX_ROLES]
        if unknown:
            raise ServiceError(
                _("Peran tidak dikenal: %(r)s. Pilih admin, moderator atau member.") % {"r": str(unknown[0])[:20]},
                errors={"permissions": [_("Tidak valid.")]},
            )
        matrix[key] = [r for r in MATRIX_ROLES if r in roles]
    return matrix


@transaction.atomic
def group_permissions_update(*, actor, group: Group, permissions) -> Group:
    """The group's owner or admins (or a site admin) set who may do what: the permissions given replace those
    keys; the owner keeps everything. Audited."""
    if not can_manage(actor, group):
        raise NotAllowed(_("Hanya pemilik atau admin grup yang dapat mengubah hak akses."))
    matrix = _permissions_value(permissions)
    group = Group.objects.select_for_update().get(pk=group.pk)
    before = permissions_of(group)
    group.permissions = {**(group.permissions or {}), **matrix}
    group.members_can_post = MemberRole.MEMBER in permissions_of(group)[GroupPermission.POST]
    group.save(update_fields=["permissions", "members_can_post"])
    after = permissions_of(group)
    activity_record(
        action=Action.PERMISSIONS,
        actor=actor,
        target=group,
        target_label=group.name,
        data={k: after[k] for k in after if after[k] != before[k]},
    )
    # the group chat asks `group_chat_member` (the matrix) on every open and message: nothing to move here
    return group


GROUP_IMAGE_SIZES = {"cover": (1500, 500), "avatar": (400, 400)}


def _group_image(upload, kind: str) -> ContentFile:
    """An uploaded cover or avatar: an image by its content (PNG, JPEG, WebP), within the size limit, re-encoded as a
    fresh JPEG cropped to its shape (no metadata, no payload of the original survives)."""
    label = _("Sampul") if kind == "cover" else _("Avatar grup")
    return image_fit(
        upload,
        field=kind,
        label=label,
        size=GROUP_IMAGE_SIZES[kind],
        max_bytes=settings.COMMUNITY_GROUP_IMAGE_MAX_BYTES,
    )


@transaction.atomic
def group_images_set(
    *, actor, group: Group, cover=None, avatar=None, remove_cover: bool = False, remove_avatar: bool = False
) -> Group:
    """The group's owner or admins (or a site admin) upload or remove its cover and avatar."""
    if not can_manage(actor, group):
        raise NotAllowed(_("Hanya pemilik atau admin grup yang dapat mengubah sampul dan avatar."))
    group = Group.objects.select_for_update().get(pk=group.pk)
    old = []
    changed = []
    for kind, upload, remove in (("cover", cover, remove_cover), ("avatar", avatar, remove_avatar)):
        field = getattr(group, kind)
        if upload is None and not remove:
            continue
        if field:
            old.append(field.name)
        if upload is not None:
            field.save(generated_name(f"group-{kind}", "jpg"), _group_image(upload, kind), save=False)
        else:
            setattr(group, kind, "")
        changed.append(kind)
    if not changed:
        raise ServiceError(_("Pilih gambar sampul atau avatar."), errors={"cover": [_("Pilih gambar.")]})
    group.save(update_fields=changed)
    activity_record(
        action=Action.GROUP_UPDATED, actor=actor, target=group, target_label=group.name, data={"images": changed}
    )
    storage = group.cover.storage
    transaction.on_commit(lambda: [storage.delete(name) for name in old])
    return group


def member_row(user, group: Group) -> GroupMember | None:
    if user is None or not user.is_authenticated:
        return None
    return GroupMember.objects.filter(group=group, user=user).first()


def is_member(user, group: Group) -> bool:
    """Whether `user` is in the group now (the policy: own row, plan, purchase or admin grant; admins always)."""
    if user is None or not user.is_authenticated:
        return False
    return access_check(user=user, resource=group.resource).allowed


def can_read(user, group: Group, decision=None) -> bool:
    """Posts of a public group are readable by every signed-in user; others only by members."""
    if user is None or not user.is_authenticated:
        return False
    if decision is None:
        decision = access_check(user=user, resource=group.resource)
    if decision.allowed:
        return True
    if group.status != GroupStatus.ACTIVE:
        return False
    if group.visibility == Visibility.PUBLIC:
        row = member_row(user, group)
        return row is None or row.status != MemberStatus.BANNED
    return False


def can_moderate(user, group: Group) -> bool:
    """The group's matrix: owner always, by default its admins and moderators (site admins always)."""
    return group_allows(user, group, GroupPermission.MODERATE)


def moderator_roles(group: Group) -> list[str]:
    return [MemberRole.OWNER, *permissions_of(group)[GroupPermission.MODERATE]]


def _moderators(group: Group) -> list:
    rows = GroupMember.objects.filter(
        group=group, status=MemberStatus.ACTIVE, role__in=moderator_roles(group)
    ).select_related("user")
    return [r.user for r in rows]


@transaction.atomic
def group_join(*, user, group: Group) -> GroupMember:
    """Join a public group by click; ask to join a private one (moderators approve). A hidden group is joined only
    through a plan, a purchase or an admin; so is any group whose plan already brings the user in (a row is kept
    for the role and the notification switch)."""
    if group.status != GroupStatus.ACTIVE:
        raise NotAllowed(_("Grup ini diarsipkan."))
    row = GroupMember.objects.select_for_update().filter(group=group, user=user).first()
    if row is not None and row.status == MemberStatus.BANNED:
        raise NotAllowed(_("Anda diblokir dari grup ini oleh moderator."))
    entitled = access_check(user=user, resource=group.resource).allowed
    if row is not None and row.status == MemberStatus.ACTIVE and entitled:
        return row
    if entitled:
        status, source = MemberStatus.ACTIVE, MemberSource.MEMBERSHIP
    elif group.visibility == Visibility.PUBLIC:
        status, source = MemberStatus.ACTIVE, MemberSource.SELF_JOIN
    elif group.visibility == Visibility.PRIVATE:
        status, source = MemberStatus.PENDING, MemberSource.REQUEST
    else:
        raise NotFound(_("Grup tidak ditemukan."))
    if row is None:
        row = GroupMember.objects.create(group=group, user=user, status=status, source=source)
    else:
        row.status, row.source = status, source
        row.save(update_fields=["status", "source"])
    if status == MemberStatus.PENDING:
        notify_users(
            users=_moderators(group),
            kind=Notify.JOIN_REQUEST,
            link=reverse("community:group_moderation", args=[group.slug]),
            context={"group": group.name, "member": user.full_name},
        )
    else:
        _membership_changed(group, user)
    return row


def study_group_join(*, user, resource_id: int) -> GroupMember | None:
    """A course's learner joins its study group (learning's `StudyGroups.join`) when the policy lets them in (the
    purchase or plan that opened the course opened the group too); otherwise nothing happens (no join request)."""
    group = Group.objects.select_related("resource").filter(resource_id=resource_id, status=GroupStatus.ACTIVE).first()
    if group is None or not access_check(user=user, resource=group.resource).allowed:
        return None
    return group_join(user=user, group=group)


@transaction.atomic
def group_leave(*, user, group: Group) -> None:
    row = GroupMember.objects.select_for_update().filter(group=group, user=user).first()
    if row is None:
        raise ServiceError(_("Anda bukan anggota grup ini."))
    if row.role == MemberRole.OWNER:
        raise ServiceError(_("Pemilik grup tidak dapat keluar. Serahkan kepemilikan ke admin dahulu."))
    if row.source == MemberSource.MEMBERSHIP:
        raise ServiceError(
            _("Grup ini termasuk dalam membership Anda, jadi tidak bisa ditinggalkan. Matikan notifikasinya saja.")
        )
    if row.status != MemberStatus.BANNED:
        row.status = MemberStatus.LEFT
        row.save(update_fields=["status"])
    _membership_changed(group, user)


def group_notify_toggle(*, user, group: Group, on: bool) -> GroupMember:
    row = member_row(user, group)
    if row is None:
        row = group_join(user=user, group=group)
    row.notify_posts = bool(on)
    row.save(update_fields=["notify_posts"])
    subscription_set(user=user, source=group_source(group), subscribed=bool(on))  # the same switch for every source
    return row


def group_source(group: Group) -> str:
    """The notification source of a group ("group:<id>"): what members follow with "Ikuti notifikasi"."""
    return source_key(SOURCE_KIND, group.pk)


def _moderated_row(actor, member: GroupMember) -> None:
    if not can_moderate(actor, member.group):
        raise NotAllowed(_("Hanya moderator grup yang dapat melakukan ini."))
    if member.role == MemberRole.OWNER and not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Pemilik grup hanya dapat diubah oleh admin."))
    if member.role == MemberRole.ADMIN and member.user_id != actor.pk and not can_manage(actor, member.group):
        raise NotAllowed(_("Admin grup hanya dapat diubah oleh pemilik grup atau admin grup lain."))


@transaction.atomic
def member_approve(*, actor, member: GroupMember) -> GroupMember:
    _moderated_row(actor, member)
    if member.status != MemberStatus.PENDING:
        raise ServiceError(_("Permintaan ini sudah diproses."))
    member.status, member.source = MemberStatus.ACTIVE, MemberSource.REQUEST
    member.save(update_fields=["status", "source"])
    activity_record(action=Action.MEMBER_APPROVED, actor=actor, target=member.group, target_label=member.user.full_name)
    _membership_changed(member.group, member.user)
    notify(
        user=member.user,
        kind=Notify.JOIN_APPROVED,
        link=group_link(member.group),
        context={"group": member.group.name},
    )
    return member


@transaction.atomic
def member_decline(*, actor, member: GroupMember) -> None:
    _moderated_row(actor, member)
    if member.status == MemberStatus.PENDING:
        member.status = MemberStatus.LEFT
        member.save(update_fields=["status"])


@transaction.atomic
def member_set_role(*, actor, member: GroupMember, role: str) -> GroupMember:
    if role not in MemberRole.values:
        raise ServiceError(_("Peran tidak dikenal."), errors={"role": [_("Pilih peran yang tersedia.")]})
    _moderated_row(actor, member)
    if MemberRole.OWNER in (role, member.role) and not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Pemilik grup hanya dapat diubah oleh admin."))
    if MemberRole.ADMIN in (role, member.role) and not can_manage(actor, member.group):
        raise NotAllowed(_("Hanya pemilik atau admin grup yang dapat mengangkat atau mencopot admin grup."))
    member.role = role
    member.save(update_fields=["role"])
    activity_record(
        action=Action.MEMBER_ROLE,
        actor=actor,
        target=member.group,
        target_label=member.user.full_name,
        data={"role": role, "user": member.user_id},
    )
    return member


def member_add(*, actor, group: Group, user, role: str = MemberRole.MEMBER) -> GroupMember:
    """An admin adds someone to a group (also how hidden groups get members besides plans)."""
    _require_admin(actor)
    member, _created = GroupMember.objects.get_or_create(
        group=group, user=user, defaults={"source": MemberSource.ADMIN, "role": role}
    )
    if member.status != MemberStatus.ACTIVE or member.source == MemberSource.MEMBERSHIP:
        member.status, member.source = MemberStatus.ACTIVE, MemberSource.ADMIN
        member.save(update_fields=["status", "source"])
    if role != member.role:
        member_set_role(actor=actor, member=member, role=role)
    _membership_changed(group, user)
    return member


@transaction.atomic
def member_ban(*, actor, group: Group, user, note: str = "") -> GroupMember:
    member, _created = GroupMember.objects.get_or_create(
        group=group, user=user, defaults={"source": MemberSource.ADMIN, "status": MemberStatus.BANNED}
    )
    _moderated_row(actor, member)
    if user.pk == actor.pk:
        raise ServiceError(_("Anda tidak dapat memblokir diri sendiri."))
    member.status = MemberStatus.BANNED
    member.save(update_fields=["status"])
    activity_record(
        action=Action.MEMBER_BANNED, actor=actor, target=group, target_label=user.full_name, data={"note": note[:200]}
    )
    _membership_changed(group, user)
    return member


@transaction.atomic
def member_unban(*, actor, member: GroupMember) -> GroupMember:
    _moderated_row(actor, member)
    member.status = MemberStatus.LEFT
    member.save(update_fields=["status"])
    activity_record(action=Action.MEMBER_UNBANNED, actor=actor, target=member.group, target_label=member.user.full_name)
    _membership_changed(member.group, member.user)
    return member


@transaction.atomic
def member_mute(*, actor, group: Group, user, hours: int) -> GroupMember:
    if not isinstance(hours, int) or not 1 <= hours <= 24 * 365:
        raise ServiceError(_("Lama bisu antara 1 jam dan 365 hari."), errors={"hours": [_("Angka 1 sampai 8760.")]})
    member, _created = GroupMember.objects.get_or_create(
        group=group, user=user, defaults={"source": MemberSource.MEMBERSHIP}
    )
    _moderated_row(actor, member)
    member.muted_until = timezone.now() + timedelta(hours=hours)
    member.save(update_fields=["muted_until"])
    activity_record(
        action=Action.MEMBER_MUTED, actor=actor, target=group, target_label=user.full_name, data={"hours": hours}
    )
    return member


# --- invitations --------------------------------------------------------------------------------------------------


def can_invite(user, group: Group) -> bool:
    """The group's matrix (by default: its staff to any group, members to a public group they are in)."""
    if user is None or not user.is_authenticated or group.status != GroupStatus.ACTIVE:
        return False
    return group_allows(user, group, GroupPermission.INVITE)


@transaction.atomic
def invitation_create(*, actor, group: Group, invitee, ip: str | None = None) -> GroupInvitation:
    """Invites `invitee` to the group (they are told and accept or decline). One pending invitation per person."""
    if not can_invite(actor, group):
        if group.visibility == Visibility.HIDDEN and not is_member(actor, group):
            raise NotFound(_("Grup tidak ditemukan."))
        raise NotAllowed(_("Peran Anda di grup ini tidak diizinkan mengundang member."))
    if invitee is None or not invitee.is_active:
        raise NotFound(_("Member tidak ditemukan."))
    if invitee.pk == actor.pk:
        raise ServiceError(_("Anda tidak dapat mengundang diri sendiri."))
    _limits("INVITE", actor, ip)
    row = GroupMember.objects.select_for_update().filter(group=group, user=invitee).first()
    if row is not None and row.status == MemberStatus.BANNED:
        raise ServiceError(_("Member ini diblokir dari grup, jadi tidak dapat diundang."))
    if is_member(invitee, group):
        raise ServiceError(_("%(name)s sudah menjadi anggota grup ini.") % {"name": invitee.full_name})
    invitation = GroupInvitation.objects.filter(group=group, invitee=invitee, status=InvitationStatus.PENDING).first()
    if invitation is not None:
        return invitation
    invitation = GroupInvitation.objects.create(group=group, invitee=invitee, invited_by=actor)
    activity_record(
        action=Action.INVITED, actor=actor, target=group, target_label=invitee.full_name, data={"user": invitee.pk}
    )
    notify(
        user=invitee,
        kind=Notify.INVITATION,
        link=reverse("community:invitations"),
        context={"group": group.name, "member": actor.full_name},
    )
    return invitation


@transaction.atomic
def invitation_respond(*, user, invitation: GroupInvitation, accept: bool) -> GroupInvitation:
    """The invitee accepts (an active row, source "invitation") or declines a pending invitation."""
    invitation = (
        GroupInvitation.objects.select_for_update(of=("self",))
        .select_related("group", "invited_by")
        .get(pk=invitation.pk)
    )
    if invitation.invitee_id != user.pk:
        raise NotFound(_("Undangan tidak ditemukan."))
    if invitation.status != InvitationStatus.PENDING:
        raise ServiceError(_("Undangan ini sudah dijawab atau dibatalkan."))
    group = invitation.group
    if accept and group.status != GroupStatus.ACTIVE:
        raise ServiceError(_("Grup ini sudah diarsipkan."))
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    if not accept:
        return invitation
    row = GroupMember.objects.select_for_update().filter(group=group, user=user).first()
    if row is not None and row.status == MemberStatus.BANNED:
        raise NotAllowed(_("Anda diblokir dari grup ini oleh moderator."))
    if row is None:
        row = GroupMember.objects.create(
            group=group, user=user, status=MemberStatus.ACTIVE, source=MemberSource.INVITATION
        )
    elif row.status != MemberStatus.ACTIVE or row.source == MemberSource.MEMBERSHIP:
        row.status, row.source = MemberStatus.ACTIVE, MemberSource.INVITATION
        row.save(update_fields=["status", "source"])
    if invitation.invited_by is not None:
        notify(
            user=invitation.invited_by,
            kind=Notify.INVITATION_ACCEPTED,
            link=group_link(group),
            context={"group": group.name, "member": user.full_name},
        )
    _membership_changed(group, user)
    return invitation


@transaction.atomic
def invitation_cancel(*, actor, invitation: GroupInvitation) -> GroupInvitation:
    invitation = GroupInvitation.objects.select_for_update(of=("self",)).select_related("group").get(pk=invitation.pk)
    if invitation.invited_by_id != actor.pk and not can_moderate(actor, invitation.group):
        raise NotAllowed(_("Hanya pengundang atau moderator grup yang dapat membatalkan undangan."))
    if invitation.status == InvitationStatus.PENDING:
        invitation.status = InvitationStatus.CANCELLED
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at"])
    return invitation


def _membership_changed(group: Group, user) -> None:
    """After a member's row changed: their open community sockets re-check the groups they listen to, and the group
    chat (when there is one) takes them in or lets them go."""
    realtime.publish_resync(user.pk)
    key = group_chat_key(group)
    if chat_services.group_conversation(key) is None:
        return
    if group_allows(user, group, GroupPermission.CHAT):
        conversation = chat_services.group_conversation(key)
        chat_services.group_participants_add(conversation=conversation, user_ids=[user.pk])
    else:
        chat_services.group_participant_remove(group_key=key, user_id=user.pk)


# --- group chat ---------------------------------------------------------------------------------------------------

GROUP_CHAT_PREFIX = "group:"


def group_chat_key(group: Group) -> str:
    return f"{GROUP_CHAT_PREFIX}{group.pk}"


def group_chat_moderator(user, key: str):
    """chat's registry asks: does `user` moderate (or own) the group behind `key`? (None: not a group key.)"""
    if not key.startswith(GROUP_CHAT_PREFIX) or not key[len(GROUP_CHAT_PREFIX) :].isdigit():
        return None
    group = Group.objects.filter(pk=int(key[len(GROUP_CHAT_PREFIX) :])).first()
    return group is not None and can_moderate(user, group)


def group_chat_member(user, key: str):
    """chat's registry asks: is `user` still in the group behind `key`? (None: not a group key.)"""
    if not key.startswith(GROUP_CHAT_PREFIX) or not key[len(GROUP_CHAT_PREFIX) :].isdigit():
        return None
    group = Group.objects.select_related("resource").filter(pk=int(key[len(GROUP_CHAT_PREFIX) :])).first()
    if group is None or not group.chat_enabled or group.status != GroupStatus.ACTIVE:
        return False
    return group_allows(user, group, GroupPermission.CHAT)


def group_chat_muted_until(user, key: str):
    """chat's registry asks: until when is `user` muted in the group behind `key` (`member_mute`)? None: not muted
    (or not a group key)."""
    if not key.startswith(GROUP_CHAT_PREFIX) or not key[len(GROUP_CHAT_PREFIX) :].isdigit():
        return None
    until = (
        GroupMember.objects.filter(group_id=int(key[len(GROUP_CHAT_PREFIX) :]), user_id=user.pk)
        .values_list("muted_until", flat=True)
        .first()
    )
    return until if until is not None and until > timezone.now() else None


@transaction.atomic
def group_chat_set(*, actor, group: Group, enabled: bool) -> Group:
    """A group moderator (or admin) switches the group chat on (every active member with a row joins it, in bulk;
    members through a plan join when they first open it) or off (the history stays)."""
    if not can_moderate(actor, group):
        raise NotAllowed(_("Hanya moderator grup yang dapat mengatur obrolan grup."))
    group.chat_enabled = bool(enabled)
    group.save(update_fields=["chat_enabled"])
    if group.chat_enabled:
        ids = GroupMember.objects.filter(group=group, status=MemberStatus.ACTIVE).values_list("user_id", flat=True)
        chat_services.group_conversation_ensure(
            group_key=group_chat_key(group), title=group.name, created_by=actor, user_ids=list(ids)
        )
    activity_record(
        action=Action.GROUP_CHAT, actor=actor, target=group, target_label=group.name, data={"on": group.chat_enabled}
    )
    return group


def group_chat_open(*, user, group: Group):
    """The group's chat for a member (they join it when they first open it)."""
    if not is_member(user, group):
        if group.visibility == Visibility.HIDDEN:
            raise NotFound(_("Grup tidak ditemukan."))
        raise NotAllowed(_("Gabung ke grup ini dulu untuk ikut obrolan grup."))
    if not group.chat_enabled:
        raise NotAllowed(_("Obrolan grup ini belum diaktifkan moderator."))
    if not group_allows(user, group, GroupPermission.CHAT):
        raise NotAllowed(_("Peran Anda di grup ini tidak diizinkan memakai obrolan grup."))
    return chat_services.group_conversation_ensure(
        group_key=group_chat_key(group), title=group.name, created_by=user, user_ids=[user.pk]
    )


def group_chat_open_by_slug(user, slug: str):
    """chat's registry: the API's `{"group": slug}`."""
    group = Group.objects.select_related("resource").filter(slug=str(slug)[:80]).first()
    if group is None:
        raise NotFound(_("Grup tidak ditemukan."))
    return group_chat_open(user=user, group=group)


def _can_write(user, group: Group) -> None:
    """Members who are not muted may write (comments, reactions, votes) in a group."""
    if not is_member(user, group):
        if group.visibility == Visibility.HIDDEN:
            raise NotFound(_("Grup tidak ditemukan."))
        raise NotAllowed(_("Gabung ke grup ini dulu untuk ikut berdiskusi."))
    row = member_row(user, group)
    if row is not None and row.muted_until and row.muted_until > timezone.now():
        raise NotAllowed(
            _("Anda sedang dibisukan di grup ini sampai %(t)s.")
            % {"t": timezone.localtime(row.muted_until).strftime("%d-%m-%Y %H:%M")}
        )


# --- posts --------------------------------------------------------------------------------------------------------

URL_RE = re.compile(r"https?://", re.IGNORECASE)


def _keyword_action(text: str, group: Group) -> str | None:
    lowered = text.lower()
    action = None
    for rule in KeywordRule.objects.filter(group__isnull=True) | KeywordRule.objects.filter(group=group):
        if rule.phrase.lower() in lowered:
            if rule.action == KeywordAction.REJECT:
                return KeywordAction.REJECT
            action = KeywordAction.HOLD
    return action


def _new_account_check(user, text: str) -> None:
    """Against link droppers: an account younger than COMMUNITY_NEW_ACCOUNT_DAYS may not post links."""
    days = settings.COMMUNITY_NEW_ACCOUNT_DAYS
    young = days and user.date_joined > timezone.now() - timedelta(days=days)
    if young and URL_RE.search(text or "") and not any(user.has_role(r) for r in PREMIUM_ROLES):
        raise NotAllowed(_("Akun baru belum boleh membagikan tautan. Coba lagi setelah %(d)s hari.") % {"d": days})


def _poll_options(poll) -> list[str]:
    if poll in (None, "", []):
        return []
    if not isinstance(poll, list | tuple):
        raise ServiceError(_("Pilihan polling harus berupa daftar."), errors={"poll": [_("Kirim daftar teks.")]})
    options = [
        clean_text(o, field="poll", label=_("Pilihan polling"), max_length=120) for o in poll if o not in (None, "")
    ]
    if not 2 <= len(options) <= settings.COMMUNITY_POLL_MAX_OPTIONS:
        raise ServiceError(
            _("Polling butuh 2 sampai %(n)s pilihan.") % {"n": settings.COMMUNITY_POLL_MAX_OPTIONS},
            errors={"poll": [_("Jumlah pilihan tidak sesuai.")]},
        )
    return options


MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{3,30})")
DOCUMENT_MAGIC = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "ppt": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}


def _check_document(document) -> str:
    """A document (PDF, Word, Excel, PowerPoint) checked by its content and size; returns its extension."""
    name = str(getattr(document, "name", "") or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if "\x00" in name or extension not in DOCUMENT_MAGIC:
        raise ServiceError(
            _("Dokumen harus PDF, Word, Excel atau PowerPoint."), errors={"document": [_("Jenis tidak didukung.")]}
        )
    if not document.size:
        raise ServiceError(_("Dokumen kosong."), errors={"document": [_("Dokumen kosong.")]})
    if document.size > settings.COMMUNITY_DOCUMENT_MAX_BYTES:
        mb = max(1, settings.COMMUNITY_DOCUMENT_MAX_BYTES // (1024 * 1024))
        raise ServiceError(
            _("Ukuran dokumen maksimal %(mb)s MB.") % {"mb": mb}, errors={"document": [_("Terlalu besar.")]}
        )
    document.seek(0)
    head = document.read(8)
    document.seek(0)
    if not head.startswith(DOCUMENT_MAGIC[extension]):
        raise ServiceError(
            _("Isi dokumen tidak sesuai dengan jenisnya."), errors={"document": [_("Isi tidak sesuai.")]}
        )
    return extension


def _video(video_url) -> str:
    video_url = clean_text(video_url, field="video_url", label=_("Video"), max_length=500, required=False)
    if video_url and video_embed(video_url) is None:
        raise ServiceError(
            _("Video hanya dari YouTube atau Vimeo."), errors={"video_url": [_("Gunakan tautan YouTube atau Vimeo.")]}
        )
    return video_url


def _mention_names(text: str) -> list[str]:
    seen = []
    for name in MENTION_RE.findall(text or ""):
        name = name.lower()
        if name not in seen:
            seen.append(name)
    return seen


def _mentions_check(user, text: str) -> None:
    """Against spam: at most COMMUNITY_MENTION_MAX mentions, and fewer for new accounts."""
    names = _mention_names(text)
    days = settings.COMMUNITY_NEW_ACCOUNT_DAYS
    young = days and user.date_joined > timezone.now() - timedelta(days=days)
    limit = settings.COMMUNITY_NEW_ACCOUNT_MENTION_MAX if young else settings.COMMUNITY_MENTION_MAX
    if len(names) > limit:
        raise ServiceError(
            _("Paling banyak %(n)s @mention dalam satu tulisan.") % {"n": limit},
            errors={"body": [_("Kurangi @mention.")]},
        )


def _mentions_notify(*, author, post: Post, text: str, comment: Comment | None = None) -> int:
    """Tells each @mentioned member who may read the group (never the author, never across a block), once."""
    names = _mention_names(text)
    if not names:
        return 0
    profiles = Profile.objects.filter(username__in=names, user__is_active=True).select_related("user")
    users = [p.user for p in profiles if p.user_id != author.pk]
    users = [u for u in users if can_read(u, post.group) and not chat_policy.blocked_between(author.pk, u.pk)]
    if not users:
        return 0
    rows = [Mention(post=post, comment=comment, user=u) for u in users]
    existing = set(Mention.objects.filter(post=post, comment=comment, user__in=users).values_list("user_id", flat=True))
    new = [m for m in rows if m.user_id not in existing]
    Mention.objects.bulk_create(new, ignore_conflicts=True)
    told = [m.user for m in new]
    if told:
        link = post_link(post) + (f"#comment-{comment.pk}" if comment else "")
        notify_users(
            users=told,
            kind=Notify.MENTION,
            link=link,
            context={"member": author.full_name, "group": post.group.name, "excerpt": (text or "")[:120]},
        )
    return len(told)


def _link_url(value, *, field: str, required: bool) -> str:
    value = clean_text(value, field=field, label=_("Tautan"), max_length=500, required=required)
    if value and not re.match(r"^https?://[^\s/$.?#].[^\s]*$", value, re.IGNORECASE):
        raise ServiceError(_("Tautan harus diawali http:// atau https://."), errors={field: [_("Tautan tidak valid.")]})
    return value


def link_preview_request(*, user, url, ip: str | None = None) -> LinkPreview:
    """A link's preview for the apps' composer, before posting: the shared row of the URL, fetched once in the
    background (SSRF-safe: linkpreview.py); asking again reads it once fetched. Limited per user and address
    (COMMUNITY_PREVIEW_RATE_LIMIT / COMMUNITY_PREVIEW_IP_RATE_LIMIT)."""
    url = _link_url(url, field="url", required=True)
    _limits("PREVIEW", user, ip)
    return _link_preview_for(url)


def _link_preview_for(url: str):
    """The (shared) preview row of `url`; a new one is fetched in the background after commit."""
    if not url:
        return None
    preview, created = LinkPreview.objects.get_or_create(url=url[:500])
    if created:
        preview_id = preview.pk
        transaction.on_commit(lambda: link_preview_task.delay(preview_id))
    return preview


def link_preview_refresh(*, preview_id: int, fetch=None, fetch_image=None) -> LinkPreview | None:
    """Fetches a preview and its image (the Celery task calls this; `fetch` and `fetch_image` are the seams tests
    fill with local fakes). The image becomes our own thumbnail in the project's storage; a page whose image cannot
    be used keeps its title and description."""
    preview = LinkPreview.objects.filter(pk=preview_id).first()
    if preview is None:
        return None
    try:
        result = (fetch or fetch_preview)(preview.url)
    except PreviewError as exc:
        preview.status, preview.error = LinkPreview.FAILED, str(exc)[:200]
    else:
        preview.status, preview.error = LinkPreview.OK, ""
        preview.title, preview.description = result.title, result.description
        preview.image_url, preview.site_name = result.image, result.site_name
        _link_preview_image(preview, fetch_image or fetch_image_thumbnail)
    preview.fetched_at = timezone.now()
    preview.save()
    return preview


def _link_preview_image(preview: LinkPreview, fetch_image) -> None:
    old = preview.image.name if preview.image else ""
    preview.image, preview.image_error = None, ""
    if preview.image_url:
        try:
            data = fetch_image(preview.image_url)
        except PreviewError as exc:
            preview.image_error = str(exc)[:200]
        else:
            preview.image.save(generated_name("preview", "jpg"), ContentFile(data), save=False)
    if old and old != (preview.image.name if preview.image else ""):
        preview.image.storage.delete(old)


def _background(value, body: str, *, attachments: bool) -> str:
    """A quote background: a key of the fixed palette, on a short plain text with no attachment."""
    value = clean_text(value, field="background", label=_("Latar warna"), max_length=20, required=False)
    if not value:
        return ""
    if value not in QUOTE_BACKGROUNDS:
        raise ServiceError(_("Pilih latar warna dari daftar."), errors={"background": [_("Warna tidak tersedia.")]})
    limit = settings.COMMUNITY_QUOTE_MAX_LENGTH
    if not body or len(body) > limit:
        raise ServiceError(
            _("Teks berlatar warna harus diisi dan paling panjang %(n)s karakter.") % {"n": limit},
            errors={"background": [_("Teks terlalu panjang untuk latar warna.")]},
        )
    if attachments:
        raise ServiceError(
            _("Teks berlatar warna tidak bisa digabung dengan foto, video, dokumen, tautan atau polling."),
            errors={"background": [_("Hapus lampiran atau pilih tanpa latar.")]},
        )
    return value


def location_clean(name, city, province) -> tuple[str, str, str]:
    """A place tag: a name (free text), optionally a city and one of the project's provinces."""
    name = clean_text(name, field="location_name", label=_("Lokasi"), max_length=100, required=False)
    city = clean_text(city, field="location_city", label=_("Kota"), max_length=100, required=False)
    province = clean_text(province, field="location_province", label=_("Provinsi"), max_length=50, required=False)
    if province and province not in PROVINCES:
        raise ServiceError(
            _("Pilih provinsi dari daftar."), errors={"location_province": [_("Provinsi tidak dikenal.")]}
        )
    if (city or province) and not name:
        name = city or province
    return name, city, province


def rich_body(body, body_html) -> tuple:
    """(plain text, sanitised HTML) of a post: the HTML when given (its text becomes the plain body), else the
    plain body with no HTML."""
    if body_html in (None, ""):
        return body, ""
    if not isinstance(body_html, str) or "\x00" in body_html:
        raise ServiceError(_("Isi postingan tidak valid."), errors={"body": [_("Isi tidak valid.")]})
    if len(body_html) > settings.COMMUNITY_POST_MAX_LENGTH * 4:
        raise ServiceError(_("Isi postingan terlalu panjang."), errors={"body": [_("Terlalu panjang.")]})
    body_html = sanitize_post_html(body_html)
    return post_plain_text(body_html), body_html


def post_prepare(
    *,
    user,
    group: Group,
    body="",
    image=None,
    link_url="",
    poll=None,
    is_announcement=False,
    body_html=None,
    video_url="",
    document=None,
    background="",
    location_name="",
    location_city="",
    location_province="",
    media=None,
    sticker=None,
) -> dict:
    """Checks everything a new post needs (who may post, every field, files by content) without writing, and returns
    the cleaned values with the status it would get now. `post_create` and scheduling (`scheduled.py`) use it."""
    _can_write(user, group)
    body, body_html = rich_body(body, body_html)
    moderator = can_moderate(user, group)
    if not group_allows(user, group, GroupPermission.POST):
        raise NotAllowed(_("Peran Anda di grup ini tidak diizinkan membuat postingan."))
    if (image or document or media) and not group_allows(user, group, GroupPermission.UPLOAD):
        raise NotAllowed(_("Peran Anda di grup ini tidak diizinkan mengunggah foto atau dokumen."))
    if not moderator:
        if not is_premium(user):
            raise NotAllowed(_("Membuat postingan butuh Member Premium. Silakan upgrade membership."))
        if is_announcement:
            raise NotAllowed(_("Hanya moderator yang dapat membuat pengumuman."))
    body = clean_text(
        body, field="body", label=_("Isi postingan"), max_length=settings.COMMUNITY_POST_MAX_LENGTH, required=False
    )
    link_url = _link_url(link_url, field="link_url", required=False)
    video_url = _video(video_url)
    options = _poll_options(poll)
    picked = chat_stickers.sticker_for_use(sticker)
    if not (body or image or options or link_url or video_url or document or media or picked):
        raise ServiceError(_("Postingan masih kosong."), errors={"body": [_("Tulis sesuatu atau lampirkan foto.")]})
    attachments = bool(image or options or link_url or video_url or document or media or picked)
    background = _background(background, body, attachments=attachments)
    if background and body_html:
        body_html = ""  # a quote is plain text, shown large
    location = location_clean(location_name, location_city, location_province)
    doc_ext = _check_document(document) if document else ""
    image_ext = (
        validate_image(image, field="image", label=_("Foto"), max_bytes=settings.COMMUNITY_IMAGE_MAX_BYTES)
        if image
        else ""
    )
    media_info = check_media(media) if media else None
    # the group's post feature switches (features.py): off for everyone in the group
    post_features_require(
        group,
        image=bool(image),
        video=bool(video_url) or bool(media_info and media_info[1] == MEDIA_VIDEO),
        audio=bool(media_info and media_info[1] != MEDIA_VIDEO),
        document=bool(document),
        poll=bool(options),
        link=bool(link_url),
        location=any(location),
        quote=bool(background),
    )
    _new_account_check(user, body + " " + link_url + " " + video_url)
    _mentions_check(user, body)
    status = PostStatus.PUBLISHED
    if not moderator:
        action = _keyword_action(body + " " + " ".join(options), group)
        if action == KeywordAction.REJECT:
            raise ServiceError(
                _("Postingan memuat kata yang tidak diizinkan di komunitas."),
                errors={"body": [_("Ubah isi postingan.")]},
            )
        if action == KeywordAction.HOLD or group.require_approval:
            status = PostStatus.PENDING
    return {
        "body": body,
        "body_html": body_html,
        "link_url": link_url,
        "video_url": video_url,
        "options": options,
        "is_announcement": bool(is_announcement),
        "background": background,
        "location": location,
        "doc_ext": doc_ext,
        "image_ext": image_ext,
        "media_info": media_info,
        "status": status,
        "sticker": picked,
    }


@transaction.atomic
def post_create(
    *,
    user,
    group: Group,
    body="",
    image=None,
    link_url="",
    poll=None,
    is_announcement=False,
    ip: str | None = None,
    body_html=None,
    video_url="",
    document=None,
    background="",
    location_name="",
    location_city="",
    location_province="",
    media=None,
    rate_limited: bool = True,
    sticker=None,
) -> Post:
    """A post: plain text (`body`) or rich text (`body_html`, sanitised), a photo, a document, an audio or video
    file (private, streamed), a link (previewed in the background), a YouTube / Vimeo video, a poll, a coloured
    background for a short text, a place; @mentions are told when it is published. `rate_limited` is off only for
    a scheduled post coming due (its author was limited when scheduling)."""
    v = post_prepare(
        user=user,
        group=group,
        body=body,
        image=image,
        link_url=link_url,
        poll=poll,
        is_announcement=is_announcement,
        body_html=body_html,
        video_url=video_url,
        document=document,
        background=background,
        location_name=location_name,
        location_city=location_city,
        location_province=location_province,
        media=media,
        sticker=sticker,
    )
    if rate_limited:
        _limits("POST", user, ip)
    profile_ensure(user)
    post = Post(
        group=group,
        author=user,
        body=v["body"],
        body_html=v["body_html"],
        link_url=v["link_url"],
        video_url=v["video_url"],
        status=v["status"],
        is_announcement=v["is_announcement"],
        link_preview=_link_preview_for(v["link_url"]),
        background=v["background"],
        sticker=v["sticker"],
    )
    post.location_name, post.location_city, post.location_province = v["location"]
    if document:
        post.document_name = str(document.name).rsplit("/", 1)[-1][:255]
        post.document.save(generated_name("doc", v["doc_ext"]), document, save=False)
    if image:
        post.image.save(generated_name("post", v["image_ext"]), image, save=False)
    if media:
        content_type, kind, size = v["media_info"]
        post.media.save(generated_name(kind, MEDIA_TYPES[content_type][1]), media, save=False)
        post.media_kind, post.media_type, post.media_size = kind, content_type, size
    post.save()
    options = v["options"]
    PollOption.objects.bulk_create(PollOption(post=post, text=t, position=i) for i, t in enumerate(options))
    if post.status == PostStatus.PUBLISHED:
        _post_published(post)
    return post


def _post_published(post: Post) -> None:
    realtime.publish_post(post)
    points_award(user=post.author, action=PointAction.POST, key=f"post:{post.pk}", group=post.group)
    badges.live_check_after_commit(user_id=post.author_id, criteria=BadgeCriteria.POSTS)
    _mentions_notify(author=post.author, post=post, text=post.body)
    post_id = post.pk
    if post.is_announcement:
        transaction.on_commit(lambda: announcement_fanout_task.delay(post_id))
    elif rule_state(Rule.NEW_POST).enabled:
        transaction.on_commit(lambda: new_post_fanout_task.delay(post_id))


def _can_manage_post(actor, post: Post) -> bool:
    return actor.pk == post.author_id or can_moderate(actor, post.group)


@transaction.atomic
def post_update(*, actor, post: Post, body) -> Post:
    if actor.pk != post.author_id:
        raise NotAllowed(_("Hanya penulis yang dapat mengubah postingan ini."))
    post.body = clean_text(body, field="body", label=_("Isi postingan"), max_length=settings.COMMUNITY_POST_MAX_LENGTH)
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "edited_at"])
    return post


@transaction.atomic
def post_remove(*, actor, post: Post, note: str = "") -> Post:
    if not _can_manage_post(actor, post):
        raise NotAllowed(_("Anda tidak dapat menghapus postingan ini."))
    if post.status == PostStatus.REMOVED:  # removing twice does nothing more
        return post
    post.status = PostStatus.REMOVED
    post.moderation_note = (note or "")[:500]
    post.save(update_fields=["status", "moderation_note"])
    if actor.pk != post.author_id:
        activity_record(action=Action.POST_REMOVED, actor=actor, target=post, target_label=str(post)[:200])
        gamification.points_reverse(key=f"post:{post.pk}", note=_("Postingan dihapus moderator"))
        _content_removed_tell(post.author, post, note)
    return post


@transaction.atomic
def post_moderate(*, actor, post: Post, approve: bool, note: str = "") -> Post:
    if not can_moderate(actor, post.group):
        raise NotAllowed(_("Hanya moderator grup yang dapat melakukan ini."))
    if post.status != PostStatus.PENDING:
        raise ServiceError(_("Postingan ini tidak sedang menunggu moderasi."))
    post.status = PostStatus.PUBLISHED if approve else PostStatus.REJECTED
    post.moderation_note = (note or "")[:500]
    post.save(update_fields=["status", "moderation_note"])
    activity_record(
        action=Action.POST_APPROVED if approve else Action.POST_REJECTED,
        actor=actor,
        target=post,
        target_label=str(post)[:200],
    )
    notify(
        user=post.author,
        kind=Notify.POST_APPROVED if approve else Notify.POST_REJECTED,
        link=post_link(post) if approve else group_link(post.group),
        context={"group": post.group.name, "note": post.moderation_note},
    )
    if approve:
        _post_published(post)
    return post


@transaction.atomic
def post_pin(*, actor, post: Post, pinned: bool) -> Post:
    if not can_moderate(actor, post.group):
        raise NotAllowed(_("Hanya moderator grup yang dapat menyematkan postingan."))
    post.is_pinned = bool(pinned)
    post.pinned_at = timezone.now() if pinned else None
    post.save(update_fields=["is_pinned", "pinned_at"])
    activity_record(
        action=Action.POST_PINNED, actor=actor, target=post, target_label=str(post)[:200], data={"pinned": pinned}
    )
    return post


def post_comments_toggle(*, actor, post: Post, enabled: bool) -> Post:
    if not _can_manage_post(actor, post):
        raise NotAllowed(_("Anda tidak dapat mengubah pengaturan komentar postingan ini."))
    post.comments_enabled = bool(enabled)
    post.save(update_fields=["comments_enabled"])
    return post


def _visible_post(user, post: Post) -> None:
    if post.status != PostStatus.PUBLISHED or not can_read(user, post.group):
        raise NotFound(_("Postingan tidak ditemukan."))


# --- comments, reactions, polls, saves ---------------------------------------------------------------------------


@transaction.atomic
def comment_create(
    *, user, post: Post, body, parent: Comment | None = None, ip: str | None = None, sticker=None
) -> Comment:
    """A comment (or a reply, one level deep): text, a sticker, or both."""
    _visible_post(user, post)
    _can_write(user, post.group)
    if not group_allows(user, post.group, GroupPermission.COMMENT):
        raise NotAllowed(_("Peran Anda di grup ini tidak diizinkan berkomentar."))
    if not post.comments_enabled:
        raise NotAllowed(_("Komentar dimatikan untuk postingan ini."))
    feature_require(post.group, COMMENTS)
    picked = chat_stickers.sticker_for_use(sticker)
    body = clean_text(
        body,
        field="body",
        label=_("Komentar"),
        max_length=settings.COMMUNITY_COMMENT_MAX_LENGTH,
        required=picked is None,
    )
    if parent is not None:
        if parent.post_id != post.pk or parent.status != PostStatus.PUBLISHED:
            raise ServiceError(_("Komentar yang dibalas tidak ditemukan."), errors={"parent": [_("Tidak valid.")]})
        if parent.parent_id:  # one level of threading: a reply to a reply joins the same thread
            parent = parent.parent
    _new_account_check(user, body)
    _mentions_check(user, body)
    if _keyword_action(body, post.group) == KeywordAction.REJECT:
        raise ServiceError(
            _("Komentar memuat kata yang tidak diizinkan di komunitas."), errors={"body": [_("Ubah isi komentar.")]}
        )
    _limits("COMMENT", user, ip)
    profile_ensure(user)
    comment = Comment.objects.create(post=post, author=user, parent=parent, body=body, sticker=picked)
    Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    count = Post.objects.filter(pk=post.pk).values_list("comment_count", flat=True).first() or 0
    realtime.publish_comment(comment, group_id=post.group_id, comment_count=count)
    activity.viral_check(post=post, comment_count=count)
    points_award(user=user, action=PointAction.COMMENT, key=f"comment:{comment.pk}", group=post.group)
    badges.live_check_after_commit(user_id=user.pk, criteria=BadgeCriteria.COMMENTS)
    told = {user.pk}
    context = {"group": post.group.name, "member": user.full_name, "excerpt": body[:120]}
    if parent is not None and parent.author_id not in told:
        notify(user=parent.author, kind=Notify.REPLY, link=post_link(post), context=context)
        told.add(parent.author_id)
    if post.author_id not in told:
        notify(user=post.author, kind=Notify.NEW_COMMENT, link=post_link(post), context=context)
    _mentions_notify(author=user, post=post, text=body, comment=comment)
    return comment


@transaction.atomic
def comment_remove(*, actor, comment: Comment) -> Comment:
    post = comment.post
    if actor.pk != comment.author_id and not can_moderate(actor, post.group):
        raise NotAllowed(_("Anda tidak dapat menghapus komentar ini."))
    if comment.status != PostStatus.REMOVED:
        comment.status = PostStatus.REMOVED
        comment.save(update_fields=["status"])
        Post.objects.filter(pk=post.pk, comment_count__gt=0).update(comment_count=F("comment_count") - 1)
        if actor.pk != comment.author_id:
            activity_record(action=Action.COMMENT_REMOVED, actor=actor, target=post, target_label=comment.body[:200])
            gamification.points_reverse(key=f"comment:{comment.pk}", note=_("Komentar dihapus moderator"))
            _content_removed_tell(comment.author, post, "")
        _comment_gone(comment)
    return comment


def _content_removed_tell(author, post: Post, note: str) -> None:
    """The author of a post or comment a moderator removed is told (PRODUCT.md "Who is told": the outcome)."""
    notify(
        user=author,
        kind=Notify.CONTENT_REMOVED,
        link=group_link(post.group),
        context={"group": post.group.name, "note": (note or "")[:200]},
    )


def _comment_gone(comment: Comment) -> None:
    """Pages showing the post drop the comment (and its replies) live, after commit."""
    count = Post.objects.filter(pk=comment.post_id).values_list("comment_count", flat=True).first() or 0
    realtime.publish_comment_removed(
        post_id=comment.post_id, comment_id=comment.pk, group_id=comment.post.group_id, comment_count=count
    )


def _reaction_type(value) -> str:
    if not isinstance(value, str) or value not in ReactionType.values:
        raise ServiceError(
            _("Jenis reaksi tidak dikenal."),
            errors={"type": [_("Pilih: %(v)s.") % {"v": ", ".join(ReactionType.values)}]},
        )
    return value


@transaction.atomic
def reaction_set(*, user, post: Post, type: str, comment: Comment | None = None, ip: str | None = None) -> Reaction:
    """One reaction per member per post (or comment); choosing another type changes it."""
    kind = _reaction_type(type)
    _visible_post(user, post)
    _can_write(user, post.group)
    if comment is not None and (comment.post_id != post.pk or comment.status != PostStatus.PUBLISHED):
        raise NotFound(_("Komentar tidak ditemukan."))
    _limits("REACTION", user, ip)
    target = {"comment": comment} if comment is not None else {"post": post, "comment": None}
    model = Comment if comment is not None else Post
    target_pk = comment.pk if comment is not None else post.pk
    model.objects.select_for_update().filter(pk=target_pk).first()  # serialise toggles on one target
    existing = Reaction.objects.filter(user=user, **target).first()
    if existing is not None:
        if existing.type != kind:
            existing.type = kind
            existing.save(update_fields=["type"])
            _reaction_published(post, comment, target)
        return existing
    reaction = Reaction.objects.create(user=user, type=kind, post=post, comment=comment)
    model.objects.filter(pk=target_pk).update(reaction_count=F("reaction_count") + 1)
    _reaction_published(post, comment, target)
    author_id = comment.author_id if comment is not None else post.author_id
    if author_id != user.pk:
        points_award(
            user_id=author_id,
            action=PointAction.REACTION_RECEIVED,
            key=f"reaction:{'c' if comment is not None else 'p'}{target_pk}:{user.pk}",
            group=post.group,
        )
    return reaction


@transaction.atomic
def reaction_unset(*, user, post: Post, comment: Comment | None = None) -> bool:
    model = Comment if comment is not None else Post
    target_pk = comment.pk if comment is not None else post.pk
    model.objects.select_for_update().filter(pk=target_pk).first()
    target = {"comment": comment} if comment is not None else {"post": post, "comment": None}
    deleted, _detail = Reaction.objects.filter(user=user, **target).delete()
    if deleted:
        model.objects.filter(pk=target_pk, reaction_count__gt=0).update(reaction_count=F("reaction_count") - 1)
        _reaction_published(post, comment, target)
    return bool(deleted)


@transaction.atomic
def reaction_toggle(*, user, post: Post, type: str, comment: Comment | None = None, ip: str | None = None) -> bool:
    """The reaction button: the same type again takes the reaction back, another type sets it. The target row is
    locked before the member's current reaction is read, so two toggles at once end as two toggles in a row (the
    count always equals the reactions). Returns whether the member now has a reaction."""
    kind = _reaction_type(type)
    model = Comment if comment is not None else Post
    model.objects.select_for_update().filter(pk=comment.pk if comment is not None else post.pk).first()
    mine = Reaction.objects.filter(user=user, post=post, comment=comment).values_list("type", flat=True).first()
    if mine == kind:
        reaction_unset(user=user, post=post, comment=comment)
        return False
    reaction_set(user=user, post=post, type=kind, comment=comment, ip=ip)
    return True


def _reaction_published(post: Post, comment: Comment | None, target: dict) -> None:
    """The target's counts per type (read under the target's row lock) go to the group's open pages."""
    counts = dict(Reaction.objects.filter(**target).values("type").annotate(n=Count("id")).values_list("type", "n"))
    realtime.publish_reaction(
        post_id=post.pk, group_id=post.group_id, comment_id=comment.pk if comment else None, counts=counts
    )


@transaction.atomic
def poll_vote(*, user, post: Post, option_id) -> PollVote:
    _visible_post(user, post)
    _can_write(user, post.group)
    if not isinstance(option_id, int) or isinstance(option_id, bool):
        raise ServiceError(_("Pilihan polling tidak valid."), errors={"option": [_("Kirim nomor pilihan.")]})
    option = PollOption.objects.filter(post=post, pk=option_id).first()
    if option is None:
        raise ServiceError(_("Pilihan polling tidak ditemukan."), errors={"option": [_("Tidak valid.")]})
    try:
        with transaction.atomic():
            vote = PollVote.objects.create(post=post, option=option, user=user)
    except IntegrityError:
        raise ServiceError(_("Anda sudah memilih di polling ini.")) from None
    PollOption.objects.filter(pk=option.pk).update(vote_count=F("vote_count") + 1)
    return vote


def post_save_toggle(*, user, post: Post) -> bool:
    """Saves the post for later, or unsaves it; True when it is saved now."""
    _visible_post(user, post)
    deleted, _detail = SavedPost.objects.filter(user=user, post=post).delete()
    if deleted:
        return False
    SavedPost.objects.get_or_create(user=user, post=post)
    return True


# --- reports and moderation ---------------------------------------------------------------------------------------


@transaction.atomic
def report_create(
    *, user, kind: str, target_id, reason="", category=ReportCategory.OTHER, ip: str | None = None
) -> Report:
    if kind not in ("post", "comment", "user"):
        raise ServiceError(_("Jenis laporan tidak dikenal."), errors={"kind": [_("Pilih post, comment atau user.")]})
    if not isinstance(target_id, int) or isinstance(target_id, bool):
        raise ServiceError(_("Yang dilaporkan tidak valid."), errors={"id": [_("Kirim nomor yang benar.")]})
    if category not in ReportCategory.values:
        raise ServiceError(_("Kategori laporan tidak dikenal."), errors={"category": [_("Pilih kategori.")]})
    reason = clean_text(reason, field="reason", label=_("Alasan"), max_length=1000, required=False)
    report = Report(reporter=user, category=category, reason=reason)
    if kind == "post":
        post = Post.objects.select_related("group").filter(pk=target_id).first()
        if post is None:
            raise NotFound(_("Postingan tidak ditemukan."))
        _visible_post(user, post)
        report.post, report.group, report.target_user_id = post, post.group, post.author_id
    elif kind == "comment":
        comment = (
            Comment.objects.select_related("post__group").filter(pk=target_id, status=PostStatus.PUBLISHED).first()
        )
        if comment is None:
            raise NotFound(_("Komentar tidak ditemukan."))
        _visible_post(user, comment.post)
        report.comment, report.post, report.group = comment, comment.post, comment.post.group
        report.target_user_id = comment.author_id
    else:
        target = User.objects.filter(pk=target_id, is_active=True).first()
        if target is None or target.pk == user.pk:
            raise NotFound(_("Member tidak ditemukan."))
        report.target_user = target
    _limits("REPORT", user, ip)
    report.save()
    _auto_hide(report)
    recipients = _moderators(report.group) if report.group else []
    admins = list(users_with_role(role=Role.ADMIN).filter(is_active=True)[:50])
    seen = set()
    users = [u for u in [*recipients, *admins] if not (u.pk in seen or seen.add(u.pk))]
    notify_users(
        users=users,
        kind=Notify.REPORT_FILED,
        link=reverse("community:moderation"),
        context={"group": report.group.name if report.group else _("profil member"), "member": user.full_name},
    )
    return report


def _auto_hide(report: Report) -> None:
    """A post or comment reported by COMMUNITY_AUTO_HIDE_REPORTS different members is hidden until reviewed."""
    threshold = settings.COMMUNITY_AUTO_HIDE_REPORTS
    if not threshold:
        return
    if report.comment_id:
        reporters = Report.objects.filter(comment_id=report.comment_id, status=ReportStatus.OPEN)
        hidden = reporters.values("reporter").distinct().count() >= threshold and (
            Comment.objects.filter(pk=report.comment_id, status=PostStatus.PUBLISHED).update(status=PostStatus.PENDING)
        )
        if hidden:
            _comment_gone(report.comment)
    elif report.post_id:
        reporters = Report.objects.filter(post_id=report.post_id, comment__isnull=True, status=ReportStatus.OPEN)
        if reporters.values("reporter").distinct().count() >= threshold:
            Post.objects.filter(pk=report.post_id, status=PostStatus.PUBLISHED).update(status=PostStatus.PENDING)


def can_handle_report(actor, report: Report) -> bool:
    if actor.has_role(Role.ADMIN):
        return True
    return report.group is not None and can_moderate(actor, report.group)


REPORT_ACTIONS = ("dismiss", "remove", "ban", "mute")


@transaction.atomic
def report_handle(*, actor, report: Report, action: str, note: str = "") -> Report:
    """Dismiss, or act: remove the content, ban or mute (24 hours) its author in the group. The reporter is told."""
    if action not in REPORT_ACTIONS:
        raise ServiceError(_("Tindakan tidak dikenal."), errors={"action": [_("Pilih tindakan.")]})
    if not can_handle_report(actor, report):
        raise NotAllowed(_("Anda tidak dapat menangani laporan ini."))
    if report.status != ReportStatus.OPEN:
        raise ServiceError(_("Laporan ini sudah ditangani."))
    note = clean_text(note, field="note", label=_("Catatan"), max_length=500, required=False)
    if action == "remove":
        if report.comment_id:
            comment_remove(actor=actor, comment=report.comment)
        elif report.post_id:
            post_remove(actor=actor, post=report.post, note=note)
    elif action in ("ban", "mute") and report.target_user_id:
        if report.group is None:
            raise ServiceError(_("Larangan dan bisu berlaku per grup; laporan profil cukup diabaikan atau dihapus."))
        if action == "ban":
            member_ban(actor=actor, group=report.group, user=report.target_user, note=note)
        else:
            member_mute(actor=actor, group=report.group, user=report.target_user, hours=24)
    if report.comment_id and action != "remove":
        Comment.objects.filter(pk=report.comment_id, status=PostStatus.PENDING).update(status=PostStatus.PUBLISHED)
    if report.post_id and not report.comment_id and action in ("dismiss",):
        Post.objects.filter(pk=report.post_id, status=PostStatus.PENDING).update(status=PostStatus.PUBLISHED)
    report.status = ReportStatus.DISMISSED if action == "dismiss" else ReportStatus.ACTIONED
    report.handled_by, report.handled_at, report.note = actor, timezone.now(), note
    report.save(update_fields=["status", "handled_by", "handled_at", "note"])
    activity_record(
        action=Action.REPORT_HANDLED,
        actor=actor,
        target=report.group,
        target_label=f"#{report.pk}",
        data={"action": action},
    )
    notify(
        user=report.reporter,
        kind=Notify.REPORT_OUTCOME,
        link=reverse("community:feed"),
        context={"outcome": _("ditindak") if action != "dismiss" else _("ditinjau tanpa tindakan")},
    )
    return report


@transaction.atomic
def keyword_rule_save(*, actor, phrase, action: str, group: Group | None = None) -> KeywordRule:
    _require_admin(actor)
    phrase = clean_text(phrase, field="phrase", label=_("Kata/frasa"), max_length=100)
    if action not in KeywordAction.values:
        raise ServiceError(_("Tindakan tidak dikenal."), errors={"action": [_("Pilih tahan atau tolak.")]})
    rule, _created = KeywordRule.objects.update_or_create(phrase=phrase, group=group, defaults={"action": action})
    activity_record(action=Action.KEYWORD_SAVED, actor=actor, target=rule, target_label=phrase, data={"action": action})
    return rule


def keyword_rule_delete(*, actor, rule: KeywordRule) -> None:
    _require_admin(actor)
    activity_record(
        action=Action.KEYWORD_SAVED, actor=actor, target=rule, target_label=rule.phrase, data={"deleted": True}
    )
    rule.delete()


# --- profiles and follow ------------------------------------------------------------------------------------------

USERNAME_RE = re.compile(r"^[a-z0-9_]{3,30}$")


def profile_ensure(user) -> Profile:
    """The user's community profile, with a username made from their name the first time."""
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        return profile
    base = (
        re.sub(r"[^a-z0-9_]", "", slugify(user.full_name or user.email.split("@")[0]).replace("-", "_"))[:24]
        or "member"
    )
    if len(base) < 3:
        base = (base + "___")[:3]
    candidate, n = base, 1
    while Profile.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    try:
        with transaction.atomic():
            return Profile.objects.create(user=user, username=candidate)
    except IntegrityError:
        return Profile.objects.get(user=user)


def profile_update(*, user, data: dict) -> Profile:
    profile = profile_ensure(user)
    if "username" in data:
        username = clean_text(data.get("username"), field="username", label=_("Username"), max_length=30).lower()
        if not USERNAME_RE.match(username):
            raise ServiceError(
                _("Username 3-30 karakter: huruf kecil, angka atau garis bawah."),
                errors={"username": [_("Format tidak valid.")]},
            )
        if Profile.objects.filter(username=username).exclude(pk=profile.pk).exists():
            raise ServiceError(_("Username sudah dipakai."), errors={"username": [_("Pilih yang lain.")]})
        profile.username = username
    if "headline" in data:
        profile.headline = clean_text(
            data.get("headline"), field="headline", label=_("Tagline"), max_length=120, required=False
        )
    if "website" in data:
        website = clean_text(data.get("website"), field="website", label=_("Situs"), max_length=300, required=False)
        if website and not re.match(r"^https?://\S+$", website):
            raise ServiceError(
                _("Alamat situs harus diawali http:// atau https://."), errors={"website": [_("Tidak valid.")]}
            )
        profile.website = website
    if "show_in_directory" in data:
        # one member directory (the directory app's): the switch lists or unlists the member's card there
        profile.show_in_directory = bool(data.get("show_in_directory"))
        listing = {"is_listed": profile.show_in_directory}
        card = directory_profiles.profile_get(user=user)
        if profile.show_in_directory and not (card.business_name or card.headline):
            listing["headline"] = profile.headline or user.full_name
        directory_profiles.profile_save(user=user, data=listing)
    profile.save()
    return profile


@transaction.atomic
def follow(*, user, target, ip: str | None = None) -> bool:
    """Follows `target` (the followee is told); False when already following."""
    if target.pk == user.pk:
        raise ServiceError(_("Anda tidak dapat mengikuti diri sendiri."))
    if not target.is_active:
        raise NotFound(_("Member tidak ditemukan."))
    if chat_policy.blocked_between(user.pk, target.pk):
        raise NotAllowed(_("Anda tidak dapat mengikuti member ini."))
    _limits("FOLLOW", user, ip)
    _row, created = Follow.objects.get_or_create(follower=user, followee=target)
    if created:
        notify(
            user=target,
            kind=Notify.FOLLOWED,
            link=reverse("community:profile", args=[profile_ensure(user).username]),
            context={"member": user.full_name},
        )
    return created


def unfollow(*, user, target) -> bool:
    deleted, _detail = Follow.objects.filter(follower=user, followee=target).delete()
    return bool(deleted)


# --- points, levels and badges (gamification) ---------------------------------------------------------------------


def points_for(action: str) -> int:
    """The points of `action`: the admin's rule (/admin/gamifikasi), else the COMMUNITY_POINTS default."""
    return gamification.rule_points(action)


def points_award(
    *, action: str, key: str, user=None, user_id=None, group: Group | None = None, points=None
) -> PointEntry | None:
    """Adds one ledger row for `action` on an object (`key` makes it once only) within the daily cap of that action.
    Other apps (events, courses) call this. Returns None when nothing was added (zero points, capped, or a repeat)."""
    user_id = user_id or user.pk
    amount = points_for(action) if points is None else int(points)
    if amount <= 0:
        return None
    cap = gamification.rule_cap(action)
    if cap:
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        today = (
            PointEntry.objects.filter(user_id=user_id, action=action, created_at__gte=start).aggregate(s=Sum("points"))[
                "s"
            ]
            or 0
        )
        if today >= cap:
            return None
        amount = min(amount, cap - today)
    try:
        with transaction.atomic():
            entry = PointEntry.objects.create(user_id=user_id, action=action, points=amount, key=key[:120], group=group)
    except IntegrityError:
        return None
    _badges_check(user_id)
    if action == PointAction.EVENT_ATTENDED:  # the events-attended badges count these rows
        badges.live_check_after_commit(user_id=user_id, criteria=BadgeCriteria.EVENTS_ATTENDED)
    return entry


def points_total(user_id: int) -> int:
    return PointEntry.objects.filter(user_id=user_id).aggregate(s=Sum("points"))["s"] or 0


def level_for(points: int) -> int:
    """Level 1 at 0 points; each level threshold passed (admin's levels, else COMMUNITY_LEVELS) adds one."""
    return gamification.level_number(points)


def _badges_check(user_id: int) -> None:
    if not badges.count_badges().get(BadgeCriteria.POINTS):
        return  # no active points badge: no query at all
    total = points_total(user_id)
    held = set(UserBadge.objects.filter(user_id=user_id).values_list("badge_id", flat=True))
    automatic = Badge.objects.filter(
        criteria=BadgeCriteria.POINTS,
        period=BadgePeriod.ALL_TIME,
        is_active=True,
        points_required__isnull=False,
        points_required__lte=total,
    )
    for badge in automatic.exclude(pk__in=held):
        UserBadge.objects.get_or_create(user_id=user_id, badge=badge, period_key="")
        notify(
            user=User.objects.get(pk=user_id),
            kind=Notify.BADGE,
            link=reverse("community:achievements"),
            context={"badge": badge.name},
        )


@transaction.atomic
def points_adjust(*, actor, user, points, note) -> PointEntry:
    _require_admin(actor)
    if not isinstance(points, int) or isinstance(points, bool) or points == 0 or abs(points) > 100000:
        raise ServiceError(
            _("Poin harus bilangan bulat bukan nol (maksimal 100.000)."), errors={"points": [_("Tidak valid.")]}
        )
    note = clean_text(note, field="note", label=_("Alasan"), max_length=200)
    entry = PointEntry.objects.create(
        user=user,
        action=PointAction.ADMIN,
        points=points,
        key=f"admin:{timezone.now().timestamp()}:{user.pk}",
        note=note,
    )
    activity_record(
        action=Action.POINTS_ADJUSTED, actor=actor, target=user, target_label=user.full_name, data={"points": points}
    )
    return entry


@transaction.atomic
def badge_award(*, actor, user, badge: Badge) -> UserBadge:
    _require_admin(actor)
    row, created = UserBadge.objects.get_or_create(
        user=user, badge=badge, period_key="", defaults={"awarded_by": actor}
    )
    if created:
        activity_record(
            action=Action.BADGE_AWARDED,
            actor=actor,
            target=user,
            target_label=user.full_name,
            data={"badge": badge.slug},
        )
        notify(user=user, kind=Notify.BADGE, link=reverse("community:achievements"), context={"badge": badge.name})
    return row


@transaction.atomic
def badge_save(*, actor, data: dict, badge: Badge | None = None) -> Badge:
    """An admin creates or edits a badge (GAM-D3): its icon (from the house's icon set), what earns it (a points
    threshold, a count of posts / comments / class-discussion comments / events attended, or only by hand), all-time
    or weekly (earned again each week by the Monday sweep), and whether it is active."""
    _require_admin(actor)
    name = clean_text(data.get("name"), field="name", label=_("Nama lencana"), max_length=80)
    description = clean_text(
        data.get("description"), field="description", label=_("Keterangan"), max_length=300, required=False
    )
    raw = data.get("points_required")
    if raw in (None, ""):
        points_required = None
    elif isinstance(raw, int) and not isinstance(raw, bool) and 1 <= raw <= 10_000_000:
        points_required = raw
    else:
        raise ServiceError(
            _("Poin otomatis harus angka 1 sampai 10.000.000, atau kosong."),
            errors={"points_required": [_("Tidak valid.")]},
        )
    icon = data.get("icon") or (badge.icon if badge else "")
    if icon not in ("", *BADGE_ICONS):
        raise ServiceError(_("Pilih ikon dari daftar."), errors={"icon": [_("Tidak valid.")]})
    default_criteria = badge.criteria if badge else (BadgeCriteria.POINTS if points_required else BadgeCriteria.MANUAL)
    criteria = data.get("criteria") or default_criteria
    if criteria == BadgeCriteria.MANUAL and points_required is not None:
        criteria = BadgeCriteria.POINTS  # points typed in: automatic at that threshold, as the form says
    if criteria not in BadgeCriteria.values:
        raise ServiceError(_("Kriteria lencana tidak dikenal."), errors={"criteria": [_("Pilih kriteria.")]})
    period = data.get("period") or (badge.period if badge else BadgePeriod.ALL_TIME)
    if period not in BadgePeriod.values:
        raise ServiceError(_("Periode lencana tidak dikenal."), errors={"period": [_("Pilih periode.")]})
    threshold = data.get("threshold")
    if criteria in (BadgeCriteria.POINTS, BadgeCriteria.MANUAL):
        threshold = None
    elif not (isinstance(threshold, int) and not isinstance(threshold, bool) and 1 <= threshold <= 100_000):
        raise ServiceError(_("Ambang harus angka 1 sampai 100.000."), errors={"threshold": [_("Tidak valid.")]})
    if criteria == BadgeCriteria.POINTS and points_required is None:
        raise ServiceError(
            _("Lencana berdasarkan poin butuh jumlah poin."), errors={"points_required": [_("Wajib diisi.")]}
        )
    if criteria == BadgeCriteria.POINTS and period == BadgePeriod.WEEKLY:
        raise ServiceError(
            _("Lencana mingguan memakai hitungan postingan, komentar atau event, bukan total poin."),
            errors={"period": [_("Tidak valid.")]},
        )
    if badge is None:
        slug = slugify(data.get("slug") or name)[:60]
        if not slug or Badge.objects.filter(slug=slug).exists():
            raise ServiceError(_("Alamat lencana sudah dipakai atau kosong."), errors={"slug": [_("Pilih yang lain.")]})
        badge = Badge(slug=slug)
    badge.name, badge.description, badge.points_required = name, description, points_required
    badge.icon, badge.criteria, badge.threshold, badge.period = icon, criteria, threshold, period
    badge.is_active = bool(data.get("is_active", badge.is_active if badge.pk else True))
    badge.save()
    badges.count_badges_forget()
    activity_record(
        action=Action.BADGE_SAVED,
        actor=actor,
        target=badge,
        target_label=badge.name,
        data={"points": points_required, "criteria": criteria, "threshold": threshold, "period": period},
    )
    return badge


BADGE_IMAGE_SIZE = (256, 256)


@transaction.atomic
def badge_image_set(*, actor, badge: Badge, image=None, remove: bool = False) -> Badge:
    """An admin uploads (or removes) a badge's picture: checked by content, at most COMMUNITY_BADGE_IMAGE_MAX_BYTES,
    re-encoded as a 256 × 256 PNG (transparency kept) under the public media prefix community/badges/. Shown
    instead of the icon wherever badges are shown; the icon stays as the fallback."""
    _require_admin(actor)
    badge = Badge.objects.select_for_update().get(pk=badge.pk)
    old = badge.image.name if badge.image else ""
    if image is not None:
        content = image_fit(
            image,
            field="image",
            label=_("Gambar lencana"),
            size=BADGE_IMAGE_SIZE,
            max_bytes=settings.COMMUNITY_BADGE_IMAGE_MAX_BYTES,
            transparent=True,
        )
        badge.image.save(generated_name("badge", "png"), content, save=False)
    elif remove:
        badge.image = ""
    else:
        return badge
    badge.save(update_fields=["image"])
    activity_record(
        action=Action.BADGE_SAVED,
        actor=actor,
        target=badge,
        target_label=badge.name,
        data={"image": "removed" if image is None else "uploaded"},
    )
    if old and old != badge.image.name:
        storage = badge.image.storage
        transaction.on_commit(lambda: storage.delete(old))
    return badge


@transaction.atomic
def badge_revoke(*, actor, user, badge: Badge) -> bool:
    """An admin takes a badge back (audited; an automatic one may come back when the member earns it again)."""
    _require_admin(actor)
    deleted, _detail = UserBadge.objects.filter(user=user, badge=badge).delete()
    if deleted:
        activity_record(
            action=Action.BADGE_REVOKED,
            actor=actor,
            target=user,
            target_label=user.full_name,
            data={"badge": badge.slug},
        )
    return bool(deleted)


def badge_ensure(
    *,
    slug: str,
    name: str,
    description: str = "",
    points_required: int | None = None,
    icon: str = "",
    criteria: str | None = None,
    threshold: int | None = None,
    period: str = BadgePeriod.ALL_TIME,
) -> Badge:
    criteria = criteria or (BadgeCriteria.POINTS if points_required else BadgeCriteria.MANUAL)
    badge, _created = Badge.objects.update_or_create(
        slug=slug,
        defaults={
            "name": name,
            "description": description,
            "points_required": points_required,
            "icon": icon,
            "criteria": criteria,
            "threshold": threshold,
            "period": period,
        },
    )
    badges.count_badges_forget()
    return badge


DAILY_VISIT_REMEMBERED = 26 * 3600  # seconds: past the WIB day's end, whenever in it the first visit came


def daily_visit(*, user) -> None:
    """The day's visit point (once per member and WIB day), from the feed page or the app's feed. The first visit
    of the day writes the ledger row; the cache then remembers the day, so later visits neither query nor try the
    insert again (before, every feed view tried it, and PostgreSQL refused the duplicate with an ERROR in its log).
    A process whose cache does not know the day yet tries once more and is refused by the row's unique key."""
    key = f"visit:{user.pk}:{timezone.localdate().isoformat()}"
    if cache.get(f"community:{key}"):
        return
    points_award(user=user, action=PointAction.DAILY_VISIT, key=key)
    cache.set(f"community:{key}", True, timeout=DAILY_VISIT_REMEMBERED)


# --- the group library ("Berkas") ---------------------------------------------------------------------------------

GROUP_FILE_SALT = "sanggar.community.group-file"


def _files_member(user, group: Group) -> None:
    """The library is for members only (in a public group too): outsiders get 404 for a hidden group, else 403."""
    if not is_member(user, group):
        if group.visibility == Visibility.HIDDEN:
            raise NotFound(_("Grup tidak ditemukan."))
        raise NotAllowed(_("Berkas grup hanya untuk anggota. Gabung ke grup ini dulu."))


@transaction.atomic
def group_file_upload(*, user, group: Group, upload, title="", ip: str | None = None) -> GroupFile:
    """A member whose role may upload (the matrix) adds a file: PDF, Office, ZIP, EPUB, MP3/MP4 or an image, its
    type checked by content, at most COMMUNITY_GROUP_FILE_MAX_BYTES; stored privately under a random name."""
    _files_member(user, group)
    if not group_allows(user, group, GroupPermission.UPLOAD):
        raise NotAllowed(_("Peran Anda di grup ini tidak diizinkan mengunggah berkas."))
    if upload is None:
        raise ServiceError(_("Pilih berkas yang akan diunggah."), errors={"file": [_("Wajib diisi.")]})
    name = original_name(upload)
    if "\x00" in name:
        raise ServiceError(_("Nama berkas tidak valid."), errors={"file": [_("Tidak valid.")]})
    if (upload.size or 0) > settings.COMMUNITY_GROUP_FILE_MAX_BYTES:
        mb = max(1, settings.COMMUNITY_GROUP_FILE_MAX_BYTES // (1024 * 1024))
        raise ServiceError(_("Ukuran berkas maksimal %(mb)s MB.") % {"mb": mb}, errors={"file": [_("Terlalu besar.")]})
    extension = validate_product_file(upload, field="file")
    title = clean_text(title, field="title", label=_("Judul"), max_length=150, required=False) or name[:150]
    _limits("GROUP_FILE", user, ip)
    row = GroupFile(group=group, uploader=user, title=title, original_name=name, extension=extension, size=upload.size)
    row.file.save(generated_name("berkas", extension), upload, save=False)
    row.save()
    return row


@transaction.atomic
def group_file_remove(*, actor, item: GroupFile) -> None:
    """The uploader or the group's moderators remove a file (the stored file goes after commit)."""
    if actor.pk != item.uploader_id and not can_moderate(actor, item.group):
        raise NotAllowed(_("Hanya pengunggah atau moderator grup yang dapat menghapus berkas ini."))
    name, storage = item.file.name, item.file.storage
    item.delete()
    transaction.on_commit(lambda: storage.delete(name))


def group_file_token(user, item: GroupFile) -> str:
    """A signed token for one file and one member; opening it checks the member is still in the group."""
    return signing.dumps({"f": item.pk, "u": user.pk}, salt=GROUP_FILE_SALT)


def group_file_open(*, user, token: str) -> GroupFile:
    """The file behind a signed link: refused when forged, expired, made for someone else, or when the member has
    left the group since (a URL alone opens nothing)."""
    try:
        payload = signing.loads(str(token)[:500], salt=GROUP_FILE_SALT, max_age=settings.PRIVATE_LINK_TTL_SECONDS)
    except signing.SignatureExpired:
        raise NotAllowed(_("Link unduhan sudah kedaluwarsa. Buka lagi dari tab Berkas grup.")) from None
    except signing.BadSignature:
        raise NotFound(_("Berkas tidak ditemukan.")) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("f"), int):
        raise NotFound(_("Berkas tidak ditemukan."))
    if user is None or not user.is_authenticated or payload.get("u") != user.pk:
        raise NotAllowed(_("Link unduhan ini dibuat untuk akun lain."))
    item = GroupFile.objects.select_related("group__resource").filter(pk=payload["f"]).first()
    if item is None:
        raise NotFound(_("Berkas tidak ditemukan."))
    _files_member(user, item.group)
    if not item.file or not item.file.storage.exists(item.file.name):
        raise NotFound(_("Berkas tidak ditemukan."))
    return item
