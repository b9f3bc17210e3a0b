from django.db import models
from django.utils.translation import gettext_lazy as _

LEAD_PAGE_SIZE = 20
LIST_PAGE_SIZE = 20
API_PAGE_SIZE = 50
NAME_MAX = 150
SUBJECT_MAX = 200
BODY_MAX = 20_000
NOTES_MAX = 2000
TAG_MAX = 40
TAGS_PER_LEAD = 20
STEPS_MAX = 10
BUTTONS_MAX = 20
IMPORT_MAX_BYTES = 2 * 1024 * 1024
MAGNET_MAX_BYTES = 20 * 1024 * 1024
MAGNET_EXTENSIONS = ("pdf", "zip", "png", "jpg", "jpeg", "epub", "xlsx", "docx", "pptx")
SHORTCODES = ("{name}", "{first_name}", "{email}", "{phone}", "{affiliate}")

ACTION_CREDIT_ADJUSTED = "booster.credit_adjusted"
ACTION_SENDING_CHANGED = "booster.sending_changed"
ACTION_TEMPLATE_SAVED = "booster.template_saved"
ACTION_PACKAGE_SAVED = "booster.package_saved"
ACTION_SUPPRESSION = "booster.suppression_changed"


class Theme(models.TextChoices):
    MODERN = "modern", _("Modern")
    MINIMAL = "minimal", _("Minimal")
    BOLD = "bold", _("Bold")
    ELEGANT = "elegant", _("Elegant")
    CREATIVE = "creative", _("Creative")


# Tailwind classes per theme (page background, card, button); the colour itself comes from the page.
THEME_CLASSES = {
    "modern": ("bg-gray-50", "rounded-2xl shadow-sm bg-white", "rounded-xl"),
    "minimal": ("bg-white", "", "rounded-md border"),
    "bold": ("bg-gray-900", "rounded-2xl bg-white", "rounded-full font-bold uppercase"),
    "elegant": ("bg-stone-100", "rounded-lg bg-white border border-stone-200", "rounded-md italic"),
    "creative": ("bg-gradient-to-b from-pink-50 to-indigo-100", "rounded-3xl bg-white/90", "rounded-3xl"),
}


class Font(models.TextChoices):
    SANS = "sans", _("Sans (bawaan)")
    SERIF = "serif", _("Serif")
    MONO = "mono", _("Monospace")


class ButtonKind(models.TextChoices):
    PLAN = "plan", _("Membership")
    PRODUCT = "product", _("Produk")
    COURSE = "course", _("Kursus")
    EVENT = "event", _("Event")
    OPTIN = "optin", _("Form opt-in")
    WHATSAPP = "whatsapp", _("Chat WhatsApp")
    WA_GROUP = "wa_group", _("Grup WhatsApp")


# Allow-listed social sites: the page stores a handle only and builds the address itself.
SOCIALS = {
    "instagram": ("Instagram", "https://www.instagram.com/{}"),
    "facebook": ("Facebook", "https://www.facebook.com/{}"),
    "tiktok": ("TikTok", "https://www.tiktok.com/@{}"),
    "youtube": ("YouTube", "https://www.youtube.com/@{}"),
    "twitter": ("X / Twitter", "https://x.com/{}"),
}


class OptinAction(models.TextChoices):
    MESSAGE = "message", _("Tampilkan halaman terima kasih")
    WHATSAPP = "whatsapp", _("Arahkan ke WhatsApp dengan pesan terisi")


class LeadStatus(models.TextChoices):
    NEW = "new", _("Baru")
    CONTACTED = "contacted", _("Dihubungi")
    INTERESTED = "interested", _("Tertarik")
    CONVERTED = "converted", _("Membeli")
    LOST = "lost", _("Tidak aktif")


class LeadSource(models.TextChoices):
    OPTIN = "optin", _("Form opt-in")
    MANUAL = "manual", _("Manual")
    IMPORT = "import", _("Impor CSV")


class TemplateCategory(models.TextChoices):
    PAYMENT = "payment", _("Reminder pembayaran")
    AFTER_ZOOM = "after_zoom", _("After Zoom")
    MEMBERSHIP = "membership", _("Promo membership")
    EBOOK = "ebook", _("Upsell ebook")
    WEBSITE = "website", _("Upsell jasa website")
    WELCOME = "welcome", _("Welcome sequence")
    EDUCATION = "education", _("Edukasi harian")
    LAUNCH = "launch", _("Launch / promo / urgency")


class CreditKind(models.TextChoices):
    TOPUP = "topup", _("Isi ulang")
    ADJUST = "adjust", _("Penyesuaian admin")
    RESERVE = "reserve", _("Dicadangkan")
    CHARGE = "charge", _("Terpakai")
    REFUND = "refund", _("Dikembalikan")


class BroadcastStatus(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SCHEDULED = "scheduled", _("Terjadwal")
    SENDING = "sending", _("Mengirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


class RecipientStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")
    SKIPPED = "skipped", _("Dilewati")


class Frequency(models.TextChoices):
    DAILY = "daily", _("Harian")
    WEEKLY = "weekly", _("Mingguan")
    MONTHLY = "monthly", _("Bulanan")


DAY_NAMES = ((0, _("Min")), (1, _("Sen")), (2, _("Sel")), (3, _("Rab")), (4, _("Kam")), (5, _("Jum")), (6, _("Sab")))


class SequenceTrigger(models.TextChoices):
    OPTIN = "optin", _("Setelah mengisi form opt-in")
    LEAD_CREATED = "lead_created", _("Lead baru (semua sumber)")
    TAG_ADDED = "tag_added", _("Tag ditambahkan")


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", _("Berjalan")
    DONE = "done", _("Selesai")
    STOPPED = "stopped", _("Berhenti")
