"""Input and output schemas of the community API."""

from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict, StrictInt

from sanggar.chat.api import StickerOut

from .constants import PAGE_SIZE  # noqa: F401


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class PageIn(_In):
    page: int = Field(default=1, ge=1, le=10_000)


class CursorIn(_In):
    cursor: int | None = Field(default=None, ge=1, description="`next_cursor` dari halaman sebelumnya.")


class CommunityGroupOut(Schema):
    slug: str
    name: str
    visibility: str
    is_member: bool
    description: str
    cover_url: str | None = Field(default=None, description="Sampul grup (JPEG 1500×500), bila ada.")
    avatar_url: str | None = Field(default=None, description="Avatar grup (JPEG 400×400), bila ada.")
    can_post: bool = Field(
        default=False,
        description="Boleh membuat postingan di grup ini sekarang: anggota, perannya diizinkan grup, dan Member "
        "Premium atau moderator grup (pilihan grup di composer beranda).",
    )


class CommunityGroupDetailOut(CommunityGroupOut):
    rules: str
    status: str
    can_post: bool
    can_moderate: bool
    member_status: str = Field(description="Kosong, active, pending, left atau banned.")
    message: str = Field(description="Kenapa terkunci dan cara membukanya, bila bukan anggota.")
    action_url: str = ""
    role: str = Field(default="", description="Peran Anda: owner, admin, moderator, member; kosong bila bukan anggota.")
    my_permissions: list[str] = Field(
        default_factory=list,
        description="Yang boleh Anda lakukan di grup ini: post, comment, upload, event, chat, invite, moderate.",
    )
    can_manage: bool = Field(default=False, description="Boleh mengubah hak akses dan peran (pemilik, admin grup).")


class GroupPermissionsOut(Schema):
    permissions: dict[str, list[str]] = Field(
        description="Per izin (post, comment, upload, event, chat, invite, moderate): peran yang diizinkan "
        "(admin, moderator, member). Pemilik selalu boleh semuanya."
    )


class GroupPermissionsIn(_In):
    permissions: dict[str, list[str]] = Field(description="Izin yang diubah: {izin: [peran]}.")


class CommunityGroupPageOut(Schema):
    count: int
    next_page: int | None
    results: list[CommunityGroupOut]


class JoinOut(Schema):
    status: str = Field(description="active (sudah anggota) atau pending (menunggu moderator).")


class AuthorOut(Schema):
    id: int
    name: str
    username: str | None


class PollOptionOut(Schema):
    id: int
    text: str
    votes: int


class LinkPreviewOut(Schema):
    url: str
    status: str = Field(description="pending, ok atau failed.")
    title: str
    description: str
    site_name: str
    image_url: str | None = Field(
        default=None, description="Gambar pratinjau, disimpan di server Sanggar; tautan bertanda tangan (kedaluwarsa)."
    )


class LinkPreviewIn(_In):
    url: str = Field(max_length=2000, description="Tautan http(s) (maks. 500 karakter).")


class LinkPreviewRequestOut(Schema):
    url: str
    status: str = Field(description="pending (diambil di latar belakang; minta lagi sebentar lagi), ok atau failed.")
    title: str
    description: str
    site_name: str


class LocationOut(Schema):
    name: str
    city: str
    province: str


class PostEventOut(Schema):
    slug: str
    title: str
    starts_at: datetime
    url: str = Field(description="Halaman acara (daftar, tautan meeting bagi yang terdaftar).")


class PostOut(Schema):
    id: int
    group: str
    author: AuthorOut
    body: str
    image_url: str | None = Field(description="Tautan bertanda tangan ke foto (kedaluwarsa, akses dicek ulang).")
    link_url: str
    body_html: str = Field(default="", description="Teks kaya yang sudah disaring (boleh ditampilkan apa adanya).")
    video_url: str = ""
    video_embed_url: str = Field(default="", description="Alamat embed (YouTube nocookie / Vimeo).")
    link_preview: LinkPreviewOut | None = None
    document_url: str | None = Field(default=None, description="Unduhan dokumen (hanya bagi yang boleh membaca).")
    is_pinned: bool
    is_announcement: bool
    status: str
    comments_enabled: bool
    comment_count: int
    reaction_count: int
    reactions: dict[str, int] = Field(description="Jumlah reaksi per jenis.")
    my_reaction: str
    is_saved: bool
    poll: list[PollOptionOut]
    my_vote: int | None
    created_at: datetime
    background: str = Field(default="", description="Latar warna teks pendek (kunci palet), kosong bila tidak ada.")
    location: LocationOut | None = None
    media_kind: str = Field(default="", description="audio, video atau kosong.")
    media_type: str = Field(default="", description="Jenis isi berkas audio / video (mis. video/mp4).")
    media_url: str | None = Field(
        default=None, description="Tautan bertanda tangan untuk memutar audio / video (kedaluwarsa, mendukung Range)."
    )
    event: PostEventOut | None = Field(default=None, description="Acara yang diumumkan postingan ini, bila ada.")
    sticker: StickerOut | None = Field(default=None, description="Stiker postingan (boleh stiker saja).")


