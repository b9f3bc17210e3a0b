"""Choices, limits and audit actions of suppliers (spec "PRD v1 – Supplier System" and "Supplier Registration,
Onboarding & Profile System" v1.2; PRODUCT.md "Decisions for directories")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupplierType(models.TextChoices):
    PRODUSEN = "produsen", _("Produsen")
    PABRIK = "pabrik", _("Pabrik")
    MANUFAKTUR = "manufaktur", _("Manufaktur")
    TRADER = "trader", _("Trader")
    EXPORTER = "exporter", _("Exporter")
    SUPPLIER = "supplier", _("Supplier")
    AGGREGATOR = "aggregator", _("Aggregator")


TYPE_HINTS = {
    SupplierType.PRODUSEN: _("Mengolah atau menanam sendiri produk yang dijual (petani, UMKM pengolah)."),
    SupplierType.PABRIK: _("Memiliki pabrik dengan lini produksi sendiri."),
    SupplierType.MANUFAKTUR: _("Memproduksi barang jadi dalam skala industri, termasuk maklon."),
    SupplierType.TRADER: _("Membeli dari produsen lalu menjual kembali."),
    SupplierType.EXPORTER: _("Sudah mengirim barang ke luar negeri atas nama perusahaan."),
    SupplierType.SUPPLIER: _("Memasok bahan baku atau barang ke perusahaan lain."),
    SupplierType.AGGREGATOR: _("Mengumpulkan hasil dari banyak petani/pengrajin kecil."),
}


class LegalForm(models.TextChoices):
    PT = "pt", _("PT (Perseroan Terbatas)")
    PT_PERORANGAN = "pt_perorangan", _("PT Perorangan")
    CV = "cv", _("CV (Persekutuan Komanditer)")
    UD = "ud", _("UD (Usaha Dagang)")
    FIRMA = "firma", _("Firma")
    KOPERASI = "koperasi", _("Koperasi")
    PERORANGAN = "perorangan", _("Usaha perorangan / UMKM")


class BusinessField(models.TextChoices):
    PERTANIAN = "pertanian", _("Pertanian & Perkebunan")
    REMPAH = "rempah", _("Rempah & Herbal")
    KOPI_TEH = "kopi_teh", _("Kopi, Teh & Kakao")
    PERIKANAN = "perikanan", _("Perikanan & Hasil Laut")
    MAKANAN = "makanan", _("Makanan & Minuman Olahan")
    KERAJINAN = "kerajinan", _("Kerajinan & Dekorasi")
    FURNITUR = "furnitur", _("Furnitur & Kayu")
    TEKSTIL = "tekstil", _("Tekstil, Garmen & Fesyen")
    KOSMETIK = "kosmetik", _("Kosmetik & Perawatan")
    KIMIA = "kimia", _("Kimia, Mineral & Arang")
    LAINNYA = "lainnya", _("Lainnya")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ONBOARDING = "onboarding", _("Onboarding")
    WAITING_REVIEW = "waiting_review", _("Menunggu review mentor")
    RECOMMENDED = "recommended", _("Direkomendasikan mentor")
    VERIFIED = "verified", _("Terverifikasi")
    LIMITED = "limited", _("Terbatas")
    SUSPENDED = "suspended", _("Ditangguhkan")


# Statuses whose supplier has not finished onboarding: forced back to it.
ONBOARDING_STATUSES = (Status.DRAFT, Status.ONBOARDING)
# Statuses a supplier edits their profile in freely; the rest is locked (recommended), audited (verified, limited)
# or closed (suspended). "Waiting review" allows only the fields that do not change what the mentor reviews.
FREE_EDIT_STATUSES = (Status.DRAFT, Status.ONBOARDING)
APPROVED_STATUSES = (Status.VERIFIED, Status.LIMITED)
# Listed in the directory and with a public profile.
LISTED_STATUSES = (Status.VERIFIED, Status.LIMITED)
# Fields a supplier may still change while waiting for the review (contact details, not the reviewed business data).
WAITING_EDITABLE = frozenset({"pic_name", "pic_position", "whatsapp", "business_email", "website", "instagram",
                              "facebook"})  # fmt: skip


class Package(models.TextChoices):
    FREE = "free", _("Free")
    PREMIUM = "premium", _("Premium")


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Aktif")


class DocumentKind(models.TextChoices):
    NIB = "nib", _("NIB")
    NPWP = "npwp", _("NPWP")
    SIUP = "siup", _("SIUP / IUI")
    HALAL = "halal", _("Sertifikat Halal")
    BPOM = "bpom", _("Izin BPOM / PIRT")
    SNI = "sni", _("SNI / ISO")
    ORGANIC = "organik", _("Sertifikat Organik")
    OTHER = "lainnya", _("Sertifikat lain")


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu verifikasi")
    VERIFIED = "verified", _("Terverifikasi")
    REJECTED = "rejected", _("Ditolak")


class ReviewAction(models.TextChoices):
    SUBMITTED = "submitted", _("Dikirim untuk review")
    NOTE = "note", _("Catatan mentor")
    CHANGES = "changes", _("Diminta perbaikan")
    RECOMMENDED = "recommended", _("Direkomendasikan mentor")
    DECIDED = "decided", _("Keputusan admin")
    TYPE_CHANGED = "type_changed", _("Jenis usaha diubah admin")


class ReminderKind(models.TextChoices):
    APPROVED = "approved", _("Setelah disetujui")
    FIRST_PRODUCT = "first_product", _("Setelah produk pertama")
    REFUSED_CHAT = "refused_chat", _("Ada member yang tidak bisa menghubungi")
    DAY_1 = "day_1", _("1 hari tanpa upgrade")
    DAY_7 = "day_7", _("7 hari tanpa upgrade")
    DAY_14 = "day_14", _("14 hari tanpa upgrade")
    DAY_30 = "day_30", _("30 hari tanpa upgrade")
    ENDING_7 = "ending_7", _("Premium berakhir 7 hari lagi")
    ENDING_1 = "ending_1", _("Premium berakhir besok")
    ENDED = "ended", _("Premium berakhir")


# The upgrade and Premium-ending reminders are sequences of the reminders engine (ReminderKind stays: ReminderSent
# keeps the log of the reminders sent before the move, mapped into the engine's log by reminders' migration 0012).
PROMO_AFTER_REMINDERS = 3  # §7b: the coupon comes with the reminders after the third one
# The admin API's compatibility fields (`reminder_steps` of /admin/supplier-settings) name the upgrade steps by
# these keys: "days" is the day after approval for the timed steps, and for "refused chat" the pause between two of
# its reminders (0 = once); the reminders app maps them onto its supplier sequences (suppliers.hooks).
UPGRADE_REMINDERS = (ReminderKind.APPROVED, ReminderKind.FIRST_PRODUCT, ReminderKind.REFUSED_CHAT,
                     ReminderKind.DAY_1, ReminderKind.DAY_7, ReminderKind.DAY_14, ReminderKind.DAY_30)  # fmt: skip
TIMED_REMINDERS = (ReminderKind.DAY_1, ReminderKind.DAY_7, ReminderKind.DAY_14, ReminderKind.DAY_30)

DESCRIPTION_MAX = 2000
PRODUCT_TITLE_MAX = 100
PRODUCT_DESCRIPTION_MAX = 20_000
SHORT_TEXT_MAX = 500
NOTE_MAX = 4000
AUTO_REPLY_MAX = 1000  # the chat auto-reply (within chat's message length)
PAGE_SIZE = 20
API_PAGE_SIZE = 20
DOCUMENT_EXTENSIONS = ("pdf", "png", "jpg", "jpeg")
CATALOGUE_EXTENSIONS = ("pdf", "docx")
MAX_PHOTOS = 8  # company photos (production site, warehouse), any package
ITEM_KIND = "supplier"  # OrderItem.kind (max 10 characters)

ACTION_REGISTERED = "suppliers.registered"
ACTION_PROFILE = "suppliers.profile_updated"
ACTION_SUBMITTED = "suppliers.submitted"
ACTION_REVIEWED = "suppliers.reviewed"
ACTION_RECOMMENDED = "suppliers.recommended"
ACTION_DECIDED = "suppliers.decided"
ACTION_TYPE = "suppliers.type_changed"
ACTION_DOCUMENT = "suppliers.document"
ACTION_PRODUCT = "suppliers.product"
ACTION_PREMIUM = "suppliers.premium"
ACTION_SETTINGS = "suppliers.settings"
ACTION_QUESTION = "suppliers.question"
ACTION_AUTO_REPLY = "suppliers.auto_reply"
ACTION_DRAFT = "suppliers.description_draft"
