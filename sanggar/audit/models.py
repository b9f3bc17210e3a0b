from django.conf import settings
from django.db import models
from django.utils import timezone

from .registry import action_label


class ActivityLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The activity log is append-only.")

    def delete(self):
        raise TypeError("The activity log is append-only.")


class ActivityLog(models.Model):
    """Append-only record of every state change: one row per event, on the object it concerns (an order's events are
    its timeline). `action` is a code from the audit registry (`sanggar.audit.registry`), not a closed choices list."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=255, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, blank=True, db_index=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=255, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = ActivityLogQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The activity log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The activity log is append-only.")

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    def get_action_display(self) -> str:
        return self.action_label
