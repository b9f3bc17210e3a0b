"""Reads: a user's inbox and a conversation's messages, both cursor-paginated with a fixed number of queries."""

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, Sum

from .constants import Kind
from .models import Conversation, Message, Participant, SupplierRefusal


def participant_for(*, user, conversation_id) -> Participant | None:
    return Participant.objects.select_related("conversation").filter(conversation_id=conversation_id, user=user).first()


def inbox(*, user, archived: bool = False, before: int | None = None, limit: int | None = None):
    """The user's participations, newest activity first, each with its conversation, the other participants and
    the last message (4 queries). Cursor `before` = the id of the last conversation of the previous page."""
    limit = limit or settings.CHAT_PAGE_SIZE
    qs = (
        Participant.objects.filter(user=user, archived=archived, conversation__last_message_at__isnull=False)
        # a conversation whose other people are all deactivated leaves the inbox; its history stays
        .filter(
            Exists(
                Participant.objects.filter(conversation_id=OuterRef("conversation_id"), user__is_active=True).exclude(
                    user=user
                )
            )
        )
        .select_related("conversation")
        .prefetch_related(
            Prefetch(
                "conversation__participants",
                queryset=Participant.objects.select_related("user").exclude(user=user),
                to_attr="others",
            )
        )
        .order_by("-conversation__last_message_at", "-conversation_id")
    )
    if before is not None:
        pivot = Conversation.objects.filter(pk=before).values_list("last_message_at", flat=True).first()
        if pivot is not None:
            qs = qs.filter(
                Q(conversation__last_message_at__lt=pivot)
                | Q(conversation__last_message_at=pivot, conversation_id__lt=before)
            )
    rows = list(qs[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    last_ids = [r.conversation_id for r in rows]
    last = {}
    if last_ids:
        # the newest message of each conversation, in one query on every database (no DISTINCT ON: SQLite lacks it)
        newest_ids = (
            Message.objects.filter(conversation_id__in=last_ids, deleted_at__isnull=True)
            .order_by()
            .values("conversation_id")
            .annotate(newest=Max("id"))
            .values("newest")
        )
        latest = Message.objects.filter(pk__in=newest_ids).select_related("sender")
        last = {m.conversation_id: m for m in latest}
    for r in rows:
        r.last_message = last.get(r.conversation_id)
    return rows, (rows[-1].conversation_id if has_more and rows else None)


def messages(*, conversation_id: int, before: int | None = None, limit: int | None = None):
    """Newest first; `before` is a message id (the cursor). Returns (messages, next cursor or None)."""
    limit = limit or settings.CHAT_PAGE_SIZE
    qs = Message.objects.filter(conversation_id=conversation_id, deleted_at__isnull=True).select_related("sender")
    if before is not None:
        qs = qs.filter(pk__lt=before)
    rows = list(qs.order_by("-id")[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].pk if has_more and rows else None)


def unread_total(*, user) -> int:
    return Participant.objects.filter(user=user, archived=False).aggregate(n=Sum("unread_count"))["n"] or 0


def last_read_by_others(*, user, conversation_id) -> int:
    """The highest message id every other participant has read (for read receipts)."""
    values = list(
        Participant.objects.filter(conversation_id=conversation_id)
        .exclude(user=user)
        .values_list("last_read_message_id", flat=True)
    )
    return min(values) if values else 0


def contacts(*, user, user_ids) -> dict[int, str]:
    """{id: name} of the given users who share a conversation with `user`."""
    mine = Participant.objects.filter(user=user).values("conversation_id")
    rows = (
        Participant.objects.filter(conversation_id__in=mine, user_id__in=list(user_ids), user__is_active=True)
        .exclude(user=user)
        .values_list("user_id", "user__full_name")
        .distinct()
    )
    return dict(rows)


def supplier_inquiry_stats(*, supplier_user_ids, since=None) -> dict[int, dict]:
    """For each supplier user: inquiries (supplier conversations members opened with them), how many they replied
    to, and attempts refused while they were free (counted, never their text). Three queries for any number of
    suppliers; `since` limits to conversations/attempts from then on."""
    ids = list(supplier_user_ids)
    stats = {uid: {"inquiries": 0, "replied": 0, "refused": 0} for uid in ids}
    if not ids:
        return stats
    conversations = Conversation.objects.filter(kind=Kind.SUPPLIER, participants__user_id__in=ids).exclude(
        created_by_id__in=ids
    )
    refusals = SupplierRefusal.objects.filter(supplier_id__in=ids)
    if since is not None:
        conversations = conversations.filter(created_at__gte=since)
        refusals = refusals.filter(created_at__gte=since)
    replied = Message.objects.filter(
        conversation_id=OuterRef("conversation_id"), sender_id=OuterRef("user_id"), is_system=False
    )
    rows = (
        Participant.objects.filter(conversation__in=conversations, user_id__in=ids)
        .annotate(replied=Exists(replied))
        .values_list("user_id", "replied")
    )
    for uid, did_reply in rows:
        stats[uid]["inquiries"] += 1
        stats[uid]["replied"] += int(did_reply)
    for row in refusals.values("supplier_id").annotate(n=Count("id")):
        stats[row["supplier_id"]]["refused"] = row["n"]
    return stats
