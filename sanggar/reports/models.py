"""Which periodic report went to whom: one row per (report kind, period, recipient), so a report is sent once per
period whatever the number of times its task runs."""

from django.conf import settings
from django.db import models

from .constants import ReportKind


class ReportDispatch(models.Model):
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-period_start", "kind", "recipient_id")
        constraints = [
            models.UniqueConstraint(fields=["kind", "period_start", "recipient"], name="uniq_report_dispatch")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_start:%d-%m-%Y}"
