"""Groups, their members, posts, comments, reactions, polls, reports, keyword rules, follows, and the points ledger
with badges (community gamification)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from sanggar.access.models import Resource
from sanggar.accounts.constants import PROVINCE_CHOICES

from .constants import (
    BadgeCriteria,
    BadgePeriod,
    GroupStatus,
    InvitationStatus,
    KeywordAction,
    MemberRole,
    MemberSource,
    MemberStatus,
    PointAction,
    PostStatus,
    ReactionType,
    ReportCategory,
    ReportStatus,
    RequiredFor,
    Visibility,
)

USER = settings.AUTH_USER_MODEL


def post_image_path(instance, filename):
    # private: group posts are for the group's readers only, opened through signed links (media.photo_link)
    return f"private/community/posts/{filename}"


def group_image_path(instance, filename):
    return f"community/groups/{filename}"


def profile_image_path(instance, filename):
    return f"community/profiles/{filename}"


def badge_image_path(instance, filename):
    return f"community/badges/{filename}"


class Group(models.Model):
    name = models.CharField(_("nama grup"), max_length=120)
    slug = models.SlugField(_("alamat"), max_length=80, unique=True)
    description = models.TextField(_("deskripsi"), max_length=2000, blank=True)
    rules = models.TextField(_("aturan grup"), max_length=4000, blank=True)
    visibility = models.CharField(_("jenis"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    status = models.CharField(_("status"), max_length=10, choices=GroupStatus.choices, default=GroupStatus.ACTIVE)
    require_approval = models.BooleanField(_("postingan perlu disetujui moderator"), default=False)
    members_can_post = models.BooleanField(_("anggota boleh membuat postingan"), default=True)
    allow_polls = models.BooleanField(_("anggota boleh membuat polling"), default=True)
    allow_images = models.BooleanField(_("anggota boleh mengunggah foto"), default=True)
    # cover (1500 × 500) and avatar (400 × 400), re-encoded as JPEG by `group_images_set`
    cover = models.ImageField(_("sampul"), upload_to=group_image_path, blank=True, max_length=200)
    avatar = models.ImageField(_("avatar grup"), upload_to=group_image_path, blank=True, max_length=200)
    # The permissions matrix: {permission: [roles]} for the keys set here; the others keep their defaults
    # (policy.default_permissions). The owner may always do everything.
    permissions = models.JSONField(_("hak akses per peran"), default=dict, blank=True)
    # Group chat (a realtime conversation of the group's members), switched on by the group's moderators.
    chat_enabled = models.BooleanField(_("obrolan grup aktif"), default=False)
    # Post features switched on or off for the whole group: {feature: bool} for the keys set here (features.FEATURES;
    # the rest are on). Checked by the post, comment, story and event services (features.feature_require).
    features = models.JSONField(_("fitur postingan"), default=dict, blank=True)
    # A mentor's private group for one of their courses (features.py / proposals.py); optional.
    course = models.ForeignKey(
        "learning.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="community_groups"
    )
    # A required group (PR #3): every member with a running membership (of the kind) is in it, by the policy.
    required_for = models.CharField(
        _("grup wajib untuk"), max_length=10, choices=RequiredFor.choices, default=RequiredFor.NONE, blank=True
    )
    resource = models.OneToOneField(Resource, on_delete=models.PROTECT, related_name="community_group")
    owner = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("grup")
        verbose_name_plural = _("grup")

    def __str__(self):
        return self.name


class GroupMember(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="group_memberships")
    role = models.CharField(_("peran"), max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    source = models.CharField(_("asal"), max_length=12, choices=MemberSource.choices)
    status = models.CharField(_("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.ACTIVE)
    muted_until = models.DateTimeField(_("dibisukan sampai"), null=True, blank=True)
    notify_posts = models.BooleanField(_("notifikasi grup"), default=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="community_member_unique")]
        indexes = [models.Index(fields=["user", "status"])]
        verbose_name = _("anggota grup")
        verbose_name_plural = _("anggota grup")

    def __str__(self):
        return f"{self.user} @ {self.group}"


class GroupInvitation(models.Model):
    """An invitation to a group: pending until the invitee accepts (an active membership row) or declines."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invitations")
    invitee = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="group_invitations")
    invited_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "invitee"], condition=Q(status="pending"), name="community_one_pending_invitation"
            )
        ]
        indexes = [models.Index(fields=["invitee", "status"])]
        verbose_name = _("undangan grup")
        verbose_name_plural = _("undangan grup")


