"""What the catalog tells the access policy (registered in `apps.py` as `access.facts.catalog_facts`): which plans
and products offer each resource, and the reads of "Produk Saya". Access sits below the catalog and never imports
it; see `sanggar/access/facts.py` for the contract."""

from collections import defaultdict

from django.db.models import Prefetch

from sanggar.access.facts import CatalogFacts, PlanRef, ProductRef

from .constants import AccessLevel, PlanStatus, ProductStatus
from .models import MembershipPlan, Product, ProductFile


def plans_including(*, resource_ids: set[int]) -> dict[int, list[PlanRef]]:
    """Plans including each resource: directly, through an included product, or through what that product
    includes (three queries)."""
    plans: dict[int, list[PlanRef]] = defaultdict(list)
    if not resource_ids:
        return plans
    direct = MembershipPlan.included_resources.through.objects.filter(resource_id__in=resource_ids).values_list(
        "resource_id", "membershipplan_id", "membershipplan__slug", "membershipplan__rank", "membershipplan__status"
    )
    via_products = MembershipPlan.included_products.through.objects.filter(
        product__resource_id__in=resource_ids
    ).values_list(
        "product__resource_id", "membershipplan_id", "membershipplan__slug", "membershipplan__rank",
        "membershipplan__status",
    )  # fmt: skip
    via_product_content = Product.included_resources.through.objects.filter(
        resource_id__in=resource_ids, product__included_in_plans__isnull=False
    ).values_list(
        "resource_id", "product__included_in_plans__id", "product__included_in_plans__slug",
        "product__included_in_plans__rank", "product__included_in_plans__status",
    )  # fmt: skip
    for rows in (direct, via_products, via_product_content):
        for resource_id, plan_id, slug, rank, status in rows:
            ref = PlanRef(plan_id, slug, rank, status == PlanStatus.ACTIVE)
            if ref not in plans[resource_id]:
                plans[resource_id].append(ref)
    return plans


def _product_ref(product_id, slug, title, status, *, own: bool) -> ProductRef:
    return ProductRef(
        id=product_id,
        slug=slug,
        title=title,
        on_sale=status == ProductStatus.PUBLISHED,
        coming_soon=status == ProductStatus.COMING_SOON,
        own=own,
    )


def products_for(*, resource_ids: set[int]) -> dict[int, list[ProductRef]]:
    """The product that is each resource, then the published products that include it, by title (two queries)."""
    products: dict[int, list[ProductRef]] = defaultdict(list)
    if not resource_ids:
        return products
    for product_id, resource_id, slug, title, status in Product.objects.filter(
        resource_id__in=resource_ids
    ).values_list("id", "resource_id", "slug", "title", "status"):
        products[resource_id].append(_product_ref(product_id, slug, title, status, own=True))
    for resource_id, product_id, slug, title, status in (
        Product.included_resources.through.objects.filter(
            resource_id__in=resource_ids, product__status=ProductStatus.PUBLISHED
        )
        .order_by("product__title", "product_id")
        .values_list("resource_id", "product_id", "product__slug", "product__title", "product__status")
    ):
        products[resource_id].append(_product_ref(product_id, slug, title, status, own=False))
    return products


def product_requires_membership(product: Product) -> bool:
    return product.access_level == AccessLevel.PREMIUM


def product_ids_in_plan(*, plan_id: int) -> list[int]:
    return list(Product.objects.filter(included_in_plans=plan_id).order_by("title").values_list("id", flat=True))


def products_with_files(*, ids: list[int]) -> dict[int, Product]:
    return {
        p.pk: p
        for p in Product.objects.filter(pk__in=ids)
        .select_related("resource")
        .prefetch_related(Prefetch("files", queryset=ProductFile.objects.order_by("id")))
    }


def product_file_get(*, pk: int) -> ProductFile | None:
    return ProductFile.objects.select_related("product", "product__resource").filter(pk=pk).first()


CATALOG_FACTS = CatalogFacts(
    plans_including=plans_including,
    products_for=products_for,
    product_requires_membership=product_requires_membership,
    product_ids_in_plan=product_ids_in_plan,
    products_with_files=products_with_files,
    product_file_get=product_file_get,
)
