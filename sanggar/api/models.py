from django.conf import settings
from django.db import models
from django.db.models import Q


class IdempotencyRecord(models.Model):
    """One `Idempotency-Key` a client sent with a write request, and the response it got.

    Scoped to the caller: the signed-in user; for anonymous calls the client address (with the client app's API
    key when one is sent), so an unrelated client reusing the same key is never refused or answered with another
    caller's response. `status_code` is null while the first request is still running."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    api_key = models.ForeignKey("accounts.ApiKey", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    client_address = models.CharField(max_length=45, blank=True, default="")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=Q(user__isnull=False), name="uniq_idempotency_user_key"
            ),
            models.UniqueConstraint(
                fields=["api_key", "client_address", "key"],
                condition=Q(user__isnull=True, api_key__isnull=False),
                name="uniq_idempotency_api_key_address_key",
            ),
            models.UniqueConstraint(
                fields=["client_address", "key"],
                condition=Q(user__isnull=True, api_key__isnull=True),
                name="uniq_idempotency_anonymous_address_key",
            ),
        ]

    def __str__(self):
        return f"{self.method} {self.path} [{self.key}]"

    @property
    def is_complete(self) -> bool:
        return self.status_code is not None
