"""Export directory. The shared tables (quota table, quota ledger, views, likes, reports, searches) are keyed by
(kind, object_id) so every directory (buyers, forwarders, export documents here; suppliers in sanggar.suppliers)
uses the same rules; see services.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from sanggar.core.models import TimeStampedModel

from .constants import (
    ADMIN_NOTE_MAX,
    RATING_COMMENT_MAX,
    REPORT_DETAIL_MAX,
    SEARCH_TEXT_MAX,
    TEMPLATE_FOOTER_MAX,
    TEMPLATE_TEXT_MAX,
    BusinessScale,
    BuyerStatus,
    DocumentKind,
    ImportMode,
    ImportStatus,
    Incoterm,
    RateMode,
    ReportReason,
    ReportStatus,
)


class DirectoryQuota(TimeStampedModel):
    """The admin table: how many units of a directory a member may open per calendar month (WIB), per plan.
    `plan` empty = members without an active membership ("Free"). `monthly_limit` empty = no limit; 0 = closed."""

    kind = models.CharField(max_length=20)
    plan = models.ForeignKey(
        "catalog.MembershipPlan", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    monthly_limit = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ("kind", "plan_id")
        constraints = [
            models.UniqueConstraint(fields=["kind", "plan"], name="directory_quota_kind_plan"),
            models.UniqueConstraint(fields=["kind"], condition=Q(plan__isnull=True), name="directory_quota_kind_free"),
        ]


class QuotaUse(models.Model):
    """The append-only quota ledger: one row per (user, kind, object, month) the first time the member opens that
    object in that calendar month. A month's usage is the number of rows; reopening the same object is free."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    month = models.DateField()  # the first day of the month in WIB
    plan_title = models.CharField(max_length=200, blank=True)  # the member's plan at the time
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "month", "object_id"], name="directory_quota_use_once"),
        ]


class DirectoryView(models.Model):
    """Every opening of a detail (the admins' view tracker); `charged` when it used a unit of quota."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    charged = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["kind", "object_id"]),
            models.Index(fields=["kind", "created_at"]),
            models.Index(fields=["user", "kind", "-created_at"]),
        ]


class DirectoryLike(models.Model):
    """A member's like, which is also their favourite ("Simpan")."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "object_id"], name="directory_like_once")]
        indexes = [models.Index(fields=["kind", "object_id"]), models.Index(fields=["kind", "created_at"])]


class DirectoryReport(TimeStampedModel):
    """A member reports a wrong entry; an admin fixes it, hides it or rejects the report."""

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    object_title = models.CharField(max_length=255, blank=True)  # at the time of the report
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    detail = models.TextField(max_length=REPORT_DETAIL_MAX, blank=True)
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    admin_note = models.TextField(max_length=ADMIN_NOTE_MAX, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["kind", "status", "-created_at"]), models.Index(fields=["kind", "object_id"])]


class DirectoryRating(TimeStampedModel):
    """A member's 1–5 star rating (with an optional short review) of a supplier or forwarder they opened; one per
    member and entry, editable. Admins may hide an abusive review; hidden ratings leave the average."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    stars = models.PositiveSmallIntegerField()
    comment = models.TextField(max_length=RATING_COMMENT_MAX, blank=True)
    is_hidden = models.BooleanField(default=False)

    class Meta:
        ordering = ("-updated_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "object_id"], name="directory_rating_once"),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="directory_rating_stars_1_5"),
        ]
        indexes = [models.Index(fields=["kind", "object_id", "is_hidden"])]


class DirectorySearch(models.Model):
    """A search with filters (the "filter per negara & produk" chart); only searches that filter something."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20)
    country = models.CharField(max_length=2, blank=True)
    product = models.CharField(max_length=SEARCH_TEXT_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "created_at"])]


# --- buyers (§1.2) --------------------------------------------------------------------------------------------------


