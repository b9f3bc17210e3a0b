"""Reads of the Booster Suite: public pages, the affiliate's lists with filters, statistics."""

from datetime import date

from django.db.models import CharField, Count, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, Concat

from sanggar.affiliates.constants import AffiliateStatus
from sanggar.affiliates.models import AffiliateProfile
from sanggar.reminders.constants import SendStatus
from sanggar.reminders.engine import step_delay
from sanggar.reminders.models import ReminderSend

from .constants import BroadcastStatus, LeadStatus, RecipientStatus
from .models import (
    REALM,
    BioPage,
    Broadcast,
    BroadcastRecipient,
    CreditEntry,
    Lead,
    LeadTag,
    OptinForm,
    Sequence,
)


def bio_page_public(username: str) -> BioPage | None:
    """The published bio page of an active affiliate; `username` is the affiliate code (any case)."""
    code = str(username or "").strip().upper()[:40]
    if not code:
        return None
    return (
        BioPage.objects.select_related("affiliate__user")
        .filter(
            affiliate__code=code,
            is_published=True,
            affiliate__status=AffiliateStatus.ACTIVE,
            affiliate__user__is_active=True,
        )  # fmt: skip
        .first()
    )


def bio_exists(slug: str) -> bool:
    return bio_page_public(slug) is not None


def optin_public(slug: str) -> OptinForm | None:
    return (
        OptinForm.objects.select_related("affiliate__user")
        .filter(slug=str(slug or "")[:60], is_active=True, affiliate__status=AffiliateStatus.ACTIVE)
        .first()
    )


def optin_exists(slug: str) -> bool:
    return optin_public(slug) is not None


def leads_for(*, affiliate, status="", source="", tag="", q="", follow_up="", start: date | None = None,
              end: date | None = None, activity=""):  # fmt: skip
    qs = Lead.objects.filter(affiliate=affiliate)
    if status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source=source)
    if tag:
        qs = qs.filter(tags__tag=tag)
    if q:
        q = q[:100]
        qs = qs.filter(Q(name__icontains=q) | Q(email__icontains=q.lower()) | Q(whatsapp__icontains=q))
    if follow_up == "due":
        qs = qs.filter(follow_up_on__isnull=False, follow_up_on__lte=date.today())
    if start:
        qs = qs.filter(created_at__date__gte=start)
    if end:
        qs = qs.filter(created_at__date__lte=end)
    if activity == "opened":
        qs = qs.filter(Q(broadcast_logs__opened_at__isnull=False) | Q(_automation_sends(opened_at__isnull=False)))
    elif activity == "clicked":
        qs = qs.filter(Q(broadcast_logs__clicked_at__isnull=False) | Q(_automation_sends(clicked_at__isnull=False)))
    elif activity == "automation":
        qs = qs.filter(enrollments__isnull=False)
    elif activity == "broadcast":
        qs = qs.filter(broadcast_logs__status=RecipientStatus.SENT)
    if tag or activity:
        qs = qs.distinct()
    return qs.order_by("-created_at", "-id")


def _automation_sends(**filters):
    """The lead's automation sends in the reminder engine's log (key `lead:<id>`) matching `filters`."""
    key = Concat(Value("lead:"), Cast(OuterRef("pk"), CharField()), output_field=CharField())
    return Exists(ReminderSend.objects.filter(object_key=key, step__sequence__realm=REALM, **filters))


def lead_status_counts(affiliate) -> dict:
    rows = Lead.objects.filter(affiliate=affiliate).values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(LeadStatus.values, 0)
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


def lead_tags(affiliate) -> list[str]:
    return list(
        LeadTag.objects.filter(lead__affiliate=affiliate).values_list("tag", flat=True).distinct().order_by("tag")[:100]
    )


def credit_history(account):
    return CreditEntry.objects.filter(account=account).order_by("-created_at", "-id")


def broadcast_stats(broadcast) -> dict:
    sent = broadcast.sent_count
    converted = BroadcastRecipient.objects.filter(
        broadcast=broadcast, status=RecipientStatus.SENT, lead__converted_at__isnull=False,
        lead__converted_at__gte=broadcast.started_at or broadcast.created_at,
    ).count()  # fmt: skip

    def rate(n):
        return round(100 * n / sent, 1) if sent else 0.0

    return {
        "recipients": broadcast.total_recipients, "sent": sent, "delivered": broadcast.delivered_count,
        "delivery_rate": rate(broadcast.delivered_count), "failed": broadcast.failed_count,
        "skipped": broadcast.skipped_count, "opened": broadcast.opened_count, "clicked": broadcast.clicked_count,
        "unsubscribed": broadcast.unsubscribed_count, "converted": converted, "open_rate": rate(broadcast.opened_count),
        "click_rate": rate(broadcast.clicked_count),
        "fail_rate": round(100 * broadcast.failed_count / broadcast.total_recipients, 1)
        if broadcast.total_recipients else 0.0,
        "credits_used": broadcast.credits_used,
    }  # fmt: skip


