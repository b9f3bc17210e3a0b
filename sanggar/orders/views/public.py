"""Public sales and checkout pages, and the buyer's invoice page.

Anyone may open the sales and checkout pages; a visitor who is not signed in registers on the checkout page itself.
Every checkout page posts to itself: the chosen item, the buyer's details (when registering), a coupon and a payment
method go to `orders.checkout.checkout_place`. The invoice page is for its buyer and for admins; anyone else gets 404.
"""

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from sanggar.accounts.services import user_register
from sanggar.affiliates.services import REF_COOKIE
from sanggar.catalog import selectors as catalog_selectors
from sanggar.catalog.constants import Duration
from sanggar.core.exceptions import NotFound, ServiceError
from sanggar.core.forms import StyledFormMixin
from sanggar.core.listing import paginate
from sanggar.core.permissions import login_required
from sanggar.core.request_context import client_ip
from sanggar.core.roles import Role
from sanggar.payments.selectors import providers_enabled

from .. import selectors, services
from ..checkout import (
    checkout_pay,
    checkout_place,
    coupon_code_clean,
    item_from_value,
    item_value_for_product,
    plan_options,
)
from ..constants import ItemKind, OrderStatus
from ..services import PendingOrderLimit, order_preview

COUPON_COOKIE = "sanggar_coupon"
COUPON_COOKIE_MAX_AGE = 30 * 24 * 60 * 60
COMPARE_MAX_PLANS = 6
PRODUCTS_PER_PAGE = 12
# /checkout/all price filter: the highest amount shown (rupiah) by choice.
PRICE_FILTERS = {
    "500rb": 500_000,
    "1jt": 1_000_000,
    "2jt5": 2_500_000,
    "5jt": 5_000_000,
}
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"
PROVIDER_ICONS = {"manual": "landmark"}


def _payment_methods(providers) -> list[dict]:
    return [
        {
            "identifier": p.identifier,
            "label": p.label,
            "hint": p.description,
            "icon": PROVIDER_ICONS.get(p.identifier, "credit-card"),
        }
        for p in providers
    ]


# --- coupon cookie ---------------------------------------------------------------------------------------------


def _coupon_param(request) -> str:
    return coupon_code_clean(request.GET.get("coupon")) if "coupon" in request.GET else ""


def _coupon_initial(request) -> str:
    return _coupon_param(request) or coupon_code_clean(request.COOKIES.get(COUPON_COOKIE))


