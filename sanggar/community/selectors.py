"""Reads of the community, each a bounded number of queries whatever the size of the page."""

from datetime import timedelta

from django.db.models import Case, Count, IntegerField, Prefetch, Q, Sum, Value, When
from django.urls import reverse
from django.utils import timezone

from sanggar.access.policy import access_decisions
from sanggar.accounts.models import User
from sanggar.catalog.constants import ProductStatus
from sanggar.catalog.models import Product
from sanggar.core.roles import Role
from sanggar.learning.constants import CourseStatus
from sanggar.learning.models import Course, Enrollment
from sanggar.learning.services import can_edit

from .constants import (
    QUOTE_BACKGROUNDS,
    ROLE_ORDER,
    GroupStatus,
    InvitationStatus,
    MemberRole,
    MemberStatus,
    PostStatus,
    Visibility,
)
from .linkpreview import video_embed
from .media import media_link, photo_link, preview_image_link
from .models import (
    Badge,
    Comment,
    Follow,
    Group,
    GroupFile,
    GroupInvitation,
    GroupMember,
    PointEntry,
    PollOption,
    Post,
    Profile,
    Reaction,
    SavedPost,
    UserBadge,
)
from .policy import permissions_of


def groups_with_access(user) -> list[tuple[Group, bool]]:
    """Every active group the user may see (hidden ones only when a member), with whether they are a member.
    Two queries plus the policy's fixed batch."""
    groups = list(Group.objects.filter(status=GroupStatus.ACTIVE).select_related("resource"))
    if not groups:
        return []
    decisions = access_decisions(user=user, resources=[g.resource for g in groups])
    out = []
    for group in groups:
        member = decisions[group.resource_id].allowed
        if member or group.visibility != Visibility.HIDDEN:
            out.append((group, member))
    return out


def member_group_ids(user) -> list[int]:
    return [g.pk for g, member in groups_with_access(user) if member]


def readable_group_ids(user) -> list[int]:
    return [g.pk for g, member in groups_with_access(user) if member or g.visibility == Visibility.PUBLIC]


def study_group_choices(*, user) -> list[tuple[int, str]]:
    """The groups a course author may name as the course's study group (learning's `StudyGroups.choices`): every
    active group for an admin, the active groups a mentor owns or moderates otherwise. One query, at most 200."""
    qs = Group.objects.filter(status=GroupStatus.ACTIVE)
    if user is None or not user.is_authenticated:
        return []
    if not user.has_role(Role.ADMIN):
        qs = qs.filter(
            members__user=user,
            members__status=MemberStatus.ACTIVE,
            members__role__in=(MemberRole.OWNER, MemberRole.MODERATOR),
        )
    return list(qs.order_by("name", "pk").values_list("resource_id", "name").distinct()[:200])


def study_groups_describe(*, resource_ids) -> dict[int, tuple[str, str]]:
    """Name and page of the groups behind these resources (learning's `StudyGroups.describe`). One query."""
    rows = Group.objects.filter(resource_id__in=list(resource_ids), status=GroupStatus.ACTIVE).values_list(
        "resource_id", "name", "slug"
    )
    return {rid: (name, reverse("community:group", args=[slug])) for rid, name, slug in rows}


def group_by_slug(slug: str) -> Group | None:
    return Group.objects.select_related("resource", "owner").filter(slug=slug).first()


def posts_qs():
    return (
        Post.objects.filter(status=PostStatus.PUBLISHED)
        .select_related("author", "author__community_profile", "group", "link_preview", "sticker")
        .prefetch_related("poll_options")
    )


def home_feed(user, group_ids: list[int] | None = None):
    """The posts of the groups the user is in (`group_ids` when the caller already knows them), newest first."""
    ids = member_group_ids(user) if group_ids is None else group_ids
    return posts_qs().filter(group_id__in=ids).order_by("-created_at", "-id")


def group_feed(group: Group):
    return posts_qs().filter(group=group).order_by("-is_pinned", "-pinned_at", "-created_at", "-id")


