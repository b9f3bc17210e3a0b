"""Admin pages of membership plans: the list, and the plan form in tabs (Informasi Dasar, Harga, Konten & Akses,
Marketing; the "Reminder" tab, where the WhatsApp follow-ups are, comes from the reminders app). Each tab saves
through its own service."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanggar.core.exceptions import ServiceError
from sanggar.core.listing import Filter, paginate

from .. import hooks, selectors, services
from ..constants import CommissionType, Duration, PlanStatus
from ..forms import ContentForm, PlanInfoForm, PlanMarketingForm, ResourceCreateForm, local_input, post_rows
from ..services import PriceInput
from .common import admin_only, apply_errors, follow_ups_moved, safe_next, tabs_for

PLAN_TABS = (
    ("info", gettext_lazy("Informasi Dasar"), "catalog:admin_plan_edit"),
    ("prices", gettext_lazy("Harga"), "catalog:admin_plan_prices"),
    ("content", gettext_lazy("Konten & Akses"), "catalog:admin_plan_content"),
    ("marketing", gettext_lazy("Marketing"), "catalog:admin_plan_marketing"),
)
PRICE_FIELDS = (
    "duration",
    "price",
    "promo_price",
    "promo_ends_at",
    "commission_type",
    "commission_value",
    "scalev_variant_id",
    "is_active",
    "renewal_commission_type",
    "renewal_commission_value",
    "upgrade_commission_type",
    "upgrade_commission_value",
)


def _plan(pk: int):
    plan = selectors.plan_get(pk=pk)
    if plan is None:
        raise Http404
    return plan


def plan_links(request, plan) -> list[dict]:
    """The public links of a plan (paths fixed by the checkout contract), absolute, for the copy buttons."""
    active = [p.slug for p in selectors.plan_list_public()]
    compare = ",".join(active if plan.slug in active else [*active, plan.slug])
    rows = [
        (
            _("Halaman penjualan"),
            f"/membership/{plan.slug}",
            _("Tercatat affiliate; ke halaman eksternal bila diisi."),
        ),
        (_("Checkout paket ini"), f"/checkout/{plan.slug}", _("Satu paket, langsung bayar.")),
        (_("Checkout perbandingan"), f"/checkout/compare?plans={compare}", _("Paket aktif dalam satu tabel.")),
        (_("Checkout semua paket"), "/checkout/all", _("Semua paket aktif, bisa difilter.")),
    ]
    return [{"label": label, "url": request.build_absolute_uri(path), "help": text} for label, path, text in rows]


def plan_tab_context(request, plan, tab: str) -> dict:
    """What `_plan_layout.html` needs; higher apps' tabs (hooks.edit_tab_register) render with it too."""
    return {
        "plan": plan,
        "tabs": tabs_for((*PLAN_TABS, *hooks.edit_tabs("plan")), plan),
        "tab": tab,
        "links": plan_links(request, plan),
        "is_public": plan.status == PlanStatus.ACTIVE,
    }


def _render_tab(request, plan, tab: str, template: str, context: dict):
    return render(request, template, {**plan_tab_context(request, plan, tab), **context})


@admin_only
def plan_list(request):
    q = request.GET.get("q", "").strip()[:100]
    status = Filter(request, "status", _("Status"), PlanStatus.choices)
    page = paginate(request, selectors.plan_list_admin(q=q, status=status.value))
    now = timezone.now()
    rows = [
        {
            "plan": plan,
            "prices": [
                {"option": p, "effective": selectors.plan_price_effective(plan_price=p, now=now)}
                for p in plan.prices.all()
            ],
        }
        for plan in page.object_list
    ]
    return render(
        request,
        "catalog/admin/plans.html",
        {"page_obj": page, "rows": rows, "search": q, "filters": [status]},
    )


@admin_only
def plan_create(request):
    if request.method == "POST":
        form = PlanInfoForm(request.POST)
        if form.is_valid():
            try:
                plan = services.plan_create(actor=request.user, **form.service_values())
            except ServiceError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Paket %(title)s dibuat sebagai draft. Lanjutkan dengan mengisi harga.")
                                 % {"title": plan.title})  # fmt: skip
                return redirect("catalog:admin_plan_prices", pk=plan.pk)
    else:
        form = PlanInfoForm()
    return render(request, "catalog/admin/plan_create.html", {"form": form, "tab_labels": [t[1] for t in PLAN_TABS]})