def remembers_coupon(view):
    """`?coupon=CODE` on a sales or checkout page keeps the code in a cookie for 30 days; checkout pages fill it in."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        code = _coupon_param(request)
        if code:
            response.set_cookie(
                COUPON_COOKIE, code, max_age=COUPON_COOKIE_MAX_AGE, samesite="Lax", secure=request.is_secure()
            )
        return response

    return wrapped


# --- lookups ---------------------------------------------------------------------------------------------------


def _or_404(fetch, **kwargs):
    try:
        obj = fetch(**kwargs)
    except (NotFound, ObjectDoesNotExist):
        raise Http404 from None
    if obj is None:
        raise Http404
    return obj


def _plan(slug: str):
    return _or_404(catalog_selectors.plan_get_public, slug=slug)


def _product(slug: str):
    return _or_404(catalog_selectors.product_get_public, slug=slug)


def _email_taken(email: str) -> bool:
    return bool(email) and get_user_model().objects.filter(email__iexact=email.strip()).exists()


def _buyer(request):
    return request.user if request.user.is_authenticated else None


# --- the checkout form ---------------------------------------------------------------------------------------


class CheckoutForm(StyledFormMixin, forms.Form):
    REGISTER_FIELDS = ("full_name", "email", "whatsapp", "password")

    item = forms.CharField(required=False)
    full_name = forms.CharField(
        label=gettext_lazy("Nama lengkap"), max_length=150, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name", "placeholder": gettext_lazy("Nama sesuai KTP")}),
    )  # fmt: skip
    email = forms.EmailField(
        label=gettext_lazy("Email aktif"), required=False,
        help_text=gettext_lazy("Gunakan email aktif (mis. Gmail): invoice dan akses dikirim ke sini."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "placeholder": "nama@gmail.com"}),
    )  # fmt: skip
    whatsapp = forms.CharField(
        label=gettext_lazy("Nomor WhatsApp"), max_length=20, required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "081234567890"}),
    )  # fmt: skip
    password = forms.CharField(
        label=gettext_lazy("Buat kata sandi"), required=False,
        help_text=gettext_lazy("Minimal 8 karakter. Dipakai untuk masuk ke akun Anda."),
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "new-password"}),
    )  # fmt: skip
    coupon = forms.CharField(label=gettext_lazy("Kode kupon"), max_length=40, required=False)
    provider = forms.ChoiceField(label=gettext_lazy("Metode pembayaran"), required=False)

    def __init__(
        self, *args, register: bool, providers, items: list[str], needs_provider: bool = True, item_error="", **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.allowed_items = set(items)
        self.item_error = item_error or _("Pilih paket yang tersedia.")
        self.fields["provider"].choices = [(p.identifier, p.label) for p in providers]
        self.fields["provider"].required = needs_provider
        for name in self.REGISTER_FIELDS:
            self.fields[name].required = register
        if not register:
            for name in self.REGISTER_FIELDS:
                del self.fields[name]
        self.fields["coupon"].widget.attrs.update({"placeholder": _("Punya kode kupon?"), "autocomplete": "off"})

    def clean_item(self):
        value = self.cleaned_data["item"]
        if value not in self.allowed_items or item_from_value(value) is None:
            raise ValidationError(self.item_error)
        return value

    def clean_coupon(self):
        raw = self.cleaned_data["coupon"].strip()
        if raw and not coupon_code_clean(raw):
            raise ValidationError(_("Kode kupon hanya berisi huruf, angka, - atau _."))
        return coupon_code_clean(raw)


def _apply_service_error(form, exc: ServiceError) -> None:
    """A refused registration or order on the page: field errors beside their fields (items, duration, stock… on
    top), else the message on top. Too many unpaid orders: the message links to the pending order."""
    if isinstance(exc, PendingOrderLimit):
        url = reverse("orders:invoice", args=[exc.invoice_number])
        link = _("Buka pesanan %(invoice)s") % {"invoice": exc.invoice_number}
        form.add_error(None, format_html('{} <a class="link" href="{}">{}</a>', exc.message, url, link))
        return
    if not exc.errors:
        form.add_error(None, exc.message)
        return
    for field, errors in exc.errors.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _summary(buyer, item_value: str, coupon: str) -> dict:
    """The price summary of one item for `buyer` (None: a visitor), with a coupon: the order's own pricing
    (`orders.services.order_preview`); a coupon that does not apply is reported on the quote, not raised."""
    item = item_from_value(item_value)
    if item is None:
        return {"preview": None, "error": "", "coupon": coupon}
    try:
        preview = order_preview(buyer=buyer, items=[item], coupon_code=coupon)
    except ServiceError as exc:
        return {"preview": None, "error": exc.message, "coupon": coupon}
    return {"preview": preview, "error": "", "coupon": coupon}


def _checkout(
    request, *, mode: str, items: list[str], context: dict, template: str, selected: str = "", item_error: str = ""
):
    """The checkout page shared by the plan, compare, all-plans and product pages (GET renders, POST places)."""
    buyer = _buyer(request)
    providers = providers_enabled()
    needs_provider = context.get("needs_provider", True)
    if request.method == "POST":
        form = CheckoutForm(
            request.POST,
            register=buyer is None,
            providers=providers,
            items=items,
            needs_provider=needs_provider,
            item_error=item_error,
        )
        response = _checkout_post(request, form, providers)
        if response is not None:
            return response
        selected = request.POST.get("item", selected)
    else:
        initial = {"coupon": _coupon_initial(request), "item": selected}
        if providers:
            initial["provider"] = providers[0].identifier
        form = CheckoutForm(
            initial=initial, register=buyer is None, providers=providers, items=items, needs_provider=needs_provider
        )
    coupon = coupon_code_clean(form["coupon"].value())
    ctx = {
        "mode": mode,
        "form": form,
        "payment_methods": _payment_methods(providers),
        # The manual transfer adds a unique code (up to 3 digits) to the total on the invoice: say so up front.
        "unique_code_note": settings.MANUAL_UNIQUE_CODE and any(p.identifier == "manual" for p in providers),
        "needs_provider": needs_provider,
        "selected": selected,
        "summary": _summary(_buyer(request), selected, coupon),
        "login_url": reverse("account_login") + "?" + urlencode({"next": request.get_full_path()}),
        **context,
    }
    return render(request, template, ctx)


def _checkout_post(request, form: CheckoutForm, providers):
    """Registers a visitor, places the order and redirects; returns None to re-render the page with errors."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    item = item_from_value(data["item"])
    provider = data["provider"] or (providers[0].identifier if providers else "manual")
    buyer = _buyer(request)
    if buyer is None:
        # Check the order first, so a refused order (sold out, bad coupon…) does not leave a new account behind.
        try:
            preview = order_preview(buyer=None, items=[item], coupon_code=data["coupon"])
        except ServiceError as exc:
            _apply_service_error(form, exc)
            return None
        if preview.coupon_code and not preview.coupon_valid:
            form.add_error("coupon", preview.coupon_message or _("Kupon tidak bisa dipakai."))
            return None
        try:
            buyer = user_register(
                email=data["email"], full_name=data["full_name"], whatsapp=data["whatsapp"], password=data["password"]
            )
        except ServiceError as exc:
            errors = dict(exc.errors)
            if _email_taken(data["email"]):
                form.email_exists = True
                errors["email"] = [_("Email sudah terdaftar, silakan masuk.")]
            _apply_service_error(form, ServiceError(exc.message, errors=errors))
            return None
        login(request, buyer, backend=LOGIN_BACKEND)
    try:
        result = checkout_place(
            buyer=buyer,
            items=[item],
            coupon_code=data["coupon"],
            provider=provider,
            ref_code=request.GET.get("ref", ""),
            cookie_value=request.COOKIES.get(REF_COOKIE, ""),
            client_ip=client_ip(request),
        )
    except ServiceError as exc:
        _apply_service_error(form, exc)
        return None
    if result.error:
        messages.warning(request, result.error)
    return redirect(result.redirect_url)


