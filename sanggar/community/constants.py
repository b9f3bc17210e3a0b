from django.db import models
from django.utils.translation import gettext_lazy as _

PAGE_SIZE = 20


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Publik")
    PRIVATE = "private", _("Privat")
    HIDDEN = "hidden", _("Tersembunyi")


class GroupStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    ARCHIVED = "archived", _("Diarsipkan")


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Pemilik")
    ADMIN = "admin", _("Admin grup")
    MODERATOR = "moderator", _("Moderator")
    MEMBER = "member", _("Anggota")


# Ranking for lists (owner first); the matrix's editable roles (the owner may always do everything).
ROLE_ORDER = {"owner": 0, "admin": 1, "moderator": 2, "member": 3}
MATRIX_ROLES = ("admin", "moderator", "member")


class GroupPermission(models.TextChoices):
    """What the per-group permissions matrix decides, per role (`Group.permissions`, edited by the group's owner and
    admins on /komunitas/grup/<slug>/pengaturan; checked by `policy.group_allows` for pages, API and websockets)."""

    POST = "post", _("Membuat postingan")
    COMMENT = "comment", _("Berkomentar")
    UPLOAD = "upload", _("Mengunggah foto, dokumen dan berkas grup")
    EVENT = "event", _("Membuat acara grup")
    CHAT = "chat", _("Memakai obrolan grup")
    INVITE = "invite", _("Mengundang member")
    MODERATE = "moderate", _("Memoderasi (setujui, hapus, blokir, bisukan)")
    CHALLENGE = "challenge", _("Membuat tantangan dan kuis grup")


class MemberSource(models.TextChoices):
    MEMBERSHIP = "membership", _("Dari membership / pembelian")
    SELF_JOIN = "self_join", _("Bergabung sendiri")
    REQUEST = "request", _("Permintaan disetujui")
    ADMIN = "admin", _("Ditambahkan admin")
    INVITATION = "invitation", _("Menerima undangan")


class RequiredFor(models.TextChoices):
    """A group every member of a kind of membership is in (PRD "PR #3: Setup Grup Wajib untuk Member")."""

    NONE = "", _("Tidak wajib")
    ALL = "all", _("Semua member aktif (semua paket)")
    LIFETIME = "lifetime", _("Member lifetime")


# The spec's required groups: slug, name, who, description (the command `community_required_groups` sets them up).
REQUIRED_GROUPS = (
    (
        "support-ekspor-yuk",
        "Support Ekspor Yuk",
        "all",
        "Grup bantuan untuk semua member Ekspor Yuk: tanya jawab seputar akun, kelas dan fitur platform.",
    ),
    (
        "website-ekspor",
        "Website Ekspor",
        "lifetime",
        "Grup khusus member lifetime: membangun dan merawat website ekspor untuk menarik buyer luar negeri.",
    ),
)


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu jawaban")
    ACCEPTED = "accepted", _("Diterima")
    DECLINED = "declined", _("Ditolak")
    CANCELLED = "cancelled", _("Dibatalkan")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    PENDING = "pending", _("Menunggu persetujuan")
    LEFT = "left", _("Keluar")
    BANNED = "banned", _("Diblokir")


class PostStatus(models.TextChoices):
    PUBLISHED = "published", _("Terbit")
    PENDING = "pending", _("Menunggu moderasi")
    REJECTED = "rejected", _("Ditolak")
    REMOVED = "removed", _("Dihapus")


class ReactionType(models.TextChoices):
    LIKE = "like", _("Suka")
    LOVE = "love", _("Cinta")
    WOW = "wow", _("Wow")
    HAHA = "haha", _("Haha")
    SAD = "sad", _("Sedih")
    ANGRY = "angry", _("Marah")


REACTION_EMOJI = {"like": "👍", "love": "❤️", "wow": "😮", "haha": "😂", "sad": "😢", "angry": "😡"}


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    DISMISSED = "dismissed", _("Diabaikan")
    ACTIONED = "actioned", _("Ditindak")


class ReportCategory(models.TextChoices):
    SPAM = "spam", _("Spam atau promosi")
    ABUSE = "abuse", _("Kasar atau melecehkan")
    FRAUD = "fraud", _("Penipuan")
    OFFTOPIC = "offtopic", _("Tidak sesuai topik")
    OTHER = "other", _("Lainnya")


