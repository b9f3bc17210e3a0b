"""The front door at `/`: the business's hero from branding, the plans with prices and badges, featured products,
numbers and testimonials, with routes to buy or sign in. The admin chooses what it shows (`/admin/settings/beranda`)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sanggar.catalog import selectors as catalog_selectors
from sanggar.core.exceptions import ServiceError
from sanggar.core.permissions import role_required
from sanggar.core.public_cache import public_page
from sanggar.core.roles import Role
from sanggar.memberships.selectors import membership_stats

from ..forms_admin import HomePageForm
from ..selectors import home_page_current
from ..services.home import HOME_FEATURED_MAX, home_page_get, home_page_update, testimonials_parse

HOME_PLANS_MAX = 6
HOME_FEATURES_SHOWN = 4


def _plans() -> list[dict]:
    cards = []
    for plan in catalog_selectors.plan_list_public()[:HOME_PLANS_MAX]:
        prices = [catalog_selectors.plan_price_effective(plan_price=p) for p in plan.prices.all()]
        if not prices:
            continue
        cards.append(
            {"plan": plan, "from_amount": min(prices), "features": list(plan.features.all())[:HOME_FEATURES_SHOWN]}
        )
    return cards


def _products(page) -> list:
    chosen = list(page.featured_products.all()) if page.pk else []
    products = chosen or list(catalog_selectors.product_list_public()[:HOME_FEATURED_MAX])
    for product in products:
        product.list_price = catalog_selectors.product_price_effective(product=product)
    return products


def _numbers(plan_count: int) -> list[dict]:
    """Only numbers that exist: a platform without members shows no "0 member"."""
    members = membership_stats().active
    products = catalog_selectors.product_list_public().count()
    numbers = [
        (members, _("member aktif belajar bersama")),
        (plan_count, _("pilihan paket membership")),
        (products, _("produk, kelas dan webinar")),
    ]
    return [{"value": value, "label": label} for value, label in numbers if value]


@require_GET
@public_page("home", timeout=catalog_selectors.public_prices_stable_seconds)
def home(request):
    page = home_page_current()
    plans = _plans() if page.show_plans else []
    context = {
        "home": page,
        "plans": plans,
        "products": _products(page) if page.show_products else [],
        "numbers": _numbers(len(plans) or catalog_selectors.plan_list_public().count()) if page.show_numbers else [],
        "testimonials": testimonials_parse(page.testimonials) if page.show_testimonials else [],
    }
    return render(request, "orders/public/home.html", context)


@role_required(Role.ADMIN)
def admin_home_settings(request):
    page = home_page_get()
    if request.method == "POST":
        form = HomePageForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            featured = [product.pk for product in data.pop("featured_products")]
            try:
                home_page_update(actor=request.user, featured_product_ids=featured, **data)
            except ServiceError as exc:
                for field, errors in exc.errors.items():
                    for error in errors:
                        form.add_error("featured_products" if field == "featured_product_ids" else field, error)
            else:
                messages.success(request, _("Beranda disimpan."))
                return redirect("orders:admin_home_settings")
    else:
        form = HomePageForm(
            initial={
                "headline": page.headline,
                "subheadline": page.subheadline,
                "show_plans": page.show_plans,
                "show_products": page.show_products,
                "show_numbers": page.show_numbers,
                "show_testimonials": page.show_testimonials,
                "testimonials": page.testimonials,
                "featured_products": list(page.featured_products.all()),
            }
        )
    return render(request, "orders/admin/home_settings.html", {"form": form, "featured_max": HOME_FEATURED_MAX})
