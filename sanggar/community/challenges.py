"""Group challenges (GAM-D7, GAM-P1): a group's staff (the matrix's "challenge" permission: by default the owner,
group admins and moderators; site admins always) sets a goal — a number of posts, comments, reactions received, group
events attended or course lessons completed — for a period (WIB). Members of the group join it (participation is
opt-in, like Skool's and Circle's challenges); each participant's progress is counted from the rows they made in the
group within the period (never a stored counter), ranked by that count (the earlier joiner first on a tie).

When the period ends the sweep (beat "community-challenges-close", every five minutes; also `challenge_close` by the
staff to end it early) freezes every participant's count and rank, gives each who reached the target the reward
points (one ledger row per user and challenge, key "challenge:<id>:<user>") and the badge, and tells every
participant their result. Safe to run twice or concurrently: the challenge row is locked and re-checked, the ledger key
and the badge row are unique."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from sanggar.access.policy import access_check
from sanggar.accounts.models import User
from sanggar.audit.services import activity_record
from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.learning.models import LessonProgress
from sanggar.notifications.services import Announcement, notify_many

from . import badges, tasks
from .constants import (
    CHALLENGE_MAX_DAYS,
    CHALLENGE_POINTS_MAX,
    CHALLENGE_TARGET_MAX,
    CHALLENGE_TEXT_MAX,
    CHALLENGE_TITLE_MAX,
    Action,
    ChallengeMetric,
    ChallengeStatus,
    GroupPermission,
    GroupStatus,
    Notify,
    PointAction,
    PostStatus,
    QuizStatus,
    Visibility,
)
from .fanout import followers_notify
from .models import Badge, Challenge, ChallengeParticipant, Comment, Group, GroupQuiz, PointEntry, Post, Reaction
from .policy import group_allows
from .services import can_read, is_member, points_award

# --- input checks (shared with quizzes) -------------------------------------------------------------------------------


def clean_text(value, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    """Text trimmed, within `max_length`, without NUL characters; an Indonesian error otherwise."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ServiceError(_("%(label)s harus berupa teks.") % {"label": label}, errors={field: [_("Tidak valid.")]})
    if "\x00" in value:
        raise ServiceError(
            _("%(label)s berisi karakter yang tidak diizinkan.") % {"label": label}, errors={field: [_("Tidak valid.")]}
        )
    value = value.strip()
    if required and not value:
        raise ServiceError(_("%(label)s wajib diisi.") % {"label": label}, errors={field: [_("Wajib diisi.")]})
    if len(value) > max_length:
        raise ServiceError(
            _("%(label)s maksimal %(n)s karakter.") % {"label": label, "n": max_length},
            errors={field: [_("Terlalu panjang.")]},
        )
    return value


def clean_int(value, *, field: str, label: str, low: int, high: int) -> int:
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 10:
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ServiceError(
            _("%(label)s harus bilangan bulat %(low)s sampai %(high)s.") % {"label": label, "low": low, "high": high},
            errors={field: [_("Tidak valid.")]},
        )
    return value


