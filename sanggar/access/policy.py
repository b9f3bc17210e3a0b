"""The one policy that answers "may this user open this thing?".

Every page, endpoint and file download asks `access_check` (a resource: course, group, event, document, feature,
product) or `product_access_check` (a catalog product, whose access level is respected too). The answer is an
`AccessDecision`: allowed, or a reason with an Indonesian message and the way to unlock it (a link and its label),
so a locked page can tell the member why and what to do.

Access is allowed to:
- admins (everything) and a product's creator (their own product);
- a user with an open grant of the resource that has started and not ended (membership, purchase or admin grant);
- a user whose active membership's plan includes the resource, directly or through an included product (the
  product's own resource or one it includes), so a resource added to a plan later opens for its members too.
A product whose access level is "premium" also needs an active membership (unless an admin granted it by hand).

When access is denied, the reason is, in this order: not signed in; resource or product unavailable; the latest
grant (from a purchase or an admin) was revoked or has ended; the membership that included it ended (renew);
it is a product on sale (buy it); a membership plan includes it (upgrade / buy a plan); a product on sale
includes it (buy that product); nothing offers it.

The batch forms (`access_decisions`, `product_access_decisions`) answer for many items with a fixed number of
queries; list pages use them.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from sanggar.core.formatting import tanggal
from sanggar.core.roles import Role

from .constants import DenyReason, GrantSource, ResourceKind
from .facts import MembershipRef, PlanRef, ProductRef, catalog_facts, membership_facts
from .kinds import resource_kind
from .models import Grant, Resource


@dataclass(frozen=True)
class AccessDecision:
    allowed: bool
    reason: str = ""  # a DenyReason value when denied
    message: str = ""  # Indonesian, shown on the locked page
    action_label: str = ""  # e.g. "Upgrade Membership"
    action_url: str = ""  # where to unlock it


ALLOWED = AccessDecision(allowed=True)


# --- links where a member unlocks something (the public checkout pages) ----------------------------------------


def checkout_all_url() -> str:
    return reverse("orders:checkout_all")


def checkout_plan_url(slug: str) -> str:
    return reverse("orders:checkout_plan", args=[slug])


def checkout_compare_url(slugs: Iterable[str]) -> str:
    return reverse("orders:checkout_compare") + "?" + urlencode({"plans": ",".join(slugs)})


def product_url(slug: str) -> str:
    return reverse("orders:product_detail", args=[slug])


def login_url() -> str:
    return reverse("account_login")


def _this(kind: str) -> str:
    """ "Kelas ini", from the kind's registry entry."""
    entry = resource_kind(kind)
    return str(entry.this_label) if entry else _("Konten ini")


# --- what the policy reads, loaded once per user and batch ------------------------------------------------------


@dataclass
class _Facts:
    now: datetime
    membership: MembershipRef | None  # the active membership
    last_membership: MembershipRef | None  # the most recent ended one, when none is active
    grants: dict[int, list[Grant]] = field(default_factory=dict)  # newest first
    plans: dict[int, list[PlanRef]] = field(default_factory=dict)  # plans including each resource
    products: dict[int, list[ProductRef]] = field(default_factory=dict)  # products whose access is each resource
    # For the checks resource kinds add (`kinds.py`): who asks, which resources the batch holds, and a place where a
    # check keeps what it loaded once for the whole batch (so a list page stays at a fixed number of queries).
    user: object | None = None
    resource_ids: frozenset = frozenset()
    cache: dict = field(default_factory=dict)


def _load_facts(user, resource_ids: set[int], now: datetime) -> _Facts:
    """Eight queries at most, whatever the number of resources: grants here, memberships and the catalog through
    the facts they register (`facts.py`)."""
    memberships = membership_facts()
    membership = memberships.active(user=user, now=now)
    facts = _Facts(
        now=now,
        membership=membership,
        last_membership=None if membership else memberships.last_ended(user=user, now=now),
        user=user,
        resource_ids=frozenset(resource_ids),
    )
    if not resource_ids:
        return facts
    grants: dict[int, list[Grant]] = defaultdict(list)
    for grant in Grant.objects.filter(user=user, resource_id__in=resource_ids).order_by("-created_at", "-id"):
        grants[grant.resource_id].append(grant)
    facts.grants = grants
    catalog = catalog_facts()
    facts.plans = catalog.plans_including(resource_ids=resource_ids)
    facts.products = catalog.products_for(resource_ids=resource_ids)
    return facts