class PostCursorPageOut(Schema):
    next_cursor: int | None
    results: list[PostOut]


class PostPageOut(Schema):
    count: int
    next_page: int | None
    results: list[PostOut]


class PostEventIn(_In):
    title: str = Field(max_length=2000, description="Judul acara (maks. 150 karakter).")
    starts_at: datetime = Field(description="Mulai; tanpa zona waktu dibaca sebagai WIB. Harus di masa depan.")
    ends_at: datetime | None = Field(default=None, description="Selesai; kosong = satu jam setelah mulai.")
    location_kind: str = Field(default="online", max_length=10, description="online atau offline.")
    meeting_url: str = Field(default="", max_length=2000, description="Tautan https (hanya untuk yang terdaftar).")
    meeting_provider: str = Field(default="", max_length=10, description="zoom, meet, other atau kosong.")
    meeting_passcode: str = Field(default="", max_length=200, description="Kode sandi (hanya untuk yang terdaftar).")
    address: str = Field(default="", max_length=2000, description="Alamat acara tatap muka.")
    capacity: int | None = Field(default=None, description="Kuota 1–100.000; kosong = tanpa batas.")


class PostIn(_In):
    body: str = Field(default="", max_length=20_000)
    poll: list[str] | None = Field(default=None, max_length=20)
    link_url: str = Field(default="", max_length=2000)
    is_announcement: bool = False
    body_html: str | None = Field(
        default=None, max_length=40_000, description="Teks kaya (HTML); disaring ke tag yang diizinkan."
    )
    video_url: str = Field(default="", max_length=500, description="Tautan YouTube atau Vimeo.")
    background: str = Field(
        default="",
        max_length=20,
        description="Latar warna untuk teks pendek tanpa lampiran: merah, jingga, hijau, biru, ungu atau gelap.",
    )
    location_name: str = Field(default="", max_length=2000, description="Nama tempat (maks. 100 karakter).")
    location_city: str = Field(default="", max_length=2000)
    location_province: str = Field(default="", max_length=200, description="Salah satu provinsi dari daftar.")
    event: PostEventIn | None = Field(
        default=None,
        description="Postingan acara: membuat acara grup sungguhan (izin `event` di grup) dan postingan yang "
        "mengumumkannya; `body` menjadi deskripsi acara. Tidak bisa digabung dengan polling, tautan, video, latar "
        "warna, lokasi atau jadwal.",
    )
    sticker: StrictInt | None = Field(
        default=None, description="Id stiker aktif dari GET /stickers; postingan boleh berisi stiker saja."
    )


class PostCommentIn(_In):
    body: str = Field(default="", max_length=20_000, description="Teks komentar; boleh kosong bila ada `sticker`.")
    parent: int | None = Field(default=None, ge=1)
    sticker: StrictInt | None = Field(default=None, description="Id stiker aktif dari GET /stickers.")


class PostCommentOut(Schema):
    id: int
    author: AuthorOut
    body: str
    parent: int | None
    created_at: datetime
    sticker: StickerOut | None = Field(default=None, description="Stiker komentar (boleh stiker saja).")


class CommentThreadOut(PostCommentOut):
    replies: list[PostCommentOut]


class PostCommentPageOut(Schema):
    count: int
    next_page: int | None
    results: list[CommentThreadOut]


class ReactionIn(_In):
    type: str = Field(max_length=20)
    comment: int | None = Field(default=None, ge=1, description="Untuk bereaksi pada komentar.")


class ReactionOut(Schema):
    type: str
    reactions: dict[str, int]


class VoteIn(_In):
    option: int = Field(ge=1)


class SavedOut(Schema):
    saved: bool


class ReportIn(_In):
    kind: str = Field(max_length=10, description="post, comment atau user.")
    id: int = Field(ge=1)
    reason: str = Field(default="", max_length=5000)
    category: str = Field(default="other", max_length=20)


class ReportOut(Schema):
    id: int
    status: str


class UserBadgeOut(Schema):
    slug: str
    name: str
    description: str
    icon: str = Field(description='Nama ikon Lucide dari set ikon lokal (mis. "award").')
    image_url: str | None = Field(
        default=None, description="Gambar lencana yang diunggah admin (PNG 256×256); kosong = pakai `icon`."
    )
    period_key: str = Field(description='Minggu ISO untuk lencana mingguan ("2026-W49"); kosong = sepanjang waktu.')
    awarded_at: datetime


