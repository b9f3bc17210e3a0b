"""The supplier triggers of the one reminder engine (spec Supplier §7b and §8, checklist §5.9): the upgrade reminders
to free suppliers (after approval with the 1 / 7 / 14 / 30-day steps, after the first product, after a member's chat
attempt the free supplier could not answer) and the Premium ending / ended reminders. Reading only, like engine.py;
the sweep (services.py) writes the log. Reminders sits above suppliers and chat in the stack, so it reads them.

Keys (once per supplier, step and key): `sa:<supplier>` (approval), `sf:<supplier>` (first product),
`sr:<supplier>:<window>` (a refused chat: `once`, or one per pause of the sequence's `days`), `sx:<supplier>:<date>`
(the Premium period's end, UTC `YYYYMMDD`: a renewal re-arms). Migration 0012 maps `suppliers.ReminderSent` onto them.
`su:<conversation>:<YYYYMMDD>` (a Premium supplier's unread inquiry, one per conversation and local day).
"""

from collections.abc import Iterator
from datetime import UTC, timedelta

from django.db.models import F, Min, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.chat.constants import Kind as ChatKind
from sanggar.chat.models import Message, Participant, SupplierRefusal
from sanggar.suppliers.constants import APPROVED_STATUSES, PROMO_AFTER_REMINDERS
from sanggar.suppliers.models import PremiumPeriod, Supplier, SupplierProduct
from sanggar.suppliers.promo import promo_for
from sanggar.suppliers.services import settings_get

from .constants import SUPPLIER_UPGRADE_TRIGGERS, SendStatus, Trigger
from .engine import Candidate, fmt_date, url
from .models import ReminderSend

SCAN_CHUNK = 1000


def _free(now):
    return Q(premium_until__isnull=True) | Q(premium_until__lte=now)


def _context(supplier, now, settings_row) -> dict:
    """The supplier's shortcodes: {company}, {upgrade_link}, {trial_days}, {trial_offer} (a sentence while the 7-day
    trial is open to this supplier, else empty), {expiry_date} / {days_left} of its Premium."""
    trial = ""
    days = settings_row.trial_days
    if days and not supplier.trial_used and not (supplier.premium_until and supplier.premium_until > now):
        trial = _("Coba Supplier Premium gratis %(days)s hari: %(link)s") % {
            "days": days,
            "link": url("suppliers:package"),
        }
    values = {
        "company": supplier.company_name or supplier.user.full_name,
        "upgrade_link": url("suppliers:package"),
        "trial_days": str(days or ""),
        "trial_offer": trial,
    }
    if supplier.premium_until:
        left = supplier.premium_until - now
        values["expiry_date"] = fmt_date(supplier.premium_until)
        values["days_left"] = str(max(0, left.days + (1 if left.seconds else 0))) if left.total_seconds() > 0 else "0"
    return values


def _candidate(supplier, *, key, anchor, now, settings_row):
    return Candidate(
        user=supplier.user,
        object_key=key,
        anchor=anchor,
        context=_context(supplier, now, settings_row),
        link=reverse("suppliers:package"),
    )


def _approved(sequence, *, now, lo, hi) -> Iterator:
    """Free suppliers approved (verified or limited) at a moment in the range: the approval step and the timed
    1 / 7 / 14 / 30-day steps of the sequence."""
    settings_row = settings_get()
    qs = (
        Supplier.objects.select_related("user")
        .filter(status__in=APPROVED_STATUSES, user__is_active=True, decided_at__gte=lo, decided_at__lte=min(hi, now))
        .filter(_free(now))
        .order_by("decided_at", "id")
    )
    for s in qs.iterator(chunk_size=SCAN_CHUNK):
        yield _candidate(s, key=f"sa:{s.pk}", anchor=s.decided_at, now=now, settings_row=settings_row)


def _first_product(sequence, *, now, lo, hi) -> Iterator:
    """Free approved suppliers whose first product was created in the range."""
    settings_row = settings_get()
    firsts = (
        SupplierProduct.objects.values("supplier_id")
        .order_by()
        .annotate(first=Min("created_at"))
        .filter(first__gte=lo, first__lte=min(hi, now))
    )
    first_at = {row["supplier_id"]: row["first"] for row in firsts}
    if not first_at:
        return
    qs = (
        Supplier.objects.select_related("user")
        .filter(pk__in=first_at, status__in=APPROVED_STATUSES, user__is_active=True)
        .filter(_free(now))
        .order_by("id")
    )
    for s in qs.iterator(chunk_size=SCAN_CHUNK):
        yield _candidate(s, key=f"sf:{s.pk}", anchor=first_at[s.pk], now=now, settings_row=settings_row)