def _is_open(grant: Grant, now: datetime) -> bool:
    return grant.revoked_at is None and grant.starts_at <= now and (grant.ends_at is None or grant.ends_at > now)


def _has_access(resource_id: int, facts: _Facts) -> bool:
    if any(_is_open(g, facts.now) for g in facts.grants.get(resource_id, ())):
        return True
    membership = facts.membership
    return membership is not None and any(p.id == membership.plan_id for p in facts.plans.get(resource_id, ()))


def _admin_granted(resource_id: int, facts: _Facts) -> bool:
    return any(g.source == GrantSource.ADMIN and _is_open(g, facts.now) for g in facts.grants.get(resource_id, ()))


def _renew_decision(facts: _Facts) -> AccessDecision:
    last = facts.last_membership
    ended = last.ends_at or last.ended_at
    return AccessDecision(
        allowed=False,
        reason=DenyReason.MEMBERSHIP_EXPIRED,
        message=_("Membership Anda berakhir pada %(date)s. Perpanjang untuk membuka kembali.")
        % {"date": tanggal(ended)},
        action_label=_("Perpanjang Membership"),
        action_url=checkout_plan_url(last.plan_slug) if last.plan_active else checkout_all_url(),
    )


def _premium_decision(kind: str, plans: list[PlanRef], facts: _Facts) -> AccessDecision:
    message = _("%(this)s hanya untuk Member Premium. Silakan upgrade membership.") % {"this": _this(kind)}
    membership = facts.membership
    if membership is None:
        return AccessDecision(
            allowed=False,
            reason=DenyReason.PREMIUM_REQUIRED,
            message=message,
            action_label=_("Lihat Paket Membership"),
            action_url=checkout_all_url(),
        )
    higher = sorted({p for p in plans if p.active and p.rank > membership.plan_rank}, key=lambda p: (p.rank, p.slug))
    if len(higher) == 1:
        url = checkout_plan_url(higher[0].slug)
    elif higher:
        url = checkout_compare_url(p.slug for p in higher)
    else:
        url = checkout_all_url()
    return AccessDecision(
        allowed=False,
        reason=DenyReason.PREMIUM_REQUIRED,
        message=message,
        action_label=_("Upgrade Membership"),
        action_url=url,
    )


def _resource_decision(resource: Resource, facts: _Facts) -> AccessDecision:
    now = facts.now
    if not resource.is_active:
        return AccessDecision(
            allowed=False,
            reason=DenyReason.INACTIVE_RESOURCE,
            message=_("%(this)s sedang tidak tersedia.") % {"this": _this(resource.kind)},
        )
    entry = resource_kind(resource.kind)
    if entry is not None and entry.check is not None:
        decision = entry.check(resource=resource, facts=facts)  # the check this kind adds to the policy
        if decision is not None:
            return decision
    if _has_access(resource.pk, facts):
        return ALLOWED
    grants = facts.grants.get(resource.pk, [])
    products = facts.products.get(resource.pk, [])
    own = next((p for p in products if p.own), None)
    buy_url = product_url(own.slug) if own and own.on_sale else ""
    latest = next((g for g in grants if g.source != GrantSource.MEMBERSHIP), None)
    if latest is not None and latest is grants[0]:
        if latest.revoked_at is not None:
            return AccessDecision(
                allowed=False,
                reason=DenyReason.REVOKED,
                message=_("Akses Anda ke %(title)s telah dicabut. Hubungi admin bila ada pertanyaan.")
                % {"title": resource.title},
            )
        if latest.ends_at is not None and latest.ends_at <= now:
            return AccessDecision(
                allowed=False,
                reason=DenyReason.GRANT_EXPIRED,
                message=_("Masa akses Anda ke %(title)s berakhir pada %(date)s.")
                % {"title": resource.title, "date": tanggal(latest.ends_at)},
                action_label=_("Beli Lagi") if buy_url else "",
                action_url=buy_url,
            )
    plans = facts.plans.get(resource.pk, [])
    last = facts.last_membership
    if facts.membership is None and last is not None and any(p.id == last.plan_id for p in plans):
        return _renew_decision(facts)
    if buy_url:
        return AccessDecision(
            allowed=False,
            reason=DenyReason.PURCHASE_REQUIRED,
            message=_("Beli produk ini untuk membuka aksesnya."),
            action_label=_("Beli Produk"),
            action_url=buy_url,
        )
    if any(p.active for p in plans):
        return _premium_decision(resource.kind, plans, facts)
    if own is not None and own.coming_soon:
        return AccessDecision(
            allowed=False,
            reason=DenyReason.INACTIVE_RESOURCE,
            message=_("Produk ini segera hadir."),
            action_label=_("Lihat Produk"),
            action_url=product_url(own.slug),
        )
    if own is not None:  # a draft
        return AccessDecision(
            allowed=False, reason=DenyReason.INACTIVE_RESOURCE, message=_("Produk ini belum tersedia.")
        )
    including = next((p for p in products if not p.own), None)
    if including is not None:
        return AccessDecision(
            allowed=False,
            reason=DenyReason.PURCHASE_REQUIRED,
            message=_("%(this)s termasuk dalam produk “%(product)s”. Beli produk tersebut untuk membuka aksesnya.")
            % {"this": _this(resource.kind), "product": including.title},
            action_label=_("Lihat Produk"),
            action_url=product_url(including.slug),
        )
    return AccessDecision(
        allowed=False,
        reason=DenyReason.NO_ACCESS,
        message=_("Anda belum memiliki akses ke %(title)s. Hubungi admin bila menurut Anda ini keliru.")
        % {"title": resource.title},
    )


