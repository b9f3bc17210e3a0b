"""Activity signals of the community: the viral-post alert to admins ("Konten populer", once per post when it passes
the smart rule's threshold of comments), the inactivity nudge (a member not active for COMMUNITY_INACTIVE_DAYS
days is told once, again only after being active since), and the statistics page's figures (bounded: a fixed
number of queries).

Imported by services (comment_create calls `viral_check`), so it imports no community service."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from sanggar.accounts.models import User
from sanggar.accounts.selectors import users_with_role
from sanggar.core.roles import Role
from sanggar.notifications.services import notify_users
from sanggar.notifications.smart_rules import rule_state

from .constants import Notify, PostStatus, Rule
from .models import Comment, Group, GroupMember, Post, Profile

NUDGE_BATCH = 500


def viral_check(*, post: Post, comment_count: int) -> bool:
    """Once a post has more than the smart rule's threshold of comments, admins are told, once (a conditional update
    marks the post, so two comments at once cannot both alert)."""
    rule = rule_state(Rule.POPULAR)  # the smart rule "Konten populer": on / off and the threshold (default 20)
    threshold = rule.value
    if not rule.enabled or comment_count <= threshold:
        return False
    marked = Post.objects.filter(pk=post.pk, viral_alerted_at__isnull=True).update(viral_alerted_at=timezone.now())
    if not marked:
        return False
    admins = list(users_with_role(role=Role.ADMIN)[:50])
    notify_users(
        users=admins,
        kind=Notify.VIRAL_POST,
        link=reverse("community:post", args=[post.pk]),
        context={
            "group": post.group.name,
            "author": post.author.full_name,
            "count": threshold,
            "excerpt": (post.body or "")[:120],
        },
    )
    return True


def inactivity_nudge_sweep(*, now=None) -> int:
    """The daily sweep (beat "community-inactivity-nudge"): members of at least one group who have not been active
    for COMMUNITY_INACTIVE_DAYS days get one in-app nudge; they get another only after being active again. Safe to
    run twice (the profile's `nudged_at` is set in the same pass). Works in batches with a fixed number of queries."""
    days = settings.COMMUNITY_INACTIVE_DAYS
    if not days:
        return 0
    now = now or timezone.now()
    cutoff = now - timedelta(days=days)
    member_ids = GroupMember.objects.filter(status="active", user__is_active=True).values("user_id")
    candidates = (
        User.objects.filter(pk__in=member_ids, date_joined__lt=cutoff)
        .annotate(
            last_point=Max("point_entries__created_at"),
            nudged=Max("community_profile__nudged_at"),
        )
        .filter(Q(last_login__isnull=True) | Q(last_login__lt=cutoff))
        .filter(Q(last_point__isnull=True) | Q(last_point__lt=cutoff))
        .order_by("pk")
    )
    told = 0
    last_pk = 0
    while True:
        batch = list(candidates.filter(pk__gt=last_pk)[:NUDGE_BATCH])
        if not batch:
            break
        last_pk = batch[-1].pk
        due = []
        for user in batch:
            active = max([t for t in (user.last_login, user.last_point) if t], default=user.date_joined)
            if user.nudged is None or user.nudged < active:
                due.append(user)
        if not due:
            continue
        recent_writers = set(
            Post.objects.filter(author__in=due, created_at__gte=cutoff).values_list("author_id", flat=True)
        ) | set(Comment.objects.filter(author__in=due, created_at__gte=cutoff).values_list("author_id", flat=True))
        due = [u for u in due if u.pk not in recent_writers]
        if not due:
            continue
        existing = set(Profile.objects.filter(user__in=due).values_list("user_id", flat=True))
        missing = [u for u in due if u.pk not in existing]
        for user in missing:  # rare: a member who never opened the community has no profile yet
            _profile_for(user)
        Profile.objects.filter(user__in=due).update(nudged_at=now)
        notify_users(users=due, kind=Notify.INACTIVITY, link=reverse("community:feed"), context={})
        told += len(due)
    return told


def _profile_for(user):
    """A profile row to hold `nudged_at` for a member who never opened the community (a unique username the member
    may change later)."""
    for username in (f"member_{user.pk}", f"m{user.pk}_{secrets.token_hex(3)}"):
        try:
            with transaction.atomic():
                Profile.objects.get_or_create(user=user, defaults={"username": username})
            return
        except IntegrityError:
            continue


# --- statistics ---------------------------------------------------------------------------------------------


def community_stats(*, days: int = 30, now=None) -> dict:
    """Figures for /admin/komunitas/statistik: posts and comments per day, active members (wrote, commented or
    earned points in the period), new group members, the top groups by posts, and the viral posts. Nine queries."""
    now = now or timezone.now()
    start = now - timedelta(days=days)
    posts = Post.objects.filter(created_at__gte=start, status=PostStatus.PUBLISHED)
    per_day = {
        row["day"]: row["n"]
        for row in posts.annotate(day=TruncDate("created_at")).values("day").annotate(n=Count("id")).order_by("day")
    }
    comments_per_day = {
        row["day"]: row["n"]
        for row in Comment.objects.filter(created_at__gte=start, status=PostStatus.PUBLISHED)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    }
    today = timezone.localdate(now)
    series = []
    for offset in range(days - 1, -1, -1):
        day = today - timedelta(days=offset)
        series.append({"day": day, "posts": per_day.get(day, 0), "comments": comments_per_day.get(day, 0)})
    active = (
        User.objects.filter(is_active=True)
        .filter(
            Q(community_posts__created_at__gte=start)
            | Q(community_comments__created_at__gte=start)
            | Q(point_entries__created_at__gte=start)
        )
        .distinct()
        .count()
    )
    top_groups = list(
        Group.objects.annotate(n=Count("posts", filter=Q(posts__created_at__gte=start, posts__status="published")))
        .filter(n__gt=0)
        .order_by("-n", "name")
        .values("slug", "name", "n")[:10]
    )
    viral = list(
        Post.objects.filter(viral_alerted_at__gte=start)
        .select_related("group", "author")
        .order_by("-comment_count", "-id")[:10]
    )
    return {
        "days": days,
        "start": start,
        "end": now,
        "series": series,
        "posts": sum(per_day.values()),
        "comments": sum(comments_per_day.values()),
        "active_members": active,
        "new_members": GroupMember.objects.filter(joined_at__gte=start, status="active").count(),
        "top_groups": top_groups,
        "viral": viral,
        "max_day": max([max(r["posts"], r["comments"]) for r in series] or [0]) or 1,
    }
