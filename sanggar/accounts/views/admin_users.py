"""Admin pages: users (list, export, detail, edit, roles, deactivation) and affiliate applications."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanggar.audit.views import activity_rows
from sanggar.core.exceptions import ServiceError
from sanggar.core.forms import add_service_errors
from sanggar.core.listing import Filter, csv_response, paginate
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role, role_label, sort_roles

from .. import selectors, services
from ..constants import AffiliateApplicationStatus
from ..forms_admin import AdminUserForm, AffiliateDecisionForm, DeactivateForm, RoleChangeForm
from ..hooks import admin_user_sections

admin_only = role_required(Role.ADMIN)

EDITABLE_FIELDS = ("full_name", "whatsapp", "province", "city", "bio")


def _status_options():
    return [("active", _("Aktif")), ("inactive", _("Nonaktif"))]


def _user_filters(request):
    q = request.GET.get("q", "").strip()[:100]
    role = Filter(request, "role", _("Role"), Role.choices)
    status = Filter(request, "status", _("Status"), _status_options())
    return q, role, status


def _get_user(pk: int):
    user = selectors.user_get(pk=pk)
    if user is None:
        raise Http404
    return user


def _local_stamp(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@admin_only
def user_list(request):
    q, role, status = _user_filters(request)
    page = paginate(request, selectors.user_list(q=q, role=role.value, status=status.value))
    rows = [{"user": user, "roles": sort_roles(user.role_set)} for user in page.object_list]
    return render(
        request,
        "accounts/admin/users.html",
        {"page_obj": page, "rows": rows, "search": q, "filters": [role, status]},
    )


@admin_only
def user_export(request):
    q, role, status = _user_filters(request)
    users = selectors.user_list(q=q, role=role.value, status=status.value)
    header = [
        _("Nama"), _("Email"), _("WhatsApp"), _("Role"), _("Provinsi"), _("Kota/Kabupaten"),
        _("Tanggal daftar"), _("Status"),
    ]  # fmt: skip
    rows = (
        (
            user.full_name,
            user.email,
            user.whatsapp,
            ", ".join(role_label(r) for r in sort_roles(user.role_set)),
            user.province,
            user.city,
            _local_stamp(user.date_joined),
            _("Aktif") if user.is_active else _("Nonaktif"),
        )
        for user in users.iterator(chunk_size=1000)
    )
    return csv_response(f"pengguna-{timezone.localdate():%Y%m%d}.csv", header, rows)


@admin_only
def user_detail(request, pk: int):
    user = _get_user(pk)
    held = sort_roles(user.role_set)
    return render(
        request,
        "accounts/admin/user_detail.html",
        {
            "target": user,
            "roles": held,
            "grantable": [(value, label) for value, label in Role.choices if value not in held],
            "applications": selectors.affiliate_applications_for_user(user=user),
            "sections": admin_user_sections(user),
            "activity": activity_rows(selectors.user_activity_recent(user=user)),
            "deactivate_form": DeactivateForm(),
            "is_self": user.pk == request.user.pk,
        },
    )


@admin_only
def user_edit(request, pk: int):
    user = _get_user(pk)
    if request.method == "POST":
        form = AdminUserForm(request.POST)
        if form.is_valid():
            try:
                services.user_update_profile(
                    user=user, actor=request.user, **{f: form.cleaned_data[f] for f in EDITABLE_FIELDS}
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Data %(name)s disimpan.") % {"name": user.full_name})
                return redirect("accounts:admin_user_detail", pk=user.pk)
    else:
        form = AdminUserForm(initial={f: getattr(user, f) for f in EDITABLE_FIELDS})
    return render(request, "accounts/admin/user_edit.html", {"target": user, "form": form})


@admin_only
@require_POST
def user_roles(request, pk: int):
    user = _get_user(pk)
    form = RoleChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih role yang akan diberikan atau dicabut."))
        return redirect("accounts:admin_user_detail", pk=user.pk)
    role, action = form.cleaned_data["role"], form.cleaned_data["action"]
    params = {"role": role_label(role), "name": user.full_name}
    try:
        if action == "grant":
            if user.has_role(role):
                messages.info(request, _("%(name)s sudah memiliki role %(role)s.") % params)
            else:
                services.role_grant(user=user, role=role, actor=request.user)
                messages.success(request, _("Role %(role)s diberikan kepada %(name)s.") % params)
        elif not user.has_role(role):
            messages.info(request, _("%(name)s tidak memiliki role %(role)s.") % params)
        else:
            services.role_revoke(user=user, role=role, actor=request.user)
            messages.success(request, _("Role %(role)s dicabut dari %(name)s.") % params)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:admin_user_detail", pk=user.pk)


@admin_only
@require_POST
def user_deactivate(request, pk: int):
    user = _get_user(pk)
    form = DeactivateForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("accounts:admin_user_detail", pk=user.pk)
    if not user.is_active:
        messages.info(request, _("Akun %(name)s sudah nonaktif.") % {"name": user.full_name})
        return redirect("accounts:admin_user_detail", pk=user.pk)
    try:
        services.user_deactivate(user=user, actor=request.user, reason=form.cleaned_data["reason"])
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Akun %(name)s dinonaktifkan. Pengguna tidak bisa masuk lagi; datanya tetap tersimpan.")
            % {"name": user.full_name},
        )
    return redirect("accounts:admin_user_detail", pk=user.pk)


@admin_only
@require_POST
def user_reactivate(request, pk: int):
    user = _get_user(pk)
    if user.is_active:
        messages.info(request, _("Akun %(name)s sudah aktif.") % {"name": user.full_name})
    else:
        try:
            services.user_reactivate(user=user, actor=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Akun %(name)s diaktifkan kembali.") % {"name": user.full_name})
    return redirect("accounts:admin_user_detail", pk=user.pk)


@admin_only
def affiliate_applications(request):
    status = Filter(request, "status", _("Status"), AffiliateApplicationStatus.choices)
    if "status" not in request.GET:
        status.value = AffiliateApplicationStatus.PENDING
    page = paginate(request, selectors.affiliate_application_list(status=status.value))
    return render(
        request,
        "accounts/admin/affiliate_applications.html",
        {"page_obj": page, "filters": [status], "search": None, "status": status.value},
    )


@admin_only
def affiliate_application_detail(request, pk: int):
    application = selectors.affiliate_application_get(pk=pk)
    if application is None:
        raise Http404
    form = AffiliateDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.affiliate_application_decide(
                application=application, actor=request.user, approve=approve, note=form.cleaned_data["note"]
            )
        except ServiceError as exc:
            add_service_errors(form, exc)
            if not exc.errors:
                messages.error(request, exc.message)
                return redirect("accounts:admin_affiliate_application_detail", pk=application.pk)
        else:
            name = application.user.full_name
            if approve:
                messages.success(request, _("Pengajuan %(name)s disetujui; role Affiliate diberikan.") % {"name": name})
            else:
                messages.success(request, _("Pengajuan %(name)s ditolak.") % {"name": name})
            return redirect("accounts:admin_affiliate_applications")
    return render(
        request,
        "accounts/admin/affiliate_application_detail.html",
        {
            "application": application,
            "applicant_roles": sort_roles(application.user.role_set),
            "form": form,
            "pending": application.status == AffiliateApplicationStatus.PENDING,
        },
    )