def annotate_viewer(posts: list, user) -> list:
    """Adds, for a page of posts, the viewer's reaction, saved flag and poll vote, and reaction counts per type
    (three queries for the whole page)."""
    ids = [p.pk for p in posts]
    mine = dict(Reaction.objects.filter(user=user, post_id__in=ids, comment=None).values_list("post_id", "type"))
    saved = set(SavedPost.objects.filter(user=user, post_id__in=ids).values_list("post_id", flat=True))
    counts: dict[int, dict[str, int]] = {}
    for row in Reaction.objects.filter(post_id__in=ids, comment=None).values("post_id", "type").annotate(n=Count("id")):
        counts.setdefault(row["post_id"], {})[row["type"]] = row["n"]
    from .models import PollVote

    votes = dict(PollVote.objects.filter(user=user, post_id__in=ids).values_list("post_id", "option_id"))
    for post in posts:
        post.media_link = media_link(user=user, post=post) if post.media else ""
        post.photo_link = photo_link(user=user, post=post) if post.image else ""
        preview = post.link_preview if post.link_preview_id else None
        post.preview_image_link = preview_image_link(user=user, post=post) if preview and preview.image else ""
        post.background_classes = QUOTE_BACKGROUNDS.get(post.background, ("", ""))[1] if post.background else ""
        embed = video_embed(post.video_url) if post.video_url else None
        post.video_provider, post.video_embed = embed or ("", "")
        post.my_reaction = mine.get(post.pk, "")
        post.is_saved = post.pk in saved
        post.reaction_counts = counts.get(post.pk, {})
        post.my_vote = votes.get(post.pk)
        options = list(post.poll_options.all())
        total = sum(o.vote_count for o in options) or 0
        for o in options:
            o.percent = int(100 * o.vote_count / total) if total else 0
        post.options = options
    return posts


def post_comments(post: Post):
    """Top-level comments with their replies (one level), two queries."""
    replies = (
        Comment.objects.filter(status=PostStatus.PUBLISHED)
        .select_related("author", "sticker")
        .order_by("created_at", "id")
    )
    return (
        Comment.objects.filter(post=post, parent__isnull=True, status=PostStatus.PUBLISHED)
        .select_related("author", "sticker")
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="visible_replies"))
        .order_by("created_at", "id")
    )


def annotate_comments(comments: list, user) -> list:
    """Adds, for a page of comments and their replies, reaction counts per type and the viewer's own reaction
    (two queries for the whole page)."""
    every = []
    for comment in comments:
        every.append(comment)
        every.extend(getattr(comment, "visible_replies", []) or [])
    ids = [c.pk for c in every]
    counts: dict[int, dict[str, int]] = {}
    mine: dict[int, str] = {}
    if ids:
        rows = Reaction.objects.filter(comment_id__in=ids).values("comment_id", "type").annotate(n=Count("id"))
        for row in rows:
            counts.setdefault(row["comment_id"], {})[row["type"]] = row["n"]
        mine = dict(Reaction.objects.filter(user=user, comment_id__in=ids).values_list("comment_id", "type"))
    for comment in every:
        comment.reaction_counts = counts.get(comment.pk, {})
        comment.my_reaction = mine.get(comment.pk, "")
    return comments


def last_comment_id(post: Post) -> int:
    return Comment.objects.filter(post=post).order_by("-id").values_list("id", flat=True).first() or 0


def comments_after(post: Post, after: int, limit: int = 30) -> list:
    """Published comments of `post` newer than comment `after`, oldest first (one query); no replies loaded (a new
    comment has none yet, and later replies come as their own rows)."""
    rows = list(
        Comment.objects.filter(post=post, status=PostStatus.PUBLISHED, id__gt=after)
        .select_related("author", "sticker")
        .order_by("id")[:limit]
    )
    for row in rows:
        row.visible_replies = []
    return rows


def group_members(group: Group):
    return (
        GroupMember.objects.filter(group=group, status=MemberStatus.ACTIVE)
        .select_related("user", "user__community_profile")
        .annotate(
            role_rank=Case(
                *[When(role=role, then=Value(rank)) for role, rank in ROLE_ORDER.items()],
                default=Value(9),
                output_field=IntegerField(),
            )
        )
        .order_by("role_rank", "joined_at", "id")
    )


def pending_posts(group_ids=None):
    qs = Post.objects.filter(status=PostStatus.PENDING).select_related("author", "group").order_by("created_at")
    return qs if group_ids is None else qs.filter(group_id__in=group_ids)


