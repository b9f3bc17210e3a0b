"""Admin pages of products: the list, and the product form in tabs (Informasi, Harga, Akses & Integrasi,
File & Galeri, Konten, SEO, Follow-up WhatsApp)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanggar.core.exceptions import ServiceError
from sanggar.core.listing import Filter, paginate

from .. import hooks, selectors, services
from ..constants import GALLERY_MAX_IMAGES, PRODUCT_FILES_MAX, ProductKind, ProductStatus
from ..forms import (
    CoverForm,
    ProductAccessForm,
    ProductContentForm,
    ProductFileForm,
    ProductInfoForm,
    ProductPricingForm,
    ProductSeoForm,
    ResourceCreateForm,
    local_input,
    post_rows,
)
from ..services import FaqInput
from .common import admin_only, apply_errors, follow_ups_moved, tabs_for
from .plans import _resource_groups

PRODUCT_TABS = (
    ("info", gettext_lazy("Informasi"), "catalog:admin_product_edit"),
    ("pricing", gettext_lazy("Harga"), "catalog:admin_product_pricing"),
    ("access", gettext_lazy("Akses & Integrasi"), "catalog:admin_product_access"),
    ("files", gettext_lazy("File & Galeri"), "catalog:admin_product_files"),
    ("content", gettext_lazy("Konten"), "catalog:admin_product_content"),
    ("seo", gettext_lazy("SEO"), "catalog:admin_product_seo"),
)


def _product(pk: int):
    product = selectors.product_get(pk=pk)
    if product is None:
        raise Http404
    return product


def product_tab_context(request, product, tab: str) -> dict:
    """What `_product_layout.html` needs; higher apps' tabs (hooks.edit_tab_register) render with it too."""
    return {
        "product": product,
        "tabs": tabs_for((*PRODUCT_TABS, *hooks.edit_tabs("product")), product),
        "tab": tab,
        "public_url": request.build_absolute_uri(f"/produk/{product.slug}"),
        "checkout_url": request.build_absolute_uri(f"/produk/{product.slug}/checkout"),
        "is_public": product.status != ProductStatus.DRAFT,
        "effective_price": selectors.product_price_effective(product=product),
    }


def _render_tab(request, product, tab: str, template: str, context: dict):
    return render(request, template, {**product_tab_context(request, product, tab), **context})


def _save(request, product, form, tab_url: str, success: str, template: str, tab: str, extra=None, **values):
    """The common POST handling of a simple tab: valid form → product_update → redirect with a message."""
    if form.is_valid():
        try:
            services.product_update(product=product, actor=request.user, **form.service_values(), **values)
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect(tab_url, pk=product.pk)
    return _render_tab(request, product, tab, template, {"form": form, **(extra or {})})


@admin_only
def product_list(request):
    q = request.GET.get("q", "").strip()[:100]
    status = Filter(request, "status", _("Status"), ProductStatus.choices)
    kind = Filter(request, "kind", _("Jenis"), ProductKind.choices)
    category = Filter(request, "category", _("Kategori"), [(c.slug, c.name) for c in selectors.category_options()])
    page = paginate(
        request, selectors.product_list_admin(q=q, status=status.value, kind=kind.value, category=category.value)
    )
    rows = [{"product": p, "price": selectors.product_price_effective(product=p)} for p in page.object_list]
    return render(
        request,
        "catalog/admin/products.html",
        {"page_obj": page, "rows": rows, "search": q, "filters": [status, kind, category]},
    )


def _info_form(data=None, product=None):
    kwargs = {"categories": selectors.category_options(), "mentors": selectors.mentor_options()}
    if data is not None:
        return ProductInfoForm(data, **kwargs)
    if product is None:
        return ProductInfoForm(initial={"status": ProductStatus.DRAFT, "kind": ProductKind.EBOOK}, **kwargs)
    initial = {
        "title": product.title,
        "slug": product.slug,
        "kind": product.kind,
        "status": product.status,
        "short_description": product.short_description,
        "description": product.description,
        "category_ids": [str(c.pk) for c in product.categories.all()],
        "tags": ", ".join(product.tags or []),
        "video_url": product.video_url,
        "creator_id": str(product.creator_id or ""),
    }
    return ProductInfoForm(initial=initial, **kwargs)


