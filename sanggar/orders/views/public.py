"""Public sales and checkout pages of plans and products.

Anyone may open the sales and checkout pages; a visitor who is not signed in registers on the checkout page itself
(the form and its handling are in `checkout.py`).
"""

from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sanggar.catalog import selectors as catalog_selectors
from sanggar.catalog.constants import Duration
from sanggar.core.listing import paginate
from sanggar.core.public_cache import public_page
from sanggar.marketing.selectors import testimonials_for, tracking_for, tracking_with_visit

from ..checkout import (
    coupon_code_clean,
    item_value_for_product,
    plan_options,
)
from .checkout import (
    COMPARE_MAX_PLANS,
    COUPON_COOKIE,
    PRICE_FILTERS,
    PRODUCTS_PER_PAGE,
    checkout_page,
    plan_or_404,
    product_or_404,
    remembers_coupon,
    request_buyer,
    summary_data,
)

__all__ = ["COUPON_COOKIE"]  # the cookie's name, kept importable from here

# --- plan pages ------------------------------------------------------------------------------------------------


def _best_option(options) -> str:
    """The option selected first: the longest time-limited allowed one (options come 1m → lifetime). Lifetime, the
    dearest choice, is only selected for the buyer when it is the one option there is."""
    allowed = [o for o in options if o.allowed]
    limited = [o for o in allowed if o.duration != Duration.LIFETIME]
    chosen = limited or allowed
    return chosen[-1].value if chosen else ""


def _included_resources(features, resources) -> list:
    """The plan's resources that its selling points do not already name: "Kelas Buyer" is listed once, not again
    as "Kelas: Kelas Buyer"."""
    labels = [feature.label.casefold() for feature in features]
    return [r for r in resources if not any(r.title.casefold() in label for label in labels)]


def _plan_groups(plans, options) -> list[dict]:
    by_plan: dict[int, list] = {}
    for option in options:
        by_plan.setdefault(option.plan.pk, []).append(option)
    return [{"plan": plan, "options": by_plan[plan.pk]} for plan in plans if by_plan.get(plan.pk)]


@require_GET
@remembers_coupon
@public_page("plan_sales", timeout=catalog_selectors.public_prices_stable_seconds)
def plan_sales(request, slug):
    """The plan's sales page, or a redirect to its external sales page when the admin set one."""
    plan = plan_or_404(slug)
    if plan.external_sales_url:
        return redirect(plan.external_sales_url)
    options = plan_options(user=request.user, plans=[plan])
    features = list(plan.features.all())
    return render(
        request,
        "orders/public/plan_sales.html",
        {
            "plan": plan,
            "options": options,
            "cheapest": min((o.amount for o in options if o.allowed), default=None),
            "recommended": _best_option(options),
            "features": features,
            "resources": _included_resources(features, plan.included_resources.all()),
            "products": list(plan.included_products.all()),
            "testimonials": testimonials_for(plan=plan),
            "tracking": tracking_with_visit(
                tracking_for(
                    item=plan,
                    event="ViewContent",
                    value=min((o.amount for o in options if o.allowed), default=None),
                ),
                item=plan,
            ),
        },
    )


@remembers_coupon
@public_page("checkout_plan", timeout=catalog_selectors.public_prices_stable_seconds)
def checkout_plan(request, slug):
    plan = plan_or_404(slug)
    options = plan_options(user=request.user, plans=[plan])
    wanted = request.GET.get("durasi", "")
    selected = next((o.value for o in options if o.duration == wanted and o.allowed), "") or _best_option(options)
    features = list(plan.features.all())
    return checkout_page(
        request,
        mode="plan",
        items=[o.value for o in options if o.allowed],
        selected=selected,
        template="orders/public/checkout_plan.html",
        context={
            "plan": plan,
            "options": options,
            "features": features,
            "resources": _included_resources(features, plan.included_resources.all()),
            "products": list(plan.included_products.all()),
            "tracking": tracking_for(
                item=plan,
                event="InitiateCheckout",
                value=next((o.amount for o in options if o.value == selected), None),
            ),
        },
    )


@remembers_coupon
def checkout_compare(request):
    """`?plans=a,b,c`: the plans side by side (features, included groups and courses), then pick one option."""
    slugs = [slug.strip().lower() for slug in request.GET.get("plans", "").split(",") if slug.strip()]
    plans = catalog_selectors.plans_get_public(slugs=list(dict.fromkeys(slugs))[:COMPARE_MAX_PLANS])
    if not plans:
        raise Http404
    prefetch_related_objects(plans, "included_resources")
    options = plan_options(user=request.user, plans=plans)
    labels = list(dict.fromkeys(f.label for plan in plans for f in plan.features.all()))
    plan_labels = {plan.pk: {f.label for f in plan.features.all()} for plan in plans}
    columns = []
    for plan in plans:
        own = [o for o in options if o.plan.pk == plan.pk]
        columns.append(
            {
                "plan": plan,
                "from_amount": min((o.amount for o in own if o.allowed), default=None),
                "durations": [o.duration_label for o in own],
                "resources": list(plan.included_resources.all()),
            }
        )
    selected = _best_option([o for o in options if o.plan.badge_best_seller]) or _best_option(options)
    return checkout_page(
        request,
        mode="compare",
        items=[o.value for o in options if o.allowed],
        selected=selected,
        template="orders/public/checkout_compare.html",
        context={
            "tracking": tracking_for(event="InitiateCheckout"),
            "plans": plans,
            "columns": columns,
            "groups": _plan_groups(plans, options),
            "feature_rows": [
                {"label": label, "cells": [label in plan_labels[plan.pk] for plan in plans]} for label in labels
            ],
        },
    )