def pending_requests(group_ids=None):
    qs = GroupMember.objects.filter(status=MemberStatus.PENDING).select_related("user", "group").order_by("joined_at")
    return qs if group_ids is None else qs.filter(group_id__in=group_ids)


def open_reports(group_ids=None):
    from .constants import ReportStatus
    from .models import Report

    qs = (
        Report.objects.filter(status=ReportStatus.OPEN)
        .select_related("reporter", "group", "post", "comment", "target_user")
        .order_by("created_at")
    )
    return qs if group_ids is None else qs.filter(group_id__in=group_ids)


def restricted_members(group_ids=None):
    now = timezone.now()
    qs = GroupMember.objects.filter(Q(status=MemberStatus.BANNED) | Q(muted_until__gt=now)).select_related(
        "user", "group"
    )
    return qs if group_ids is None else qs.filter(group_id__in=group_ids)


def moderated_group_ids(user) -> list[int]:
    """The groups whose queue the user works: owner, or a role the group's matrix lets moderate (one query)."""
    rows = GroupMember.objects.filter(user=user, status=MemberStatus.ACTIVE, group__status=GroupStatus.ACTIVE)
    return [
        row.group_id
        for row in rows.select_related("group")
        if row.role == MemberRole.OWNER or row.role in permissions_of(row.group)["moderate"]
    ]


def saved_posts(user):
    return posts_qs().filter(saves__user=user, group_id__in=readable_group_ids(user)).order_by("-saves__created_at")


def profile_by_username(username: str) -> Profile | None:
    return Profile.objects.select_related("user").filter(username=username, user__is_active=True).first()


def user_by_username(username: str):
    """The active user behind an @username (a leading "@" is allowed), or None."""
    profile = profile_by_username(username.removeprefix("@"))
    return profile.user if profile is not None else None


def usernames_of(user_ids) -> dict[int, str]:
    """{user id: @username} of those who have a community profile (one query; chat's registry)."""
    ids = list(user_ids)
    if not ids:
        return {}
    return dict(Profile.objects.filter(user_id__in=ids).values_list("user_id", "username"))


def follow_counts(user) -> tuple[int, int]:
    return Follow.objects.filter(followee=user).count(), Follow.objects.filter(follower=user).count()


def followers(user):
    return User.objects.filter(following_rows__followee=user, is_active=True).select_related("community_profile")


def following(user):
    return User.objects.filter(follower_rows__follower=user, is_active=True).select_related("community_profile")


def period_start(period: str):
    now = timezone.localtime()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "week":
        return today - timedelta(days=today.weekday())
    if period == "month":
        return today.replace(day=1)
    return None


def leaderboard(period: str = "week", group: Group | None = None, limit: int = 20):
    """Top members by points in the period (week from Monday, month from the 1st, or all time), one query."""
    qs = PointEntry.objects.all()
    start = period_start(period)
    if start is not None:
        qs = qs.filter(created_at__gte=start)
    if group is not None:
        qs = qs.filter(group=group)
    rows = list(
        qs.values("user_id").annotate(points=Sum("points")).filter(points__gt=0).order_by("-points", "user_id")[:limit]
    )
    users = {
        u.pk: u for u in User.objects.filter(pk__in=[r["user_id"] for r in rows]).select_related("community_profile")
    }
    return [
        {"rank": i + 1, "user": users[r["user_id"]], "points": r["points"]}
        for i, r in enumerate(rows)
        if r["user_id"] in users
    ]


def poll_options_of(post: Post):
    return PollOption.objects.filter(post=post)


def members_connected(user, other) -> bool:
    """Two people are connected (chat lets them start a direct conversation) when they follow each other or are both
    members of one group: a private or hidden group they may read as members, or a public group both joined."""
    if not (getattr(user, "pk", None) and getattr(other, "pk", None)) or user.pk == other.pk:
        return False
    mutual = Follow.objects.filter(
        Q(follower_id=user.pk, followee_id=other.pk) | Q(follower_id=other.pk, followee_id=user.pk)
    ).count()
    if mutual == 2:
        return True
    mine = {group.pk: group for group, member in groups_with_access(user) if member}
    shared = set(mine) & set(member_group_ids(other))
    if any(mine[pk].visibility != Visibility.PUBLIC for pk in shared):
        return True
    joined = (
        GroupMember.objects.filter(group_id__in=shared, status=MemberStatus.ACTIVE, user_id__in=[user.pk, other.pk])
        .values("group_id")
        .annotate(n=Count("user_id", distinct=True))
        .filter(n=2)
    )
    return bool(shared) and joined.exists()


