"""Member pages of the export directory: buyers (list with filters, detail with masked contacts until opened within
the monthly quota, like / favourites, report), forwarders (list, detail, rate comparison), the member directory and
the member's directory card, and export documents (list, create, edit, PDF)."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _l
from django.views.decorators.http import require_GET

from sanggar.accounts.constants import PROVINCE_CHOICES
from sanggar.core.exceptions import NotAllowed, ServiceError
from sanggar.core.forms import add_service_errors
from sanggar.core.listing import Filter, paginate
from sanggar.core.permissions import login_required

from . import buyer_services, document_services, forwarder_services, key_services, profile_services, selectors
from . import services as shared
from .constants import (
    FEATURE_BUYER,
    FEATURE_EXPORT_DOCUMENTS,
    FEATURE_FORWARDER,
    FEATURE_MEMBER_DIRECTORY,
    KIND_BUYER,
    KIND_EXPORT_DOCUMENT,
    KIND_FORWARDER,
    MEMBER_PAGE_SIZE,
    UNITS,
    BusinessScale,
    DocumentKind,
    ForwarderService,
    Incoterm,
    RateMode,
)
from .countries import COUNTRY_CHOICES, country_name, flag
from .forms import ApiKeyForm, DocumentForm, ProfileForm, ReportForm
from .gating import feature_page
from .masking import mask_email, mask_phone, mask_text, mask_url
from .pdf import document_pdf


def _contacts(obj, opened: bool) -> list[tuple[str, str, str]]:
    """(label, value, href) of an object's contacts: the values when opened, masked otherwise."""
    phone_digits = "".join(c for c in (obj.whatsapp or "") if c.isdigit())
    rows = [
        (_l("Nama kontak"), obj.contact_person, "", mask_text),
        (_l("Email"), obj.email, f"mailto:{obj.email}", mask_email),
        (_l("Telepon"), obj.phone, f"tel:{obj.phone}", mask_phone),
        (_l("WhatsApp"), obj.whatsapp, f"https://wa.me/{phone_digits}", mask_phone),
        (_l("Situs web"), obj.website, obj.website, mask_url),
        (_l("Alamat"), obj.address, "", mask_text),
    ]
    return [
        (label, value if opened else mask(value), href if opened else "") for label, value, href, mask in rows if value
    ]


# ---------------------------------------------------------------------------------------------------------------
# Buyers


def _buyer_rows(user, buyers):
    ids = [b.pk for b in buyers]
    liked = shared.liked_ids(user=user, kind=KIND_BUYER, object_ids=ids)
    mine = selectors.my_view_counts(user=user, object_ids=ids)
    return [
        {
            "buyer": b,
            "flag": flag(b.country),
            "country": country_name(b.country),
            "liked": b.pk in liked,
            "my_views": mine.get(b.pk, 0),
        }
        for b in buyers
    ]


