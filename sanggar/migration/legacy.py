"""Sejoli's old links keep working: each redirects to its new place, attributing as Sejoli did (the affiliate's
`?ref=` code, which the affiliates middleware binds like any referral link; a coupon passes through as `?coupon=`)."""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from sanggar.affiliates.models import AffiliateProfile
from sanggar.catalog.models import MembershipPlan, Product
from sanggar.catalog.services.coupons import normalize_code
from sanggar.orders.models import OrderItem

from .constants import MEMBERSHIP_CATEGORIES, PRODUCT_CATEGORIES
from .selectors import legacy_target


def _with(path: str, **params) -> HttpResponseRedirect:
    params = {k: v for k, v in params.items() if v}
    return HttpResponseRedirect(path + ("?" + urlencode(params) if params else ""))


def _product_path(sejoli_product_id: int, *, checkout: bool) -> str:
    target = legacy_target("products", sejoli_product_id)
    if PRODUCT_CATEGORIES.get(sejoli_product_id) in MEMBERSHIP_CATEGORIES and target:
        plan = MembershipPlan.objects.filter(pk=target).values_list("slug", flat=True).first()
        if plan:
            return reverse("orders:checkout_plan" if checkout else "orders:plan_sales", args=[plan])
    if target:
        product = Product.objects.filter(pk=target, status="published").values_list("slug", flat=True).first()
        if product:
            return reverse("orders:checkout_product" if checkout else "orders:product_detail", args=[product])
    return reverse("orders:home")


@require_GET
def affiliate_link(request, affiliate_id: int, product_id: int, target: str = ""):
    """/aff/<affiliate>/<product>/<target>: the product's page (or checkout) with the affiliate's code."""
    profile = legacy_target("affiliates", affiliate_id)
    code = AffiliateProfile.objects.filter(pk=profile).values_list("code", flat=True).first() if profile else ""
    path = _product_path(product_id, checkout=target.strip("/").lower() == "checkout")
    return _with(path, ref=code, coupon=normalize_code(request.GET.get("coupon", ""))[:40])


@require_GET
def renew(request, order_id: int):
    """/renew/<order>: the checkout of the plan that order bought (renewal pricing applies at checkout)."""
    order = legacy_target("orders", order_id)
    slug = (
        OrderItem.objects.filter(order_id=order, plan__isnull=False).values_list("plan__slug", flat=True).first()
        if order
        else None
    )
    return _with(reverse("orders:checkout_plan", args=[slug]) if slug else reverse("orders:home"))


@require_GET
def member_area(request, rest: str = ""):
    return HttpResponseRedirect(reverse("dashboard:home"))


@require_GET
def member_download(request, key: str):
    return HttpResponseRedirect(reverse("access:my_products"))
