"""Per-group figures for the group's staff and admins (checklist 1.8): members, new members, posts and comments in
the last 7 days, active members (wrote a post or a comment), and what waits for moderation. A fixed number of
queries, whatever the size of the group."""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from .constants import MemberStatus, PostStatus, ReportStatus
from .models import Comment, Group, GroupMember, Post, Report

WINDOW_DAYS = 7


def group_stats(group: Group, *, now=None) -> dict:
    since = (now or timezone.now()) - timedelta(days=WINDOW_DAYS)
    members = GroupMember.objects.filter(group=group).aggregate(
        active=Count("pk", filter=Q(status=MemberStatus.ACTIVE)),
        new=Count("pk", filter=Q(status=MemberStatus.ACTIVE, joined_at__gte=since)),
        requests=Count("pk", filter=Q(status=MemberStatus.PENDING)),
        banned=Count("pk", filter=Q(status=MemberStatus.BANNED)),
    )
    posts = Post.objects.filter(group=group).aggregate(
        week=Count("pk", filter=Q(status=PostStatus.PUBLISHED, created_at__gte=since)),
        pending=Count("pk", filter=Q(status=PostStatus.PENDING)),
    )
    comments = Comment.objects.filter(post__group=group, status=PostStatus.PUBLISHED, created_at__gte=since).count()
    authors = set(
        Post.objects.filter(group=group, status=PostStatus.PUBLISHED, created_at__gte=since).values_list(
            "author_id", flat=True
        )[:5000]
    ) | set(
        Comment.objects.filter(post__group=group, status=PostStatus.PUBLISHED, created_at__gte=since).values_list(
            "author_id", flat=True
        )[:5000]
    )
    reports = Report.objects.filter(group=group, status=ReportStatus.OPEN).count()
    return {
        "days": WINDOW_DAYS,
        "members": members["active"],
        "new_members": members["new"],
        "join_requests": members["requests"],
        "banned": members["banned"],
        "posts": posts["week"],
        "comments": comments,
        "active_members": len(authors),
        "pending_posts": posts["pending"],
        "open_reports": reports,
    }