def refusal_window(moment, pause_days: int) -> str:
    """The part of a refused-chat key: `once` (pause 0: one reminder ever) or the pause window of the local date."""
    if not pause_days:
        return "once"
    return f"p{timezone.localdate(moment).toordinal() // pause_days}"


def _refused_chat(sequence, *, now, lo, hi) -> Iterator:
    """A member tried to chat with a free supplier (chat counts each refusal, never its text): once, or once per
    pause of `sequence.days` days, anchored at the first refusal of that window."""
    settings_row = settings_get()
    refusals = (
        SupplierRefusal.objects.filter(created_at__gte=lo, created_at__lte=min(hi, now))
        .order_by("created_at", "id")
        .values_list("supplier_id", "created_at")
    )
    first: dict[tuple[int, str], object] = {}
    for user_id, at in refusals.iterator(chunk_size=SCAN_CHUNK):
        first.setdefault((user_id, refusal_window(at, sequence.days)), at)
    if not first:
        return
    suppliers = {
        s.user_id: s
        for s in Supplier.objects.select_related("user")
        .filter(user_id__in={u for u, _w in first}, status__in=APPROVED_STATUSES, user__is_active=True)
        .filter(_free(now))
    }
    for (user_id, window), at in first.items():
        s = suppliers.get(user_id)
        if s is not None:
            yield _candidate(s, key=f"sr:{s.pk}:{window}", anchor=at, now=now, settings_row=settings_row)


def _premium(sequence, *, now, lo, hi) -> Iterator:
    """Before a Premium period ends (its steps go out before `premium_until`) and after it ended."""
    settings_row = settings_get()
    qs = Supplier.objects.select_related("user").filter(user__is_active=True, premium_until__gte=lo)
    if sequence.trigger == Trigger.SUPPLIER_PREMIUM_ENDING:
        qs = qs.filter(premium_until__gt=now, premium_until__lte=hi)
    else:
        qs = qs.filter(premium_until__lte=min(hi, now))
    for s in qs.order_by("premium_until", "id").iterator(chunk_size=SCAN_CHUNK):
        key = f"sx:{s.pk}:{s.premium_until.astimezone(UTC).strftime('%Y%m%d')}"
        yield _candidate(s, key=key, anchor=s.premium_until, now=now, settings_row=settings_row)


def _unread_inquiries(now, **filters):
    """The supplier side (a Premium supplier's participant row) of supplier conversations whose latest message is a
    member's, not yet read by the supplier: one query, the latest message's id / time as `last_id` / `last_at`."""
    latest = Message.objects.filter(
        conversation_id=OuterRef("conversation_id"), is_system=False, deleted_at__isnull=True
    ).order_by("-id")
    return (
        Participant.objects.filter(
            conversation__kind=ChatKind.SUPPLIER,
            left_at__isnull=True,
            user__is_active=True,
            user__supplier__status__in=APPROVED_STATUSES,
            user__supplier__premium_until__gt=now,
            **filters,
        )
        .annotate(
            last_id=Subquery(latest.values("id")[:1]),
            last_sender=Subquery(latest.values("sender_id")[:1]),
            last_at=Subquery(latest.values("created_at")[:1]),
        )
        .filter(last_id__gt=F("last_read_message_id"))
        .exclude(last_sender=F("user_id"))
    )


def _unread_chat(sequence, *, now, lo, hi) -> Iterator:
    """A member's supplier inquiry a Premium supplier has not read: the step's delay is the threshold (4 hours by
    default), the moment is the member's latest message, moved by whole days while still unread, so the supplier is
    reminded once a local day for `sequence.days` more days (0 = once)."""
    settings_row = settings_get()
    repeat = max(0, sequence.days or 0)
    rows = (
        _unread_inquiries(now)
        .filter(last_at__gte=lo - timedelta(days=repeat), last_at__lte=min(hi, now))
        .select_related("user__supplier")
        .order_by("last_at", "id")
    )
    for p in rows.iterator(chunk_size=SCAN_CHUNK):
        supplier = p.user.supplier
        for day in range(repeat + 1):
            anchor = p.last_at + timedelta(days=day)
            if not (lo <= anchor <= hi):
                continue
            link = reverse("chat:conversation", args=[p.conversation_id])
            candidate = _candidate(
                supplier,
                key=f"su:{p.conversation_id}:{timezone.localdate(anchor).strftime('%Y%m%d')}",
                anchor=anchor,
                now=now,
                settings_row=settings_row,
            )
            candidate.link = link
            candidate.context["chat_link"] = url("chat:conversation", p.conversation_id)
            yield candidate


