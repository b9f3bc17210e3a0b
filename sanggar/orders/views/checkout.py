"""What every checkout page shares: the checkout form, the remembered coupon, the lookups and the one place a
checkout form is posted (`checkout_page`). The pages themselves are in `public.py` (plans, products) and `invoice.py`.

Every checkout page posts to itself: the chosen item, the buyer's details (when registering), a coupon and a payment
method go to `orders.checkout.checkout_place`.
"""

from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanggar.accounts.services import user_register
from sanggar.accounts.validators import normalize_whatsapp
from sanggar.affiliates.services import REF_COOKIE
from sanggar.catalog import selectors as catalog_selectors
from sanggar.core.exceptions import NotFound, ServiceError
from sanggar.core.forms import StyledFormMixin, add_service_errors
from sanggar.core.request_context import client_ip

from ..checkout import (
    checkout_place,
    coupon_code_clean,
    item_from_value,
)
from ..payments_port import payments as payments_port
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


def or_404(fetch, **kwargs):
    try:
        obj = fetch(**kwargs)
    except (NotFound, ObjectDoesNotExist):
        raise Http404 from None
    if obj is None:
        raise Http404
    return obj


def plan_or_404(slug: str):
    return or_404(catalog_selectors.plan_get_public, slug=slug)


def product_or_404(slug: str):
    return or_404(catalog_selectors.product_get_public, slug=slug)


def _email_taken(email: str) -> bool:
    return bool(email) and get_user_model().objects.filter(email__iexact=email.strip()).exists()


def request_buyer(request):
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

    def clean(self):
        """A visitor's details are checked all at once here (the account service checks them again), so every
        mistake shows on the first submit instead of one field per submit."""
        data = super().clean()
        if "password" in self.fields:
            whatsapp = data.get("whatsapp")
            if whatsapp:
                try:
                    data["whatsapp"] = normalize_whatsapp(whatsapp)
                except ValidationError as exc:
                    self.add_error("whatsapp", exc)
            password = data.get("password")
            if password:
                probe = get_user_model()(email=data.get("email") or "", full_name=data.get("full_name") or "")
                try:
                    validate_password(password, user=probe)
                except ValidationError as exc:
                    self.add_error("password", exc)
            if data.get("email") and _email_taken(data["email"]):
                self.email_exists = True
                self.add_error("email", _("Email sudah terdaftar, silakan masuk."))
        return data

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
    add_service_errors(form, exc)


def summary_data(buyer, item_value: str, coupon: str) -> dict:
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


def checkout_page(
    request, *, mode: str, items: list[str], context: dict, template: str, selected: str = "", item_error: str = ""
):
    """The checkout page shared by the plan, compare, all-plans and product pages (GET renders, POST places)."""
    buyer = request_buyer(request)
    providers = payments_port().providers_enabled()
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
        "summary": summary_data(request_buyer(request), selected, coupon),
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
    buyer = request_buyer(request)
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
