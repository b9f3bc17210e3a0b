"""Admin: /admin/settings/pixel (global tracking pixels and consent), /admin/testimoni (testimonials of the sales
pages). Public: POST /kunjungan/<plan|product>/<slug>, the visit beacon of the sales pages (it counts also when the
page itself came from the public cache)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sanggar.catalog.models import MembershipPlan, Product
from sanggar.core.exceptions import ServiceError
from sanggar.core.listing import paginate
from sanggar.core.permissions import role_required
from sanggar.core.request_context import client_ip
from sanggar.core.roles import Role

from . import selectors, services
from .forms import PixelSettingsForm, TestimonialForm
from .models import Testimonial


def _errors_to_form(form, exc: ServiceError) -> None:
    placed = False
    for name, errors in exc.errors.items():
        for error in errors:
            if name in form.fields:
                form.add_error(name, error)
                placed = True
            elif name in ("plan_id", "product_id"):
                form.add_error("target", error)
                placed = True
    if not placed:
        form.add_error(None, exc.message)


@never_cache
@role_required(Role.ADMIN)
def pixel_settings(request):
    row = selectors.pixel_settings_row()
    initial = {name: getattr(row, name) for name in selectors.PIXEL_KEYS}
    initial["consent_required"] = row.consent_required
    form = PixelSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.pixel_settings_update(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Pengaturan pixel disimpan."))
            return redirect("marketing:admin_pixels")
    return render(request, "marketing/pixels.html", {"form": form})


def _targets():
    return (
        list(MembershipPlan.objects.order_by("sort_order", "id").only("pk", "title")),
        list(Product.objects.order_by("title").only("pk", "title")),
    )


@never_cache
@role_required(Role.ADMIN)
def testimonial_list(request):
    plans, products = _targets()
    form = TestimonialForm(request.POST or None, request.FILES or None, plans=plans, products=products)
    if request.method == "POST" and form.is_valid():
        try:
            services.testimonial_save(actor=request.user, **form.service_values())
        except ServiceError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Testimoni ditambahkan."))
            return redirect("marketing:admin_testimonials")
    page_obj = paginate(request, selectors.testimonial_list())
    return render(
        request,
        "marketing/testimonials.html",
        {"form": form, "page_obj": page_obj, "testimonials": page_obj.object_list},
    )


@never_cache
@role_required(Role.ADMIN)
def testimonial_edit(request, pk: int):
    testimonial = get_object_or_404(Testimonial, pk=pk)
    plans, products = _targets()
    target = (
        f"plan:{testimonial.plan_id}"
        if testimonial.plan_id
        else f"product:{testimonial.product_id}"
        if testimonial.product_id
        else ""
    )
    initial = {
        "name": testimonial.name,
        "role_city": testimonial.role_city,
        "text": testimonial.text,
        "rating": testimonial.rating,
        "target": target,
        "sort_order": testimonial.sort_order,
        "is_active": testimonial.is_active,
    }
    form = TestimonialForm(request.POST or None, request.FILES or None, initial=initial, plans=plans, products=products)
    if request.method == "POST" and form.is_valid():
        try:
            services.testimonial_save(actor=request.user, testimonial=testimonial, **form.service_values())
        except ServiceError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Testimoni disimpan."))
            return redirect("marketing:admin_testimonials")
    return render(request, "marketing/testimonial_edit.html", {"form": form, "testimonial": testimonial})


@role_required(Role.ADMIN)
def testimonial_delete(request, pk: int):
    testimonial = get_object_or_404(Testimonial, pk=pk)
    if request.method == "POST":
        services.testimonial_delete(actor=request.user, testimonial=testimonial)
        messages.success(request, _("Testimoni dihapus."))
        return redirect("marketing:admin_testimonials")
    return render(request, "marketing/testimonial_delete.html", {"testimonial": testimonial})


@csrf_exempt  # a beacon from a (possibly cached) public page: it only counts, once per address, page and day
@require_POST
def visit(request, kind: str, slug: str):
    services.visit_record(kind=kind, slug=slug, address=client_ip(request) or "")
    return HttpResponse(status=204)