@remembers_coupon
@public_page("checkout_all", timeout=catalog_selectors.public_prices_stable_seconds)
def checkout_all(request):
    """Every active plan; `?durasi=` and `?harga=` narrow the options shown, `?urut=` sorts by price."""
    plans = list(catalog_selectors.plan_list_public())
    options = plan_options(user=request.user, plans=plans)
    duration = request.GET.get("durasi", "")
    duration = duration if duration in Duration.values else ""
    price_key = request.GET.get("harga", "")
    max_price = PRICE_FILTERS.get(price_key)
    sort = request.GET.get("urut", "")
    sort = sort if sort in ("termurah", "termahal") else ""
    shown = [
        o for o in options if (not duration or o.duration == duration) and (max_price is None or o.amount <= max_price)
    ]
    if sort:
        shown.sort(key=lambda o: o.amount, reverse=sort == "termahal")
        position = {pk: i for i, pk in enumerate(dict.fromkeys(o.plan.pk for o in shown))}
        plans_shown = sorted((p for p in plans if p.pk in position), key=lambda p: position[p.pk])
    else:
        plans_shown = plans
    selected = _best_option([o for o in shown if o.plan.badge_best_seller]) or _best_option(shown)
    return checkout_page(
        request,
        mode="all",
        # Any allowed option may be posted: the filters only narrow what is shown.
        items=[o.value for o in options if o.allowed],
        selected=selected,
        template="orders/public/checkout_all.html",
        context={
            "tracking": tracking_for(event="InitiateCheckout"),
            "groups": _plan_groups(plans_shown, shown),
            "durations": Duration.choices,
            "duration": duration,
            "price_filters": [
                ("500rb", _("≤ Rp 500 rb")),
                ("1jt", _("≤ Rp 1 jt")),
                ("2jt5", _("≤ Rp 2,5 jt")),
                ("5jt", _("≤ Rp 5 jt")),
            ],
            "max_price": price_key if max_price else "",
            "sort": sort,
            "plan_count": len(plans),
        },
    )


@require_GET
def checkout_summary(request):
    """HTMX: the price summary for the chosen item and coupon (the order's own pricing)."""
    coupon = request.GET.get("coupon", "")
    code = coupon_code_clean(coupon)
    summary = summary_data(request_buyer(request), request.GET.get("item", ""), code)
    if coupon.strip() and not code:
        summary["coupon_error"] = _("Kode kupon hanya berisi huruf, angka, - atau _.")
    return render(request, "orders/public/_summary.html", {"summary": summary})


# --- products --------------------------------------------------------------------------------------------------


@require_GET
@remembers_coupon
@public_page("product_list", timeout=catalog_selectors.public_prices_stable_seconds)
def product_list(request):
    q = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("kategori", "").strip()[:90]
    page = paginate(request, catalog_selectors.product_list_public(q=q, category=category), per_page=PRODUCTS_PER_PAGE)
    for product in page.object_list:
        product.list_price = catalog_selectors.product_price_effective(product=product)
    return render(
        request,
        "orders/public/product_list.html",
        {
            "page_obj": page,
            "products": page.object_list,
            "q": q,
            "category": category,
            "categories": catalog_selectors.category_options(),
        },
    )


def _product_offer(request, product) -> dict:
    """What the visitor would pay for `product` (the order's own pricing), or why it cannot be bought now."""
    summary = summary_data(request_buyer(request), item_value_for_product(product.slug), "")
    if summary["preview"] is None:
        return {"purchasable": False, "free": False, "message": summary["error"]}
    return {
        "purchasable": True,
        "line": summary["preview"].lines[0],
        "free": summary["preview"].total == 0,
        "message": "",
    }


def _stock_left(product) -> int | None:
    return None if product.stock is None else max(product.stock - product.sold_count, 0)


@require_GET
@remembers_coupon
def product_detail(request, slug):
    product = product_or_404(slug)
    return render(
        request,
        "orders/public/product_detail.html",
        {
            "product": product,
            "offer": _product_offer(request, product),
            "stock_left": _stock_left(product),
            "gallery": list(product.gallery.all()),
            "bundled": list(product.bundled_products.all()),
            "resources": list(product.included_resources.all()),
            "testimonials": testimonials_for(product=product),
            "tracking": tracking_with_visit(
                tracking_for(item=product, event="ViewContent", value=_offer_amount(product)), item=product
            ),
        },
    )


@remembers_coupon
def checkout_product(request, slug):
    product = product_or_404(slug)
    offer = _product_offer(request, product)
    value = item_value_for_product(product.slug)
    return checkout_page(
        request,
        mode="product",
        items=[value] if offer["purchasable"] else [],
        selected=value,
        item_error=offer["message"],
        template="orders/public/checkout_product.html",
        context={
            "product": product,
            "offer": offer,
            "stock_left": _stock_left(product),
            "needs_provider": not offer["free"],
            "tracking": tracking_for(item=product, event="InitiateCheckout", value=_offer_amount(product)),
        },
    )


def _offer_amount(product) -> int:
    """The product's price now (promo when running) for the pixels' event value."""
    promo = product.promo_price
    if promo is not None and (product.promo_ends_at is None or product.promo_ends_at > timezone.now()):
        return int(promo)
    return int(product.price)