def _buyer_roles(view):
    """The admins' role-access setting of the buyer database: a user none of whose roles may open it gets the
    locked page (403) with the reason."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            buyer_services.buyer_access_check(request.user)
        except NotAllowed as exc:
            return render(request, "directory/role_locked.html", {"message": exc.message}, status=403)
        return view(request, *args, **kwargs)

    return wrapped


@login_required
@feature_page(FEATURE_BUYER)
@_buyer_roles
@require_GET
def buyers(request):
    filters = {
        k: request.GET.get(k, "")
        for k in ("q", "country", "product", "hs", "verified", "payment", "incoterm", "scale", "sort", "baru")
    }
    page = paginate(request, selectors.buyer_list(filters=filters), MEMBER_PAGE_SIZE)
    if page.number == 1 and (filters["country"] or filters["product"] or filters["hs"]):
        shared.search_record(
            user=request.user, kind=KIND_BUYER, country=filters["country"], product=filters["product"] or filters["hs"]
        )
    return render(
        request,
        "directory/buyers.html",
        {
            "page_obj": page,
            "rows": _buyer_rows(request.user, page.object_list),
            "f": filters,
            "countries": selectors.country_options(),
            "incoterms": Incoterm.choices,
            "scales": BusinessScale.choices,
            "quota": shared.quota_status(user=request.user, kind=KIND_BUYER),
        },
    )


@login_required
@feature_page(FEATURE_BUYER)
@_buyer_roles
@require_GET
def buyer_favourites(request):
    page = paginate(request, selectors.buyer_favourites(user=request.user), MEMBER_PAGE_SIZE)
    return render(
        request,
        "directory/buyer_favourites.html",
        {"page_obj": page, "rows": _buyer_rows(request.user, page.object_list)},
    )


@login_required
@feature_page(FEATURE_BUYER)
@_buyer_roles
def buyer_detail(request, pk: int):
    buyer = selectors.buyer_get(pk=pk)
    if buyer is None:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "open":
                result = buyer_services.buyer_open(user=request.user, buyer=buyer)
                messages.success(request, _l("Kontak dibuka. Kuota: %(label)s.") % {"label": result.status.label})
            elif action in ("like", "unlike"):
                buyer_services.buyer_like(user=request.user, buyer=buyer, liked=action == "like")
                messages.success(
                    request, _l("Disimpan ke Buyer Favorit.") if action == "like" else _l("Dihapus dari Buyer Favorit.")
                )
            else:
                messages.error(request, _l("Aksi tidak dikenal."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("directory:buyer_detail", pk=buyer.pk)
    opened = buyer.pk in shared.opened_ids(user=request.user, kind=KIND_BUYER, object_ids=[buyer.pk])
    quota = shared.quota_status(user=request.user, kind=KIND_BUYER)
    return render(
        request,
        "directory/buyer_detail.html",
        {
            "buyer": buyer,
            "flag": flag(buyer.country),
            "country": country_name(buyer.country),
            "opened": opened,
            "contacts": _contacts(buyer, opened),
            "quota": quota,
            "locked": None if opened or not (quota.locked or quota.exhausted) else shared.quota_decision(quota),
            "liked": bool(shared.liked_ids(user=request.user, kind=KIND_BUYER, object_ids=[buyer.pk])),
            "my_views": selectors.my_view_counts(user=request.user, object_ids=[buyer.pk]).get(buyer.pk, 0),
            "wa_digits": "".join(c for c in buyer.whatsapp if c.isdigit()) if opened else "",
        },
    )


def _report_page(request, *, obj, title: str, back: str, report):
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                report(reason=form.cleaned_data["reason"], detail=form.cleaned_data["detail"])
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _l("Terima kasih, laporan Anda terkirim ke admin."))
                return redirect(back)
    else:
        form = ReportForm()
    return render(request, "directory/report.html", {"form": form, "title": title, "back": back})


@login_required
@feature_page(FEATURE_BUYER)
@_buyer_roles
def buyer_report(request, pk: int):
    buyer = selectors.buyer_get(pk=pk)
    if buyer is None:
        raise Http404
    return _report_page(
        request,
        obj=buyer,
        title=buyer.company,
        back=f"/direktori/buyer/{buyer.pk}",
        report=lambda **kw: buyer_services.buyer_report(user=request.user, buyer=buyer, **kw),
    )


# ---------------------------------------------------------------------------------------------------------------
# Forwarders


@login_required
@feature_page(FEATURE_FORWARDER)
@require_GET
def forwarders(request):
    filters = {k: request.GET.get(k, "") for k in ("q", "service", "verified")}
    page = paginate(request, selectors.forwarder_list(filters=filters), MEMBER_PAGE_SIZE)
    service_labels = dict(ForwarderService.choices)
    ratings = shared.rating_summaries(kind=KIND_FORWARDER, object_ids=[f.pk for f in page.object_list])
    empty = shared.RatingSummary(average=None, count=0)
    rows = [
        {"f": f, "services": [service_labels.get(s, s) for s in f.service_list], "rating": ratings.get(f.pk, empty)}
        for f in page.object_list
    ]
    return render(
        request,
        "directory/forwarders.html",
        {
            "page_obj": page,
            "rows": rows,
            "f": filters,
            "services": ForwarderService.choices,
            "quota": shared.quota_status(user=request.user, kind=KIND_FORWARDER),
        },
    )


@login_required
@feature_page(FEATURE_FORWARDER)
def forwarder_detail(request, pk: int):
    forwarder = selectors.forwarder_get(pk=pk)
    if forwarder is None:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "open":
                result = forwarder_services.forwarder_open(user=request.user, forwarder=forwarder)
                messages.success(request, _l("Kontak dibuka. Kuota: %(label)s.") % {"label": result.status.label})
            elif action in ("like", "unlike"):
                forwarder_services.forwarder_like(user=request.user, forwarder=forwarder, liked=action == "like")
            elif action == "rate":
                shared.rating_save(
                    user=request.user, kind=KIND_FORWARDER, object_id=forwarder.pk,
                    stars=request.POST.get("stars"), comment=request.POST.get("comment", ""),
                )  # fmt: skip
                messages.success(request, _l("Terima kasih, rating Anda tersimpan."))
            else:
                messages.error(request, _l("Aksi tidak dikenal."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("directory:forwarder_detail", pk=forwarder.pk)
    opened = forwarder.pk in shared.opened_ids(user=request.user, kind=KIND_FORWARDER, object_ids=[forwarder.pk])
    quota = shared.quota_status(user=request.user, kind=KIND_FORWARDER)
    service_labels = dict(ForwarderService.choices)
    rates = list(forwarder.rates.order_by("destination_country", "mode", "price")[:200])
    return render(
        request,
        "directory/forwarder_detail.html",
        {
            "forwarder": forwarder,
            "services": [service_labels.get(s, s) for s in forwarder.service_list],
            "opened": opened,
            "contacts": _contacts(forwarder, opened),
            "quota": quota,
            "locked": None if opened or not (quota.locked or quota.exhausted) else shared.quota_decision(quota),
            "liked": bool(shared.liked_ids(user=request.user, kind=KIND_FORWARDER, object_ids=[forwarder.pk])),
            **shared.ratings_context(user=request.user, kind=KIND_FORWARDER, object_id=forwarder.pk),
            "rates": [
                {"rate": r, "flag": flag(r.destination_country), "country": country_name(r.destination_country)}
                for r in rates
            ],
        },
    )


@login_required
@feature_page(FEATURE_FORWARDER)
def forwarder_report(request, pk: int):
    forwarder = selectors.forwarder_get(pk=pk)
    if forwarder is None:
        raise Http404
    return _report_page(
        request,
        obj=forwarder,
        title=forwarder.name,
        back=f"/direktori/forwarder/{forwarder.pk}",
        report=lambda **kw: forwarder_services.forwarder_report(user=request.user, forwarder=forwarder, **kw),
    )


@login_required
@feature_page(FEATURE_FORWARDER)
@require_GET
def rate_compare(request):
    f = {k: request.GET.get(k, "")[:100] for k in ("origin", "destination", "country", "mode")}
    searched = any(f.values())
    page = paginate(request, selectors.rate_compare(**f), 30) if searched else None
    rows = [
        {"rate": r, "flag": flag(r.destination_country), "country": country_name(r.destination_country)}
        for r in (page.object_list if page else [])
    ]
    cheapest = min((r["rate"].price for r in rows), default=None)
    return render(
        request,
        "directory/rate_compare.html",
        {
            "page_obj": page,
            "rows": rows,
            "f": f,
            "countries": COUNTRY_CHOICES,
            "modes": RateMode.choices,
            "cheapest": cheapest,
            "searched": searched,
        },
    )


# ---------------------------------------------------------------------------------------------------------------
# Member directory


@login_required
@feature_page(FEATURE_MEMBER_DIRECTORY)
@require_GET
def members(request):
    province = Filter(request, "province", _l("Provinsi"), PROVINCE_CHOICES)
    q = request.GET.get("q", "").strip()[:100]
    city = request.GET.get("city", "").strip()[:100]
    page = paginate(request, selectors.member_directory(province=province.value, city=city, q=q), MEMBER_PAGE_SIZE)
    cards = [selectors.member_card(p) for p in page.object_list]
    mine = profile_services.profile_get(user=request.user)
    return render(
        request,
        "directory/members.html",
        {"page_obj": page, "cards": cards, "search": q, "filters": [province], "city": city, "mine": mine},
    )


def _keys_context(request, **extra) -> dict:
    return {
        "api_keys": list(key_services.member_keys(user=request.user)[:50]),
        "api_access": key_services.member_key_status(user=request.user),
        "api_keys_max": settings.DIRECTORY_API_KEYS_PER_USER,
        "key_form": extra.pop("key_form", None) or ApiKeyForm(),
        **extra,
    }


def _key_action(request, action: str):
    """The personal-key part of the profile page: create (the secret is shown on this response only) or revoke."""
    if action == "key_revoke":
        try:
            key = key_services.member_key_revoke(actor=request.user, key_id=int(request.POST.get("key") or 0))
        except (ServiceError, ValueError):
            messages.error(request, _l("Kunci tidak ditemukan."))
        else:
            messages.success(request, _l("Kunci “%(name)s” dicabut.") % {"name": key.name})
        return redirect(reverse("directory:my_profile") + "#api-keys")
    key_form = ApiKeyForm(request.POST)
    if key_form.is_valid():
        try:
            key, secret = key_services.member_key_create(user=request.user, name=key_form.cleaned_data["name"])
        except ServiceError as exc:
            add_service_errors(key_form, exc)
        else:
            return {"new_key": key, "new_secret": secret}
    return {"key_form": key_form}


@login_required
def my_profile(request):
    profile = profile_services.profile_get(user=request.user)
    keys_extra = {}
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action in ("key_create", "key_revoke"):
        result = _key_action(request, action)
        if not isinstance(result, dict):
            return result
        keys_extra = result
    if request.method == "POST" and not action:
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                profile_services.profile_save(user=request.user, data=form.cleaned_data)
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _l("Profil direktori disimpan."))
                return redirect("directory:my_profile")
    else:
        form = ProfileForm(
            initial={f: getattr(profile, f) for f in ProfileForm.base_fields}
            if profile.pk
            else {"show_city": True, "show_products": True, "show_bio": True}
        )
    context = {"form": form, "profile": profile, **_keys_context(request, **keys_extra)}
    response = render(request, "directory/my_profile.html", context)
    if "new_secret" in keys_extra:
        response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------------------------------------------
# Export documents


@login_required
@feature_page(FEATURE_EXPORT_DOCUMENTS)
@require_GET
def documents(request):
    page = paginate(request, selectors.documents_for(user=request.user), MEMBER_PAGE_SIZE)
    return render(
        request,
        "directory/documents.html",
        {
            "page_obj": page,
            "quota": shared.quota_status(user=request.user, kind=KIND_EXPORT_DOCUMENT),
            "kinds": DocumentKind.choices,
        },
    )


def _opened_buyers(user):
    return selectors.buyers_opened_this_month(user=user, month=shared.month_of())


def _items_from_post(post) -> list[dict]:
    names = (
        "description", "hs_code", "quantity", "unit", "net_weight", "gross_weight", "unit_price", "packages",
        "dimensions",
    )  # fmt: skip
    columns = {n: post.getlist(f"item_{n}")[:100] for n in names}
    count = max((len(v) for v in columns.values()), default=0)
    items = []
    for i in range(count):
        item = {n: (columns[n][i] if i < len(columns[n]) else "") for n in names}
        if any(str(item[n]).strip() for n in ("description", "quantity", "hs_code")):
            items.append(item)
    return items


def _item_rows(items, extra: int = 3) -> list[dict]:
    rows = [dict(i) for i in items]
    return rows + [{"unit": "kg"} for _ in range(extra)]


@login_required
@feature_page(FEATURE_EXPORT_DOCUMENTS)
def document_create(request):
    buyers_ = _opened_buyers(request.user)
    quota = shared.quota_status(user=request.user, kind=KIND_EXPORT_DOCUMENT)
    items = []
    if request.method == "POST":
        form = DocumentForm(request.POST, buyers=buyers_)
        items = _items_from_post(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "kind"}
            try:
                document = document_services.document_create(
                    user=request.user, kind=form.cleaned_data["kind"], data=data, items=items
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _l("Dokumen %(n)s dibuat sebagai draf.") % {"n": document.number})
                return redirect("directory:document_edit", pk=document.pk)
    else:
        buyer_id = request.GET.get("buyer", "")
        buyer = next((b for b in buyers_ if str(b.pk) == buyer_id), None)
        kind = request.GET.get("jenis", "")
        defaults = document_services.document_defaults(user=request.user, buyer=buyer, kind=kind)
        form = DocumentForm(
            initial={
                **defaults,
                "kind": kind if kind in DocumentKind.values else DocumentKind.PACKING_LIST,
                "buyer": buyer.pk if buyer else None,
            },
            buyers=buyers_,
        )
    locked = shared.quota_decision(quota) if (quota.locked or quota.exhausted) else None
    return render(
        request,
        "directory/document_form.html",
        {
            "form": form,
            "item_rows": _item_rows(items),
            "units": UNITS,
            "quota": quota,
            "locked": locked,
            "document": None,
        },
    )


@login_required
@feature_page(FEATURE_EXPORT_DOCUMENTS)
def document_edit(request, pk: int):
    document = selectors.document_for(user=request.user, pk=pk)
    if document is None:
        raise Http404
    buyers_ = _opened_buyers(request.user)
    if document.buyer_id and document.buyer not in buyers_:
        buyers_.append(document.buyer)
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            document_services.document_delete(user=request.user, document=document)
            messages.success(request, _l("Dokumen dihapus."))
            return redirect("directory:documents")
        form = DocumentForm(request.POST, buyers=buyers_)
        items = _items_from_post(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "kind"}
            try:
                document_services.document_update(user=request.user, document=document, data=data, items=items)
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _l("Draf disimpan."))
                return redirect("directory:document_edit", pk=document.pk)
    else:
        items = [
            {
                "description": i.description,
                "hs_code": i.hs_code,
                "quantity": i.quantity.normalize(),
                "unit": i.unit,
                "net_weight": i.net_weight.normalize() if i.net_weight is not None else "",
                "gross_weight": i.gross_weight.normalize() if i.gross_weight is not None else "",
                "unit_price": i.unit_price if i.unit_price is not None else "",
                "packages": i.packages if i.packages is not None else "",
                "dimensions": i.dimensions,
            }
            for i in document.items.all()
        ]
        form = DocumentForm(
            initial={
                **{f: getattr(document, f) for f in DocumentForm.base_fields if f != "buyer"},
                "buyer": document.buyer_id,
            },
            buyers=buyers_,
        )
    form.fields["kind"].disabled = True
    return render(
        request,
        "directory/document_form.html",
        {"form": form, "item_rows": _item_rows(items, extra=2), "units": UNITS, "document": document, "locked": None},
    )


@login_required
@feature_page(FEATURE_EXPORT_DOCUMENTS)
@require_GET
def document_download(request, pk: int):
    document = selectors.document_for(user=request.user, pk=pk)
    if document is None:
        raise Http404
    response = HttpResponse(document_pdf(document=document), content_type="application/pdf")
    safe = document.number.replace("/", "-")
    response["Content-Disposition"] = f'attachment; filename="{safe}.pdf"'
    return response
