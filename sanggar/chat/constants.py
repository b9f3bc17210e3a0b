from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    DIRECT = "direct", _("Pesan langsung")
    MENTOR = "mentor", _("ChatMentor")
    SUPPLIER = "supplier", _("Chat supplier")
    GROUP = "group", _("Obrolan grup")


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Gambar")
    PDF = "pdf", _("PDF")


class Status(models.TextChoices):
    OPEN = "open", _("Terbuka")
    CLOSED = "closed", _("Ditutup")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Menunggu ditinjau")
    RESOLVED = "resolved", _("Selesai ditinjau")


class Action:
    REPORTED = "chat.reported"
    REPORT_READ = "chat.report_read"
    REPORT_RESOLVED = "chat.report_resolved"
    BLOCKED = "chat.blocked"
    UNBLOCKED = "chat.unblocked"
    REPORT_ATTACHMENT_READ = "chat.report_attachment_read"
    SUSPENDED = "chat.suspended"
    SUSPENSION_LIFTED = "chat.suspension_lifted"
    MEMBER_MUTED = "chat.member_muted"
    MEMBER_UNMUTED = "chat.member_unmuted"
    STICKERS_CHANGED = "chat.stickers_changed"


NOTIFY_MESSAGE = "chat.message"
NOTIFY_GROUP_MESSAGE = "chat.group_message"
NOTIFY_REPORT = "chat.report_created"


# The sticker set shipped with the platform (static SVGs in chat/static/chat/stickers/<slug>.svg, served by the
# house's static pipeline, no CDN): slug → caption (the alt text and the name the API returns). The data migration
# and `stickers.builtin_ensure` create the pack "Sanggar Ekspor" from this list.
BUILTIN_PACK_SLUG = "sanggar-ekspor"
BUILTIN_PACK_NAME = "Sanggar Ekspor"
BUILTIN_STICKERS = (
    ("semangat", "Semangat!"),
    ("terima-kasih", "Terima kasih"),
    ("mantap", "Mantap"),
    ("siap-kirim", "Siap kirim"),
    ("closing", "Closing!"),
    ("ekspor-jalan", "Ekspor jalan!"),
    ("go-global", "Go global"),
    ("siap", "Siap!"),
    ("keren", "Keren!"),
    ("ngopi-dulu", "Ngopi dulu"),
    ("ide-bagus", "Ide bagus!"),
    ("tanya-dong", "Tanya dong"),
    ("cek-dokumen", "Cek dokumen"),
    ("otw", "OTW!"),
    ("selamat", "Selamat!"),
    ("cuan", "Cuan!"),
    ("halo", "Halo semua"),
    ("alhamdulillah", "Alhamdulillah"),
    ("bintang-lima", "Bintang lima"),
    ("buyer-deal", "Buyer deal!"),
)
STICKER_IMAGE_SIZE = (512, 512)

# The emoji picker of the chat composer and of community's composers (`{% emoji_picker %}`): a small built-in set
# (Unicode, no CDN, works offline).
EMOJI_SET = (  # fmt: skip
    "😀",
    "😃",
    "😄",
    "😁",
    "😆",
    "😅",
    "😂",
    "🙂",
    "😉",
    "😊",
    "😍",
    "🤩",
    "😘",
    "😎",
    "🤔",
    "😐",
    "😴",
    "😢",
    "😭",
    "😡",
    "👍",
    "👎",
    "👏",
    "🙌",
    "🙏",
    "💪",
    "🤝",
    "👋",
    "❤️",
    "🔥",
    "✨",
    "🎉",
    "✅",
    "❌",
    "⭐",
    "💡",
    "📦",
    "🚢",
    "✈️",
    "🌏",
    "💰",
    "📈",
    "📊",
    "📝",
    "📌",
    "📣",
    "🇮🇩",
)
