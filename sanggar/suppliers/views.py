"""Pages of suppliers.

- Supplier: registration, onboarding (type, five profile tabs, documents and photos, assessment, submission), the
  supplier dashboard, products, statistics, the Free / Premium package page (checkout, trial).
- Members: the supplier directory (filters), a supplier's profile (the bio page; public for Premium suppliers, the
  custom URL), product pages with likes, "Hubungi Supplier" (chat).
- Mentors: the review queue, a supplier's review (notes, request changes, recommend), the assessment questions.
- Admins: every supplier with the numbers, a supplier's decision page (status with a reason, type, documents,
  Premium grant), package settings and plans.
Files are sent only through `file` and `document`, after the access check."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_POST

from sanggar.access.views import render_locked
from sanggar.accounts.constants import PROVINCE_CHOICES
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.listing import Filter, csv_response, paginate
from sanggar.core.permissions import login_required, role_required
from sanggar.core.request_context import client_ip
from sanggar.core.roles import Role
from sanggar.directory import services as directory_services
from sanggar.directory.constants import FEATURE_SUPPLIER, ReportReason
from sanggar.directory.gating import feature_page
from sanggar.orders.checkout import checkout_place
from sanggar.orders.services import ItemRequest

from . import chat_allowance, hooks, selectors, services
from .constants import (
    APPROVED_STATUSES,
    AUTO_REPLY_MAX,
    FREE_EDIT_STATUSES,
    ITEM_KIND,
    PAGE_SIZE,
    TYPE_HINTS,
    BusinessField,
    DocumentKind,
    LegalForm,
    Package,
    ProductStatus,
    Status,
    SupplierType,
)
from .kinds import KIND
from .middleware import subdomain_url
from .models import (
    AssessmentAnswer,
    AssessmentQuestion,
    PremiumPeriod,
    Supplier,
    SupplierDocument,
    SupplierFile,
    SupplierPlan,
    SupplierProduct,
)

PROVIDER_LABELS = {"manual": "Transfer manual", "xendit": "Xendit", "midtrans": "Midtrans", "scalev": "Scalev"}
reviewers = role_required(Role.MENTOR, Role.ADMIN)
admin_only = role_required(Role.ADMIN)
TAB_ORDER = ("identitas", "alamat", "kontak", "legalitas", "profil")


def _own(request) -> Supplier | None:
    return Supplier.objects.select_related("user").filter(user=request.user).first()


def _need_supplier(view):
    """The signed-in user's supplier, or a redirect to the registration page."""

    @login_required
    def wrapped(request, *args, **kwargs):
        supplier = _own(request)
        if supplier is None:  # not a supplier yet: the registration page, on whatever supplier page they opened
            return register(request) if request.method == "GET" else redirect("suppliers:register")
        return view(request, supplier, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _steps(supplier: Supplier) -> list[dict]:
    profile_done = not any(
        required and not getattr(supplier, f)
        for fields in services.TABS.values()
        for f, (_l, _m, required) in fields.items()
    )
    assessment_total = services.questions_for(supplier.supplier_type).count() if supplier.supplier_type else 0
    answered = supplier.answers.count()
    return [
        {"n": 1, "label": _("Jenis usaha"), "done": bool(supplier.supplier_type),
         "url": reverse("suppliers:step_type")},
        {"n": 2, "label": _("Profil usaha"), "done": profile_done,
         "url": reverse("suppliers:step_profile", args=["identitas"])},
        {"n": 3, "label": _("Dokumen & foto"), "done": supplier.documents.exists() or supplier.files.exists(),
         "url": reverse("suppliers:step_files"), "optional": True},
        {"n": 4, "label": _("Asesmen"), "done": bool(supplier.supplier_type) and answered >= assessment_total,
         "url": reverse("suppliers:step_assessment")},
    ]  # fmt: skip


def _error_dict(exc: ServiceError) -> dict:
    return {k: v[0] for k, v in (exc.errors or {}).items()}


# ---------------------------------------------------------------------------------------------------------------
# Registration and onboarding


def register(request):
    """The landing of "Daftar sebagai Supplier": visitors sign in or sign up first (Google when configured, email
    otherwise), then one click creates the supplier (Draft) and opens onboarding."""
    supplier = _own(request) if request.user.is_authenticated else None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(reverse("suppliers:register"))
        try:
            services.supplier_register(user=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("suppliers:register")
        request.session["active_role"] = Role.SUPPLIER
        messages.success(request, _("Akun supplier dibuat. Lengkapi onboarding agar bisa direview."))
        return redirect("suppliers:onboarding")
    if supplier is not None:
        return redirect("suppliers:onboarding" if supplier.status in FREE_EDIT_STATUSES else "suppliers:home")
    return render(request, "suppliers/register.html", {"types": [(t, TYPE_HINTS[t]) for t in SupplierType]})


@_need_supplier
def onboarding(request, supplier):
    if request.method == "POST":
        try:
            services.supplier_submit(supplier=supplier, actor=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Terkirim! Mentor akan mereview profil dan asesmen Anda."))
        return redirect("suppliers:onboarding")
    last_changes = supplier.reviews.filter(action="changes").first() if supplier.status == Status.ONBOARDING else None
    return render(request, "suppliers/onboarding/index.html", {
        "supplier": supplier, "steps": _steps(supplier), "missing": services.missing_for_submit(supplier)
        if supplier.status in FREE_EDIT_STATUSES else [], "edit_rule": services.edit_rule(supplier),
        "changes": last_changes,
    })  # fmt: skip


@_need_supplier
def step_type(request, supplier):
    error = ""
    if request.method == "POST":
        try:
            services.supplier_set_type(
                supplier=supplier, actor=request.user, supplier_type=request.POST.get("supplier_type", "")[:20]
            )
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, _("Jenis usaha disimpan."))
            return redirect("suppliers:step_profile", tab="identitas")
    return render(request, "suppliers/onboarding/type.html", {
        "supplier": supplier, "types": [(t.value, t.label, TYPE_HINTS[t]) for t in SupplierType], "error": error,
        "locked": supplier.status not in FREE_EDIT_STATUSES,
    })  # fmt: skip


def _tabs(supplier) -> tuple[str, ...]:
    """The five onboarding tabs, and after approval the English version (Premium; shown locked for Free)."""
    return (*TAB_ORDER, "inggris") if supplier.status in APPROVED_STATUSES else TAB_ORDER


def _tab_fields(supplier, tab, values=None):
    choices = {"legal_form": LegalForm.choices, "business_field": BusinessField.choices, "province": PROVINCE_CHOICES}
    rows = []
    for field, (label, max_length, required) in services.TABS[tab].items():
        value = (values or {}).get(field, getattr(supplier, field))
        rows.append({
            "name": field, "label": label, "required": required, "value": "" if value is None else value,
            "options": choices.get(field), "max": max_length,
            "textarea": field in ("short_description", "strengths", "unique_value", "address", "production_address",
                                  "short_description_en", "strengths_en", "unique_value_en"),
            "editable": services._editable_by_supplier(supplier, field)
            and (tab not in services.PREMIUM_TABS or services.is_premium(supplier)),
        })  # fmt: skip
    return rows


@_need_supplier
def step_profile(request, supplier, tab):
    if tab not in services.TABS:
        raise Http404
    errors, values = {}, None
    if request.method == "POST":
        data = {f: request.POST.get(f, "") for f in services.TABS[tab]}
        try:
            services.profile_update(supplier=supplier, actor=request.user, tab=tab, data=data)
        except ServiceError as exc:
            errors, values = _error_dict(exc), data
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(tab)s disimpan.") % {"tab": services.TAB_LABELS[tab]})
            index = TAB_ORDER.index(tab) if tab in TAB_ORDER else len(TAB_ORDER)
            if index + 1 < len(TAB_ORDER) and supplier.status in FREE_EDIT_STATUSES:
                return redirect("suppliers:step_profile", tab=TAB_ORDER[index + 1])
            if supplier.status in FREE_EDIT_STATUSES and tab in TAB_ORDER:
                return redirect("suppliers:step_files")
            return redirect("suppliers:step_profile", tab=tab)
    fields = _tab_fields(supplier, tab, values)
    for row in fields:
        row["error"] = errors.get(row["name"], "")
    return render(request, "suppliers/onboarding/profile.html", {
        "supplier": supplier, "tab": tab, "tabs": [(t, services.TAB_LABELS[t]) for t in _tabs(supplier)],
        "fields": fields, "edit_rule": services.edit_rule(supplier),
        "english_locked": tab in services.PREMIUM_TABS and not services.is_premium(supplier),
    })  # fmt: skip


@_need_supplier
def step_files(request, supplier):
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "document":
                services.document_add(
                    supplier=supplier, actor=request.user, kind=request.POST.get("kind", "")[:20],
                    number=request.POST.get("number", "")[:80], file=request.FILES.get("file"),
                )  # fmt: skip
                messages.success(request, _("Dokumen diunggah."))
            elif action in ("logo", "banner", "photo"):
                services.file_add(supplier=supplier, actor=request.user, kind=action, file=request.FILES.get("file"),
                                  caption=request.POST.get("caption", "")[:200])  # fmt: skip
                messages.success(request, _("Gambar diunggah."))
            elif action == "remove_document":
                doc = supplier.documents.filter(pk=_pk(request.POST.get("id"))).first()
                if doc is None:
                    raise Http404
                services.document_remove(document=doc, actor=request.user)
                messages.success(request, _("Dokumen dihapus."))
            elif action == "remove_file":
                item = supplier.files.filter(pk=_pk(request.POST.get("id")), product__isnull=True).first()
                if item is None:
                    raise Http404
                services.file_remove(item=item, actor=request.user)
                messages.success(request, _("Gambar dihapus."))
            else:
                messages.error(request, _("Aksi tidak dikenal."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("suppliers:step_files")
    return render(request, "suppliers/onboarding/files.html", {
        "supplier": supplier, "documents": list(supplier.documents.all()), "files": selectors.public_files(supplier),
        "kinds": DocumentKind.choices, "max_mb": settings.SUPPLIER_FILE_MAX_BYTES // (1024 * 1024),
        "image_mb": settings.SUPPLIER_IMAGE_MAX_BYTES // (1024 * 1024),
        "editable": supplier.status not in (Status.WAITING_REVIEW, Status.RECOMMENDED, Status.SUSPENDED),
    })  # fmt: skip


def _pk(raw) -> int:
    raw = str(raw or "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else 0


@_need_supplier
def step_assessment(request, supplier):
    if not supplier.supplier_type:
        messages.info(request, _("Pilih jenis usaha Anda terlebih dahulu."))
        return redirect("suppliers:step_type")
    questions = list(services.questions_for(supplier.supplier_type))
    if request.method == "POST":
        answers = {q.pk: request.POST.get(f"q{q.pk}", "")[:10] for q in questions if request.POST.get(f"q{q.pk}")}
        try:
            remaining = services.answers_save(supplier=supplier, actor=request.user, answers=answers)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            if remaining:
                messages.warning(request, _("Jawaban disimpan. %(n)s pertanyaan belum dijawab.") % {"n": remaining})
            else:
                messages.success(request, _("Asesmen lengkap. Periksa ringkasan lalu kirim untuk direview."))
                return redirect("suppliers:onboarding")
        return redirect("suppliers:step_assessment")
    chosen = dict(AssessmentAnswer.objects.filter(supplier=supplier).values_list("question_id", "option_id"))
    for q in questions:
        q.chosen = chosen.get(q.pk)
    return render(request, "suppliers/onboarding/assessment.html", {
        "supplier": supplier, "questions": questions, "locked": supplier.status not in FREE_EDIT_STATUSES,
    })  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# Supplier dashboard, products, statistics, package


@_need_supplier
def home(request, supplier):
    if supplier.status in FREE_EDIT_STATUSES:
        return redirect("suppliers:onboarding")
    if request.method == "POST":
        try:
            services.slug_change(supplier=supplier, actor=request.user, slug=request.POST.get("slug", "")[:60])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("URL profil diubah."))
        return redirect("suppliers:home")
    premium = services.is_premium(supplier)
    stats = selectors.supplier_stats(supplier, detailed=False)
    return render(request, "suppliers/home.html", {
        "supplier": supplier, "premium": premium, "stats": stats, "limits": services.limits(supplier),
        "chat_week": chat_allowance.chat_week(supplier),
        "products": list(supplier.products.order_by("-updated_at")[:5]), "edit_rule": services.edit_rule(supplier),
        "reviews": list(supplier.reviews.select_related("actor")[:5]),
        "subdomain": subdomain_url(supplier.slug) if premium and supplier.status in APPROVED_STATUSES else "",
    })  # fmt: skip


@_need_supplier
def products(request, supplier):
    page = paginate(request, supplier.products.order_by("-updated_at", "-id"), PAGE_SIZE)
    lim = services.limits(supplier)
    return render(request, "suppliers/products.html", {
        "supplier": supplier, "page_obj": page, "limits": lim,
        "can_add": supplier.status in APPROVED_STATUSES and (not lim["products"]
                                                              or supplier.products.count() < lim["products"]),
    })  # fmt: skip


def _product_data(post) -> dict:
    keys = ("title", "description", "hs_code", "moq", "moq_unit", "price_min", "price_max", "price_unit", "capacity",
            "status", "title_en", "description_en", "link_url")  # fmt: skip
    data = {k: post.get(k, "")[: 30_000 if "description" in k else 300] for k in keys}
    data["categories"] = [c[:20] for c in post.getlist("categories")[:10]]
    return data


@_need_supplier
def product_edit(request, supplier, pk=None):
    product = None
    if pk is not None:
        product = supplier.products.filter(pk=pk).first()
        if product is None:
            raise Http404
    errors, values, draft = {}, None, None
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action in ("draft", "draft_en"):  # fills the form, saves nothing
                values = _product_data(request.POST)
                language = "en" if action == "draft_en" else "id"
                draft = services.description_draft(supplier=supplier, actor=request.user, data=values,
                                                   language=language, product=product)  # fmt: skip
                values["description_en" if language == "en" else "description"] = draft.text
                messages.info(request, _("%(label)s dimasukkan ke deskripsi. Periksa, lengkapi, lalu simpan produk. "
                                         "(%(used)s dari %(limit)s draf bulan ini)") % {
                    "label": draft.writer_label, "used": draft.used, "limit": draft.limit})  # fmt: skip
                if draft.fallback:
                    messages.warning(request, _("Layanan penulis otomatis tidak menjawab; draf dibuat dari template."))
            elif action == "save":
                values = _product_data(request.POST)
                product = services.product_save(supplier=supplier, actor=request.user, product=product, data=values)
                messages.success(request, _("Produk disimpan."))
                return redirect("suppliers:product_edit", pk=product.pk)
            if draft is None and product is None:
                raise Http404
            if action in ("image", "catalogue"):
                kind = SupplierFile.Kind.PRODUCT_IMAGE if action == "image" else SupplierFile.Kind.CATALOGUE
                services.file_add(supplier=supplier, actor=request.user, kind=kind, product=product,
                                  file=request.FILES.get("file"))  # fmt: skip
                messages.success(request, _("File diunggah."))
            elif action == "remove_file":
                item = product.files.filter(pk=_pk(request.POST.get("id"))).first()
                if item is None:
                    raise Http404
                services.file_remove(item=item, actor=request.user)
                messages.success(request, _("File dihapus."))
            elif action == "delete":
                services.product_delete(product=product, actor=request.user)
                messages.success(request, _("Produk dihapus."))
                return redirect("suppliers:products")
            if draft is None:
                return redirect("suppliers:product_edit", pk=product.pk)
        except ServiceError as exc:
            errors = _error_dict(exc)
            messages.error(request, exc.message)
    if values is None and product is not None:
        keys = ("title", "description", "hs_code", "moq", "moq_unit", "price_min", "price_max", "price_unit",
                "capacity", "status", "title_en", "description_en", "link_url")  # fmt: skip
        values = {f: getattr(product, f) for f in keys}
        values["categories"] = list(product.categories.values_list("code", flat=True))
    return render(request, "suppliers/product_edit.html", {
        "supplier": supplier, "product": product, "v": values or {"status": ProductStatus.DRAFT, "categories": []},
        "errors": errors, "limits": services.limits(supplier), "categories": BusinessField.choices,
        "files": list(product.files.all()) if product else [], "statuses": ProductStatus.choices,
        "allowed": supplier.status in APPROVED_STATUSES, "drafts": services.drafts_allowance(supplier),
        "drafts_on": services.settings_get().drafts_enabled,
    })  # fmt: skip


@_need_supplier
def statistics(request, supplier):
    premium = services.is_premium(supplier)
    days = selectors.stats_days(request.GET.get("days"), premium=premium)
    stats = selectors.supplier_stats(supplier, days=days, detailed=premium)
    top = list(supplier.products.order_by("-views_count", "-likes_count")[:10])
    return render(request, "suppliers/statistics.html", {
        "supplier": supplier, "premium": premium, "stats": stats, "top": top, "periods": _periods(days),
    })  # fmt: skip


def _periods(days: int) -> list[dict]:
    """The period chips of the statistics pages (Premium): the last 7 / 30 / 90 days."""
    labels = {7: _("7 hari"), 30: _("30 hari"), 90: _("90 hari")}
    return [{"days": d, "label": labels.get(d, d), "active": d == days} for d in selectors.STATS_PERIODS]


@_need_supplier
def chat_settings(request, supplier):
    """The supplier's chat panel: the auto-reply a premium supplier sets (sent as its first answer when a member
    opens a conversation) and the chat figures."""
    premium = services.is_premium(supplier)
    if request.method == "POST":
        try:
            services.auto_reply_set(supplier=supplier, actor=request.user, text=request.POST.get("chat_auto_reply", ""))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Balasan otomatis disimpan."))
        return redirect("suppliers:chat_settings")
    days = selectors.stats_days(request.GET.get("days"), premium=premium)
    stats = selectors.supplier_stats(supplier, days=days, detailed=premium)
    return render(request, "suppliers/chat.html", {
        "supplier": supplier, "premium": premium, "stats": stats, "max_length": AUTO_REPLY_MAX,
        "periods": _periods(days),
        "chat_week": chat_allowance.chat_week(supplier),
    })  # fmt: skip


@_need_supplier
def package(request, supplier):
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "trial":
                services.trial_start(supplier=supplier, actor=request.user)
                messages.success(request, _("Uji coba Premium aktif."))
                return redirect("suppliers:package")
            if action == "buy":
                services.premium_purchasable(user=request.user)
                plan = services.plan_for_sale(slug=request.POST.get("plan", "")[:60])
                result = checkout_place(
                    buyer=request.user, items=[ItemRequest(kind=ITEM_KIND, slug=plan.slug)],
                    coupon_code=request.POST.get("coupon", "")[:40].replace("\x00", ""),
                    provider=request.POST.get("provider", "")[:20], client_ip=client_ip(request),
                )  # fmt: skip
                return redirect(result.redirect_url)
            messages.error(request, _("Aksi tidak dikenal."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("suppliers:package")
    settings_row = services.settings_get()
    return render(request, "suppliers/package.html", {
        "supplier": supplier, "premium": services.is_premium(supplier), "s": settings_row,
        "plans": list(SupplierPlan.objects.filter(is_active=True)),
        "providers": [(p, PROVIDER_LABELS.get(p, p)) for p in settings.PAYMENT_PROVIDERS],
        "periods": list(supplier.premium_periods.all()[:10]),
        "can_buy": supplier.status in APPROVED_STATUSES,
        "can_trial": settings_row.trial_days and not supplier.trial_used and not supplier.premium_periods.exists()
        and supplier.status in APPROVED_STATUSES,
    })  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# Members: directory, profile, products, contact


@login_required
@feature_page(FEATURE_SUPPLIER)
@require_GET
def directory(request):
    q = request.GET.get("q", "").strip()[:100].replace("\x00", "")
    hs = "".join(ch for ch in request.GET.get("hs", "")[:10] if ch.isdigit())
    province = Filter(request, "provinsi", _("Provinsi"), PROVINCE_CHOICES)
    type_ = Filter(request, "jenis", _("Jenis usaha"), SupplierType.choices)
    field = Filter(request, "kategori", _("Kategori"), BusinessField.choices)
    status = Filter(request, "status", _("Status"), [(Status.VERIFIED, _("Terverifikasi")),
                                                      (Status.LIMITED, _("Terbatas"))])  # fmt: skip
    package = Filter(request, "paket", _("Paket"), [("premium", _("Premium"))])
    qs = selectors.directory(q=q, province=province.value, supplier_type=type_.value, field=field.value,
                             status=status.value, premium=package.value == "premium", hs=hs)  # fmt: skip
    page = paginate(request, qs, PAGE_SIZE)
    _attach_ratings(page.object_list)
    if q or hs or province.value:
        directory_services.search_record(user=request.user, kind=KIND, country=province.value, product=q or hs)
    return render(request, "suppliers/member/directory.html", {
        "page_obj": page, "search": q, "hs": hs, "filters": [province, type_, field, status, package],
    })  # fmt: skip


def _language(request, supplier, premium: bool, products=()) -> dict:
    """The language switch of a supplier's public pages (D-DIR-8): `?bahasa=en` shows the English text a Premium
    supplier wrote, field by field, and the Indonesian text where they wrote none. The site's own labels stay
    Indonesian."""
    has_english = premium and (
        services.english_text(supplier) is not None or any(p.title_en or p.description_en for p in products)
    )
    language = "en" if has_english and request.GET.get("bahasa") == "en" else "id"
    for p in products:
        english = language == "en"
        p.shown_title = (p.title_en if english and p.title_en else "") or p.title
        p.shown_description = (p.description_en if english and p.description_en else "") or p.description
    return {"language": language, "has_english": has_english,
            "text": services.public_text(supplier, language=language)}  # fmt: skip


def _attach_ratings(suppliers) -> None:
    """The members' average rating and count on each card of a list page (one query for the page)."""
    rows = list(suppliers)
    summaries = directory_services.rating_summaries(kind=KIND, object_ids=[s.pk for s in rows])
    empty = directory_services.RatingSummary(average=None, count=0)
    for s in rows:
        s.rating = summaries.get(s.pk, empty)


def _profile_access(request, supplier) -> bool:
    """A Premium supplier's page is public (its custom URL); others need a signed-in user."""
    return services.is_premium(supplier) or request.user.is_authenticated


def _feature_locked(request, supplier):
    """The locked page when the supplier database's feature is closed to this member (§1.1 "Gating"). A Premium
    supplier's public page stays public, and a supplier always sees their own pages."""
    if services.is_premium(supplier) or request.user.pk == supplier.user_id:
        return None
    decision = directory_services.feature_decision(user=request.user, key=FEATURE_SUPPLIER)
    return None if decision.allowed else render_locked(request, decision, title=_("Akses Database Supplier"))


def profile(request, slug):
    supplier = selectors.listed(slug=slug[:60])
    if supplier is None:
        raise Http404
    if not _profile_access(request, supplier):
        return redirect_to_login(request.get_full_path())
    if (locked := _feature_locked(request, supplier)) is not None:
        return locked
    services.view_record(supplier=supplier, viewer=request.user, ip=client_ip(request))
    premium = services.is_premium(supplier)
    products = list(selectors.products_of(supplier, user=request.user)[:50])
    return render(request, "suppliers/member/profile.html", {
        "supplier": supplier, "premium": premium, "files": selectors.public_files(supplier),
        "products": products, **_language(request, supplier, premium, products),
        "documents": list(supplier.documents.filter(status="verified").only("kind", "number", "valid_until"))
        if premium else [],
        "own": request.user.is_authenticated and request.user.pk == supplier.user_id,
        "contact": services.contact_view(supplier=supplier, user=request.user),
        "quota": directory_services.quota_status(user=request.user, kind=KIND)
        if request.user.is_authenticated else None,
        "reasons": ReportReason.choices,
        "saved": supplier.pk in directory_services.liked_ids(user=request.user, kind=KIND, object_ids=[supplier.pk]),
        **directory_services.ratings_context(user=request.user, kind=KIND, object_id=supplier.pk),
        "rating_action": reverse("suppliers:rate", args=[supplier.slug]),
    })  # fmt: skip


@login_required
@feature_page(FEATURE_SUPPLIER)
@require_POST
def rate(request, slug):
    """A member's 1–5 star rating of a supplier whose contact they opened (the shared directory rating)."""
    supplier = selectors.listed(slug=slug[:60])
    if supplier is None:
        raise Http404
    try:
        directory_services.rating_save(
            user=request.user, kind=KIND, object_id=supplier.pk, stars=request.POST.get("stars"),
            comment=request.POST.get("comment", ""),
        )  # fmt: skip
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Terima kasih, rating Anda tersimpan."))
    return redirect(reverse("suppliers:profile", args=[supplier.slug]) + "#rating")


def product_detail(request, slug, product_slug):
    supplier = selectors.listed(slug=slug[:60])
    if supplier is None:
        raise Http404
    if not _profile_access(request, supplier):
        return redirect_to_login(request.get_full_path())
    if (locked := _feature_locked(request, supplier)) is not None:
        return locked
    product = selectors.products_of(supplier, user=request.user).filter(slug=product_slug[:120]).first()
    if product is None:
        raise Http404
    services.view_record(supplier=supplier, viewer=request.user, product=product, ip=client_ip(request))
    premium = services.is_premium(supplier)
    return render(request, "suppliers/member/product.html", {
        "supplier": supplier, "product": product, "premium": premium,
        **_language(request, supplier, premium, [product]),
        "images": [f for f in product.all_files if f.kind == SupplierFile.Kind.PRODUCT_IMAGE],
        "catalogues": [f for f in product.all_files if f.kind == SupplierFile.Kind.CATALOGUE],
        "categories": [dict(BusinessField.choices).get(c.code, c.code) for c in product.category_rows],
    })  # fmt: skip


@login_required
@feature_page(FEATURE_SUPPLIER)
@require_POST
def product_like(request, pk):
    product = SupplierProduct.objects.select_related("supplier", "supplier__user").filter(pk=pk).first()
    if product is None:
        raise Http404
    try:
        liked = services.product_like_toggle(product=product, user=request.user)
    except ServiceError:
        raise Http404 from None
    messages.success(request, _("Produk disimpan ke favorit.") if liked else _("Produk dihapus dari favorit."))
    return redirect("suppliers:product", slug=product.supplier.slug, product_slug=product.slug)


@login_required
@feature_page(FEATURE_SUPPLIER)
@require_POST
def contact_open(request, slug):
    """ "Lihat kontak": uses one unit of the month's supplier quota (free when opened this month already)."""
    supplier = selectors.listed(slug=slug[:60])
    if supplier is None:
        raise Http404
    try:
        _contact, status = services.contact_open(supplier=supplier, user=request.user)
    except directory_services.QuotaExhausted as exc:
        return render(request, "suppliers/member/quota_locked.html", {"supplier": supplier, "decision": exc.decision},
                      status=403)  # fmt: skip
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Kontak dibuka · %(q)s.") % {"q": status.label})
    return redirect("suppliers:profile", slug=supplier.slug)


@login_required
@feature_page(FEATURE_SUPPLIER)
@require_POST
def save(request, slug):
    supplier = selectors.listed(slug=slug[:60])
    if supplier is None:
        raise Http404
    saved = services.supplier_save(supplier=supplier, user=request.user, saved=request.POST.get("saved") == "1")
    messages.success(request, _("Supplier disimpan ke favorit.") if saved else _("Supplier dihapus dari favorit."))
    return redirect("suppliers:profile", slug=supplier.slug)


@login_required
@feature_page(FEATURE_SUPPLIER)
@require_GET
def favourites(request):
    page = paginate(request, selectors.favourites(user=request.user), PAGE_SIZE)
    _attach_ratings(page.object_list)
    return render(request, "suppliers/member/favourites.html", {"page_obj": page})


@login_required
@feature_page(FEATURE_SUPPLIER)
@require_POST
def report(request, slug):
    supplier = selectors.listed(slug=slug[:60])
    if supplier is None:
        raise Http404
    try:
        services.supplier_report(supplier=supplier, user=request.user, reason=request.POST.get("reason", "")[:30],
                                 detail=request.POST.get("detail", "")[:2000])  # fmt: skip
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Terima kasih, laporan Anda dikirim ke admin."))
    return redirect("suppliers:profile", slug=supplier.slug)


@login_required
@require_POST
def contact(request, slug):
    supplier = selectors.listed(slug=slug[:60])
    if supplier is None:
        raise Http404
    raw = request.POST.get("product", "").strip()
    product = None
    if raw:  # "Hubungi Supplier" on a product page: the inquiry is about that product
        product = supplier.products.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 18 else None
        if product is None:
            raise Http404
    try:
        conversation = services.contact(supplier=supplier, member=request.user, product=product)
    except NotAllowed as exc:
        messages.warning(request, exc.message)
        return redirect("suppliers:profile", slug=supplier.slug)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("suppliers:profile", slug=supplier.slug)
    return redirect("chat:conversation", pk=conversation.pk)


# ---------------------------------------------------------------------------------------------------------------
# Files


def _send(file_field, *, name: str, extension: str):
    if not file_field or not file_field.storage.exists(file_field.name):
        raise Http404
    inline = extension in ("png", "jpg", "jpeg", "webp")
    response = FileResponse(file_field.open("rb"), as_attachment=not inline, filename=name)
    response["Cache-Control"] = "private, max-age=300" if inline else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _staff_or_owner(user, supplier) -> bool:
    return user.is_authenticated and (user.pk == supplier.user_id or services.can_review(user))


@require_GET
def file(request, pk):
    """Logo, banner, photos and images of active products: anyone for a listed Premium supplier, signed-in users for
    another listed supplier; catalogue files: signed-in users; everything: the owner, mentors and admins."""
    item = SupplierFile.objects.select_related("supplier", "supplier__user", "product").filter(pk=pk).first()
    if item is None:
        raise Http404
    supplier = item.supplier
    allowed = _staff_or_owner(request.user, supplier)
    if not allowed and services.is_listed(supplier):
        visible = item.product is None or item.product.status == ProductStatus.ACTIVE
        if item.kind == SupplierFile.Kind.CATALOGUE:
            allowed = visible and request.user.is_authenticated
        else:
            allowed = visible and (request.user.is_authenticated or services.is_premium(supplier))
    if not allowed:
        raise Http404
    return _send(item.file, name=item.original_name, extension=item.extension)


@login_required
@require_GET
def document(request, pk):
    """Legal documents and certificates: the supplier, mentors and admins only."""
    doc = SupplierDocument.objects.select_related("supplier").filter(pk=pk).first()
    if doc is None or not _staff_or_owner(request.user, doc.supplier):
        raise Http404
    return _send(doc.file, name=doc.original_name, extension=doc.extension)


# ---------------------------------------------------------------------------------------------------------------
# Mentors


QUEUE_STATUSES = [
    (Status.WAITING_REVIEW, _l("Menunggu review")),
    (Status.ONBOARDING, _l("Diminta perbaikan / onboarding")),
    (Status.RECOMMENDED, _l("Sudah direkomendasikan")),
    (Status.VERIFIED, _l("Terverifikasi")),
    (Status.LIMITED, _l("Terbatas")),
    (Status.SUSPENDED, _l("Ditangguhkan")),
]


@reviewers
@require_GET
def mentor_queue(request):
    q = request.GET.get("q", "").strip()[:100].replace("\x00", "")
    status = Filter(request, "status", _("Status"), QUEUE_STATUSES)
    qs = selectors.mentor_queue(status=status.value or Status.WAITING_REVIEW, q=q)
    page = paginate(request, qs, PAGE_SIZE)
    return render(request, "suppliers/mentor/queue.html", {"page_obj": page, "search": q, "filters": [status]})


def _review_context(supplier):
    answers = list(AssessmentAnswer.objects.filter(supplier=supplier).select_related("question", "option")
                   .order_by("question__order", "question_id"))  # fmt: skip
    return {
        "supplier": supplier,
        "tabs": [
            (services.TAB_LABELS[t], [(label, getattr(supplier, f)) for f, (label, _m, _r) in services.TABS[t].items()])
            for t in TAB_ORDER
        ],  # fmt: skip
        "answers": answers,
        "score": sum(a.option.score for a in answers),
        "max_score": sum(max((o.score for o in a.question.options.all()), default=0) for a in answers),
        "documents": list(supplier.documents.all()),
        "files": selectors.public_files(supplier),
        "reviews": list(supplier.reviews.select_related("actor")[:30]),
    }


@reviewers
def mentor_review(request, pk):
    supplier = Supplier.objects.select_related("user").filter(pk=pk).first()
    if supplier is None:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action", "")
        note = request.POST.get("note", "")[:5000]
        try:
            if action == "note":
                services.mentor_note(supplier=supplier, actor=request.user, note=note)
                messages.success(request, _("Catatan disimpan."))
            elif action == "changes":
                services.mentor_request_changes(supplier=supplier, actor=request.user, note=note)
                messages.success(request, _("Supplier diminta memperbaiki data."))
            elif action == "recommend":
                services.mentor_recommend(supplier=supplier, actor=request.user, note=note)
                messages.success(request, _("Supplier direkomendasikan. Admin akan menetapkan status akhirnya."))
            else:
                messages.error(request, _("Aksi tidak dikenal."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("suppliers:mentor_review", pk=supplier.pk)
    return render(request, "suppliers/mentor/review.html", _review_context(supplier))


@reviewers
def questions(request):
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "create":
                options = [(request.POST.get(f"option{i}", "")[:250], request.POST.get(f"score{i}", "")[:4])
                           for i in range(1, 7)]  # fmt: skip
                services.question_create(
                    actor=request.user, supplier_type=request.POST.get("supplier_type", "")[:20],
                    text=request.POST.get("text", "")[:400], options=[o for o in options if o[0].strip()],
                    order=request.POST.get("order", "")[:4],
                )  # fmt: skip
                messages.success(request, _("Pertanyaan ditambahkan."))
            elif action == "toggle":
                question = AssessmentQuestion.objects.filter(pk=_pk(request.POST.get("id"))).first()
                if question is None:
                    raise Http404
                services.question_toggle(question=question, actor=request.user)
                messages.success(request, _("Pertanyaan diperbarui."))
            else:
                messages.error(request, _("Aksi tidak dikenal."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("suppliers:questions")
    type_ = Filter(request, "jenis", _("Jenis usaha"), SupplierType.choices)
    qs = AssessmentQuestion.objects.prefetch_related("options").order_by("supplier_type", "order", "id")
    if type_.value:
        qs = qs.filter(supplier_type__in=("", type_.value))
    page = paginate(request, qs, 30)
    return render(request, "suppliers/mentor/questions.html", {
        "page_obj": page, "filters": [type_], "types": SupplierType.choices, "slots": range(1, 7),
    })  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------
# Admins


@admin_only
@require_GET
def admin_list(request):
    q = request.GET.get("q", "").strip()[:100].replace("\x00", "")
    status = Filter(request, "status", _("Status"), Status.choices)
    package = Filter(request, "paket", _("Paket"), Package.choices)
    type_ = Filter(request, "jenis", _("Jenis usaha"), SupplierType.choices)
    qs = selectors.admin_list(status=status.value, package=package.value, supplier_type=type_.value, q=q)
    page = paginate(request, qs, PAGE_SIZE)
    numbers = selectors.admin_numbers()
    return render(request, "suppliers/admin/list.html", {
        "page_obj": page, "search": q, "filters": [status, package, type_], "numbers": numbers, "now": timezone.now(),
        "status_rows": [(label, numbers["per_status"].get(value, 0)) for value, label in Status.choices],
    })  # fmt: skip


@admin_only
@require_GET
def admin_export(request):
    """Admins only (spec §4 "Export product data: admin only"): every supplier product with its supplier, as CSV."""
    rows = (
        SupplierProduct.objects.select_related("supplier")
        .order_by("supplier_id", "id")
        .values_list(
            "supplier__company_name",
            "supplier__status",
            "title",
            "hs_code",
            "moq",
            "moq_unit",
            "price_min",
            "price_max",
            "price_unit",
            "capacity",
            "status",
            "views_count",
            "likes_count",
            "created_at",
        )  # fmt: skip
        .iterator(chunk_size=2000)
    )
    header = ["Supplier", "Status supplier", "Produk", "Kode HS", "MOQ", "Satuan MOQ", "Harga terendah",
              "Harga tertinggi", "Satuan harga", "Kapasitas", "Status produk", "Dilihat", "Suka", "Dibuat"]  # fmt: skip
    return csv_response("produk-supplier.csv", header, rows)


@admin_only
def admin_detail(request, pk):
    supplier = Supplier.objects.select_related("user").filter(pk=pk).first()
    if supplier is None:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "decide":
                services.admin_decide(supplier=supplier, actor=request.user, status=request.POST.get("status", "")[:20],
                                      reason=request.POST.get("reason", "")[:5000])  # fmt: skip
                messages.success(request, _("Status supplier ditetapkan."))
            elif action == "type":
                services.supplier_set_type(supplier=supplier, actor=request.user,
                                           supplier_type=request.POST.get("supplier_type", "")[:20])  # fmt: skip
                messages.success(request, _("Jenis usaha diubah."))
            elif action in ("verify_document", "reject_document"):
                doc = supplier.documents.filter(pk=_pk(request.POST.get("id"))).first()
                if doc is None:
                    raise Http404
                services.document_review(document=doc, actor=request.user, verified=action == "verify_document")
                messages.success(request, _("Dokumen diperbarui."))
            elif action == "grant":
                days = _pk(request.POST.get("days"))
                if not 1 <= days <= 3660:
                    raise ServiceError(_("Isi jumlah hari 1–3660."))
                services.premium_extend(supplier=supplier, days=days, source=PremiumPeriod.Source.ADMIN,
                                        actor=request.user)  # fmt: skip
                messages.success(request, _("Premium diberikan."))
            else:
                messages.error(request, _("Aksi tidak dikenal."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("suppliers:admin_detail", pk=supplier.pk)
    context = _review_context(supplier)
    context.update({
        "premium": services.is_premium(supplier), "decisions": [(s, Status(s).label) for s in services.DECISIONS],
        "types": SupplierType.choices, "periods": list(supplier.premium_periods.select_related("plan")[:10]),
        "stats": selectors.supplier_stats(supplier, detailed=False),
        "products": list(supplier.products.order_by("-updated_at")[:20]),
        "reminders": list(supplier.reminders.order_by("-sent_at", "-id")[:20]),
        "chat_week": chat_allowance.chat_week(supplier),
    })  # fmt: skip
    return render(request, "suppliers/admin/detail.html", context)


@admin_only
def admin_packages(request):
    errors = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "settings":
                fields = ("free_max_products", "free_max_images", "free_max_catalogues", "premium_max_products",
                          "premium_max_images", "premium_max_catalogues", "trial_days", "free_drafts_month",
                          "premium_drafts_month", "free_chats_week", "premium_chats_week", "promo_percent",
                          "promo_days", "spam_max_links")  # fmt: skip
                services.settings_update(actor=request.user, drafts_enabled=request.POST.get("drafts") == "on",
                                         promo_enabled=request.POST.get("promo") == "on",
                                         spam_words=request.POST.get("spam_words", "")[:20_000],
                                         **{f: request.POST.get(f, "")[:6] for f in fields})  # fmt: skip
                messages.success(request, _("Pengaturan paket disimpan."))
                return redirect("suppliers:admin_packages")
            if action == "plan":
                plan = SupplierPlan.objects.filter(pk=_pk(request.POST.get("id"))).first()
                services.plan_save(
                    actor=request.user, plan=plan, name=request.POST.get("name", "")[:120],
                    duration_days=request.POST.get("duration_days", "")[:6], price=request.POST.get("price", "")[:14],
                    commission_percent=request.POST.get("commission_percent", "")[:4],
                    is_active=request.POST.get("is_active") == "on",
                )  # fmt: skip
                messages.success(request, _("Paket disimpan."))
                return redirect("suppliers:admin_packages")
            messages.error(request, _("Aksi tidak dikenal."))
        except ServiceError as exc:
            errors = _error_dict(exc)
            messages.error(request, exc.message)
    return render(request, "suppliers/admin/packages.html", {
        **packages_tab_context(request, "paket"), "s": services.settings_get(),
        "plans": list(SupplierPlan.objects.all()[:50]), "errors": errors,
    })  # fmt: skip


def packages_tab_context(request, tab: str) -> dict:
    """What `suppliers/admin/_packages_layout.html` needs: the page's own tab and the ones higher apps registered
    (hooks.package_tab_register; reminders adds the upgrade reminder sequences)."""
    tabs = [{"key": "paket", "label": _("Paket & batas"), "url": reverse("suppliers:admin_packages")}]
    tabs += [{"key": key, "label": str(label), "url": reverse(name)} for key, label, name in hooks.package_tabs()]
    return {"tabs": tabs, "tab": tab}