class KeywordAction(models.TextChoices):
    HOLD = "hold", _("Tahan untuk moderasi")
    REJECT = "reject", _("Tolak")


class Action:
    GROUP_CREATED = "community.group_created"
    GROUP_UPDATED = "community.group_updated"
    MEMBER_ROLE = "community.member_role"
    PERMISSIONS = "community.permissions"
    MEMBER_APPROVED = "community.member_approved"
    MEMBER_BANNED = "community.member_banned"
    MEMBER_MUTED = "community.member_muted"
    MEMBER_UNBANNED = "community.member_unbanned"
    POST_APPROVED = "community.post_approved"
    POST_REJECTED = "community.post_rejected"
    POST_REMOVED = "community.post_removed"
    POST_PINNED = "community.post_pinned"
    COMMENT_REMOVED = "community.comment_removed"
    REPORT_HANDLED = "community.report_handled"
    KEYWORD_SAVED = "community.keyword_saved"
    REQUIRED_GROUPS = "community.required_groups"
    GROUP_CHAT = "community.group_chat"
    INVITED = "community.invited"
    BADGE_AWARDED = "community.badge_awarded"
    BADGE_SAVED = "community.badge_saved"
    BADGE_REVOKED = "community.badge_revoked"
    POINTS_ADJUSTED = "community.points_adjusted"
    FEATURES = "community.features"
    MENTOR_GROUP = "community.mentor_group"
    PROPOSAL_CREATED = "community.proposal_created"
    PROPOSAL_APPROVED = "community.proposal_approved"
    PROPOSAL_REJECTED = "community.proposal_rejected"
    POINT_RULE_SAVED = "community.point_rule_saved"
    LEVEL_SAVED = "community.level_saved"
    MEMBER_OF_WEEK = "community.member_of_week"
    POST_EDITED = "community.post_edited"
    CHALLENGE_SAVED = "community.challenge_saved"
    CHALLENGE_CLOSED = "community.challenge_closed"
    QUIZ_SAVED = "community.quiz_saved"


class Notify:
    NEW_COMMENT = "community_comment"
    REPLY = "community_reply"
    FOLLOWED = "community_followed"
    ANNOUNCEMENT = "community_announcement"
    POST_APPROVED = "community_post_approved"
    POST_REJECTED = "community_post_rejected"
    REPORT_FILED = "community_report_filed"
    REPORT_OUTCOME = "community_report_outcome"
    JOIN_REQUEST = "community_join_request"
    JOIN_APPROVED = "community_join_approved"
    BADGE = "community_badge"
    INVITATION = "community_invitation"
    MENTION = "community_mention"
    INVITATION_ACCEPTED = "community_invitation_accepted"
    SCHEDULED_PUBLISHED = "community_scheduled_published"
    MEMBER_OF_WEEK = "community_member_of_week"
    INACTIVITY = "community_inactivity"
    VIRAL_POST = "community_viral_post"
    CONTENT_REMOVED = "community_content_removed"
    SCHEDULED_FAILED = "community_scheduled_failed"
    PROPOSAL_FILED = "community_proposal_filed"
    PROPOSAL_APPROVED = "community_proposal_approved"
    PROPOSAL_REJECTED = "community_proposal_rejected"
    NEW_POST = "community_new_post"
    CHALLENGE_RESULT = "community_challenge_result"
    CHALLENGE_NEW = "community_challenge_new"


class Rule:
    """Smart rules (PRD v7.3 part 10) this app applies; settings at /admin/settings/smart-rules."""

    NEW_POST = "community.new_post"
    POPULAR = "community.popular"


SOURCE_KIND = "group"  # notifications' source kind of a group ("group:<id>")


class PointAction(models.TextChoices):
    POST = "post", _("Membuat postingan")
    COMMENT = "comment", _("Menulis komentar")
    REACTION_RECEIVED = "reaction_received", _("Mendapat reaksi")
    EVENT_ATTENDED = "event_attended", _("Menghadiri event")
    LESSON = "lesson", _("Menyelesaikan pelajaran")
    COURSE = "course", _("Menyelesaikan kursus")
    DAILY_VISIT = "daily_visit", _("Kunjungan harian")
    ADMIN = "admin", _("Penyesuaian admin")
    REVERSAL = "reversal", _("Pembatalan poin (moderasi)")
    CHALLENGE = "challenge", _("Menyelesaikan tantangan grup")
    QUIZ = "quiz", _("Mengerjakan kuis grup")


