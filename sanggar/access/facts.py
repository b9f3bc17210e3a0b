"""What the one access policy needs to know from the apps above access, registered by them (access never imports
them). Each port is a frozen set of functions that answer with the small frozen refs below, so the policy reads
plain facts, not another app's models:

- `catalog_facts` (registered by catalog in its `apps.py`): which membership plans include each resource (directly,
  through an included product, or through what that product includes), which products are each resource (its own
  product) or include it, whether a product needs an active membership (access level "premium"), and the reads of
  "Produk Saya" (the products a plan includes, products with their files, one product file);
- `membership_facts` (registered by memberships in its `apps.py`): the user's active membership and the most recent
  one that ran out, each with its plan.

Every function answers for a whole batch with a fixed number of queries, so the policy's query count per check does
not grow with what is checked (tests/test_query_budgets.py).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sanggar.core.registry import Slot


@dataclass(frozen=True)
class PlanRef:
    """A membership plan that includes a resource."""

    id: int
    slug: str
    rank: int
    active: bool  # on sale (a draft plan cannot be bought)


@dataclass(frozen=True)
class ProductRef:
    """A product that is a resource (`own`) or includes it."""

    id: int
    slug: str
    title: str
    on_sale: bool  # published
    coming_soon: bool
    own: bool  # the resource is this product's own resource (not one it includes)


@dataclass(frozen=True)
class MembershipRef:
    """A user's membership, with the plan it belongs to."""

    id: int
    plan_id: int
    plan_slug: str
    plan_rank: int
    plan_active: bool  # the plan is still on sale (renewing goes to its checkout)
    ends_at: datetime | None  # when it ends / ended by time
    ended_at: datetime | None  # when the sweep marked it ended


@dataclass(frozen=True)
class CatalogFacts:
    # plans_including(*, resource_ids: set[int]) -> dict[resource id, list[PlanRef]] (at most three queries)
    plans_including: Callable
    # products_for(*, resource_ids: set[int]) -> dict[resource id, list[ProductRef]]: the own product first, then
    # the published products including it by title (at most two queries)
    products_for: Callable
    # product_requires_membership(product) -> bool: no query (reads the product's own fields)
    product_requires_membership: Callable
    # product_ids_in_plan(*, plan_id: int) -> list[int], by title (one query)
    product_ids_in_plan: Callable
    # products_with_files(*, ids: list[int]) -> dict[product id, product], resource selected and files prefetched
    # in id order (two queries)
    products_with_files: Callable
    # product_file_get(*, pk: int) -> a product file with its product and the product's resource, or None
    product_file_get: Callable


@dataclass(frozen=True)
class MembershipFacts:
    # active(*, user, now) -> MembershipRef | None (one query)
    active: Callable
    # last_ended(*, user, now) -> MembershipRef | None: the most recent one that ran out (one query)
    last_ended: Callable


catalog_facts: Slot[CatalogFacts] = Slot("the access policy's catalog facts (add sanggar.catalog to INSTALLED_APPS)")
membership_facts: Slot[MembershipFacts] = Slot(
    "the access policy's membership facts (add sanggar.memberships to INSTALLED_APPS)"
)


def catalog_facts_register(port: CatalogFacts) -> None:
    catalog_facts.register(port)


def membership_facts_register(port: MembershipFacts) -> None:
    membership_facts.register(port)
