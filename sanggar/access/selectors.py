"""Reads of the access app shared by pages, the API and other apps."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from .constants import GrantSource, GrantState
from .facts import catalog_facts, membership_facts
from .models import DownloadLog, Grant, Resource
from .policy import AccessDecision, product_access_decisions


def _open(now: datetime) -> Q:
    return Q(revoked_at__isnull=True, starts_at__lte=now) & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))


def grants_for_user(*, user, active_only: bool = True, now: datetime | None = None) -> QuerySet[Grant]:
    """A user's grants with their resources, newest first; `active_only`: only those open now."""
    qs = Grant.objects.filter(user=user).select_related("resource").order_by("-created_at", "-id")
    if active_only:
        qs = qs.filter(_open(now or timezone.now()))
    return qs


def grant_list(
    *, q: str = "", source: str = "", kind: str = "", state: str = "", now: datetime | None = None
) -> QuerySet[Grant]:
    """Grants for the admin list (user and resource selected: one query per page). `q` matches the user's name
    or email and the resource's title; `state` is a GrantState value."""
    now = now or timezone.now()
    qs = Grant.objects.select_related("user", "resource").order_by("-created_at", "-id")
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(user__email__icontains=q) | Q(user__full_name__icontains=q) | Q(resource__title__icontains=q))
    if source:
        qs = qs.filter(source=source)
    if kind:
        qs = qs.filter(resource__kind=kind)
    if state == GrantState.ACTIVE:
        qs = qs.filter(_open(now))
    elif state == GrantState.SCHEDULED:
        qs = qs.filter(revoked_at__isnull=True, starts_at__gt=now)
    elif state == GrantState.ENDED:
        qs = qs.filter(revoked_at__isnull=True, ends_at__lte=now)
    elif state == GrantState.REVOKED:
        qs = qs.filter(revoked_at__isnull=False)
    return qs


def grant_state(grant: Grant, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if grant.revoked_at is not None:
        return GrantState.REVOKED
    if grant.starts_at > now:
        return GrantState.SCHEDULED
    if grant.ends_at is not None and grant.ends_at <= now:
        return GrantState.ENDED
    return GrantState.ACTIVE


def grant_get(*, pk: int) -> Grant | None:
    return Grant.objects.select_related("user", "resource").filter(pk=pk).first()


def resource_choices() -> QuerySet[Resource]:
    """Active resources for the admin's grant form."""
    return Resource.objects.filter(is_active=True).order_by("kind", "title")


def download_list(*, q: str = "") -> QuerySet[DownloadLog]:
    qs = DownloadLog.objects.select_related("user").order_by("-created_at", "-id")
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(user__email__icontains=q)
            | Q(user__full_name__icontains=q)
            | Q(file_title__icontains=q)
            | Q(product_title__icontains=q)
        )
    return qs


# ---------------------------------------------------------------------------------------------------------------
# "Produk Saya": the products a user has or had access to, each with the policy's decision and its files.


@dataclass(frozen=True)
class OwnedProduct:
    product: object  # a catalog product (its resource selected, its files prefetched)
    decision: AccessDecision
    ends_at: datetime | None  # the latest end of the user's own (purchase/admin) open grants; None: no end
    via_membership: bool
    files: tuple  # its product files, in id order


@dataclass(frozen=True)
class MyProductIds:
    ids: list[int]  # newest grant first, then the active plan's products
    included: frozenset[int]  # the ones the active membership includes


def product_ids_for_user(*, user, now: datetime | None = None) -> MyProductIds:
    """Products the user holds (or held) a grant for, or that their active membership includes (three queries)."""
    now = now or timezone.now()
    granted = (
        Grant.objects.filter(user=user, resource__product__isnull=False)
        .order_by("-created_at", "-id")
        .values_list("resource__product__id", flat=True)
    )
    membership = membership_facts().active(user=user, now=now)
    included = catalog_facts().product_ids_in_plan(plan_id=membership.plan_id) if membership else []
    ids: list[int] = []
    for pk in [*granted, *included]:
        if pk not in ids:
            ids.append(pk)
    return MyProductIds(ids=ids, included=frozenset(included))


def owned_products(
    *, user, product_ids: list[int], included: frozenset[int] = frozenset(), now: datetime | None = None
) -> list[OwnedProduct]:
    """The products of `product_ids` (one page of `product_ids_for_user`) with decisions and files: a fixed
    number of queries whatever the page size."""
    now = now or timezone.now()
    products = catalog_facts().products_with_files(ids=product_ids)
    ordered = [products[pk] for pk in product_ids if pk in products]
    decisions = product_access_decisions(user=user, products=ordered, now=now)
    open_grants: dict[int, list[Grant]] = {}
    for grant in Grant.objects.filter(
        _open(now), user=user, resource_id__in=[p.resource_id for p in ordered if p.resource_id]
    ):
        open_grants.setdefault(grant.resource_id, []).append(grant)
    rows = []
    for product in ordered:
        grants = open_grants.get(product.resource_id, [])
        own = [g for g in grants if g.source != GrantSource.MEMBERSHIP]
        ends = [g.ends_at for g in own]
        rows.append(
            OwnedProduct(
                product=product,
                decision=decisions[product.pk],
                ends_at=None if (not ends or None in ends) else max(ends),
                via_membership=not own and (product.pk in included or bool(grants)),
                files=tuple(product.files.all()),
            )
        )
    return rows
