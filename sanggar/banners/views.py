"""Pages of banners: the click redirect /b/<id> (counts a signed click, then goes only to the banner's stored link),
closing a banner, the sponsor's "Iklan Saya" (buy a package, submit and follow their banner), and the admin's list
with statistics per period, CSV export, per-banner statistics with a chart, review of sponsor banners, sponsor
packages, create, edit and delete."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sanggar.catalog.constants import ProductStatus
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.forms import add_service_errors
from sanggar.core.listing import paginate
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role
from sanggar.dashboard.registry import bar, chart, line

from . import links, selectors, services
from .constants import ADMIN_PAGE_SIZE, Review
from .forms import BannerForm, ReviewForm, SponsorBannerForm, SponsorPackageForm
from .models import Banner, SponsorPackage

admin_only = role_required(Role.ADMIN)


@require_GET
def click(request, pk: int):
    banner = Banner.objects.filter(pk=pk).first()
    if banner is None:
        raise Http404
    if links.click_valid(banner.pk, request.GET.get("s", "")):
        services.banner_record_click(banner)
    # Only the link an admin stored (validated http/https): nothing in the request chooses the destination.
    return HttpResponseRedirect(banner.link_url)


@login_required
@require_POST
def dismiss(request, pk: int):
    banner = get_object_or_404(Banner, pk=pk)
    services.banner_dismiss(user=request.user, banner=banner)
    if request.headers.get("x-requested-with") == "fetch":
        return HttpResponse(status=204)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/"
    messages.success(request, _("Banner ditutup dan tidak akan tampil lagi untuk Anda."))
    return redirect(back)


def _period(request) -> str:
    period = request.GET.get("periode", "30")
    return period if period in selectors.PERIODS else "30"


@admin_only
@require_GET
def admin_list(request):
    period = _period(request)
    review = request.GET.get("review", "")
    rows = selectors.banner_admin_list(since=selectors.period_start(period), review=review)
    page = paginate(request, rows, ADMIN_PAGE_SIZE)
    for b in page.object_list:
        b.ctr = selectors.ctr(b.total_views, b.total_clicks)
    pending = Banner.objects.filter(review=Review.PENDING).count()
    context = {"page_obj": page, "period": period, "review": review, "pending": pending,
               "periods": PERIOD_LABELS, "reviews": Review.choices}  # fmt: skip
    return render(request, "banners/admin_list.html", context)


PERIOD_LABELS = (("7", "7 hari"), ("30", "30 hari"), ("90", "90 hari"), ("semua", "Semua"))


@admin_only
@require_GET
def admin_export(request):
    period = _period(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="statistik-banner-{stamp}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["ID", "Banner", "Jenis", "Penempatan", "Tanggal", "Dilihat", "Diklik", "CTR"])
    for row in selectors.stats_export_rows(since=selectors.period_start(period)).iterator(chunk_size=2000):
        b = row.banner
        title = "'" + b.title if b.title[:1] in "=+-@" else b.title
        writer.writerow([b.pk, title, b.get_kind_display(), b.get_placement_display(), row.day.isoformat(),
                         row.views, row.clicks, selectors.ctr(row.views, row.clicks)])  # fmt: skip
    return response


@admin_only
@require_GET
def admin_stats(request, pk: int):
    banner = get_object_or_404(Banner.objects.select_related("package__product", "owner"), pk=pk)
    period = _period(request)
    days = selectors.banner_daily(banner=banner, since=selectors.period_start(period))
    views = sum(d.views for d in days)
    clicks = sum(d.clicks for d in days)
    data = chart(
        f"banner-{banner.pk}",
        [d.day.strftime("%d/%m") for d in days],
        bar(_("Dilihat"), [d.views for d in days]),
        line(_("Diklik"), [d.clicks for d in days]),
    )
    context = {"banner": banner, "days": list(reversed(days)), "views": views, "clicks": clicks,
               "ctr": selectors.ctr(views, clicks), "chart": data, "period": period, "periods": PERIOD_LABELS,
               "review_form": ReviewForm()}  # fmt: skip
    return render(request, "banners/admin_stats.html", context)


@admin_only
@require_POST
def admin_review(request, pk: int):
    banner = get_object_or_404(Banner.objects.select_related("package", "owner"), pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih setujui atau tolak."))
        return redirect("banners:admin_stats", pk=pk)
    try:
        services.banner_review(actor=request.user, banner=banner, approve=form.cleaned_data["decision"] == "approve",
                               note=form.cleaned_data["note"])  # fmt: skip
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Review disimpan; sponsor sudah diberi tahu."))
    return redirect("banners:admin_stats", pk=pk)


def _data(form) -> dict:
    data = {k: v for k, v in form.cleaned_data.items() if k != "image"}
    data["target_roles"] = list(data.get("target_roles") or [])
    data["target_plans"] = list(data.get("target_plans") or [])
    data["target_provinces"] = list(data.get("target_provinces") or [])
    return data


@admin_only
def admin_create(request):
    form = BannerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.banner_create(actor=request.user, data=_data(form), image=form.cleaned_data.get("image"))
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Banner disimpan."))
            return redirect("banners:admin_list")
    status = 400 if form.errors else 200
    return render(request, "banners/admin_form.html", {"form": form, "banner": None}, status=status)


@admin_only
def admin_edit(request, pk: int):
    banner = get_object_or_404(Banner, pk=pk)
    initial = {f: getattr(banner, f) for f in services.FIELDS}
    initial["target_plans"] = [str(p) for p in banner.target_plans]
    form = BannerForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.banner_update(
                actor=request.user, banner=banner, data=_data(form), image=form.cleaned_data.get("image")
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
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
    try:
        services.banner_delete(actor=request.user, banner=banner)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Banner dihapus."))
    return redirect("banners:admin_list")


@admin_only
def admin_packages(request):
    wanted = request.GET.get("ubah", "")
    package = SponsorPackage.objects.filter(pk=int(wanted)).first() if wanted.isdigit() and len(wanted) < 10 else None
    initial = {}
    if package:
        initial = {"product": package.product_id, "placement": package.placement, "days": package.days,
                   "priority": package.priority, "daily_cap": package.daily_cap, "active": package.active}  # fmt: skip
    form = SponsorPackageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sponsor_package_save(
                actor=request.user, product=data["product"], placement=data["placement"], days=data["days"],
                priority=data["priority"], daily_cap=data["daily_cap"], active=data["active"],
            )  # fmt: skip
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Paket banner sponsor disimpan."))
            return redirect("banners:admin_packages")
    packages = SponsorPackage.objects.select_related("product").order_by("-active", "product__title")[:100]
    return render(request, "banners/admin_packages.html", {"form": form, "packages": packages, "package": package},
                  status=400 if form.errors else 200)  # fmt: skip


# --- sponsors ------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def sponsor_home(request):
    entitlements = selectors.sponsor_entitlements(user=request.user)
    page = paginate(request, selectors.sponsor_banners(user=request.user), ADMIN_PAGE_SIZE)
    for b in page.object_list:
        b.ctr = selectors.ctr(b.total_views, b.total_clicks)
    packages = SponsorPackage.objects.select_related("product").filter(
        active=True, product__status=ProductStatus.PUBLISHED
    )[:20]
    context = {"entitlements": entitlements, "page_obj": page, "packages": packages}
    return render(request, "banners/sponsor_home.html", context)


@login_required
def sponsor_submit(request, package_id: int):
    package = get_object_or_404(SponsorPackage.objects.select_related("product"), pk=package_id)
    source_ref = (request.POST.get("ref") or request.GET.get("ref") or "")[:64]
    form = SponsorBannerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "image"}
        try:
            services.sponsor_banner_submit(user=request.user, package=package, source_ref=source_ref, data=data,
                                           image=form.cleaned_data.get("image"))  # fmt: skip
        except NotAllowed as exc:
            messages.error(request, exc.message)
            return redirect("banners:sponsor_home")
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Banner terkirim. Admin akan mereviewnya sebelum tayang."))
            return redirect("banners:sponsor_home")
    context = {"form": form, "package": package, "source_ref": source_ref, "banner": None}
    return render(request, "banners/sponsor_form.html", context, status=400 if form.errors else 200)


@login_required
def sponsor_edit(request, pk: int):
    banner = get_object_or_404(Banner.objects.select_related("package__product"), pk=pk, owner=request.user)
    initial = {f: getattr(banner, f) for f in services.SPONSOR_FIELDS}
    form = SponsorBannerForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "image"}
        try:
            services.sponsor_banner_update(user=request.user, banner=banner, data=data,
                                           image=form.cleaned_data.get("image"))  # fmt: skip
        except NotAllowed as exc:
            messages.error(request, exc.message)
            return redirect("banners:sponsor_home")
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Perbaikan terkirim. Admin akan mereviewnya kembali."))
            return redirect("banners:sponsor_home")
    context = {"form": form, "package": banner.package, "source_ref": banner.source_ref, "banner": banner}
    return render(request, "banners/sponsor_form.html", context, status=400 if form.errors else 200)


@admin_only
@require_POST
def admin_announce(request, pk: int):
    banner = get_object_or_404(Banner, pk=pk)
    try:
        services.banner_announce(actor=request.user, banner=banner)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pengumuman sedang dikirim ke semua yang ditargetkan banner ini."))
    return redirect("banners:admin_stats", pk=pk)
