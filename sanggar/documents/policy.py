"""May this member open a document? The level rule (PRODUCT.md): a document opens for a member whose active plan's
rank is at least the document's `min_rank`; the one access policy adds admins and admin grants of the document's
resource (an admin can open one document for one person at /admin/akses). A higher-level document is shown locked
with the way to unlock it: upgrade to the lowest plan that opens it, renew an ended membership ("Gabung ulang"), or
choose a plan. The batch form answers for a page of documents with a fixed number of queries."""

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.access.constants import DenyReason
from sanggar.access.policy import (
    ALLOWED,
    AccessDecision,
    access_decisions,
    checkout_all_url,
    checkout_compare_url,
    checkout_plan_url,
)
from sanggar.catalog.constants import PlanStatus
from sanggar.catalog.models import MembershipPlan
from sanggar.core.roles import Role
from sanggar.memberships.selectors import membership_active_for, membership_last_ended

from .models import Document


def level_plans() -> dict[int, list[tuple[str, str]]]:
    """rank → [(slug, title)] of the plans on sale, by title (one query)."""
    levels: dict[int, list[tuple[str, str]]] = {}
    for rank, slug, title in (
        MembershipPlan.objects.filter(status=PlanStatus.ACTIVE)
        .order_by("rank", "title")
        .values_list("rank", "slug", "title")
    ):
        levels.setdefault(rank, []).append((slug, title))
    return levels


def level_label(rank: int, levels: dict[int, list[tuple[str, str]]]) -> str:
    """ "Gold" / "Silver / 6 Bulan" (the plans of that rank), or "level 3" when no plan on sale has it."""
    names = [title for _slug, title in levels.get(rank, [])]
    return " / ".join(names) if names else _("level %(rank)s") % {"rank": rank}


def level_choices() -> list[tuple[int, str]]:
    levels = level_plans()
    ranks = sorted(set(levels) | {1})
    return [(rank, f"{level_label(rank, levels)} " + _("ke atas")) for rank in ranks]


def _locked(document: Document, membership, last, levels) -> AccessDecision:
    label = level_label(document.min_rank, levels)
    message = _("Dokumen ini hanya untuk member %(level)s ke atas.") % {"level": label}
    opening = [slug for rank, plans in sorted(levels.items()) if rank >= document.min_rank for slug, _t in plans]
    if membership is not None:
        if len(opening) == 1:
            url = checkout_plan_url(opening[0])
        elif opening:
            url = checkout_compare_url(opening[:4])
        else:
            url = checkout_all_url()
        return AccessDecision(
            allowed=False,
            reason=DenyReason.PREMIUM_REQUIRED,
            message=message,
            action_label=_("Upgrade Membership"),
            action_url=url,
        )
    if last is not None:
        return AccessDecision(
            allowed=False,
            reason=DenyReason.MEMBERSHIP_EXPIRED,
            message=_("Membership Anda sudah berakhir. Gabung ulang untuk mengakses dokumen."),
            action_label=_("Gabung Ulang"),
            action_url=checkout_plan_url(last.plan.slug)
            if last.plan.status == PlanStatus.ACTIVE and last.plan.rank >= document.min_rank
            else checkout_all_url(),
        )
    return AccessDecision(
        allowed=False,
        reason=DenyReason.PREMIUM_REQUIRED,
        message=message,
        action_label=_("Lihat Paket Membership"),
        action_url=checkout_all_url(),
    )


def _unavailable() -> AccessDecision:
    return AccessDecision(
        allowed=False, reason=DenyReason.INACTIVE_RESOURCE, message=_("Dokumen ini sedang tidak tersedia.")
    )


def document_decisions(
    *, user, documents: Iterable[Document], now: datetime | None = None
) -> dict[int, AccessDecision]:
    """Decisions for many documents (with `resource` selected), keyed by document id: at most twelve queries."""
    documents = list(documents)
    now = now or timezone.now()
    signed_in = bool(user is not None and user.is_authenticated and user.is_active)
    if not signed_in or user.has_role(Role.ADMIN):
        # The one policy answers "sign in first" (no query) or "yes" for admins.
        base = access_decisions(user=user, resources=[d.resource for d in documents if d.resource_id], now=now)
        return {
            d.pk: base.get(d.resource_id, ALLOWED if signed_in else _unavailable())
            if d.deleted_at is None
            else _unavailable()
            for d in documents
        }
    resources = [d.resource for d in documents if d.resource_id]
    base = access_decisions(user=user, resources=resources, now=now) if resources else {}
    membership = membership_active_for(user=user, now=now)
    last = None if membership else membership_last_ended(user=user, now=now)
    levels = level_plans()
    decisions = {}
    for document in documents:
        if not document.is_active or document.deleted_at is not None:
            decisions[document.pk] = _unavailable()
        elif document.resource_id and base[document.resource_id].allowed:
            decisions[document.pk] = ALLOWED  # an admin grant (or a plan that includes this document's resource)
        elif membership is not None and membership.plan.rank >= document.min_rank:
            decisions[document.pk] = ALLOWED
        else:
            decisions[document.pk] = _locked(document, membership, last, levels)
    return decisions


def document_decision(*, user, document: Document, now: datetime | None = None) -> AccessDecision:
    return document_decisions(user=user, documents=[document], now=now)[document.pk]


def membership_level_of(*, user, now: datetime | None = None) -> str:
    """The member's plan now ("Gold"), for the download log."""
    membership = membership_active_for(user=user, now=now)
    if membership is None:
        return _("Tanpa membership aktif")
    return membership.plan.title