# Coloured quote posts and text stories: the only backgrounds accepted (key → label, Tailwind classes). The classes
# are listed here in full so the CSS build keeps them.
QUOTE_BACKGROUNDS = {
    "merah": (_("Merah"), "bg-linear-to-br from-rose-500 to-red-700 text-white"),
    "jingga": (_("Jingga"), "bg-linear-to-br from-amber-400 to-orange-600 text-white"),
    "hijau": (_("Hijau"), "bg-linear-to-br from-emerald-500 to-green-700 text-white"),
    "biru": (_("Biru"), "bg-linear-to-br from-sky-500 to-blue-700 text-white"),
    "ungu": (_("Ungu"), "bg-linear-to-br from-violet-500 to-purple-700 text-white"),
    "gelap": (_("Gelap"), "bg-linear-to-br from-gray-700 to-gray-950 text-white"),
}

MEDIA_AUDIO, MEDIA_VIDEO = "audio", "video"


# Social links on a profile: key → (label, the domains a link must be on). Only https links are accepted.
SOCIAL_NETWORKS = {
    "instagram": (_("Instagram"), ("instagram.com",)),
    "facebook": (_("Facebook"), ("facebook.com", "fb.com")),
    "linkedin": (_("LinkedIn"), ("linkedin.com",)),
    "youtube": (_("YouTube"), ("youtube.com", "youtu.be")),
    "tiktok": (_("TikTok"), ("tiktok.com",)),
    "x": (_("X (Twitter)"), ("x.com", "twitter.com")),
}


class BadgeCriteria(models.TextChoices):
    """What earns a badge automatically (GAM-D3); "manual" badges are only awarded by an admin."""

    POINTS = "points", _("Poin terkumpul")
    POSTS = "posts", _("Jumlah postingan")
    COMMENTS = "comments", _("Jumlah komentar komunitas")
    COURSE_COMMENTS = "course_comments", _("Jumlah komentar di diskusi kelas")
    EVENTS_ATTENDED = "events_attended", _("Jumlah event dihadiri")
    MANUAL = "manual", _("Diberikan admin")


class BadgePeriod(models.TextChoices):
    """All-time badges are earned once; weekly ones again every week (UserBadge.period_key = ISO week, WIB)."""

    ALL_TIME = "all_time", _("Sepanjang waktu")
    WEEKLY = "weekly", _("Mingguan")


# The icons an admin may pick for a badge: names from the house's local Lucide set (the `icon` template tag).
BADGE_ICONS = (
    "award",
    "medal",
    "trophy",
    "star",
    "crown",
    "flame",
    "rocket",
    "heart",
    "message-circle",
    "messages-square",
    "pen-line",
    "calendar-check",
    "graduation-cap",
    "sparkles",
    "thumbs-up",
    "zap",
)


# --- group challenges and quizzes (GAM-D7) ---------------------------------------------------------------------------


class ChallengeMetric(models.TextChoices):
    """What a group challenge counts, per participant, from the rows made in the group within its period."""

    POSTS = "posts", _("Postingan di grup")
    COMMENTS = "comments", _("Komentar di grup")
    REACTIONS = "reactions", _("Reaksi diterima di grup")
    EVENTS = "events", _("Event grup dihadiri")
    LESSONS = "lessons", _("Pelajaran kursus diselesaikan")


class ChallengeStatus(models.TextChoices):
    OPEN = "open", _("Berjalan / akan datang")
    CLOSED = "closed", _("Selesai")


class QuizStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    PUBLISHED = "published", _("Terbit")
    CLOSED = "closed", _("Ditutup")


class QuizScoring(models.TextChoices):
    FULL = "full", _("Poin penuh bila semua jawaban benar")
    PER_CORRECT = "per_correct", _("Poin per jawaban benar")


CHALLENGE_TITLE_MAX = 120
CHALLENGE_TEXT_MAX = 2000
CHALLENGE_TARGET_MAX = 10_000
CHALLENGE_POINTS_MAX = 10_000
CHALLENGE_MAX_DAYS = 366
QUIZ_MAX_QUESTIONS = 50
QUIZ_MIN_OPTIONS = 2
QUIZ_MAX_OPTIONS = 6
QUIZ_QUESTION_MAX = 500
QUIZ_OPTION_MAX = 200