def preview_image_path(instance, filename):
    # private like post photos: shown on a post through a signed link bound to that post (media.preview_image_link)
    return f"private/community/previews/{filename}"


class LinkPreview(models.Model):
    """The preview of a link, fetched once on the server in the background (`linkpreview.py`: SSRF-safe)."""

    PENDING, OK, FAILED = "pending", "ok", "failed"
    url = models.URLField(max_length=500, unique=True)
    status = models.CharField(
        max_length=10,
        choices=[(PENDING, _("Menunggu")), (OK, _("Berhasil")), (FAILED, _("Gagal"))],
        default=PENDING,
    )
    title = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=400, blank=True)
    image_url = models.URLField(max_length=500, blank=True)
    # the page's image, fetched on the server and stored as our own JPEG thumbnail (served from our origin: the CSP
    # allows no external images); empty when the page has none or it could not be used (`image_error`)
    image = models.ImageField(upload_to=preview_image_path, blank=True, max_length=200)
    image_error = models.CharField(max_length=200, blank=True)
    site_name = models.CharField(max_length=100, blank=True)
    error = models.CharField(max_length=200, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.url


def post_document_path(instance, filename):
    return f"private/community/{filename}"


class Post(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="community_posts")
    body = models.TextField(_("isi"), blank=True)
    image = models.ImageField(_("foto"), upload_to=post_image_path, blank=True)
    link_url = models.URLField(_("tautan"), max_length=500, blank=True)
    # Rich text (sanitised, allow-listed HTML); `body` keeps its plain text for excerpts, keyword rules and mentions.
    body_html = models.TextField(blank=True, default="")
    # a sticker from the chat app's packs: a post may be a sticker alone (or a sticker with text)
    sticker = models.ForeignKey("chat.Sticker", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    video_url = models.URLField(_("video (YouTube / Vimeo)"), max_length=500, blank=True)
    link_preview = models.ForeignKey(LinkPreview, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    document = models.FileField(_("dokumen"), upload_to=post_document_path, blank=True, max_length=255)
    document_name = models.CharField(max_length=255, blank=True)
    is_announcement = models.BooleanField(_("pengumuman"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=PostStatus.choices, default=PostStatus.PUBLISHED)
    is_pinned = models.BooleanField(_("disematkan"), default=False)
    pinned_at = models.DateTimeField(null=True, blank=True)
    comments_enabled = models.BooleanField(_("komentar aktif"), default=True)
    reaction_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    moderation_note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # A short text on a coloured background (a key of constants.QUOTE_BACKGROUNDS), shown large in the feed.
    background = models.CharField(_("latar warna"), max_length=20, blank=True, default="")
    # A place tag: free text, optionally with a city and one of the project's provinces (filterable).
    location_name = models.CharField(_("lokasi"), max_length=100, blank=True, default="")
    location_city = models.CharField(_("kota"), max_length=100, blank=True, default="")
    location_province = models.CharField(
        _("provinsi"), max_length=50, choices=PROVINCE_CHOICES, blank=True, default="", db_index=True
    )
    # An uploaded audio or video (type recognised by its first bytes), private: streamed through a signed link.
    media = models.FileField(_("audio / video"), upload_to=post_document_path, blank=True, max_length=255)
    media_kind = models.CharField(max_length=5, blank=True, default="")  # audio | video
    media_type = models.CharField(max_length=30, blank=True, default="")  # the content type served
    media_size = models.PositiveBigIntegerField(default=0)
    # set once when the post passed the smart rule "Konten populer"'s threshold and admins were told ("Konten populer")
    viral_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["group", "status", "-created_at"]),
            # A group's feed (`selectors.group_feed`): pinned first, then newest; read in order, not sorted (a
            # group of 5,000 posts sorted them all for each page, 14 ms of PostgreSQL).
            models.Index(
                fields=["group", "status", "-is_pinned", "-pinned_at", "-created_at", "-id"],
                name="community_post_group_feed",
            ),
        ]
        verbose_name = _("postingan")
        verbose_name_plural = _("postingan")

    def __str__(self):
        return (self.body or "")[:60] or f"Postingan {self.pk}"

    @cached_property
    def action_urls(self) -> dict[str, str]:
        """The post's own addresses that every comment and reply under it repeats in its forms (react, report,
        reply, back to the post): reversed once per post instead of once per comment."""
        return {
            "page": reverse("community:post", args=[self.pk]),
            "react": reverse("community:react", args=[self.pk]),
            "report": reverse("community:report", args=[self.pk]),
            "comment": reverse("community:comment_create", args=[self.pk]),
        }


class Mention(models.Model):
    """An @username in a post or a comment (the person is told once per post / comment)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    comment = models.ForeignKey("Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="mentions")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], condition=Q(comment=None), name="community_mention_post"),
            models.UniqueConstraint(
                fields=["comment", "user"], condition=~Q(comment=None), name="community_mention_comment"
            ),
        ]


class PollOption(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="poll_options")
    text = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    vote_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text


class PollVote(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="poll_votes")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="community_one_vote_per_poll")]


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="community_comments")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    body = models.TextField(_("komentar"), blank=True)
    sticker = models.ForeignKey("chat.Sticker", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=PostStatus.choices, default=PostStatus.PUBLISHED)
    reaction_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("komentar")
        verbose_name_plural = _("komentar")

    def __str__(self):
        return self.body[:60]


class Reaction(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True, related_name="reactions")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reactions")
    type = models.CharField(max_length=10, choices=ReactionType.choices, default=ReactionType.LIKE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], condition=Q(comment=None), name="community_react_post"),
            models.UniqueConstraint(fields=["user", "comment"], condition=~Q(comment=None), name="community_react_cmt"),
            models.CheckConstraint(
                condition=Q(post__isnull=False) | Q(comment__isnull=False), name="community_react_target"
            ),
        ]


class Report(models.Model):
    reporter = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    target_user = models.ForeignKey(USER, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    category = models.CharField(_("kategori"), max_length=10, choices=ReportCategory.choices)
    reason = models.TextField(_("alasan"), max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    handled_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")


class KeywordRule(models.Model):
    phrase = models.CharField(_("kata/frasa"), max_length=100)
    action = models.CharField(_("tindakan"), max_length=10, choices=KeywordAction.choices)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, null=True, blank=True, related_name="keyword_rules")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["phrase"]
        verbose_name = _("filter kata")
        verbose_name_plural = _("filter kata")

    def __str__(self):
        return self.phrase


class SavedPost(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="saves")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "post"], name="community_save_once")]


class Profile(models.Model):
    """The community side of a person: the @username (mentions, /u/<username>) and what the directory may show."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="community_profile")
    username = models.CharField(_("username"), max_length=30, unique=True)
    headline = models.CharField(_("tagline"), max_length=120, blank=True)
    website = models.URLField(_("situs / media sosial"), max_length=300, blank=True)
    show_in_directory = models.BooleanField(_("tampil di direktori member"), default=False)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    # cover photo (1500 × 500, re-encoded as JPEG by `profiles.profile_cover_set`) and social links
    # ({network: url} for the keys of constants.SOCIAL_NETWORKS, checked by the service)
    cover = models.ImageField(_("sampul profil"), upload_to=profile_image_path, blank=True, max_length=200)
    social_links = models.JSONField(_("media sosial"), default=dict, blank=True)
    # when the inactivity nudge was last sent (sent again only after the member has been active since)
    nudged_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return "@" + self.username


class Follow(models.Model):
    follower = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="following_rows")
    followee = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="follower_rows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="community_follow_unique"),
            models.CheckConstraint(condition=~Q(follower=models.F("followee")), name="community_no_self_follow"),
        ]