def clean_when(value, *, field: str, label: str) -> datetime:
    """An aware datetime, or ISO text (a naive one is WIB)."""
    if isinstance(value, str):
        text = value.strip()
        value = None
        if "\x00" not in text and len(text) <= 40:
            try:
                value = parse_datetime(text)
            except ValueError:
                value = None
    if not isinstance(value, datetime):
        raise ServiceError(
            _("%(label)s tidak valid. Gunakan tanggal dan jam.") % {"label": label},
            errors={field: [_("Waktu tidak valid.")]},
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return value


def clean_period(start, end, *, start_field: str, end_field: str) -> tuple[datetime, datetime]:
    start = clean_when(start, field=start_field, label=_("Waktu mulai"))
    end = clean_when(end, field=end_field, label=_("Waktu selesai"))
    if end <= start:
        raise ServiceError(
            _("Waktu selesai harus setelah waktu mulai."), errors={end_field: [_("Harus setelah waktu mulai.")]}
        )
    if end - start > timedelta(days=CHALLENGE_MAX_DAYS):
        raise ServiceError(
            _("Periode paling lama %(d)s hari.") % {"d": CHALLENGE_MAX_DAYS}, errors={end_field: [_("Terlalu lama.")]}
        )
    return start, end


def require_staff(actor, group: Group) -> None:
    """The matrix's challenge permission (owner, group admins and moderators by default; site admins always)."""
    if not group_allows(actor, group, GroupPermission.CHALLENGE):
        raise NotAllowed(_("Hanya admin atau moderator grup yang dapat mengelola tantangan dan kuis grup ini."))


# --- state --------------------------------------------------------------------------------------------------------


def phase(challenge: Challenge, now=None) -> str:
    """ "upcoming", "running" or "ended" (the period passed or the challenge was closed)."""
    now = now or timezone.now()
    if challenge.status == ChallengeStatus.CLOSED or challenge.ends_at <= now:
        return "ended"
    return "upcoming" if challenge.starts_at > now else "running"


PHASE_LABELS = {"upcoming": _("Akan datang"), "running": _("Berjalan"), "ended": _("Selesai")}


# --- progress -----------------------------------------------------------------------------------------------------


def _metric_rows(challenge: Challenge, start, end):
    """(queryset, user field) of what the challenge counts in its group within [start, end)."""
    metric, group_id = challenge.metric, challenge.group_id
    window = {"created_at__gte": start, "created_at__lt": end}
    if metric == ChallengeMetric.POSTS:
        return Post.objects.filter(group_id=group_id, status=PostStatus.PUBLISHED, **window), "author_id"
    if metric == ChallengeMetric.COMMENTS:
        return Comment.objects.filter(post__group_id=group_id, status=PostStatus.PUBLISHED, **window), "author_id"
    if metric == ChallengeMetric.REACTIONS:
        # reactions on the participant's posts in the group, from someone else
        rows = Reaction.objects.filter(
            post__group_id=group_id, comment=None, post__status=PostStatus.PUBLISHED, **window
        ).exclude(user_id=F("post__author_id"))
        return rows, "post__author_id"
    if metric == ChallengeMetric.EVENTS:
        return PointEntry.objects.filter(group_id=group_id, action=PointAction.EVENT_ATTENDED, **window), "user_id"
    rows = LessonProgress.objects.filter(completed_at__gte=start, completed_at__lt=end)
    if challenge.group.course_id:  # a course's group counts that course's lessons
        rows = rows.filter(course_id=challenge.group.course_id)
    return rows, "user_id"


def progress_counts(challenge: Challenge, *, user_ids=None, now=None) -> dict[int, int]:
    """{user_id: count} of the participants (or of `user_ids`) from the challenge's start until its end (or now, if
    earlier). One grouped query."""
    now = now or timezone.now()
    end = min(challenge.ends_at, now)
    if end <= challenge.starts_at:
        return {}
    rows, user_field = _metric_rows(challenge, challenge.starts_at, end)
    if user_ids is None:
        rows = rows.filter(
            **{f"{user_field}__in": ChallengeParticipant.objects.filter(challenge=challenge).values("user_id")}
        )
    else:
        rows = rows.filter(**{f"{user_field}__in": list(user_ids)})
    return dict(rows.values_list(user_field).annotate(n=Count("pk")).order_by())


def _percent(count: int, target: int) -> int:
    return min(100, count * 100 // target) if target else 100


def _progress(challenge: Challenge, row: ChallengeParticipant, count: int, rank) -> dict:
    return {
        "count": count,
        "target": challenge.target,
        "percent": _percent(count, challenge.target),
        "completed": count >= challenge.target,
        "rank": rank,
        "joined_at": row.joined_at,
    }


def progress_of(challenge: Challenge, user) -> dict | None:
    """The caller's progress (count, percent, whether the target is reached; the rank once closed): None when they
    have not joined. After the close, the frozen result."""
    row = ChallengeParticipant.objects.filter(challenge=challenge, user_id=user.pk).first()
    if row is None:
        return None
    if challenge.status == ChallengeStatus.CLOSED:
        return _progress(challenge, row, row.final_count or 0, row.rank)
    return _progress(challenge, row, progress_counts(challenge, user_ids=[user.pk]).get(user.pk, 0), None)


def _ranked(challenge: Challenge, now=None) -> list[tuple[int, int, int]]:
    """[(rank, user_id, count)] of every participant, live: most first, the earlier joiner first on a tie."""
    counts = progress_counts(challenge, now=now)
    joined = ChallengeParticipant.objects.filter(challenge=challenge).order_by("joined_at", "id")
    order = sorted(joined.values_list("user_id", flat=True), key=lambda uid: -counts.get(uid, 0))
    return [(i + 1, uid, counts.get(uid, 0)) for i, uid in enumerate(order)]


def standing(challenge: Challenge, user, *, limit: int | None = None) -> tuple[dict | None, list[dict]]:
    """The caller's progress, with their rank (live while it runs), and the top `limit`
    (COMMUNITY_CHALLENGE_RANKING_SIZE) of the ranking: the frozen result once closed. The rows are counted once; a
    fixed number of queries whatever the number of participants."""
    limit = limit or settings.COMMUNITY_CHALLENGE_RANKING_SIZE
    row = ChallengeParticipant.objects.filter(challenge=challenge, user_id=user.pk).first()
    if challenge.status == ChallengeStatus.CLOSED:
        progress = _progress(challenge, row, row.final_count or 0, row.rank) if row else None
        rows = [
            (p.rank, p.user_id, p.final_count or 0)
            for p in ChallengeParticipant.objects.filter(challenge=challenge).order_by("rank", "id")[:limit]
        ]
    else:
        ranked = _ranked(challenge)
        mine = next(((rank, count) for rank, uid, count in ranked if uid == user.pk), None)
        progress = _progress(challenge, row, mine[1], mine[0]) if row and mine else None
        rows = ranked[:limit]
    users = User.objects.select_related("community_profile").in_bulk([uid for _r, uid, _n in rows])
    ranking = [
        {
            "rank": rank,
            "user": users[uid],
            "count": count,
            "completed": count >= challenge.target,
            "percent": _percent(count, challenge.target),
        }
        for rank, uid, count in rows
        if uid in users
    ]
    return progress, ranking


def ranking(challenge: Challenge, *, limit: int | None = None) -> list[dict]:
    """The ranking alone (see `standing`)."""
    return standing(challenge, AnonymousUser(), limit=limit)[1]


# --- reads --------------------------------------------------------------------------------------------------------


def group_challenges(group: Group):
    """A group's challenges, running and upcoming first, then ended ones (newest first), with participant counts."""
    return (
        Challenge.objects.filter(group=group)
        .select_related("badge")
        .annotate(participant_count=Count("participants"))
        .order_by("status", "-ends_at", "-id")
    )


def all_challenges():
    return (
        Challenge.objects.select_related("group", "badge")
        .annotate(participant_count=Count("participants"))
        .order_by("status", "-ends_at", "-id")
    )


def joined_ids(user, challenge_ids) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        ChallengeParticipant.objects.filter(user_id=user.pk, challenge_id__in=list(challenge_ids)).values_list(
            "challenge_id", flat=True
        )
    )


def challenge_get(pk) -> Challenge | None:
    if not isinstance(pk, int) or pk <= 0 or pk > 2**31:
        return None
    return (
        Challenge.objects.select_related("group__resource", "badge")
        .annotate(participant_count=Count("participants"))
        .filter(pk=pk)
        .first()
    )


# --- writes -------------------------------------------------------------------------------------------------------


def _badge(value) -> Badge | None:
    if value in (None, "", 0):
        return None
    if isinstance(value, Badge):
        return value
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 10:
        value = int(value.strip())
    badge = Badge.objects.filter(pk=value, is_active=True).first() if isinstance(value, int) else None
    if badge is None:
        raise ServiceError(_("Lencana tidak ditemukan."), errors={"badge": [_("Pilih lencana yang aktif.")]})
    return badge


def _minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


def _clean(data: dict, *, challenge: Challenge | None) -> dict:
    if not isinstance(data, dict):
        raise ServiceError(_("Data tantangan tidak valid."))
    started = challenge is not None and challenge.starts_at <= timezone.now()
    out = {
        "title": clean_text(data.get("title"), field="title", label=_("Judul"), max_length=CHALLENGE_TITLE_MAX),
        "description": clean_text(
            data.get("description"),
            field="description",
            label=_("Deskripsi"),
            max_length=CHALLENGE_TEXT_MAX,
            required=False,
        ),
        "target": clean_int(data.get("target"), field="target", label=_("Target"), low=1, high=CHALLENGE_TARGET_MAX),
        "reward_points": clean_int(
            data.get("reward_points") or 0,
            field="reward_points",
            label=_("Poin hadiah"),
            low=0,
            high=CHALLENGE_POINTS_MAX,
        ),
        "badge": _badge(data.get("badge")),
    }
    metric = data.get("metric")
    if not isinstance(metric, str) or metric not in ChallengeMetric.values:
        raise ServiceError(_("Pilih ukuran tantangan."), errors={"metric": [_("Pilih salah satu.")]})
    start, end = clean_period(data.get("starts_at"), data.get("ends_at"), start_field="starts_at", end_field="ends_at")
    if end <= timezone.now():
        raise ServiceError(
            _("Waktu selesai harus di masa depan."), errors={"ends_at": [_("Pilih waktu yang akan datang.")]}
        )
    if started and _minute(start) == _minute(challenge.starts_at):
        start = challenge.starts_at  # a form round-trips the time to the minute
    if started and (metric != challenge.metric or start != challenge.starts_at):
        raise ServiceError(
            _("Tantangan sudah dimulai: ukuran dan waktu mulai tidak bisa diubah lagi."),
            errors={"metric": [_("Sudah dimulai.")]},
        )
    out.update(metric=metric, starts_at=start, ends_at=end)
    return out


@transaction.atomic
def challenge_create(*, actor, group: Group, data: dict) -> Challenge:
    require_staff(actor, group)
    fields = _clean(data, challenge=None)
    challenge = Challenge.objects.create(group=group, created_by=actor, **fields)
    activity_record(
        action=Action.CHALLENGE_SAVED,
        actor=actor,
        target=challenge,
        target_label=challenge.title,
        data={"group": group.slug, "metric": challenge.metric, "target": challenge.target},
    )
    announce_later(kind="challenge", pk=challenge.pk)
    return challenge


@transaction.atomic
def challenge_update(*, actor, challenge: Challenge, data: dict) -> Challenge:
    require_staff(actor, challenge.group)
    challenge = Challenge.objects.select_for_update().select_related("group").get(pk=challenge.pk)
    if challenge.status == ChallengeStatus.CLOSED:
        raise ServiceError(_("Tantangan sudah selesai dan tidak bisa diubah."), code="closed")
    merged = {
        "title": challenge.title,
        "description": challenge.description,
        "metric": challenge.metric,
        "target": challenge.target,
        "starts_at": challenge.starts_at,
        "ends_at": challenge.ends_at,
        "reward_points": challenge.reward_points,
        "badge": challenge.badge_id,
        **(data if isinstance(data, dict) else {}),
    }
    for name, value in _clean(merged, challenge=challenge).items():
        setattr(challenge, name, value)
    challenge.save()
    activity_record(
        action=Action.CHALLENGE_SAVED,
        actor=actor,
        target=challenge,
        target_label=challenge.title,
        data={"group": challenge.group.slug, "updated": True},
    )
    return challenge


@transaction.atomic
def challenge_join(*, user, challenge: Challenge) -> ChallengeParticipant:
    """A member of the group joins (once; joining again returns the same row)."""
    if not is_member(user, challenge.group):
        raise NotAllowed(_("Gabung ke grup ini dulu untuk ikut tantangannya."), code="not_member")
    if phase(challenge) == "ended":
        raise ServiceError(_("Tantangan ini sudah selesai."), code="closed")
    row, _created = ChallengeParticipant.objects.get_or_create(challenge=challenge, user=user)
    return row


@transaction.atomic
def challenge_leave(*, user, challenge: Challenge) -> None:
    if challenge.status == ChallengeStatus.CLOSED:
        raise ServiceError(_("Tantangan ini sudah selesai."), code="closed")
    ChallengeParticipant.objects.filter(challenge=challenge, user=user).delete()


def challenge_close(*, challenge_id: int, actor=None) -> Challenge | None:
    """Closes one challenge: its period ended (the sweep), or the staff ends it now (`actor`). Freezes every
    participant's count and rank, awards the reward points and badge to those who reached the target and tells
    every participant. Returns None when there was nothing to do (closed already, not due, or locked by a concurrent
    run)."""
    now = timezone.now()
    with transaction.atomic():
        challenge = (
            Challenge.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("group", "badge")
            .filter(pk=challenge_id, status=ChallengeStatus.OPEN)
            .first()
        )
        if challenge is None:
            return None
        if actor is not None:
            require_staff(actor, challenge.group)
            if challenge.ends_at > now:
                challenge.ends_at = max(now, challenge.starts_at + timedelta(seconds=1))
        elif challenge.ends_at > now:
            return None
        ranked = _ranked(challenge, now=challenge.ends_at)
        rows = {p.user_id: p for p in ChallengeParticipant.objects.filter(challenge=challenge)}
        winners = []
        for rank, uid, count in ranked:
            row = rows[uid]
            row.rank, row.final_count, row.completed = rank, count, count >= challenge.target
            if row.completed:
                winners.append(uid)
        ChallengeParticipant.objects.bulk_update(rows.values(), ["rank", "final_count", "completed"], batch_size=500)
        challenge.status, challenge.closed_at = ChallengeStatus.CLOSED, now
        challenge.save(update_fields=["status", "closed_at", "ends_at"])
        activity_record(
            action=Action.CHALLENGE_CLOSED,
            actor=actor,
            target=challenge,
            target_label=challenge.title,
            data={"participants": len(ranked), "completed": len(winners)},
        )
        if challenge.reward_points:
            for uid in winners:
                points_award(
                    action=PointAction.CHALLENGE,
                    key=f"challenge:{challenge.pk}:{uid}",
                    user_id=uid,
                    group=challenge.group,
                    points=challenge.reward_points,
                )
        if challenge.badge is not None and challenge.badge.is_active and winners:
            badges.award(challenge.badge, winners, "")
        _tell_result(challenge, ranked)
    return challenge


def _tell_result(challenge: Challenge, ranked) -> None:
    """Each participant's result (reached the target or not, their count and rank): every notification in one insert."""
    link = reverse("community:challenge", args=[challenge.pk])
    users = User.objects.in_bulk([uid for _rank, uid, _count in ranked])
    notify_many(
        [
            Announcement(
                users=[users[uid]],
                kind=Notify.CHALLENGE_RESULT,
                link=link,
                context={
                    "challenge": challenge.title,
                    "group": challenge.group.name,
                    "target": challenge.target,
                    "count": count,
                    "rank": rank,
                    "result": _("berhasil mencapai target")
                    if count >= challenge.target
                    else _("belum mencapai target"),
                    "points": challenge.reward_points if count >= challenge.target else 0,
                },
            )
            for rank, uid, count in ranked
            if uid in users
        ]
    )


def announce_later(*, kind: str, pk: int) -> None:
    """After commit, in the background: the group's followers hear of a new challenge ("challenge") or a newly
    published quiz ("quiz")."""
    transaction.on_commit(lambda: tasks.challenge_announce_task.delay(kind, pk))


def challenge_announce(*, kind: str, pk: int) -> int:
    """Tells the group's followers (not the creator) about a challenge or a published quiz; how many were told."""
    if kind == "challenge":
        item = Challenge.objects.select_related("group", "created_by").filter(pk=pk).first()
        label, link = _("Tantangan"), reverse("community:challenge", args=[pk])
    else:
        item = (
            GroupQuiz.objects.select_related("group", "created_by").filter(pk=pk, status=QuizStatus.PUBLISHED).first()
        )
        label, link = _("Kuis"), reverse("community:quiz", args=[pk])
    if item is None or item.group.status != GroupStatus.ACTIVE:
        return 0
    return followers_notify(
        group=item.group,
        exclude_user_id=item.created_by_id,
        kind=Notify.CHALLENGE_NEW,
        link=link,
        context={
            "item": label,
            "title": item.title,
            "group": item.group.name,
            "author": item.created_by.full_name if item.created_by else item.group.name,
        },
    )


def challenges_close_due() -> int:
    """The sweep (beat "community-challenges-close"): closes every open challenge whose period has ended. Returns how
    many were closed now."""
    due = list(
        Challenge.objects.filter(status=ChallengeStatus.OPEN, ends_at__lte=timezone.now()).values_list("pk", flat=True)
    )
    return sum(1 for pk in due if challenge_close(challenge_id=pk) is not None)


def group_access(user, group: Group):
    """The policy's decision for a challenge's or quiz's group, like the group page: NotFound for a hidden group the
    user is not in, NotAllowed when they may not read the group (a private one); else the decision."""
    decision = access_check(user=user, resource=group.resource)
    if not decision.allowed and group.visibility == Visibility.HIDDEN:
        raise NotFound(_("Grup tidak ditemukan."))
    if not can_read(user, group, decision):
        raise NotAllowed(decision.message or _("Anda bukan anggota grup ini."), code=decision.reason or "forbidden")
    return decision