@admin_only
def plan_edit(request, pk: int):
    plan = _plan(pk)
    if request.method == "POST":
        form = PlanInfoForm(request.POST)
        if form.is_valid():
            try:
                services.plan_update(plan=plan, actor=request.user, **form.service_values())
            except ServiceError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Informasi dasar disimpan."))
                return redirect("catalog:admin_plan_edit", pk=plan.pk)
    else:
        form = PlanInfoForm(initial={"title": plan.title, "slug": plan.slug, "description": plan.description})
    return _render_tab(request, plan, "info", "catalog/admin/plan_info.html", {"form": form})


def _price_rows(plan) -> list[dict]:
    return [
        {
            "duration": p.duration,
            "price": str(p.price),
            "promo_price": "" if p.promo_price is None else str(p.promo_price),
            "promo_ends_at": local_input(p.promo_ends_at),
            "commission_type": p.affiliate_commission_type,
            "commission_value": "" if p.affiliate_commission_value is None else str(p.affiliate_commission_value),
            "scalev_variant_id": p.scalev_variant_id,
            "is_active": p.is_active,
            "renewal_commission_type": p.renewal_commission_type,
            "renewal_commission_value": "" if p.renewal_commission_value is None else str(p.renewal_commission_value),
            "upgrade_commission_type": p.upgrade_commission_type,
            "upgrade_commission_value": "" if p.upgrade_commission_value is None else str(p.upgrade_commission_value),
        }
        for p in plan.prices.all()
    ]


@admin_only
def plan_prices(request, pk: int):
    plan = _plan(pk)
    errors: dict = {}
    if request.method == "POST":
        rows = post_rows(request.POST, "price", PRICE_FIELDS)
        try:
            services.plan_prices_set(plan=plan, actor=request.user, prices=[PriceInput(**row) for row in rows])
        except ServiceError as exc:
            errors = exc.errors or {"prices": [exc.message]}
            for row in rows:
                row["is_active"] = bool(row["is_active"])
        else:
            messages.success(request, _("Daftar harga disimpan."))
            return redirect("catalog:admin_plan_prices", pk=plan.pk)
    else:
        rows = _price_rows(plan)
    config = {
        "rows": rows,
        "errors": errors,
        "blank": dict.fromkeys(PRICE_FIELDS, "") | {"is_active": True},
        "durations": [[v, str(label)] for v, label in Duration.choices],
        "commissionTypes": [[v, str(label)] for v, label in CommissionType.choices],
    }
    return _render_tab(request, plan, "prices", "catalog/admin/plan_prices.html", {"rows_config": config})


KIND_ORDER = ("group", "course", "event", "document", "feature")


def _resource_groups(resources) -> list[dict]:
    """Resources grouped by kind: groups, courses, events, documents, features."""
    groups: dict[str, dict] = {}
    for resource in resources:
        group = groups.setdefault(resource.kind, {"label": resource.get_kind_display(), "items": []})
        group["items"].append(resource)
    rank = {kind: i for i, kind in enumerate(KIND_ORDER)}
    return [groups[kind] for kind in sorted(groups, key=lambda k: rank.get(k, len(rank)))]


def _content_context(plan, form):
    resources = selectors.resource_options()
    return {
        "form": form,
        "resource_groups": _resource_groups(resources),
        "products": selectors.product_options(),
        "selected_resources": {str(v) for v in (form["resource_ids"].value() or [])},
        "selected_products": {str(v) for v in (form["product_ids"].value() or [])},
        "resource_form": ResourceCreateForm(kinds=services.placeholder_kind_choices()),
    }