class PointEntry(models.Model):
    """Append-only: points are the sum of entries; nothing updates or deletes a row (a correction is a new row)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="point_entries")
    action = models.CharField(max_length=20, choices=PointAction.choices)
    points = models.IntegerField()
    key = models.CharField(max_length=120, unique=True)  # idempotency: one award per action and object
    group = models.ForeignKey(Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "action", "created_at"])]


class Badge(models.Model):
    name = models.CharField(_("nama lencana"), max_length=80)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    points_required = models.PositiveIntegerField(
        _("poin untuk otomatis"), null=True, blank=True, help_text=_("Kosong = hanya diberikan admin.")
    )
    # a Lucide name from BADGE_ICONS (the house's local icon set); empty = the default "award"
    icon = models.CharField(_("ikon"), max_length=40, blank=True)
    # GAM-D3: what earns it. "points" uses points_required; the counts use `threshold` within the period.
    criteria = models.CharField(
        _("kriteria"), max_length=20, choices=BadgeCriteria.choices, default=BadgeCriteria.POINTS
    )
    threshold = models.PositiveIntegerField(_("ambang"), null=True, blank=True)
    period = models.CharField(_("periode"), max_length=10, choices=BadgePeriod.choices, default=BadgePeriod.ALL_TIME)
    is_active = models.BooleanField(_("aktif"), default=True)
    # an uploaded picture (public, re-encoded 256 × 256 PNG) shown instead of the icon when set
    image = models.ImageField(_("gambar"), upload_to=badge_image_path, max_length=255, blank=True)

    class Meta:
        ordering = ["points_required", "name"]

    def __str__(self):
        return self.name

    @property
    def icon_name(self) -> str:
        return self.icon or "award"


class UserBadge(models.Model):
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="badges")
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="holders")
    awarded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    awarded_at = models.DateTimeField(auto_now_add=True)
    # "" for an all-time badge; the ISO week ("2026-W49") for a weekly badge, which can be earned again each week
    period_key = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "badge", "period_key"], name="community_badge_once_per_period")
        ]


def group_file_path(instance, filename):
    return f"private/community/files/{filename}"


class GroupFile(models.Model):
    """A file in the group's library ("Berkas"): private storage, downloaded only through a signed link bound to
    the member it was made for, with membership checked again at download."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="files")
    uploader = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    title = models.CharField(_("judul"), max_length=150)
    file = models.FileField(upload_to=group_file_path, max_length=255)
    original_name = models.CharField(max_length=255)
    extension = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["group", "-created_at"])]
        verbose_name = _("berkas grup")
        verbose_name_plural = _("berkas grup")

    def __str__(self):
        return self.title