def _login_decision(kind: str) -> AccessDecision:
    return AccessDecision(
        allowed=False,
        reason=DenyReason.LOGIN_REQUIRED,
        message=_("Masuk terlebih dahulu untuk membuka %(this)s.") % {"this": _this(kind).lower()},
        action_label=_("Masuk"),
        action_url=login_url(),
    )


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def access_decisions(*, user, resources: Iterable[Resource], now: datetime | None = None) -> dict[int, AccessDecision]:
    """Decisions for many resources, keyed by resource id (a fixed number of queries)."""
    resources = list(resources)
    if not _signed_in(user):
        return {r.pk: _login_decision(r.kind) for r in resources}
    if user.has_role(Role.ADMIN):
        return {r.pk: ALLOWED for r in resources}
    facts = _load_facts(user, {r.pk for r in resources}, now or timezone.now())
    return {r.pk: _resource_decision(r, facts) for r in resources}


def access_check(*, user, resource: Resource, now: datetime | None = None) -> AccessDecision:
    """May `user` open `resource` now?"""
    return access_decisions(user=user, resources=[resource], now=now)[resource.pk]


def _product_decision(user, product, facts: _Facts) -> AccessDecision:
    resource = product.resource
    if resource is None:
        # Every product gets its resource when created; one without cannot be opened by anybody but admins.
        return AccessDecision(
            allowed=False, reason=DenyReason.INACTIVE_RESOURCE, message=_("Produk ini belum tersedia.")
        )
    if resource.is_active and _has_access(resource.pk, facts):
        if (
            catalog_facts().product_requires_membership(product)
            and facts.membership is None
            and not _admin_granted(resource.pk, facts)
        ):
            if facts.last_membership is not None:
                return _renew_decision(facts)
            return AccessDecision(
                allowed=False,
                reason=DenyReason.PREMIUM_REQUIRED,
                message=_("Produk ini hanya untuk Member Premium. Silakan upgrade membership."),
                action_label=_("Lihat Paket Membership"),
                action_url=checkout_all_url(),
            )
        return ALLOWED
    return _resource_decision(resource, facts)


def product_access_decisions(*, user, products: Iterable, now: datetime | None = None) -> dict[int, AccessDecision]:
    """Decisions for many products (with `resource` selected), keyed by product id."""
    products = list(products)
    if not _signed_in(user):
        return {p.pk: _login_decision(ResourceKind.PRODUCT) for p in products}
    if user.has_role(Role.ADMIN):
        return {p.pk: ALLOWED for p in products}
    resource_ids = {p.resource_id for p in products if p.resource_id}
    facts = _load_facts(user, resource_ids, now or timezone.now())
    return {
        p.pk: ALLOWED if p.creator_id is not None and p.creator_id == user.pk else _product_decision(user, p, facts)
        for p in products
    }


def product_access_check(*, user, product, now: datetime | None = None) -> AccessDecision:
    """May `user` open `product` (its files and content) now? Respects the product's access level (premium needs
    an active membership), purchase and admin grants, and plan inclusion."""
    return product_access_decisions(user=user, products=[product], now=now)[product.pk]