@admin_only
def plan_content(request, pk: int):
    plan = _plan(pk)
    resources, products = selectors.resource_options(), selectors.product_options()
    if request.method == "POST":
        form = ContentForm(request.POST, resources=resources, products=products)
        if form.is_valid():
            try:
                services.plan_content_set(plan=plan, actor=request.user, **form.service_values())
            except ServiceError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Konten & akses paket disimpan."))
                return redirect("catalog:admin_plan_content", pk=plan.pk)
    else:
        form = ContentForm(
            initial={
                "resource_ids": [str(r.pk) for r in plan.included_resources.all()],
                "product_ids": [str(p.pk) for p in plan.included_products.all()],
            },
            resources=resources,
            products=products,
        )
    return _render_tab(request, plan, "content", "catalog/admin/plan_content.html", _content_context(plan, form))


@admin_only
def plan_marketing(request, pk: int):
    plan = _plan(pk)
    feature_errors: dict = {}
    if request.method == "POST":
        form = PlanMarketingForm(request.POST, request.FILES, mentors=selectors.mentor_options())
        features = [row["label"] for row in post_rows(request.POST, "feature", ("label",))]
        if form.is_valid():
            try:
                services.plan_update(plan=plan, actor=request.user, features=features, **form.service_values())
            except ServiceError as exc:
                feature_errors = apply_errors(form, exc, row_prefixes=("features.", "features"))
            else:
                messages.success(request, _("Pengaturan marketing disimpan."))
                return redirect("catalog:admin_plan_marketing", pk=plan.pk)
    else:
        form = PlanMarketingForm(
            initial={
                "status": plan.status,
                "rank": plan.rank,
                "upgrade_mode": plan.upgrade_mode,
                "sort_order": plan.sort_order,
                "badge_best_seller": plan.badge_best_seller,
                "badge_cheapest": plan.badge_cheapest,
                "external_sales_url": plan.external_sales_url,
                "affiliate_commission_type": plan.affiliate_commission_type,
                "affiliate_commission_value": plan.affiliate_commission_value,
                "creator_id": str(plan.creator_id or ""),
                "mentor_share_percent": plan.mentor_share_percent,
                "pixel_meta_id": plan.pixel_meta_id,
                "pixel_google_id": plan.pixel_google_id,
                "pixel_tiktok_id": plan.pixel_tiktok_id,
                "tax_percent": "" if plan.tax_percent is None else plan.tax_percent,
                "admin_fee": "" if plan.admin_fee is None else plan.admin_fee,
            },
            mentors=selectors.mentor_options(),
        )
        features = [f.label for f in plan.features.all()]
    config = {"rows": [{"label": label} for label in features], "errors": feature_errors, "blank": {"label": ""}}
    return _render_tab(
        request, plan, "marketing", "catalog/admin/plan_marketing.html", {"form": form, "rows_config": config}
    )


def follow_up_config(steps_rows: list[dict], errors: dict) -> dict:
    return {"rows": steps_rows, "errors": errors, "blank": {"id": "", "delay_days": "", "message": ""}}


def follow_up_rows(steps) -> list[dict]:
    """The step editor's rows for saved FollowUpSteps (plans, products and courses share the editor)."""
    return [{"id": str(s.pk), "delay_days": str(s.delay_days), "message": s.message} for s in steps]


@admin_only
def plan_follow_ups(request, pk: int):
    """The old "Follow-up WhatsApp" tab: the follow-ups are sequences of the reminder builder now (one engine), so
    the address leads to the plan's "Reminder" tab."""
    return follow_ups_moved("plan", _plan(pk).pk)


@admin_only
@require_POST
def resource_create(request):
    """Adds a group / course / event / document / feature placeholder, then returns to the form it came from."""
    back = safe_next(request, reverse("catalog:admin_plans"))
    form = ResourceCreateForm(request.POST, kinds=services.placeholder_kind_choices())
    if not form.is_valid():
        messages.error(request, _("Pilih jenis dan isi nama sumber akses."))
        return redirect(back)
    try:
        resource = services.resource_placeholder_create(actor=request.user, **form.service_values())
    except ServiceError as exc:
        messages.error(request, " ".join(m for ms in exc.errors.values() for m in ms) or exc.message)
    else:
        messages.success(request, _("%(resource)s ditambahkan; centang untuk memasukkannya.") % {"resource": resource})
    return redirect(back)