@admin_only
def product_create(request):
    if request.method == "POST":
        form = _info_form(request.POST)
        if form.is_valid():
            try:
                product = services.product_create(actor=request.user, **form.service_values())
            except ServiceError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Produk %(title)s dibuat. Lanjutkan dengan mengisi harga.")
                                 % {"title": product.title})  # fmt: skip
                return redirect("catalog:admin_product_pricing", pk=product.pk)
    else:
        form = _info_form()
    return render(
        request, "catalog/admin/product_create.html", {"form": form, "tab_labels": [t[1] for t in PRODUCT_TABS]}
    )


@admin_only
def product_edit(request, pk: int):
    product = _product(pk)
    if request.method == "POST":
        form = _info_form(request.POST)
        return _save(request, product, form, "catalog:admin_product_edit", _("Informasi produk disimpan."),
                     "catalog/admin/product_info.html", "info")  # fmt: skip
    form = _info_form(product=product)
    return _render_tab(request, product, "info", "catalog/admin/product_info.html", {"form": form})


@admin_only
def product_pricing(request, pk: int):
    product = _product(pk)
    if request.method == "POST":
        return _save(request, product, ProductPricingForm(request.POST), "catalog:admin_product_pricing",
                     _("Harga produk disimpan."), "catalog/admin/product_pricing.html", "pricing")  # fmt: skip
    form = ProductPricingForm(
        initial={
            "price_type": product.price_type,
            "price": product.price or "",
            "promo_price": product.promo_price if product.promo_price is not None else "",
            "promo_ends_at": local_input(product.promo_ends_at),
            "affiliate_commission_type": product.affiliate_commission_type,
            "affiliate_commission_value": product.affiliate_commission_value,
            "mentor_share_percent": product.mentor_share_percent,
            "member_discount_type": product.member_discount_type,
            "member_discount_value": product.member_discount_value,
            "stock": product.stock if product.stock is not None else "",
            "scalev_variant_id": product.scalev_variant_id,
            "tax_percent": "" if product.tax_percent is None else product.tax_percent,
            "admin_fee": "" if product.admin_fee is None else product.admin_fee,
        }
    )
    return _render_tab(request, product, "pricing", "catalog/admin/product_pricing.html", {"form": form})


@admin_only
def product_access(request, pk: int):
    product = _product(pk)
    resources = selectors.resource_options()
    extra = {
        "resource_groups": _resource_groups(resources),
        "resource_form": ResourceCreateForm(kinds=services.placeholder_kind_choices()),
    }
    if request.method == "POST":
        form = ProductAccessForm(request.POST, resources=resources)
        extra["selected_resources"] = set(request.POST.getlist("resource_ids"))
        return _save(request, product, form, "catalog:admin_product_access", _("Akses & integrasi disimpan."),
                     "catalog/admin/product_access.html", "access", extra)  # fmt: skip
    form = ProductAccessForm(
        initial={
            "access_level": product.access_level,
            "access_days": product.access_days or "",
            "resource_ids": [str(r.pk) for r in product.included_resources.all()],
        },
        resources=resources,
    )
    extra["selected_resources"] = {str(r.pk) for r in product.included_resources.all()}
    return _render_tab(request, product, "access", "catalog/admin/product_access.html", {"form": form, **extra})


def _files_context(product, *, cover_form=None, file_form=None, gallery_errors=()):
    return {
        "cover_form": cover_form or CoverForm(),
        "file_form": file_form or ProductFileForm(),
        "gallery_errors": list(gallery_errors),
        "gallery_max": GALLERY_MAX_IMAGES,
        "files_max": PRODUCT_FILES_MAX,
    }


@admin_only
def product_files(request, pk: int):
    product = _product(pk)
    return _render_tab(request, product, "files", "catalog/admin/product_files.html", _files_context(product))


@admin_only
@require_POST
def product_cover(request, pk: int):
    product = _product(pk)
    form = CoverForm(request.POST, request.FILES)
    if form.is_valid():
        values = {k: v for k, v in form.service_values().items() if v}
        if not values:
            form.add_error("cover", _("Pilih gambar cover, atau centang hapus cover."))
        else:
            try:
                services.product_update(product=product, actor=request.user, **values)
            except ServiceError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Cover disimpan."))
                return redirect("catalog:admin_product_files", pk=product.pk)
    return _render_tab(
        request, product, "files", "catalog/admin/product_files.html", _files_context(product, cover_form=form)
    )


