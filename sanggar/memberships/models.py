from django.conf import settings
from django.db import models
from django.db.models import Q

from sanggar.catalog.constants import Duration

from .constants import LogKind, MembershipSource, MembershipStatus


class UserMembership(models.Model):
    """A user's membership of a plan. At most one is active per user (database constraint)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    plan = models.ForeignKey("catalog.MembershipPlan", on_delete=models.PROTECT, related_name="memberships")
    duration = models.CharField(max_length=10, choices=Duration.choices)
    status = models.CharField(max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)  # None: lifetime
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, choices=MembershipSource.choices, default=MembershipSource.ORDER)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="active"), name="one_active_membership_per_user"
            )
        ]
        indexes = [models.Index(fields=["status", "ends_at"])]

    def __str__(self):
        return f"{self.user_id}:{self.plan_id} ({self.status})"


class MembershipUpgradeLog(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    old_plan = models.ForeignKey("catalog.MembershipPlan", on_delete=models.PROTECT, related_name="+")
    new_plan = models.ForeignKey("catalog.MembershipPlan", on_delete=models.PROTECT, related_name="+")
    old_membership = models.ForeignKey(UserMembership, on_delete=models.PROTECT, related_name="+")
    new_membership = models.ForeignKey(UserMembership, on_delete=models.PROTECT, related_name="+")
    upgraded_at = models.DateTimeField()
    payment_mode = models.CharField(max_length=20)  # accumulate | full
    credit = models.BigIntegerField(default=0)  # unused value of the old plan deducted
    amount_paid = models.BigIntegerField()
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("-upgraded_at",)


class MembershipLog(models.Model):
    """History of a user's memberships: activated, extended, upgraded, expired, refunded."""

    membership = models.ForeignKey(UserMembership, on_delete=models.CASCADE, related_name="logs")
    kind = models.CharField(max_length=30, choices=LogKind.choices)
    message = models.CharField(max_length=300, blank=True)
    old_ends_at = models.DateTimeField(null=True, blank=True)
    new_ends_at = models.DateTimeField(null=True, blank=True)
    # The order behind an activation, renewal or upgrade (a refund rolls back what this order added).
    order = models.ForeignKey("orders.Order", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["order", "kind"])]


class MembershipReminder(models.Model):
    """A "berakhir dalam N hari" reminder that was sent, once per membership, end date and threshold.

    A renewal moves `ends_at`, so the reminders of the new end date are sent again."""

    membership = models.ForeignKey(UserMembership, on_delete=models.CASCADE, related_name="reminders")
    threshold_days = models.PositiveSmallIntegerField()
    ends_at = models.DateTimeField()
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ("sent_at", "id")
        constraints = [
            models.UniqueConstraint(fields=["membership", "ends_at", "threshold_days"], name="uniq_membership_reminder")
        ]