class ProfileOut(Schema):
    id: int
    username: str
    name: str
    headline: str
    bio: str
    city: str
    province: str
    website: str
    avatar_url: str | None
    followers: int
    following: int
    is_following: bool
    points: int
    level: int
    badges: list[str]
    badge_items: list[UserBadgeOut] = Field(default=[], description="Lencana lengkap: ikon dan periode.")
    level_name: str = ""
    cover_url: str | None = None
    social_links: dict[str, str] = {}
    online: bool = False


class FollowOut(Schema):
    following: bool


class UserPageOut(Schema):
    count: int
    next_page: int | None
    results: list[AuthorOut]


class LeaderIn(_In):
    period: str = Field(default="week", pattern="^(week|month|all)$")
    group: str = Field(default="", max_length=80)


class LeaderOut(Schema):
    rank: int
    user: AuthorOut
    points: int


class LeaderboardOut(Schema):
    period: str
    results: list[LeaderOut]


class PointEntryOut(Schema):
    action: str
    points: int
    created_at: datetime


class PointsOut(Schema):
    total: int
    level: int
    week: int
    month: int
    badges: list[str]
    badge_items: list[UserBadgeOut] = Field(default=[], description="Lencana lengkap: ikon dan periode.")
    recent: list[PointEntryOut]


class ModerationIn(_In):
    decision: str = Field(pattern="^(approve|reject)$")
    note: str = Field(default="", max_length=500)


class ReportActionIn(_In):
    action: str = Field(pattern="^(dismiss|remove|ban|mute)$")
    note: str = Field(default="", max_length=500)


class QueueOut(Schema):
    pending_posts: list[PostOut]
    reports: list[ReportOut]
    join_requests: list[AuthorOut]


class InviteIn(_In):
    user: str = Field(min_length=1, max_length=30, description="Username member yang diundang.")


class InvitationOut(Schema):
    id: int
    group: str = Field(description="Slug grup.")
    group_name: str
    invited_by: str = Field(description="Nama pengundang.")
    status: str = Field(description="pending, accepted, declined atau cancelled.")
    created_at: str


class InvitationPageOut(Schema):
    count: int
    next_page: int | None
    results: list[InvitationOut]


class GroupImagesOut(Schema):
    cover_url: str | None
    avatar_url: str | None


class GroupFileOut(Schema):
    id: int
    title: str
    original_name: str
    extension: str
    size: int
    uploader: str
    created_at: datetime
    download_url: str = Field(
        description="Link bertanda tangan untuk akun Anda saja (GET dengan JWT); kedaluwarsa, keanggotaan dicek ulang."
    )


class GroupFilePageOut(Schema):
    count: int
    next_page: int | None
    results: list[GroupFileOut]


class FeedIn(CursorIn):
    province: str = Field(default="", max_length=200, description="Hanya postingan berlokasi di provinsi ini.")


class GroupPostsIn(PageIn):
    province: str = Field(default="", max_length=200, description="Hanya postingan berlokasi di provinsi ini.")


class ScheduledPostIn(PostIn):
    scheduled_at: datetime = Field(description="Waktu terbit (masa depan; tanpa zona waktu dianggap WIB).")


class ScheduledPostUpdateIn(_In):
    body: str | None = Field(default=None, max_length=20_000)
    scheduled_at: datetime | None = None


class ScheduledPostOut(Schema):
    id: int
    group: str
    status: str = Field(description="scheduled, published, cancelled atau failed.")
    scheduled_at: datetime
    body: str
    background: str
    location: LocationOut | None = None
    post_id: int | None = Field(default=None, description="Postingan yang terbit, bila sudah.")
    error: str = ""


class ScheduledPostPageOut(Schema):
    count: int
    next_page: int | None
    results: list[ScheduledPostOut]


class StoryOut(Schema):
    id: int
    author: AuthorOut
    group: str | None = Field(default=None, description="Slug grup; kosong = untuk pengikut.")
    kind: str = Field(description="photo atau text.")
    text: str
    background: str
    image_url: str | None = Field(default=None, description="Tautan bertanda tangan ke foto (kedaluwarsa).")
    seen: bool
    view_count: int | None = Field(default=None, description="Hanya untuk pembuatnya.")
    created_at: datetime
    expires_at: datetime


class StoryListOut(Schema):
    results: list[StoryOut]


class StoryViewOut(Schema):
    seen: bool
    first_view: bool


# --- issue 13: post edits, profile extras, sidebars, gamification settings, statistics ---------------------------


class PostEditIn(_In):
    body: str = Field(default="", max_length=20_000)
    body_html: str | None = Field(default=None, max_length=40_000, description="Teks kaya (HTML), disaring.")


class PostRevisionOut(Schema):
    id: int
    body: str
    body_html: str
    editor: str | None
    created_at: datetime