@admin_only
@require_POST
def product_gallery_add(request, pk: int):
    product = _product(pk)
    try:
        services.product_gallery_add(product=product, actor=request.user, images=request.FILES.getlist("images"))
    except ServiceError as exc:
        errors = [m for ms in exc.errors.values() for m in ms] or [exc.message]
        context = _files_context(product, gallery_errors=errors)
        return _render_tab(request, product, "files", "catalog/admin/product_files.html", context)
    messages.success(request, _("Gambar galeri ditambahkan."))
    return redirect("catalog:admin_product_files", pk=product.pk)


@admin_only
@require_POST
def product_gallery_remove(request, pk: int, image_id: int):
    product = _product(pk)
    try:
        services.product_gallery_remove(product=product, actor=request.user, image_id=image_id)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Gambar dihapus dari galeri."))
    return redirect("catalog:admin_product_files", pk=product.pk)


@admin_only
@require_POST
def product_file_add(request, pk: int):
    product = _product(pk)
    form = ProductFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.product_file_add(product=product, actor=request.user, **form.service_values())
        except ServiceError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("File diunggah. Pembeli bisa mengunduhnya dari halaman produk."))
            return redirect("catalog:admin_product_files", pk=product.pk)
    return _render_tab(
        request, product, "files", "catalog/admin/product_files.html", _files_context(product, file_form=form)
    )


@admin_only
@require_POST
def product_file_remove(request, pk: int, file_id: int):
    product = _product(pk)
    try:
        services.product_file_remove(product=product, actor=request.user, file_id=file_id)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("File dihapus."))
    return redirect("catalog:admin_product_files", pk=product.pk)


@admin_only
def product_content(request, pk: int):
    product = _product(pk)
    others = [p for p in selectors.product_options() if p.pk != product.pk]
    faq_errors: dict = {}
    if request.method == "POST":
        form = ProductContentForm(request.POST, products=others)
        faq_rows = post_rows(request.POST, "faq", ("question", "answer"))
        if form.is_valid():
            try:
                services.product_update(
                    product=product,
                    actor=request.user,
                    faq=[FaqInput(**row) for row in faq_rows],
                    **form.service_values(),
                )
            except ServiceError as exc:
                faq_errors = apply_errors(form, exc, row_prefixes=("faq.", "faq"))
            else:
                messages.success(request, _("Konten produk disimpan."))
                return redirect("catalog:admin_product_content", pk=product.pk)
        selected = set(request.POST.getlist("bundled_product_ids"))
    else:
        form = ProductContentForm(
            initial={
                "cta_text": product.cta_text,
                "bundled_product_ids": [str(p.pk) for p in product.bundled_products.all()],
            },
            products=others,
        )
        faq_rows = [{"question": item.get("q", ""), "answer": item.get("a", "")} for item in product.faq or []]
        selected = {str(p.pk) for p in product.bundled_products.all()}
    config = {"rows": faq_rows, "errors": faq_errors, "blank": {"question": "", "answer": ""}}
    return _render_tab(
        request,
        product,
        "content",
        "catalog/admin/product_content.html",
        {"form": form, "rows_config": config, "others": others, "selected_bundles": selected},
    )


@admin_only
def product_seo(request, pk: int):
    product = _product(pk)
    if request.method == "POST":
        return _save(request, product, ProductSeoForm(request.POST), "catalog:admin_product_seo",
                     _("Pengaturan SEO disimpan."), "catalog/admin/product_seo.html", "seo")  # fmt: skip
    form = ProductSeoForm(
        initial={
            "seo_title": product.seo_title,
            "seo_description": product.seo_description,
            "pixel_meta_id": product.pixel_meta_id,
            "pixel_google_id": product.pixel_google_id,
            "pixel_tiktok_id": product.pixel_tiktok_id,
        }
    )
    return _render_tab(request, product, "seo", "catalog/admin/product_seo.html", {"form": form})


@admin_only
def product_follow_ups(request, pk: int):
    """The old "Follow-up WhatsApp" tab: the product's "Reminder" tab (the builder's sequences) now."""
    return follow_ups_moved("product", _product(pk).pk)