def scheduled_file_path(instance, filename):
    return f"private/community/scheduled/{filename}"


class ScheduledPost(models.Model):
    """A post its author set to appear later: nobody but the author sees it (it is not a Post until it is due).
    The minute sweep (`scheduled.scheduled_posts_publish`) creates the real post through `post_create`, so the post
    gets its place at the top of the feed and the normal side effects (notifications, live update, points)."""

    SCHEDULED, PUBLISHED, CANCELLED, FAILED = "scheduled", "published", "cancelled", "failed"
    STATUS_CHOICES = [
        (SCHEDULED, _("Terjadwal")),
        (PUBLISHED, _("Sudah terbit")),
        (CANCELLED, _("Dibatalkan")),
        (FAILED, _("Gagal terbit")),
    ]
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="scheduled_posts")
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="scheduled_posts")
    scheduled_at = models.DateTimeField(_("waktu terbit"), db_index=True)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=SCHEDULED)
    body = models.TextField(blank=True)
    body_html = models.TextField(blank=True, default="")
    link_url = models.URLField(max_length=500, blank=True)
    video_url = models.URLField(max_length=500, blank=True)
    poll = models.JSONField(default=list, blank=True)
    is_announcement = models.BooleanField(default=False)
    background = models.CharField(max_length=20, blank=True, default="")
    location_name = models.CharField(max_length=100, blank=True, default="")
    location_city = models.CharField(max_length=100, blank=True, default="")
    location_province = models.CharField(max_length=50, blank=True, default="")
    image = models.FileField(upload_to=scheduled_file_path, blank=True, max_length=255)
    document = models.FileField(upload_to=scheduled_file_path, blank=True, max_length=255)
    document_name = models.CharField(max_length=255, blank=True)
    media = models.FileField(upload_to=scheduled_file_path, blank=True, max_length=255)
    post = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scheduled_at", "id"]
        indexes = [models.Index(fields=["status", "scheduled_at"]), models.Index(fields=["author", "status"])]
        verbose_name = _("postingan terjadwal")
        verbose_name_plural = _("postingan terjadwal")

    def __str__(self):
        return (self.body or "")[:60] or f"Terjadwal {self.pk}"