def invitations_for(user):
    """The user's pending group invitations (a hidden group's too: the invitation is how they learn of it)."""
    return (
        GroupInvitation.objects.filter(invitee=user, status=InvitationStatus.PENDING, group__status=GroupStatus.ACTIVE)
        .select_related("group", "invited_by")
        .order_by("-created_at", "-id")
    )


def group_files(group: Group):
    return GroupFile.objects.filter(group=group).select_related("uploader").order_by("-created_at", "-id")


def group_courses_and_products(group: Group) -> tuple[list, list]:
    """What the group comes with: published products that include it (a plan's bonus, a course bundle, a webinar),
    and the published courses those products include (e.g. a course whose study group is this group). Two queries."""
    products = list(
        Product.objects.filter(included_resources=group.resource_id, status=ProductStatus.PUBLISHED)
        .order_by("title", "id")
        .distinct()[:50]
    )
    courses = list(
        Course.objects.filter(
            resource__in_products__included_resources=group.resource_id,
            resource__in_products__status=ProductStatus.PUBLISHED,
            status=CourseStatus.PUBLISHED,
        )
        .order_by("title", "id")
        .distinct()[:50]
    )
    return courses, products


def group_course(group: Group) -> Course | None:
    """The course a group belongs to: a mentor's course group (`Group.course`), or the study group a course names
    (the group's resource comes with the course's). One query; None for other groups."""
    if group.course_id:
        return Course.objects.select_related("resource").filter(pk=group.course_id).first()
    return Course.objects.select_related("resource").filter(resource__bundled=group.resource_id).order_by("id").first()


def course_progress_viewer_all(user, group: Group, course: Course, *, moderator: bool) -> bool:
    """Who sees every member's progress on the group's "Progres Kursus" tab: the group's admins and moderators
    (the permissions matrix's `moderate`), the course's mentors (learning.can_edit) and site admins. A member sees
    only their own row."""
    return moderator or user.has_role(Role.ADMIN) or can_edit(user, course)


def course_progress_rows(course: Course, members) -> list[dict]:
    """One row per group member (a page of `GroupMember`s): their enrolment's progress in `course` (one query), or
    "not started"."""
    members = list(members)
    enrolments = {
        e.user_id: e
        for e in Enrollment.objects.filter(course=course, user_id__in=[m.user_id for m in members]).only(
            "user_id", "progress_percent", "completed_at", "last_activity_at", "created_at"
        )
    }
    return [{"member": m, "user": m.user, "enrolment": enrolments.get(m.user_id)} for m in members]


def badge_items(user_id: int, request=None) -> list[dict]:
    """A member's badges for the API (newest first): name, icon, uploaded picture (absolute when `request` is
    given) and the week of a weekly badge (one query)."""
    storage = Badge._meta.get_field("image").storage
    return [
        {
            "slug": slug,
            "name": name,
            "description": description,
            "icon": icon or "award",
            "image_url": (request.build_absolute_uri(storage.url(image)) if request else storage.url(image))
            if image
            else None,
            "period_key": period_key,
            "awarded_at": awarded_at,
        }
        for slug, name, description, icon, image, period_key, awarded_at in UserBadge.objects.filter(user_id=user_id)
        .order_by("-awarded_at", "-id")
        .values_list(
            "badge__slug",
            "badge__name",
            "badge__description",
            "badge__icon",
            "badge__image",
            "period_key",
            "awarded_at",
        )
    ]


def authored_moments(*, user_ids, since) -> dict[int, list]:
    """Per user: the moments of the posts and comments they published since `since` (two queries for all of them;
    the reminders' usage condition counts active days from these)."""
    result: dict[int, list] = {}
    ids = set(user_ids)
    for model in (Post, Comment):
        rows = model.objects.filter(author_id__in=ids, status=PostStatus.PUBLISHED, created_at__gte=since)
        for user_id, created_at in rows.values_list("author_id", "created_at"):
            result.setdefault(user_id, []).append(created_at)
    return result