# --- plan pages ------------------------------------------------------------------------------------------------


def _best_option(options) -> str:
    """The option selected first: the longest allowed one (options come 1m → lifetime)."""
    allowed = [o for o in options if o.allowed]
    return allowed[-1].value if allowed else ""


def _plan_groups(plans, options) -> list[dict]:
    by_plan: dict[int, list] = {}
    for option in options:
        by_plan.setdefault(option.plan.pk, []).append(option)
    return [{"plan": plan, "options": by_plan[plan.pk]} for plan in plans if by_plan.get(plan.pk)]


@require_GET
@remembers_coupon
def plan_sales(request, slug):
    """The plan's sales page, or a redirect to its external sales page when the admin set one."""
    plan = _plan(slug)
    if plan.external_sales_url:
        return redirect(plan.external_sales_url)
    options = plan_options(user=request.user, plans=[plan])
    return render(
        request,
        "orders/public/plan_sales.html",
        {
            "plan": plan,
            "options": options,
            "cheapest": min((o.amount for o in options if o.allowed), default=None),
            "features": list(plan.features.all()),
            "resources": list(plan.included_resources.all()),
            "products": list(plan.included_products.all()),
        },
    )


@remembers_coupon
def checkout_plan(request, slug):
    plan = _plan(slug)
    options = plan_options(user=request.user, plans=[plan])
    wanted = request.GET.get("durasi", "")
    selected = next((o.value for o in options if o.duration == wanted and o.allowed), "") or _best_option(options)
    return _checkout(
        request,
        mode="plan",
        items=[o.value for o in options if o.allowed],
        selected=selected,
        template="orders/public/checkout_plan.html",
        context={
            "plan": plan,
            "options": options,
            "features": list(plan.features.all()),
            "resources": list(plan.included_resources.all()),
            "products": list(plan.included_products.all()),
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
    return _checkout(
        request,
        mode="compare",
        items=[o.value for o in options if o.allowed],
        selected=selected,
        template="orders/public/checkout_compare.html",
        context={
            "plans": plans,
            "columns": columns,
            "groups": _plan_groups(plans, options),
            "feature_rows": [
                {"label": label, "cells": [label in plan_labels[plan.pk] for plan in plans]} for label in labels
            ],
        },
    )


@remembers_coupon
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
    return _checkout(
        request,
        mode="all",
        # Any allowed option may be posted: the filters only narrow what is shown.
        items=[o.value for o in options if o.allowed],
        selected=selected,
        template="orders/public/checkout_all.html",
        context={
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
    summary = _summary(_buyer(request), request.GET.get("item", ""), code)
    if coupon.strip() and not code:
        summary["coupon_error"] = _("Kode kupon hanya berisi huruf, angka, - atau _.")
    return render(request, "orders/public/_summary.html", {"summary": summary})


# --- products --------------------------------------------------------------------------------------------------


@require_GET
@remembers_coupon
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
    summary = _summary(_buyer(request), item_value_for_product(product.slug), "")
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
    product = _product(slug)
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
        },
    )


@remembers_coupon
def checkout_product(request, slug):
    product = _product(slug)
    offer = _product_offer(request, product)
    value = item_value_for_product(product.slug)
    return _checkout(
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
        },
    )


# --- invoice ---------------------------------------------------------------------------------------------------


def _order_for_viewer(request, invoice_number: str):
    """The order for its buyer or an admin; anyone else gets 404 (an invoice number reveals nothing)."""
    return _or_404(selectors.order_get_for_user, user=request.user, invoice_number=invoice_number)


def _reorder_url(order) -> str:
    for item in order.items.all():
        if item.kind == ItemKind.PLAN and item.plan_id:
            return reverse("orders:checkout_plan", args=[item.plan.slug]) + "?" + urlencode({"durasi": item.duration})
        if item.kind == ItemKind.PRODUCT and item.product_id:
            return reverse("orders:checkout_product", args=[item.product.slug])
    return reverse("orders:checkout_all")


@login_required
@require_GET
def invoice(request, invoice_number):
    order = _order_for_viewer(request, invoice_number)
    payments = list(order.payments.all())
    payment = payments[0] if payments else None
    is_buyer = order.buyer_id == request.user.pk
    items = list(order.items.all())
    return render(
        request,
        "orders/public/invoice.html",
        {
            "order": order,
            "items": items,
            "payment": payment,
            "instructions": (payment.instructions or {}) if payment else {},
            "is_buyer": is_buyer,
            "is_admin": request.user.has_role(Role.ADMIN),
            "has_plan": any(item.kind == ItemKind.PLAN for item in items),
            "has_product": any(item.kind == ItemKind.PRODUCT for item in items),
            "providers": providers_enabled() if is_buyer and order.status == OrderStatus.PENDING else [],
            "reorder_url": _reorder_url(order),
            "PENDING": OrderStatus.PENDING,
            "proofs": selectors.order_proofs(order=order),
            "can_upload_proof": is_buyer and order.status == OrderStatus.PENDING and order.provider == "manual",
            "proof_max_mb": max(1, settings.TRANSFER_PROOF_MAX_BYTES // (1024 * 1024)),
        },
    )


@login_required
@require_GET
def invoice_status(request, invoice_number):
    """HTMX poll while pending: 204 while nothing changed, else asks the page to reload."""
    order = _order_for_viewer(request, invoice_number)
    if order.status == request.GET.get("status", ""):
        return HttpResponse(status=204)
    response = HttpResponse(status=200)
    response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def invoice_pay(request, invoice_number):
    """The buyer starts a new payment attempt of a pending order, with the chosen provider."""
    order = _order_for_viewer(request, invoice_number)
    if order.buyer_id != request.user.pk:
        raise Http404
    provider = request.POST.get("provider", "")
    if provider not in {p.identifier for p in providers_enabled()}:
        messages.error(request, _("Pilih metode pembayaran yang tersedia."))
        return redirect("orders:invoice", invoice_number=order.invoice_number)
    try:
        result = checkout_pay(order=order, provider=provider, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("orders:invoice", invoice_number=order.invoice_number)
    if result.error:
        messages.warning(request, result.error)
    return redirect(result.redirect_url)


@login_required
@require_POST
def invoice_proof_upload(request, invoice_number):
    """The buyer uploads the proof of a manual transfer; errors come back on the invoice page."""
    order = _order_for_viewer(request, invoice_number)
    upload = request.FILES.get("proof")
    if upload is None:
        messages.error(request, _("Pilih file bukti transfer (foto atau PDF)."))
    else:
        try:
            services.order_proof_upload(order=order, user=request.user, file=upload, note=request.POST.get("note", ""))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Bukti transfer terkirim. Admin akan mengonfirmasi pembayaran Anda."))
    return redirect("orders:invoice", invoice_number=order.invoice_number)


@login_required
@require_GET
def invoice_proof_file(request, invoice_number, proof_id: int):
    """A transfer proof, for its buyer and admins only (never a public media URL)."""
    proof = _or_404(selectors.proof_get_for_user, user=request.user, invoice_number=invoice_number, proof_id=proof_id)
    response = FileResponse(proof.file.open("rb"), content_type=proof.content_type)
    response["Content-Disposition"] = f'inline; filename="bukti-{proof.order.invoice_number}-{proof.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