def story_file_path(instance, filename):
    return f"private/community/stories/{filename}"


class Story(models.Model):
    """A photo or a short text on a colour, seen for COMMUNITY_STORY_HOURS (24): by the author's followers when it
    has no group, by whoever may read its group otherwise. Expired stories are left out by every query; the sweep
    deletes them and their files later."""

    PHOTO, TEXT = "photo", "text"
    author = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="stories")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, null=True, blank=True, related_name="stories")
    kind = models.CharField(max_length=5, choices=[(PHOTO, _("Foto")), (TEXT, _("Teks"))])
    image = models.ImageField(upload_to=story_file_path, blank=True, max_length=255)
    text = models.CharField(_("teks"), max_length=300, blank=True)
    background = models.CharField(max_length=20, blank=True, default="")
    view_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["author", "expires_at"]), models.Index(fields=["group", "expires_at"])]
        verbose_name = _("story")
        verbose_name_plural = _("story")

    def __str__(self):
        return self.text[:60] or f"Story {self.pk}"


class StoryView(models.Model):
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="views")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    viewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["story", "user"], name="community_story_view_once")]


class GroupProposal(models.Model):
    """A mentor's proposal of a public group, approved (the group is created, the mentor owns it) or rejected with a
    note by an admin (proposals.py)."""

    PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
    STATUS_CHOICES = [(PENDING, _("Menunggu persetujuan")), (APPROVED, _("Disetujui")), (REJECTED, _("Ditolak"))]
    proposer = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="group_proposals")
    name = models.CharField(_("nama grup"), max_length=120)
    slug = models.SlugField(_("alamat"), max_length=80, blank=True)
    description = models.TextField(_("deskripsi"), max_length=2000, blank=True)
    rules = models.TextField(_("aturan grup"), max_length=4000, blank=True)
    reason = models.TextField(_("alasan pengajuan"), max_length=1000, blank=True)
    course = models.ForeignKey("learning.Course", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=PENDING, db_index=True)
    note = models.CharField(_("catatan admin"), max_length=500, blank=True)
    handled_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)
    group = models.ForeignKey(Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("usulan grup")
        verbose_name_plural = _("usulan grup")

    def __str__(self):
        return self.name


class PostRevision(models.Model):
    """Append-only edit history of a post: the text it had before each edit, who edited and when."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(blank=True)
    body_html = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("riwayat suntingan")
        verbose_name_plural = _("riwayat suntingan")


class PointRule(models.Model):
    """Points per action set by admins (overrides COMMUNITY_POINTS / COMMUNITY_POINTS_DAILY_CAP for that action)."""

    action = models.CharField(_("aksi"), max_length=20, choices=PointAction.choices, unique=True)
    points = models.IntegerField(_("poin"))
    daily_cap = models.PositiveIntegerField(_("batas harian"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["action"]
        verbose_name = _("aturan poin")
        verbose_name_plural = _("aturan poin")


class Level(models.Model):
    """A level reached at `threshold` points (level 1 is 0 points); set by admins (else COMMUNITY_LEVELS)."""

    threshold = models.PositiveIntegerField(_("ambang poin"), unique=True)
    name = models.CharField(_("nama level"), max_length=60)

    class Meta:
        ordering = ["threshold"]
        verbose_name = _("level")
        verbose_name_plural = _("level")

    def __str__(self):
        return self.name


class MemberOfWeek(models.Model):
    """The member of a week (Monday, WIB): the top scorer, computed by the weekly beat task, unless an admin picked."""

    week_start = models.DateField(unique=True)
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    points = models.IntegerField(default=0)
    picked_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-week_start"]
        verbose_name = _("member minggu ini")
        verbose_name_plural = _("member minggu ini")


from .challenge_models import (  # noqa: E402, F401  (group challenges and quizzes live in their own module)
    Challenge,
    ChallengeParticipant,
    GroupQuiz,
    QuizAttempt,
    QuizOption,
    QuizQuestion,
)
