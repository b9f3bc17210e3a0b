"""Pages of the access app: the member's products and private downloads, and the admin's grants and download log."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sanggar.core.exceptions import NotAllowed, NotFound, ServiceError
from sanggar.core.files import private_file_response
from sanggar.core.forms import add_service_errors
from sanggar.core.listing import Filter, csv_response, paginate
from sanggar.core.permissions import login_required, role_required
from sanggar.core.roles import Role

from . import selectors, services
from .constants import ADMIN_PAGE_SIZE, GrantSource, GrantState
from .facts import catalog_facts
from .forms import GrantCreateForm, GrantRevokeForm
from .kinds import resource_kind_choices
from .policy import AccessDecision

admin_only = role_required(Role.ADMIN)
MY_PRODUCTS_PER_PAGE = 12


def render_locked(request, decision: AccessDecision, *, title: str = "", status: int = 403):
    """The page every app shows when the policy says no: why, and the way to unlock it."""
    return render(
        request,
        "access/locked.html",
        {"decision": decision, "locked_title": title or _("Akses terkunci")},
        status=status,
    )


# ---------------------------------------------------------------------------------------------------------------
# Member: "Produk Saya" and downloads


@login_required
@require_GET
def my_products(request):
    found = selectors.product_ids_for_user(user=request.user)
    page = Paginator(found.ids, MY_PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = selectors.owned_products(user=request.user, product_ids=list(page.object_list), included=found.included)
    return render(request, "access/my_products.html", {"page_obj": page, "rows": rows})


@login_required
@require_GET
def file_download(request, file_id: int):
    """Checks the policy, then sends the browser to a signed link that is valid for a few minutes."""
    product_file = catalog_facts().product_file_get(pk=file_id)
    if product_file is None:
        raise Http404
    decision = services.private_file_decision(user=request.user, file_field_owner=product_file)
    if not decision.allowed:
        return render_locked(request, decision, title=product_file.product.title)
    return redirect(services.private_file_link(user=request.user, file_field_owner=product_file))


@login_required
@require_GET
def file_serve(request, token: str):
    try:
        private = services.private_file_open(user=request.user, token=token)
    except NotFound as exc:
        return render_locked(
            request, AccessDecision(allowed=False, reason="not_found", message=exc.message), status=404
        )
    except NotAllowed as exc:
        decision = AccessDecision(
            allowed=False,
            reason=exc.code,
            message=exc.message,
            action_label=_("Buka Produk Saya"),
            action_url=reverse("access:my_products"),
        )
        return render_locked(request, decision, title=_("Link unduhan ditolak"))
    return private_file_response(private.file, filename=private.filename)


# ---------------------------------------------------------------------------------------------------------------
# Admin: grants


def _grant_filters(request):
    q = request.GET.get("q", "").strip()[:100]
    source = Filter(request, "source", _("Sumber"), GrantSource.choices)
    kind = Filter(request, "kind", _("Jenis"), resource_kind_choices())
    state = Filter(request, "state", _("Status"), GrantState.choices)
    return q, source, kind, state


def _grant_rows(grants):
    now = timezone.now()
    labels = dict(GrantState.choices)
    rows = []
    for grant in grants:
        state = selectors.grant_state(grant, now)
        rows.append({"grant": grant, "state": state, "state_label": labels[state]})
    return rows


@admin_only
@require_GET
def admin_grants(request):
    q, source, kind, state = _grant_filters(request)
    qs = selectors.grant_list(q=q, source=source.value, kind=kind.value, state=state.value)
    page = paginate(request, qs, per_page=ADMIN_PAGE_SIZE)
    return render(
        request,
        "access/admin/grants.html",
        {
            "page_obj": page,
            "rows": _grant_rows(page.object_list),
            "search": q,
            "filters": [source, kind, state],
        },
    )


def _stamp(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@admin_only
@require_GET
def admin_grants_export(request):
    q, source, kind, state = _grant_filters(request)
    qs = selectors.grant_list(q=q, source=source.value, kind=kind.value, state=state.value)
    states = dict(GrantState.choices)
    header = [
        _("Nama"), _("Email"), _("Jenis"), _("Akses ke"), _("Sumber"), _("Referensi"), _("Mulai"), _("Berakhir"),
        _("Dicabut"), _("Alasan pencabutan"), _("Catatan"), _("Status"),
    ]  # fmt: skip
    now = timezone.now()
    rows = (
        (
            g.user.full_name,
            g.user.email,
            g.resource.get_kind_display(),
            g.resource.title,
            g.get_source_display(),
            g.source_ref,
            _stamp(g.starts_at),
            _stamp(g.ends_at),
            _stamp(g.revoked_at),
            g.revoked_reason,
            g.note,
            states[selectors.grant_state(g, now)],
        )  # fmt: skip
        for g in qs.iterator(chunk_size=1000)
    )
    return csv_response(f"akses-{timezone.localdate():%Y%m%d}.csv", header, rows)


# Service error keys that a form field of another name shows.
FIELD_ALIASES = {"ends_at": "ends_on"}


@admin_only
def admin_grant_create(request):
    queryset = selectors.resource_choices()
    if request.method == "POST":
        form = GrantCreateForm(request.POST, resources=queryset)
        if form.is_valid():
            user = form.cleaned_data["user"]
            try:
                grant = services.grant_admin_create(
                    user=user,
                    resource=form.cleaned_data["resource"],
                    actor=request.user,
                    ends_at=form.ends_at(),
                    note=form.cleaned_data["note"],
                )
            except ServiceError as exc:
                add_service_errors(form, exc, rename=FIELD_ALIASES)
            else:
                messages.success(
                    request,
                    _("Akses %(resource)s diberikan kepada %(name)s.")
                    % {"resource": grant.resource.title, "name": user.full_name or user.email},
                )
                return redirect("access:admin_grants")
    else:
        form = GrantCreateForm(resources=queryset, initial={"email": request.GET.get("email", "")[:254]})
    return render(request, "access/admin/grant_create.html", {"form": form})


@admin_only
def admin_grant_revoke(request, pk: int):
    grant = selectors.grant_get(pk=pk)
    if grant is None:
        raise Http404
    if request.method == "POST":
        form = GrantRevokeForm(request.POST)
        if form.is_valid():
            try:
                services.grant_admin_revoke(grant=grant, actor=request.user, reason=form.cleaned_data["reason"])
            except ServiceError as exc:
                add_service_errors(form, exc, rename=FIELD_ALIASES)
            else:
                messages.success(
                    request,
                    _("Akses %(resource)s milik %(name)s dicabut.")
                    % {"resource": grant.resource.title, "name": grant.user.full_name or grant.user.email},
                )
                return redirect("access:admin_grants")
    else:
        form = GrantRevokeForm()
    return render(
        request, "access/admin/grant_revoke.html", {"grant": grant, "form": form, "row": _grant_rows([grant])[0]}
    )


@admin_only
@require_GET
def admin_downloads(request):
    q = request.GET.get("q", "").strip()[:100]
    page = paginate(request, selectors.download_list(q=q), per_page=ADMIN_PAGE_SIZE)
    return render(request, "access/admin/downloads.html", {"page_obj": page, "search": q, "filters": []})