def broadcast_summary(affiliate) -> dict:
    row = Broadcast.objects.filter(affiliate=affiliate).aggregate(
        sent=Coalesce(Sum("sent_count"), 0), delivered=Coalesce(Sum("delivered_count"), 0),
        opened=Coalesce(Sum("opened_count"), 0),
        clicked=Coalesce(Sum("clicked_count"), 0), credits=Coalesce(Sum("credits_used"), 0),
    )  # fmt: skip
    sent = row["sent"]
    row["open_rate"] = round(100 * row["opened"] / sent, 1) if sent else 0.0
    row["delivery_rate"] = round(100 * row["delivered"] / sent, 1) if sent else 0.0
    row["click_rate"] = round(100 * row["clicked"] / sent, 1) if sent else 0.0
    return row


def sequence_stats(sequence) -> dict:
    """Sent, delivered, failed, opened, clicked (the reminder engine's log) and the leads enrolled."""
    sends = ReminderSend.objects.filter(step__sequence_id=sequence.pk)
    row = sends.aggregate(
        sent=Count("id", filter=Q(status=SendStatus.SENT)),
        delivered=Count("id", filter=Q(status=SendStatus.SENT, delivered_at__isnull=False)),
        failed=Count("id", filter=Q(status=SendStatus.FAILED)),
        opened=Count("id", filter=Q(opened_at__isnull=False)),
        clicked=Count("id", filter=Q(clicked_at__isnull=False)),
    )
    enrolled = sequence.booster_enrollments.aggregate(
        total=Count("id"), converted=Count("id", filter=Q(lead__converted_at__isnull=False)),
        unsubscribed=Count("id", filter=Q(lead__unsubscribed_at__isnull=False)),
    )  # fmt: skip
    return {**row, **enrolled}


def step_rows(sequence) -> list[dict]:
    """The steps as affiliates see them: position, delay after the previous step (minutes; the engine keeps the
    delay after the trigger), subject, body."""
    rows, previous = [], 0
    for step in sorted(sequence.steps.all(), key=lambda s: (s.sort_order, s.pk)):
        total = int(step_delay(step).total_seconds() // 60)
        rows.append(
            {"step": step, "position": step.sort_order, "delay_minutes": max(total - previous, 0),
             "subject": step.subject, "body": step.body}
        )  # fmt: skip
        previous = total
    return rows


def sequence_step_stats(sequence) -> list[dict]:
    """Each step with its sent, opened, clicked and failed sends (one grouped query on the engine's log)."""
    counts = {
        row["step_id"]: row
        for row in ReminderSend.objects.filter(step__sequence_id=sequence.pk)
        .values("step_id")
        .order_by()
        .annotate(
            sent=Count("id", filter=Q(status=SendStatus.SENT)),
            failed=Count("id", filter=Q(status=SendStatus.FAILED)),
            opened=Count("id", filter=Q(opened_at__isnull=False)),
            clicked=Count("id", filter=Q(clicked_at__isnull=False)),
        )
    }
    empty = {"sent": 0, "failed": 0, "opened": 0, "clicked": 0}
    return [{**row, **{k: counts.get(row["step"].pk, empty)[k] for k in empty}} for row in step_rows(sequence)]


def _count(model, field):
    return model.objects.filter(affiliate=OuterRef("pk")).values("affiliate").annotate(n=Count(field)).values("n")


def _sum(model, field):
    return model.objects.filter(affiliate=OuterRef("pk")).values("affiliate").annotate(n=Sum(field)).values("n")


def admin_usage():
    """Per affiliate with Booster activity: leads, emails sent, credits (one grouped query per measure)."""
    return (
        AffiliateProfile.objects.select_related("user", "credit_account")
        .annotate(
            lead_count=Coalesce(Subquery(_count(Lead, "id")), 0),
            sent=Coalesce(Subquery(_sum(Broadcast, "sent_count")), 0),
            used=Coalesce(Subquery(_sum(Broadcast, "credits_used")), 0),
        )
        .filter(Q(lead_count__gt=0) | Q(credit_account__isnull=False) | Q(sent__gt=0))
        .order_by("-sent", "code")
    )


def admin_totals() -> dict:
    row = Broadcast.objects.aggregate(
        sent=Coalesce(Sum("sent_count"), 0), delivered=Coalesce(Sum("delivered_count"), 0),
        opened=Coalesce(Sum("opened_count"), 0),
        clicked=Coalesce(Sum("clicked_count"), 0), used=Coalesce(Sum("credits_used"), 0),
    )  # fmt: skip
    seq = ReminderSend.objects.filter(step__sequence__realm=REALM, status=SendStatus.SENT).count()
    sold = CreditEntry.objects.filter(kind="topup").aggregate(n=Coalesce(Sum("available"), 0))["n"]
    sent = row["sent"]
    return {
        "broadcast_sent": sent, "sequence_sent": seq,
        "open_rate": round(100 * row["opened"] / sent, 1) if sent else 0.0,
        "click_rate": round(100 * row["clicked"] / sent, 1) if sent else 0.0, "credits_sold": sold,
        "credits_used": row["used"] + seq, "leads": Lead.objects.count(),
        "sending": Broadcast.objects.filter(status=BroadcastStatus.SENDING).count(),
    }  # fmt: skip


def sequences_for(affiliate):
    return Sequence.objects.filter(owner_id=affiliate.pk).annotate(step_count=Count("steps")).order_by("name", "id")


def default_sequences():
    return Sequence.objects.filter(owner_id__isnull=True).annotate(step_count=Count("steps")).order_by("name", "id")
