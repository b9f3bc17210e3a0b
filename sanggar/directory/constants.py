from django.db import models
from django.utils.translation import gettext_lazy as _

# Kinds this app registers (sanggar.suppliers registers "supplier").
KIND_BUYER = "buyer"
KIND_FORWARDER = "forwarder"
KIND_EXPORT_DOCUMENT = "export_document"
KIND_API = "api"  # personal API keys: days of API access a month (key_services.py)

# The access feature resources (kind "feature") that switch each directory on (§1.1 "Gating"); migration 0009
# creates them and the policy (sanggar.access.policy) answers for them. Key → Indonesian title.
FEATURE_BUYER = "database-buyer"
FEATURE_SUPPLIER = "database-supplier"
FEATURE_FORWARDER = "database-forwarder"
FEATURE_MEMBER_DIRECTORY = "member-directory"
FEATURE_EXPORT_DOCUMENTS = "generator-dokumen-ekspor"
FEATURES = {
    FEATURE_BUYER: _("Akses Database Buyer"),
    FEATURE_SUPPLIER: _("Akses Database Supplier"),
    FEATURE_FORWARDER: _("Akses Database Forwarder"),
    FEATURE_MEMBER_DIRECTORY: _("Member Directory"),
    FEATURE_EXPORT_DOCUMENTS: _("Generator Dokumen Ekspor"),
}

REPORT_DETAIL_MAX = 1000
RATING_COMMENT_MAX = 500
ADMIN_NOTE_MAX = 1000
SEARCH_TEXT_MAX = 100
TEMPLATE_TEXT_MAX = 2000
TEMPLATE_FOOTER_MAX = 300

MEMBER_PAGE_SIZE = 20
ADMIN_PAGE_SIZE = 25
API_PAGE_SIZE = 30

ACTION_QUOTA_SAVED = "directory.quota_saved"
ACTION_REPORT_CREATED = "directory.report_created"
ACTION_REPORT_HANDLED = "directory.report_handled"
ACTION_RATING_HIDDEN = "directory.rating_hidden"
ACTION_BUYER_SAVED = "directory.buyer_saved"
ACTION_BUYER_ARCHIVED = "directory.buyer_archived"
ACTION_BUYER_IMPORTED = "directory.buyer_imported"
ACTION_BUYER_EXPORTED = "directory.buyer_exported"
ACTION_FORWARDER_SAVED = "directory.forwarder_saved"
ACTION_PROFILE_SAVED = "directory.member_profile_saved"
ACTION_DOCUMENT_SAVED = "directory.document_saved"
ACTION_ROLE_ACCESS_SAVED = "directory.role_access_saved"
ACTION_DOCUMENT_TEMPLATE_SAVED = "directory.document_template_saved"
ACTION_FORWARDER_IMPORTED = "directory.forwarder_imported"
ACTION_API_KEY_CREATED = "directory.api_key_created"
ACTION_API_KEY_REVOKED = "directory.api_key_revoked"
ACTION_FEATURE_GATE_SAVED = "directory.feature_gate_saved"


class ReportReason(models.TextChoices):
    WRONG_CONTACT = "wrong_contact", _("Kontak salah / tidak aktif")
    WRONG_DATA = "wrong_data", _("Data perusahaan salah")
    DUPLICATE = "duplicate", _("Data ganda")
    FAKE = "fake", _("Palsu / penipuan")
    CLOSED = "closed", _("Perusahaan sudah tutup")
    OTHER = "other", _("Lainnya")


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Baru")
    FIXED = "fixed", _("Sudah diperbaiki")
    HIDDEN = "hidden", _("Data disembunyikan")
    REJECTED = "rejected", _("Ditolak")


class BuyerStatus(models.TextChoices):
    ACTIVE = "active", _("Aktif")
    HIDDEN = "hidden", _("Disembunyikan")
    ARCHIVED = "archived", _("Diarsipkan")


class BusinessScale(models.TextChoices):
    SMALL = "small", _("Kecil")
    MEDIUM = "medium", _("Menengah")
    LARGE = "large", _("Besar")


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Pratinjau")
    RUNNING = "running", _("Sedang diproses")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")
    CANCELLED = "cancelled", _("Dibatalkan")


class ImportMode(models.TextChoices):
    SKIP = "skip", _("Lewati data ganda")
    UPDATE = "update", _("Perbarui data yang sudah ada")


class ForwarderService(models.TextChoices):
    FCL = "fcl", _("Sea freight FCL")
    LCL = "lcl", _("Sea freight LCL")
    AIR = "air", _("Air freight")
    CUSTOMS = "customs", _("Kepabeanan (PPJK)")
    TRUCKING = "trucking", _("Trucking")
    WAREHOUSE = "warehouse", _("Gudang")
    FUMIGATION = "fumigation", _("Fumigasi")
    DOCUMENTS = "documents", _("Pengurusan dokumen")
    COURIER = "courier", _("Kurir internasional")


class RateMode(models.TextChoices):
    FCL20 = "fcl20", _("FCL 20 ft (per kontainer)")
    FCL40 = "fcl40", _("FCL 40 ft (per kontainer)")
    LCL = "lcl", _("LCL (per CBM)")
    AIR = "air", _("Udara (per kg)")


class DocumentKind(models.TextChoices):
    PROFORMA_INVOICE = "proforma_invoice", _("Proforma Invoice")
    COMMERCIAL_INVOICE = "commercial_invoice", _("Commercial Invoice")
    PACKING_LIST = "packing_list", _("Packing List")
    SHIPPING_INSTRUCTION = "shipping_instruction", _("Shipping Instruction")
    COO_DRAFT = "coo_draft", _("Draft Certificate of Origin")


DOCUMENT_PREFIX = {
    "proforma_invoice": "PI",
    "commercial_invoice": "CI",
    "packing_list": "PL",
    "shipping_instruction": "SI",
    "coo_draft": "COO",
}


class Incoterm(models.TextChoices):
    EXW = "EXW", "EXW"
    FCA = "FCA", "FCA"
    FAS = "FAS", "FAS"
    FOB = "FOB", "FOB"
    CFR = "CFR", "CFR"
    CIF = "CIF", "CIF"
    CPT = "CPT", "CPT"
    CIP = "CIP", "CIP"
    DAP = "DAP", "DAP"
    DPU = "DPU", "DPU"
    DDP = "DDP", "DDP"


CURRENCIES = (
    ("USD", "USD"),
    ("EUR", "EUR"),
    ("JPY", "JPY"),
    ("SGD", "SGD"),
    ("AUD", "AUD"),
    ("CNY", "CNY"),
    ("SAR", "SAR"),
    ("AED", "AED"),
    ("GBP", "GBP"),
    ("IDR", "IDR"),
)
UNITS = ("pcs", "kg", "ton", "carton", "box", "bag", "sack", "drum", "pallet", "set", "roll", "liter", "m3")
MAX_ITEMS = 100