class PostRevisionListOut(Schema):
    results: list[PostRevisionOut]


class SocialLinksIn(_In):
    links: dict[str, str] = Field(
        default_factory=dict,
        description="{jaringan: tautan https}: instagram, facebook, linkedin, youtube, tiktok, x.",
    )


class ProfileExtrasOut(Schema):
    username: str
    cover_url: str | None
    social_links: dict[str, str]


class BlockOut(Schema):
    blocked: bool


class SidebarPersonOut(Schema):
    id: int | None = None
    name: str
    username: str | None = None


class SidebarLeaderOut(Schema):
    rank: int
    name: str
    username: str | None = None
    points: int


class SidebarMentorOut(Schema):
    id: int
    name: str
    username: str | None = None
    followers: int


class SidebarCourseOut(Schema):
    title: str
    slug: str
    progress: int


class SidebarEventOut(Schema):
    title: str
    starts_at: datetime
    url: str


class SidebarGroupOut(Schema):
    slug: str
    name: str


class MemberOfWeekOut(Schema):
    name: str
    username: str | None = None
    points: int
    week_start: str


class SidebarOut(Schema):
    my_groups: list[SidebarGroupOut]
    my_courses: list[SidebarCourseOut]
    upcoming_events: list[SidebarEventOut]
    online_members: list[SidebarPersonOut]
    leaderboard: list[SidebarLeaderOut]
    popular_mentors: list[SidebarMentorOut]
    member_of_week: MemberOfWeekOut | None


class PointRuleOut(Schema):
    action: str
    label: str
    points: int
    daily_cap: int


class PointRuleListOut(Schema):
    results: list[PointRuleOut]


class PointRuleIn(_In):
    points: int = Field(ge=0, le=10_000)
    daily_cap: int = Field(default=0, ge=0, le=100_000)


class LevelOut(Schema):
    id: int | None
    threshold: int
    name: str


class LevelListOut(Schema):
    results: list[LevelOut]


class LevelIn(_In):
    threshold: int = Field(ge=1, le=100_000_000)
    name: str = Field(max_length=200)


class MemberOfWeekIn(_In):
    username: str = Field(max_length=60)


class StatsIn(_In):
    days: int = Field(default=30, ge=1, le=365)


class StatsDayOut(Schema):
    day: str
    posts: int
    comments: int


class StatsGroupOut(Schema):
    slug: str
    name: str
    posts: int


class StatsBlockOut(Schema):
    title: str
    rows: list[list[str]]


class CommunityStatsOut(Schema):
    days: int
    posts: int
    comments: int
    active_members: int
    new_members: int
    series: list[StatsDayOut]
    top_groups: list[StatsGroupOut]
    viral_posts: list[int]
    extra: list[StatsBlockOut]


class LevelProgressOut(Schema):
    number: int
    name: str
    next_threshold: int | None = Field(description="Poin untuk level berikutnya; kosong di level tertinggi.")
    next_name: str
    needed: int = Field(description="Poin yang masih kurang menuju level berikutnya.")
    percent: int = Field(description="Kemajuan 0–100 dari ambang level ini ke level berikutnya.")


class _AchievementBadge(Schema):
    """What an earned and a pending badge of "Pencapaian Saya" both show."""

    slug: str
    name: str
    description: str
    icon: str
    image_url: str | None = None
    weekly: bool


class EarnedBadgeOut(_AchievementBadge):
    times: int = Field(description="Berapa kali didapat (jumlah minggu untuk lencana mingguan).")
    awarded_at: datetime = Field(description="Terakhir didapat.")


class PendingBadgeOut(_AchievementBadge):
    criteria: str
    current: int | None = Field(description="Kemajuan saat ini (minggu ini untuk lencana mingguan); kosong = manual.")
    target: int | None
    unit: str


class JoinedChallengeOut(Schema):
    id: int
    title: str
    group: str
    closed: bool
    completed: bool
    rank: int | None
    count: int | None
    ends_at: datetime


class TakenQuizOut(Schema):
    id: int
    title: str
    group: str
    correct: int
    total: int
    points: int
    submitted_at: datetime


class LedgerEntryOut(Schema):
    action: str
    label: str = Field(description="Nama aksi dalam bahasa Indonesia.")
    points: int
    group: str | None
    note: str
    created_at: datetime


class AchievementsOut(Schema):
    total: int
    week: int
    month: int
    weekly_rank: int | None = Field(description="Peringkat di papan peringkat mingguan; kosong tanpa poin minggu ini.")
    level: LevelProgressOut
    earned: list[EarnedBadgeOut]
    pending: list[PendingBadgeOut]
    challenges: list[JoinedChallengeOut]
    quizzes: list[TakenQuizOut]
    ledger_count: int
    ledger_next_page: int | None
    ledger: list[LedgerEntryOut]
