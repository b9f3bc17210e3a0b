from django.conf import settings
from django.db import models
from django.db.models import Q

from .constants import GrantSource
from .kinds import resource_kind_choices


class Resource(models.Model):
    """Anything a user can be granted access to: a product, course, group, event, document or feature.

    The owning app creates its Resource through `access.services.resource_ensure` and keeps the link."""

    kind = models.CharField(max_length=20, choices=resource_kind_choices)  # the resource kinds registry
    key = models.SlugField(max_length=120)
    title = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    # What comes with this resource when a purchase or a plan opens it (a course's bonus products and its study
    # group): the same grant source gives them, and ends or revokes them with it (`services.resource_bundle_set`).
    bundled = models.ManyToManyField("self", symmetrical=False, related_name="bundled_in", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("kind", "title")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="uniq_resource_kind_key")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


class Grant(models.Model):
    """One user's access to one resource, from one source, for a period. Never deleted: ending access sets
    `ends_at` or `revoked_at`, so history (and the learner's progress elsewhere) stays."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="grants")
    source = models.CharField(max_length=20, choices=GrantSource.choices)
    # "membership:<id>", "order:<invoice>", "admin:<user id>" — which record gave it.
    source_ref = models.CharField(max_length=64)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)  # None: no end (lifetime)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=200, blank=True)  # the admin's note on a hand-made grant
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = [
            models.Index(fields=["user", "resource"]),
            models.Index(fields=["source", "source_ref"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "resource", "source_ref"],
                condition=Q(revoked_at__isnull=True),
                name="uniq_open_grant_per_source",
            )
        ]

    def __str__(self):
        return f"grant {self.user_id}→{self.resource_id} ({self.source_ref})"


class DownloadLog(models.Model):
    """One download of a private product file: who, which file, when, from where. Append-only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    product_file = models.ForeignKey("catalog.ProductFile", null=True, on_delete=models.SET_NULL, related_name="+")
    product = models.ForeignKey("catalog.Product", null=True, on_delete=models.SET_NULL, related_name="+")
    # Kept when the file or product is deleted later.
    file_title = models.CharField(max_length=200)
    product_title = models.CharField(max_length=200)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["user", "-created_at"])]
