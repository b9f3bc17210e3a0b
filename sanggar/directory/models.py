"""Export directory. The shared tables (quota table, quota ledger, views, likes, reports, searches) are keyed by
(kind, object_id) so every directory (buyers, forwarders, export documents here; suppliers in sanggar.suppliers)
uses the same rules; see services.py."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from sanggar.core.models import TimeStampedModel

from .constants import ADMIN_NOTE_MAX, REPORT_DETAIL_MAX, SEARCH_TEXT_MAX, ReportReason, ReportStatus


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


class DirectorySearch(models.Model):
    """A search with filters (the "filter per negara & produk" chart); only searches that filter something."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20)
    country = models.CharField(max_length=2, blank=True)
    product = models.CharField(max_length=SEARCH_TEXT_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "created_at"])]