def replied_indexes(candidates) -> set[int]:
    """The indexes of `candidates` (`su:` keys) whose conversation the supplier has read or replied to since, or
    whose supplier is no longer Premium: the stop action `replied`, re-checked before each batch (one query)."""
    ids = {int(c.object_key.split(":")[1]) for c in candidates if c.object_key.startswith("su:")}
    unread = (
        set(_unread_inquiries(timezone.now(), conversation_id__in=ids).values_list("conversation_id", flat=True))
        if ids
        else set()
    )
    return {
        i
        for i, c in enumerate(candidates)
        if c.object_key.startswith("su:") and int(c.object_key.split(":")[1]) not in unread
    }


SOURCES = {
    Trigger.SUPPLIER_APPROVED: _approved,
    Trigger.SUPPLIER_FIRST_PRODUCT: _first_product,
    Trigger.SUPPLIER_REFUSED_CHAT: _refused_chat,
    Trigger.SUPPLIER_PREMIUM_ENDING: _premium,
    Trigger.SUPPLIER_PREMIUM_ENDED: _premium,
    Trigger.SUPPLIER_UNREAD_CHAT: _unread_chat,
}


def supplier_of(candidate):
    if not candidate.object_key.startswith(("sa:", "sf:", "sr:", "sx:")):
        return None
    return Supplier.objects.filter(pk=int(candidate.object_key.split(":")[1])).first()


def upgraded_indexes(candidates) -> set[int]:
    """The indexes of `candidates` whose supplier is Premium now (the stop action `upgraded`; one query)."""
    ids = {int(c.object_key.split(":")[1]) for c in candidates if c.object_key.startswith(("sa:", "sf:", "sr:", "sx:"))}
    premium = set(
        Supplier.objects.filter(pk__in=ids, premium_until__gt=timezone.now()).values_list("pk", flat=True)
        if ids
        else []
    )
    return {
        i
        for i, c in enumerate(candidates)
        if c.object_key.startswith(("sa:", "sf:", "sr:", "sx:")) and int(c.object_key.split(":")[1]) in premium
    }


def upgraded_users(rows) -> set[int]:
    """The ids of the sends (rows) whose supplier got a live Premium period after the send (one query)."""
    periods = {}
    for user_id, created in PremiumPeriod.objects.filter(
        supplier__user_id__in={r.user_id for r in rows}, revoked_at__isnull=True
    ).values_list("supplier__user_id", "created_at"):
        periods.setdefault(user_id, []).append(created)
    return {r.pk for r in rows if any(at >= r.created_at for at in periods.get(r.user_id, []))}


def promo_context(sequence, step, candidate, row) -> dict:
    """The step action behind `{promo}` (spec Supplier §7b "kupon diskon setelah reminder ke-3"): from the upgrade
    reminder after the third one on, the supplier's single-use Premium coupon (created once, by suppliers' promo
    rule and the admins' percent / validity / switch) is the reminder's promo sentence. Inside the send's
    transaction, after its log row: the count is of this supplier's earlier upgrade sends."""
    if sequence.trigger not in SUPPLIER_UPGRADE_TRIGGERS:
        return {}
    texts = [step.subject, step.body, *(v for f in (step.content or {}).values() for v in (f or {}).values())]
    if not any("{promo}" in str(t) for t in texts):
        return {}
    supplier = supplier_of(candidate)
    if supplier is None:
        return {}
    earlier = (
        ReminderSend.objects.filter(
            user_id=candidate.user.pk,
            status=SendStatus.SENT,
            step__sequence__trigger__in=SUPPLIER_UPGRADE_TRIGGERS,
        )
        .exclude(pk=row.pk)
        .count()
    )
    if earlier < PROMO_AFTER_REMINDERS:
        return {"promo": ""}
    return {"promo": promo_for(supplier=supplier, settings_row=settings_get(), earlier=earlier)}
