"""Admin pages of coupons: the list (search, state filter, uses) and one form page for create and edit."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sanggar.core.exceptions import ServiceError
from sanggar.core.listing import Filter, paginate

from .. import selectors, services
from ..constants import CouponState, DiscountType
from ..forms import CouponForm, local_input
from .common import admin_only, apply_errors


@admin_only
def coupon_list(request):
    q = request.GET.get("q", "").strip()[:100]
    state = Filter(request, "state", _("Status"), CouponState.choices)
    now = timezone.now()
    page = paginate(request, selectors.coupon_list_admin(q=q, state=state.value, now=now))
    rows = [{"coupon": c, "state": selectors.coupon_state(c, now)} for c in page.object_list]
    return render(
        request,
        "catalog/admin/coupons.html",
        {"page_obj": page, "rows": rows, "search": q, "filters": [state], "states": dict(CouponState.choices)},
    )


def _form(data=None, initial=None):
    return CouponForm(
        data,
        initial=initial,
        plans=selectors.plan_options(),
        products=selectors.product_options(),
        affiliates=selectors.affiliate_options(),
        courses=selectors.course_resource_options(),
    )


def _render(request, form, coupon=None):
    context = {"form": form, "coupon": coupon}
    if coupon is not None:
        context["uses"] = services.coupon_uses(coupon=coupon)
    return render(request, "catalog/admin/coupon_form.html", context)


@admin_only
def coupon_create(request):
    if request.method == "POST":
        form = _form(request.POST)
        if form.is_valid():
            try:
                coupon = services.coupon_create(actor=request.user, **form.service_values())
            except ServiceError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Kupon %(code)s dibuat.") % {"code": coupon.code})
                return redirect("catalog:admin_coupons")
    else:
        form = _form(initial={"discount_type": DiscountType.PERCENT, "is_active": True})
    return _render(request, form)


@admin_only
def coupon_edit(request, pk: int):
    coupon = selectors.coupon_get(pk=pk)
    if coupon is None:
        raise Http404
    if request.method == "POST":
        form = _form(request.POST)
        if form.is_valid():
            try:
                services.coupon_update(coupon=coupon, actor=request.user, **form.service_values())
            except ServiceError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Kupon %(code)s disimpan.") % {"code": form.cleaned_data["code"].upper()})
                return redirect("catalog:admin_coupons")
    else:
        form = _form(
            initial={
                "code": coupon.code,
                "description": coupon.description,
                "discount_type": coupon.discount_type,
                "value": coupon.value,
                "valid_from": local_input(coupon.valid_from),
                "valid_until": local_input(coupon.valid_until),
                "max_uses": coupon.max_uses or "",
                "max_uses_per_user": coupon.max_uses_per_user or "",
                "plan_ids": [str(p.pk) for p in coupon.plans.all()],
                "product_ids": [str(p.pk) for p in coupon.products.all()],
                "resource_ids": [str(r.pk) for r in coupon.resources.all()],
                "affiliate_id": str(coupon.affiliate_id or ""),
                "is_active": coupon.is_active,
            }
        )
    return _render(request, form, coupon)