class BuyerImport(TimeStampedModel):
    """One upload of an xlsx / csv file of buyers or (`target`) forwarders: validated into a preview, then committed
    row by row by a task that moves `processed_rows` (the progress bar); the counts and the
    per-row problems are the result report."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # what the file holds: "buyer" or "forwarder" (imports.py: one machinery, an importer per target)
    target = models.CharField(max_length=20, default="buyer", db_index=True)
    file = models.FileField(upload_to="private/directory/imports/", max_length=255)
    original_name = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW)
    mode = models.CharField(max_length=10, choices=ImportMode.choices, default=ImportMode.SKIP)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    invalid_rows = models.PositiveIntegerField(default=0)
    duplicate_rows = models.PositiveIntegerField(default=0)  # already in the database or earlier in the same file
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(
        default=list, blank=True
    )  # [{"row": 12, "kind": "invalid", "messages": [...]}] (first 1000)
    preview = models.JSONField(default=list, blank=True)  # the first rows as parsed, with their state
    error = models.CharField(max_length=500, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    @property
    def progress(self) -> int:
        """0–100 for the progress bar: rows written so far out of the rows to write."""
        if self.status == ImportStatus.DONE:
            return 100
        todo = self.total_rows - self.invalid_rows
        return min(99, int(self.processed_rows * 100 / todo)) if todo else 0


class Buyer(TimeStampedModel):
    """An international buyer / importer. Contacts (person, email, phone, WhatsApp, website, address) are shown to a
    member only after they open the detail within their monthly quota; `created_at` is the "date added"."""

    company = models.CharField(max_length=200)
    country = models.CharField(max_length=2)
    city = models.CharField(max_length=100, blank=True)
    products = models.CharField(max_length=500)  # "Kopi arabika, kakao"
    hs_codes = models.CharField(max_length=200, blank=True)  # "0901, 1801"
    annual_volume = models.CharField(max_length=100, blank=True)  # "10 kontainer 20ft / tahun"
    business_scale = models.CharField(max_length=10, choices=BusinessScale.choices, blank=True)
    payment_terms = models.CharField(max_length=100, blank=True)  # "T/T 30% DP, L/C at sight"
    shipping_terms = models.CharField(max_length=20, choices=Incoterm.choices, blank=True)
    description = models.TextField(max_length=2000, blank=True)
    # contacts (masked until opened)
    contact_person = models.CharField(max_length=100, blank=True)
    email = models.EmailField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    whatsapp = models.CharField(max_length=40, blank=True)
    website = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)
    # admin
    source = models.CharField(max_length=100, blank=True)  # "Pameran SIAL 2026", "ITPC Osaka"
    notes = models.TextField(max_length=2000, blank=True)  # internal, admins and mentors only
    is_verified = models.BooleanField(default=False)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)  # 1–5, set by admins
    status = models.CharField(max_length=10, choices=BuyerStatus.choices, default=BuyerStatus.ACTIVE)
    dedupe_key = models.CharField(max_length=260, db_index=True)  # normalised company + country
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    import_batch = models.ForeignKey(BuyerImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    view_count = models.PositiveIntegerField(default=0)
    like_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["status", "-created_at", "-id"]),
            models.Index(fields=["status", "country", "-created_at"]),
            models.Index(fields=["status", "is_verified", "-created_at"]),
            models.Index(fields=["status", "-view_count"]),
            models.Index(fields=["email"]),
        ]

    def __str__(self):
        return self.company


# --- forwarders (§1.5) ----------------------------------------------------------------------------------------------


class Forwarder(TimeStampedModel):
    """A freight forwarder / shipping agent, managed by admins. `services` is ",fcl,lcl,air," (portable filtering)."""

    name = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    province = models.CharField(max_length=100, blank=True)
    services = models.CharField(max_length=200, blank=True)
    ports = models.CharField(max_length=300, blank=True)  # "Tanjung Priok, Tanjung Perak"
    routes = models.CharField(max_length=500, blank=True)  # "Asia Timur, Timur Tengah, Eropa"
    description = models.TextField(max_length=2000, blank=True)
    contact_person = models.CharField(max_length=100, blank=True)
    email = models.EmailField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    whatsapp = models.CharField(max_length=40, blank=True)
    website = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)
    is_verified = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    view_count = models.PositiveIntegerField(default=0)
    like_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-is_verified", "name", "id")
        indexes = [models.Index(fields=["is_active", "name"])]

    def __str__(self):
        return self.name

    @property
    def service_list(self) -> list[str]:
        return [s for s in self.services.split(",") if s]


class ForwarderRate(TimeStampedModel):
    """A rate card line: one route and mode, price in whole rupiah."""

    forwarder = models.ForeignKey(Forwarder, on_delete=models.CASCADE, related_name="rates")
    origin_port = models.CharField(max_length=100)
    destination_port = models.CharField(max_length=100)
    destination_country = models.CharField(max_length=2)
    mode = models.CharField(max_length=10, choices=RateMode.choices)
    price = models.BigIntegerField()  # rupiah
    transit_days = models.PositiveSmallIntegerField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    notes = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=100, blank=True)  # where the rate comes from: "Penawaran email 2/12/2026"

    class Meta:
        ordering = ("price", "id")
        indexes = [models.Index(fields=["destination_country", "mode", "price"])]


# --- member directory (§1.6) ----------------------------------------------------------------------------------------


class MemberProfile(TimeStampedModel):
    """A member's card in the member directory (opt-in, with the fields they choose), and the product interests
    used for the new-buyer announcements."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_profile")
    is_listed = models.BooleanField(default=False)
    business_name = models.CharField(max_length=200, blank=True)
    headline = models.CharField(max_length=200, blank=True)  # "Eksportir kopi Gayo"
    products = models.CharField(max_length=300, blank=True)
    interests = models.CharField(max_length=300, blank=True)  # product keywords / HS codes for new-buyer news
    address = models.CharField(max_length=300, blank=True)  # exporter address for export documents
    npwp = models.CharField(max_length=30, blank=True)
    show_city = models.BooleanField(default=True)
    show_whatsapp = models.BooleanField(default=False)
    show_email = models.BooleanField(default=False)
    show_bio = models.BooleanField(default=True)
    show_products = models.BooleanField(default=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["is_listed", "-updated_at"])]


