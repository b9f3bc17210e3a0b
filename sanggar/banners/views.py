"""Pages of banners: the click redirect /b/<id> (counts, then goes only to the banner's stored link) and the admin's
list with statistics, create, edit and delete."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sanggar.core.exceptions import ServiceError
from sanggar.core.listing import paginate
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from . import selectors, services
from .constants import ADMIN_PAGE_SIZE
from .forms import BannerForm
from .models import Banner

admin_only = role_required(Role.ADMIN)


@require_GET
def click(request, pk: int):
    banner = Banner.objects.filter(pk=pk).first()
    if banner is None:
        raise Http404
    services.banner_record_click(banner)
    # Only the link an admin stored (validated http/https): nothing in the request chooses the destination.
    return HttpResponseRedirect(banner.link_url)


@admin_only
@require_GET
def admin_list(request):
    page = paginate(request, selectors.banner_admin_list(), ADMIN_PAGE_SIZE)
    for b in page.object_list:
        b.ctr = selectors.ctr(b.total_views, b.total_clicks)
    return render(request, "banners/admin_list.html", {"page_obj": page})


def _data(form) -> dict:
    data = {k: v for k, v in form.cleaned_data.items() if k != "image"}
    data["target_roles"] = list(data.get("target_roles") or [])
    return data


def _errors(form, exc: ServiceError):
    for field, errors in exc.errors.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
    if not exc.errors:
        form.add_error(None, exc.message)


@admin_only
def admin_create(request):
    form = BannerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.banner_create(actor=request.user, data=_data(form), image=form.cleaned_data.get("image"))
        except ServiceError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Banner disimpan."))
            return redirect("banners:admin_list")
    status = 400 if form.errors else 200
    return render(request, "banners/admin_form.html", {"form": form, "banner": None}, status=status)


@admin_only
def admin_edit(request, pk: int):
    banner = get_object_or_404(Banner, pk=pk)
    initial = {f: getattr(banner, f) for f in services.FIELDS}
    form = BannerForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.banner_update(
                actor=request.user, banner=banner, data=_data(form), image=form.cleaned_data.get("image")
            )
        except ServiceError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("Banner diperbarui."))
            return redirect("banners:admin_list")
    return render(
        request, "banners/admin_form.html", {"form": form, "banner": banner}, status=400 if form.errors else 200
    )


@admin_only
@require_POST
def admin_delete(request, pk: int):
    banner = get_object_or_404(Banner, pk=pk)
    services.banner_delete(actor=request.user, banner=banner)
    messages.success(request, _("Banner dihapus."))
    return redirect("banners:admin_list")
