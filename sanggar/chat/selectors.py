"""Reads: a user's inbox and a conversation's messages, both cursor-paginated with a fixed number of queries."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from . import registry
from .constants import Kind, ReportStatus
from .models import Block, Conversation, Message, Participant, Report, SupplierRefusal, Suspension


def participant_for(*, user, conversation_id) -> Participant | None:
    """The user's current participation (not one they left; for a group chat, only while still in the group)."""
    participant = (
        Participant.objects.select_related("conversation")
        .filter(conversation_id=conversation_id, user=user, left_at__isnull=True)
        .first()
    )
    conversation = participant.conversation if participant is not None else None
    if (
        conversation is not None
        and conversation.kind == Kind.GROUP
        and not registry.group_member(user, conversation.group_key)
    ):
        return None
    return participant


def inbox(*, user, archived: bool = False, before: int | None = None, limit: int | None = None):
    """The user's participations, newest activity first, each with its conversation, the other participants and
    the last message (4 queries). Cursor `before` = the id of the last conversation of the previous page."""
    limit = limit or settings.CHAT_PAGE_SIZE
    qs = (
        Participant.objects.filter(
            user=user, archived=archived, left_at__isnull=True, conversation__last_message_at__isnull=False
        )
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
                # a group chat shows its title, not its (possibly thousands of) members
                queryset=Participant.objects.select_related("user")
                .exclude(user=user)
                .exclude(conversation__kind=Kind.GROUP),
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
        latest = Message.objects.filter(pk__in=newest_ids).select_related("sender", "sticker")
        last = {m.conversation_id: m for m in latest}
    for r in rows:
        r.last_message = last.get(r.conversation_id)
    return rows, (rows[-1].conversation_id if has_more and rows else None)


GROUP_PEOPLE_SHOWN = 50


def conversation_detail(*, user, conversation_id) -> Participant | None:
    """One of the user's conversations in the inbox's shape (None when they are not in it): the participation with
    its conversation, the other participants (a group chat: its first GROUP_PEOPLE_SHOWN current members by name)
    and the newest message. Four queries."""
    participant = participant_for(user=user, conversation_id=conversation_id)
    if participant is None:
        return None
    conversation = participant.conversation
    others = Participant.objects.filter(conversation_id=conversation.pk).exclude(user=user).select_related("user")
    if conversation.kind == Kind.GROUP:
        others = others.filter(left_at__isnull=True).order_by("user__full_name", "user_id")[:GROUP_PEOPLE_SHOWN]
    conversation.others = list(others)
    participant.last_message = (
        Message.objects.filter(conversation_id=conversation.pk, deleted_at__isnull=True)
        .select_related("sender", "sticker")
        .prefetch_related(Prefetch("attachments", to_attr="attachment_list"))
        .order_by("-id")
        .first()
    )
    return participant


def blocks(*, user, before: int | None = None, limit: int | None = None):
    """The people the user blocked, newest first (cursor `before` = a block's id). Two queries."""
    limit = limit or settings.CHAT_PAGE_SIZE
    qs = Block.objects.filter(blocker=user).select_related("blocked").order_by("-id")
    if before is not None:
        qs = qs.filter(pk__lt=before)
    rows = list(qs[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].pk if has_more and rows else None)


REPORT_PEOPLE_SHOWN = 30


def report_people(*, report: Report, messages=()) -> list[Participant]:
    """Whom an admin may act against in a reported conversation, each with `suspension` (the running one or None):
    a two-person conversation's participants; a group chat's senders of the reported message and of the messages
    on the page (never its thousands of members). The reporter is listed last. Two queries."""
    qs = Participant.objects.filter(conversation_id=report.conversation_id).select_related("user")
    if report.conversation.kind == Kind.GROUP:
        ids = {m.sender_id for m in messages if m.sender_id}
        if report.message_id and report.message is not None and report.message.sender_id:
            ids.add(report.message.sender_id)
        qs = qs.filter(user_id__in=ids)
    people = sorted(qs[:REPORT_PEOPLE_SHOWN], key=lambda p: (p.user_id == report.reporter_id, p.user.full_name))
    now = timezone.now()
    running = {}
    for s in (
        Suspension.objects.filter(user_id__in=[p.user_id for p in people], lifted_at__isnull=True)
        .filter(Q(until__isnull=True) | Q(until__gt=now))
        .order_by("created_at")
    ):
        running[s.user_id] = s
    for p in people:
        p.suspension = running.get(p.user_id)
    return people


def messages(*, conversation_id: int, before: int | None = None, limit: int | None = None):
    """Newest first; `before` is a message id (the cursor). Returns (messages, next cursor or None)."""
    limit = limit or settings.CHAT_PAGE_SIZE
    qs = (
        Message.objects.filter(conversation_id=conversation_id)
        .select_related("sender", "sticker")
        .prefetch_related(Prefetch("attachments", to_attr="attachment_list"))
    )
    if before is not None:
        qs = qs.filter(pk__lt=before)
    rows = list(qs.order_by("-id")[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].pk if has_more and rows else None)


def group_members_for_mute(*, conversation_id: int, exclude_user_id: int, limit: int = 300) -> list[Participant]:
    """The group chat's current members (not `exclude_user_id`) for a moderator's mute form, by name, bounded."""
    return list(
        Participant.objects.filter(conversation_id=conversation_id, left_at__isnull=True)
        .exclude(user_id=exclude_user_id)
        .select_related("user")
        .order_by("user__full_name", "user_id")[:limit]
    )


def socket_group_ids(*, user_id: int, limit: int) -> list[int]:
    """The user's group chats a socket joins on connect: the `limit` most recently active ones."""
    return list(
        Participant.objects.filter(user_id=user_id, left_at__isnull=True, conversation__kind=Kind.GROUP)
        .order_by(F("conversation__last_message_at").desc(nulls_last=True), "-conversation_id")
        .values_list("conversation_id", flat=True)[:limit]
    )


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
    to, and attempts refused while they were free (counted, never their text) with the distinct members who made
    them. Three queries for any number of
    suppliers; `since` limits to conversations/attempts from then on."""
    ids = list(supplier_user_ids)
    stats = {
        uid: {"inquiries": 0, "replied": 0, "refused": 0, "refused_members": 0, "response_minutes": None} for uid in ids
    }
    if not ids:
        return stats
    conversations = Conversation.objects.filter(kind=Kind.SUPPLIER, participants__user_id__in=ids).exclude(
        created_by_id__in=ids
    )
    refusals = SupplierRefusal.objects.filter(supplier_id__in=ids)
    if since is not None:
        conversations = conversations.filter(created_at__gte=since)
        refusals = refusals.filter(created_at__gte=since)
    first_reply = (
        Message.objects.filter(
            conversation_id=OuterRef("conversation_id"),
            sender_id=OuterRef("user_id"),
            is_system=False,
            is_auto_reply=False,  # an automatic answer is not the supplier replying
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )
    rows = (
        Participant.objects.filter(conversation__in=conversations, user_id__in=ids)
        .annotate(first_reply=Subquery(first_reply))
        .values_list("user_id", "conversation__created_at", "first_reply")
    )
    waits: dict[int, list[float]] = {uid: [] for uid in ids}
    for uid, opened_at, replied_at in rows:
        stats[uid]["inquiries"] += 1
        if replied_at is not None:
            stats[uid]["replied"] += 1
            waits[uid].append(max(0.0, (replied_at - opened_at).total_seconds()))
    for uid, values in waits.items():
        # the average time to the supplier's first reply, in minutes (None before any reply)
        stats[uid]["response_minutes"] = round(sum(values) / len(values) / 60) if values else None
    # attempts, and the distinct members behind them ("N member mencoba menghubungi Anda")
    for row in refusals.values("supplier_id").annotate(n=Count("id"), members=Count("member_id", distinct=True)):
        stats[row["supplier_id"]]["refused"] = row["n"]
        stats[row["supplier_id"]]["refused_members"] = row["members"]
    return stats


STATS_DAYS = (7, 30, 90)


def admin_stats(*, days: int = 30, now=None) -> dict:
    """Chat figures for admins (/admin/chat/statistik, GET /api/v1/admin/chat/stats): messages and new
    conversations per day, active conversations (a message in the period) and messages per kind, people who sent,
    the share of new two-person conversations that got an answer, open reports and new blocks. Counts only: never a
    message's text (admins read a conversation only through a report). Eight queries whatever the volume."""
    now = now or timezone.now()
    start = now - timedelta(days=days)
    messages_qs = Message.objects.filter(created_at__gte=start, is_system=False, is_auto_reply=False)
    per_day = {
        row["day"]: row["n"]
        for row in messages_qs.annotate(day=TruncDate("created_at")).values("day").annotate(n=Count("id")).order_by()
    }
    new_qs = Conversation.objects.filter(created_at__gte=start)
    new_per_day = {
        row["day"]: row["n"]
        for row in new_qs.annotate(day=TruncDate("created_at")).values("day").annotate(n=Count("id")).order_by()
    }
    today = timezone.localdate(now)
    series = [
        {"day": day, "messages": per_day.get(day, 0), "conversations": new_per_day.get(day, 0)}
        for day in (today - timedelta(days=offset) for offset in range(days - 1, -1, -1))
    ]
    by_kind = {k: {"kind": k, "label": str(label), "active": 0, "messages": 0, "new": 0} for k, label in Kind.choices}
    for row in (
        messages_qs.values("conversation__kind")
        .annotate(n=Count("id"), active=Count("conversation_id", distinct=True))
        .order_by()
    ):
        if row["conversation__kind"] in by_kind:
            by_kind[row["conversation__kind"]].update(messages=row["n"], active=row["active"])
    for row in new_qs.values("kind").annotate(n=Count("id")).order_by():
        if row["kind"] in by_kind:
            by_kind[row["kind"]]["new"] = row["n"]
    answered = Message.objects.filter(conversation_id=OuterRef("pk"), is_system=False, is_auto_reply=False).exclude(
        sender_id=OuterRef("created_by_id")
    )
    pairs = new_qs.exclude(kind=Kind.GROUP).aggregate(total=Count("id"), answered=Count("id", filter=Exists(answered)))
    return {
        "days": days,
        "start": start,
        "end": now,
        "messages": sum(per_day.values()),
        "active_conversations": sum(row["active"] for row in by_kind.values()),
        "new_conversations": sum(new_per_day.values()),
        "senders": messages_qs.values("sender_id").distinct().count(),
        "answer_rate": round(100 * pairs["answered"] / pairs["total"]) if pairs["total"] else None,
        "open_reports": Report.objects.filter(status=ReportStatus.OPEN).count(),
        "new_blocks": Block.objects.filter(created_at__gte=start).count(),
        "by_kind": list(by_kind.values()),
        "series": series,
        "max_day": max((row["messages"] for row in series), default=0) or 1,
    }