# --- export documents (§1.7) ----------------------------------------------------------------------------------------


class ExportDocument(TimeStampedModel):
    """A member's export document (kept as a draft they can edit), rendered to PDF on demand."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    number = models.CharField(max_length=40)
    issue_date = models.DateField()
    buyer = models.ForeignKey(Buyer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # exporter (filled from the member's profile, editable)
    exporter_name = models.CharField(max_length=200)
    exporter_address = models.CharField(max_length=300, blank=True)
    exporter_contact = models.CharField(max_length=200, blank=True)
    exporter_npwp = models.CharField(max_length=30, blank=True)
    # consignee (filled from the buyer when the member opened it, editable)
    consignee_name = models.CharField(max_length=200)
    consignee_address = models.CharField(max_length=300, blank=True)
    consignee_country = models.CharField(max_length=2, blank=True)
    notify_party = models.CharField(max_length=300, blank=True)  # whom the carrier tells of the arrival
    marks = models.CharField(max_length=300, blank=True)  # shipping marks on the packages
    currency = models.CharField(max_length=3, default="USD")
    incoterm = models.CharField(max_length=3, choices=Incoterm.choices, default=Incoterm.FOB)
    port_of_loading = models.CharField(max_length=100, blank=True)
    port_of_discharge = models.CharField(max_length=100, blank=True)
    vessel = models.CharField(max_length=100, blank=True)
    payment_terms = models.CharField(max_length=200, blank=True)
    notes = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ("-updated_at", "-id")
        indexes = [models.Index(fields=["owner", "-updated_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class DocumentTemplate(TimeStampedModel):
    """The admins' template of one document kind: a header (letterhead lines under the title), the notes a new
    document starts with, terms printed on every document of the kind, and a footer on every page."""

    kind = models.CharField(max_length=30, choices=DocumentKind.choices, unique=True)
    header = models.TextField(max_length=TEMPLATE_TEXT_MAX, blank=True)
    notes = models.TextField(max_length=TEMPLATE_TEXT_MAX, blank=True)
    terms = models.TextField(max_length=TEMPLATE_TEXT_MAX, blank=True)
    footer = models.TextField(max_length=TEMPLATE_FOOTER_MAX, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("kind",)

    def __str__(self):
        return str(self.get_kind_display())


class ExportDocumentItem(models.Model):
    document = models.ForeignKey(ExportDocument, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(max_length=300)
    hs_code = models.CharField(max_length=12, blank=True)
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    unit = models.CharField(max_length=10)
    net_weight = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)  # kg
    gross_weight = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)  # kg
    unit_price = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)  # in the currency
    packages = models.PositiveIntegerField(null=True, blank=True)  # number of cartons / bags / pallets
    dimensions = models.CharField(max_length=60, blank=True)  # "60 x 40 x 30 cm" per package

    class Meta:
        ordering = ("position", "id")


class DirectoryRoleAccess(TimeStampedModel):
    """Which roles may open a directory's member pages and API (spec L1718 "Role-access setting"; admins edit it at
    /admin/direktori/kuota). No row = every role (everyone holds Member). Admins always may."""

    kind = models.CharField(max_length=20, unique=True)
    roles = models.JSONField(default=list)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class DirectoryFeatureGate(TimeStampedModel):
    """How a directory's feature resource (`constants.FEATURES`) gates it. No row / `plans_only` False: every
    signed-in member opens it and the quota table decides the depth (PRODUCT.md: free members get 5 buyer details
    and 3 documents a month). `plans_only` True ("hanya paket yang menyertakan fitur ini"): only members whose plan
    (or a grant) includes the resource; the others get the policy's locked card. Admins always pass."""

    key = models.CharField(max_length=60, unique=True)
    plans_only = models.BooleanField(default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


# --- personal API keys (D-DIR-3) ------------------------------------------------------------------------------------


class MemberApiKey(TimeStampedModel):
    """A member's personal key for their own systems: it reads the directory as that member, with their quota.
    Only the SHA-256 of the secret is kept; the secret is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
