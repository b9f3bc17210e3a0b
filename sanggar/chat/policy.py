"""Who may chat with whom (PRODUCT.md "Chat"): premium members and people with a role (mentor, affiliate, admin,
support, founders) may start a ChatMentor conversation with a mentor of their courses, or a direct conversation with a
member they are connected to (shared group or mutual follow, told by the community app through `registry`).
A mentor may start one with their students; an admin with anyone. Anyone may reply in a conversation they are in.
A supplier never starts a conversation; a member may open one with a premium supplier only; a free supplier neither
receives nor replies, and each refused attempt is counted for its upgrade reminder.
Blocks (either way) and deactivated accounts end everything."""

from dataclasses import dataclass

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.core.roles import Role
from sanggar.learning.models import Enrollment
from sanggar.memberships.selectors import is_premium

from . import registry
from .constants import Kind
from .models import Block, Conversation, GroupChatMute, Suspension

STARTER_ROLES = frozenset({Role.ADMIN, Role.FOUNDER, Role.COFOUNDER, Role.SUPPORT, Role.MENTOR, Role.AFFILIATE})


@dataclass(frozen=True)
class Decision:
    allowed: bool
    kind: str = ""
    message: str = ""
    supplier_refused: bool = False


def _refuse(message, **kwargs) -> Decision:
    return Decision(False, message=str(message), **kwargs)


def blocked_between(user_id: int, other_id: int) -> bool:
    return (
        Block.objects.filter(blocker_id__in=(user_id, other_id), blocked_id__in=(user_id, other_id))
        .exclude(blocker_id=user_id, blocked_id=user_id)
        .exists()
    )


def _may_start(user) -> bool:
    return bool(user.role_set & STARTER_ROLES) or is_premium(user=user)


def _is_student_of(student, mentor) -> bool:
    """Enrolled in a course the mentor is responsible for or co-teaches (`Course.instructors`)."""
    return Enrollment.objects.filter(Q(course__mentor=mentor) | Q(course__instructors=mentor), user=student).exists()


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M")


def active_suspension(user) -> Suspension | None:
    """The admin's running suspension of the user's chat (the longest one; None: not suspended)."""
    return (
        Suspension.objects.filter(user_id=user.pk, lifted_at__isnull=True)
        .filter(Q(until__isnull=True) | Q(until__gt=timezone.now()))
        .order_by(F("until").desc(nulls_first=True))
        .first()
    )


def suspension_message(suspension: Suspension) -> str:
    if suspension.until is None:
        return str(_("Akun Anda diblokir dari chat oleh admin."))
    return str(_("Chat Anda ditangguhkan admin sampai %(when)s WIB.") % {"when": _when(suspension.until)})


def send_restriction(user, conversation) -> str:
    """Why the user may not write in the conversation now although they are in it (an admin's suspension, a mute
    in the group chat or in the group itself), or "". The conversation page shows it instead of the composer."""
    suspension = active_suspension(user)
    if suspension is not None:
        return suspension_message(suspension)
    if conversation.kind == Kind.GROUP:
        untils = [
            GroupChatMute.objects.filter(conversation=conversation, user=user, until__gt=timezone.now())
            .values_list("until", flat=True)
            .first(),
            registry.group_muted_until(user, conversation.group_key),  # the group's own mute (community)
        ]
        until = max((u for u in untils if u is not None and u > timezone.now()), default=None)
        if until is not None:
            return str(_("Anda dibisukan di chat grup ini sampai %(when)s WIB.") % {"when": _when(until)})
    return ""


def start_decision(user, other) -> Decision:
    if other is None or not other.is_active:
        return _refuse(_("Pengguna tidak ditemukan."))
    if other.pk == user.pk:
        return _refuse(_("Anda tidak dapat mengirim pesan ke diri sendiri."))
    suspension = active_suspension(user)
    if suspension is not None:
        return _refuse(suspension_message(suspension))
    if blocked_between(user.pk, other.pk):
        return _refuse(_("Anda tidak dapat mengirim pesan ke pengguna ini."))
    roles, other_roles = user.role_set, other.role_set
    if Role.ADMIN in roles:
        return Decision(True, kind=Kind.MENTOR if Role.MENTOR in other_roles else Kind.DIRECT)
    if Role.MENTOR in roles and _is_student_of(other, user):
        return Decision(True, kind=Kind.MENTOR)
    if Role.MENTOR in other_roles and _is_student_of(user, other):
        if not _may_start(user):
            return _refuse(
                _("ChatMentor terbuka untuk member premium. Upgrade membership untuk mengirim pesan ke mentor.")
            )
        return Decision(True, kind=Kind.MENTOR)
    if Role.SUPPLIER in other_roles and not (other_roles & STARTER_ROLES):
        if not registry.supplier_is_premium(other):
            return _refuse(
                _("Supplier ini belum dapat menerima chat. Hubungi lewat kontak di profilnya."), supplier_refused=True
            )
        if not _may_start(user):
            return _refuse(_("Chat dengan supplier terbuka untuk member premium."))
        return Decision(True, kind=Kind.SUPPLIER)
    if Role.SUPPLIER in roles and not (roles & STARTER_ROLES):
        return _refuse(_("Supplier tidak dapat memulai chat; member yang menghubungi Anda lebih dulu."))
    if not registry.connected(user, other):
        return _refuse(_("Anda hanya dapat mengirim pesan ke member yang satu grup atau saling mengikuti dengan Anda."))
    if not _may_start(user):
        return _refuse(_("Memulai pesan langsung membutuhkan membership premium."))
    return Decision(True, kind=Kind.DIRECT)


def entry(user, other) -> tuple[int | None, Decision]:
    """What a "Kirim pesan" button leads to, without side effects: (the existing conversation's id or None, the
    decision). An existing conversation opens unless a block stands between the two; otherwise the start rules."""
    key = f"{min(user.pk, other.pk)}:{max(user.pk, other.pk)}"
    existing = Conversation.objects.filter(pair_key=key).values_list("pk", flat=True).first()
    if existing is not None:
        if blocked_between(user.pk, other.pk):
            return None, _refuse(_("Anda tidak dapat mengirim pesan ke pengguna ini."))
        return existing, Decision(True)
    return None, start_decision(user, other)


def send_decision(user, conversation, others: list) -> Decision:
    """A participant's right to post in a conversation they are in."""
    if not user.is_active:
        return _refuse(_("Akun Anda tidak aktif."))
    if conversation.status != "open":
        return _refuse(_("Percakapan ini sudah ditutup."))
    for other in others:
        if blocked_between(user.pk, other.pk):
            return _refuse(_("Anda tidak dapat mengirim pesan di percakapan ini."))
    restriction = send_restriction(user, conversation)
    if restriction:
        return _refuse(restriction)
    supplier_side = (
        conversation.kind == Kind.SUPPLIER and Role.SUPPLIER in user.role_set and conversation.created_by_id != user.pk
    )
    if supplier_side and not registry.supplier_is_premium(user):
        return _refuse(_("Balas chat membutuhkan paket Supplier Premium."), supplier_refused=True)
    return Decision(True, kind=conversation.kind)
