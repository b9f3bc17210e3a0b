"""Admin page of product categories: the list with an add form on the same page, an edit page, delete."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanggar.core.exceptions import ServiceError
from sanggar.core.listing import paginate

from .. import selectors, services
from ..forms import CategoryForm
from .common import admin_only, apply_errors


def _category(pk: int):
    category = selectors.category_get(pk=pk)
    if category is None:
        raise Http404
    return category


@admin_only
def category_list(request):
    q = request.GET.get("q", "").strip()[:100]
    if request.method == "POST":
        form = CategoryForm(request.POST)
        if form.is_valid():
            try:
                category = services.category_create(actor=request.user, **form.service_values())
            except ServiceError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Kategori %(name)s ditambahkan.") % {"name": category.name})
                return redirect("catalog:admin_categories")
    else:
        form = CategoryForm()
    page = paginate(request, selectors.category_list_admin(q=q))
    return render(
        request,
        "catalog/admin/categories.html",
        {"page_obj": page, "categories": page.object_list, "search": q, "filters": [], "form": form},
    )


@admin_only
def category_edit(request, pk: int):
    category = _category(pk)
    if request.method == "POST":
        form = CategoryForm(request.POST)
        if form.is_valid():
            try:
                services.category_update(category=category, actor=request.user, **form.service_values())
            except ServiceError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Kategori disimpan."))
                return redirect("catalog:admin_categories")
    else:
        form = CategoryForm(initial={"name": category.name, "slug": category.slug})
    return render(request, "catalog/admin/category_form.html", {"form": form, "category": category})


@admin_only
@require_POST
def category_delete(request, pk: int):
    category = _category(pk)
    services.category_delete(category=category, actor=request.user)
    messages.success(request, _("Kategori %(name)s dihapus.") % {"name": category.name})
    return redirect("catalog:admin_categories")
