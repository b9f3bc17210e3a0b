"""Admin sales pages (spec 5.4): the list with filters, search and CSV export; the detail page with the buyer, the
pricing of each line, payment attempts, webhook log, history and follow-ups; and its actions (mark paid, refund,
resend the notification, cancel, decide on a late payment). Every rule is in a service."""

import html
from collections import namedtuple
from dataclasses import dataclass
from urllib.parse import quote

from django.contrib import messages
from django.db import connection
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanggar.catalog.models import MembershipPlan, Product
from sanggar.core.exceptions import NotFound, ServiceError
from sanggar.core.formatting import rupiah, tanggal
from sanggar.core.listing import Filter, csv_response, paginate, paginate_capped, parse_date
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role
from sanggar.core.templatetags.sanggar import icon

from .. import selectors, services
from ..constants import PROVIDER_LABELS, ItemKind, OrderStatus, PricingKind
from ..follow_up_log import follow_up_rows
from ..forms_admin import MarkPaidForm, RefundForm, ReviewForm
from ..models import Order
from ..payments_port import payments
from ..selectors import PERIODS, SalesFilters, period_range

admin_only = role_required(Role.ADMIN)

PERIOD_LABELS = {
    "today": gettext_lazy("Hari ini"),
    "week": gettext_lazy("Minggu ini"),
    "month": gettext_lazy("Bulan ini"),
    "year": gettext_lazy("Tahun ini"),
}


def _item_options() -> list[tuple[str, str]]:
    """The item filter's options: every plan (by rank, then title), then every product (by title), in ONE query
    written out (the ORM's union of two annotated querysets took ~0.7 ms a page to compile, the query itself 0.06)."""
    quote = connection.ops.quote_name
    plans, products = (quote(model._meta.db_table) for model in (MembershipPlan, Product))
    rank, title = (quote(MembershipPlan._meta.get_field(name).column) for name in ("rank", "title"))
    plan_pk, product_pk = (quote(model._meta.pk.column) for model in (MembershipPlan, Product))
    product_title = quote(Product._meta.get_field("title").column)
    # Table and column names from the models; no value from the request.
    sql = (
        f"SELECT 0, {rank}, {plan_pk}, {title} FROM {plans}"  # noqa: S608
        f" UNION ALL SELECT 1, 0, {product_pk}, {product_title} FROM {products} ORDER BY 1, 2, 4, 3"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    return [(f"{'plan' if group == 0 else 'product'}-{pk}", title) for group, _order, pk, title in rows]


def _filters(request, *, with_item_options: bool = True):
    q = request.GET.get("q", "").strip()[:100]
    status = Filter(request, "status", _("Status"), OrderStatus.choices)
    provider = Filter(request, "provider", _("Pembayaran"), [(k, str(v)) for k, v in PROVIDER_LABELS.items()])
    kind = Filter(request, "kind", _("Jenis item"), ItemKind.choices)
    item_value = request.GET.get("item", "")
    item = Filter(
        request,
        "item",
        _("Item"),
        _item_options() if with_item_options else ([(item_value, item_value)] if item_value else []),
    )
    review = Filter(request, "review", _("Tinjauan"), [("1", _("Perlu ditinjau"))])
    period = request.GET.get("period", "")
    date_from, date_to = parse_date(request.GET.get("from")), parse_date(request.GET.get("to"))
    if period in PERIODS and not (date_from or date_to):
        date_from, date_to = period_range(period)
    sales_filters = SalesFilters(
        q=q,
        status=status.value,
        provider=provider.value,
        kind=kind.value,
        item=item.value,
        date_from=date_from,
        date_to=date_to,
        needs_review=review.value == "1",
    )
    return sales_filters, [status, provider, kind, item, review], period


# The colour of an order's status badge (as orders/_status_badge.html), for the rows of the sales list.
STATUS_BADGES = {
    OrderStatus.PAID: "badge-green",
    OrderStatus.PENDING: "badge-yellow",
    OrderStatus.REFUNDED: "badge-secondary",
    OrderStatus.CANCELLED: "badge-red",
    OrderStatus.FAILED: "badge-red",
}
_INVOICE = "INVOICE"  # a placeholder: each row's links are the page's two links with its invoice number in


# The rows of the sales list are rendered here, not by the template engine: 25 rows of ~30 template nodes each were
# half of the page's CPU (about 10 ms a request at 20,000 orders), the same markup from str.format costs ~1 ms. Every
# value is escaped (html.escape, below); the texts are translated once per page, not once per row.
_ROW_HTML = (
    '<tr data-order="{invoice}">'
    '<td class="whitespace-nowrap"><a class="link font-semibold" href="{detail_url}">{invoice}</a>'
    '<p class="text-xs text-gray-500">{created}</p></td>'
    '<td><p class="font-medium">{buyer_name}</p><p class="text-xs text-gray-500">{buyer_email}</p></td>'
    "<td>{items}</td>"
    '<td class="whitespace-nowrap"><p class="font-semibold">{total}</p><div class="mt-1 flex flex-wrap gap-1">'
    '<span class="badge {badge}" data-status="{status}">{status_label}</span>{review}</div>'
    '<p class="text-xs text-gray-500 mt-1">{provider}</p></td>'
    "<td>{affiliate}</td>"
    '<td class="whitespace-nowrap" data-follow-ups>{follow_ups}</td>'
    '<td class="whitespace-nowrap"><div class="flex gap-2">'
    '<a class="btn btn-outline btn-sm" href="{detail_url}">{detail_label}</a>{resend}</div></td>'
    "</tr>"
)
_ITEM_HTML = '<p>{}</p><p class="text-xs text-gray-500">{}</p>'
_RESEND_HTML = (
    '<form method="post" action="{}">{}<input type="hidden" name="next" value="list">'
    '<button type="submit" class="btn btn-outline btn-sm" title="{}">{}{}</button></form>'
)
_DASH_HTML = '<p class="text-gray-400" data-commission>—</p>'
_STATUS_LABELS = dict(OrderStatus.choices)
_PRICING_LABELS = dict(PricingKind.choices)


# An order of the sales list as its page reads it (selectors.sales_page_rows: one tuple a row, no model instance).
SaleOrder = namedtuple(
    "SaleOrder",
    "pk invoice_number created_at buyer_name buyer_email total status needs_review provider affiliate_id"
    " affiliate_name commission_amount commission_status follow_ups_sent follow_ups_total",
)


@dataclass(frozen=True)
class SaleRow:
    """One row of the sales list: its order, figures and ready HTML (the template only places `html`)."""

    order: SaleOrder
    follow_ups_sent: int
    follow_ups_total: int
    provider_label: str
    html: str  # a SafeString


def _commission_labels() -> dict[str, str]:
    """The status labels of an order's commission (the affiliates' model, reached through the order's relation)."""
    field = Order._meta.get_field("commission").related_model._meta.get_field("status")
    return {key: str(label) for key, label in field.flatchoices}


def _sale_rows(request, tuples) -> list[SaleRow]:
    # Every text from the database or a translation goes through `e` (html.escape, what django.utils.html.escape
    # does, without its lazy-string wrapper: format_html's per-argument conditional_escape cost ~3 ms a page).
    e = html.escape
    detail = reverse("orders:admin_sale_detail", args=[_INVOICE])
    resend = reverse("orders:admin_sale_resend", args=[_INVOICE])
    plan_label, product_label = e(_("Paket")), e(_("Produk"))
    pricing_labels = {key: f"{plan_label} · {e(str(label))}" for key, label in _PRICING_LABELS.items()}
    pricing_labels[PricingKind.NEW] = plan_label
    status_labels = {key: e(str(label)) for key, label in _STATUS_LABELS.items()}
    commission_labels = _commission_labels()
    # One masked CSRF token for every row's form (any masking of the same secret is accepted).
    csrf_input = f'<input type="hidden" name="csrfmiddlewaretoken" value="{e(get_token(request))}">'
    review = f'<span class="badge badge-yellow">{e(_("Tinjau"))}</span>'
    detail_label, resend_label = e(_("Detail")), e(_("Kirim ulang"))
    resend_title = e(_("Kirim ulang notifikasi ke pembeli"))
    send_icon = icon("send", "w-3.5 h-3.5")
    dash = '<span class="text-gray-400">—</span>'
    orders = [SaleOrder._make(row) for row in tuples]
    items_of = selectors.sales_items(order_ids=[order.pk for order in orders]) if orders else {}
    rows = []
    for order in orders:
        invoice = quote(order.invoice_number)
        detail_url = e(detail.replace(_INVOICE, invoice))
        items = "".join(
            _ITEM_HTML.format(
                e(title), product_label if kind != ItemKind.PLAN else pricing_labels.get(pricing, plan_label)
            )
            for kind, title, pricing in items_of.get(order.pk, ())
        )
        if order.affiliate_id:
            status = order.commission_status  # None: no commission row
            earned = (
                f"{rupiah(order.commission_amount)} · {commission_labels.get(status, status)}"
                if status is not None
                else "—"
            )
            affiliate = (
                f'<p>{e(order.affiliate_name)}</p><p class="text-xs text-gray-500" data-commission>{e(earned)}</p>'
            )
        else:
            affiliate = _DASH_HTML
        follow_ups = (
            e(_("%(sent)s/%(total)s terkirim") % {"sent": order.follow_ups_sent, "total": order.follow_ups_total})
            if order.follow_ups_total
            else dash
        )
        provider_label = str(PROVIDER_LABELS.get(order.provider, order.provider))
        resend_form = (
            _RESEND_HTML.format(e(resend.replace(_INVOICE, invoice)), csrf_input, resend_title, send_icon, resend_label)
            if order.status in (OrderStatus.PAID, OrderStatus.PENDING)
            else ""
        )
        row = _ROW_HTML.format(
            invoice=e(order.invoice_number),
            detail_url=detail_url,
            created=e(tanggal(order.created_at)),
            buyer_name=e(order.buyer_name),
            buyer_email=e(order.buyer_email),
            items=items,
            total=e(rupiah(order.total)),
            badge=STATUS_BADGES.get(order.status, "badge-gray"),
            status=e(order.status),
            status_label=status_labels.get(order.status) or e(order.status),
            review=review if order.needs_review else "",
            provider=e(provider_label),
            affiliate=affiliate,
            follow_ups=follow_ups,
            detail_label=detail_label,
            resend=resend_form,
        )
        rows.append(SaleRow(order, order.follow_ups_sent, order.follow_ups_total, provider_label, mark_safe(row)))
    return rows


@admin_only
def sales(request):
    sales_filters, filters, period = _filters(request)
    page = paginate_capped(request, selectors.sales_list(filters=sales_filters, with_items=False))
    start = (page.number - 1) * page.paginator.per_page
    stop = min(start + page.paginator.per_page, page.paginator.count)
    rows = _sale_rows(request, selectors.sales_page_rows(filters=sales_filters, start=start, stop=stop))
    base_query = request.GET.copy()
    for key in ("period", "from", "to", "page"):
        base_query.pop(key, None)
    periods = []
    for key in PERIODS:
        query = base_query.copy()
        query["period"] = key
        periods.append(
            {"key": key, "label": PERIOD_LABELS[key], "url": f"?{query.urlencode()}", "active": key == period}
        )
    return render(
        request,
        "orders/admin/sales.html",
        {
            "page_obj": page,
            "rows": rows,
            "search": sales_filters.q,
            "filters": filters,
            "date_from": sales_filters.date_from.isoformat() if sales_filters.date_from else "",
            "date_to": sales_filters.date_to.isoformat() if sales_filters.date_to else "",
            "periods": periods,
            "period_clear_url": f"?{base_query.urlencode()}" if base_query else request.path,
            "summary": selectors.sales_summary(),
        },
    )


def _commission_amount(order) -> int | str:
    """The affiliate's commission of an order (selected with it), or "" without one."""
    commission = getattr(order, "commission", None)  # RelatedObjectDoesNotExist is an AttributeError
    return commission.amount if commission is not None else ""


def _stamp(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@admin_only
def sales_export(request):
    sales_filters, _filters_list, _period = _filters(request, with_item_options=False)
    orders = selectors.sales_list(filters=sales_filters)
    header = [
        _("Invoice"), _("Tanggal"), _("Nama"), _("Email"), _("WhatsApp"), _("Item"), _("Jenis"), _("Subtotal"),
        _("Diskon"), _("Kode unik"), _("Total"), _("Kupon"), _("Status"), _("Pembayaran"), _("Tanggal bayar"),
        _("Affiliate"), _("Komisi"), _("Follow-up terkirim"), _("Follow-up total"), _("Perlu ditinjau"),
    ]  # fmt: skip
    rows = (
        (
            order.invoice_number,
            _stamp(order.created_at),
            order.buyer_name,
            order.buyer_email,
            order.buyer_whatsapp,
            "; ".join(item.title for item in order.items.all()),
            "; ".join(str(item.get_kind_display()) for item in order.items.all()),
            order.subtotal,
            order.discount,
            order.unique_code,
            order.total,
            order.coupon_code,
            order.get_status_display(),
            str(PROVIDER_LABELS.get(order.provider, order.provider)),
            _stamp(order.paid_at),
            order.affiliate.full_name if order.affiliate_id else "",
            _commission_amount(order),
            order.follow_ups_sent,
            order.follow_ups_total,
            _("Ya") if order.needs_review else "",
        )
        for order in orders.iterator(chunk_size=1000)
    )
    return csv_response(f"penjualan-{timezone.localdate():%Y%m%d}.csv", header, rows)


def _get_sale(invoice_number: str) -> Order:
    try:
        return selectors.sale_get(invoice_number=invoice_number)
    except NotFound:
        raise Http404 from None


@admin_only
def sale_detail(request, invoice_number: str):
    order = _get_sale(invoice_number)
    return _render_detail(request, order)


def _render_detail(request, order: Order, **forms):
    items = list(order.items.all())
    return render(
        request,
        "orders/admin/sale_detail.html",
        {
            "order": order,
            "items": items,
            "buyer": order.buyer,
            "payments": payments().payments_for_order(order=order),
            "webhooks": payments().webhooks_for_order(order=order),
            "events": selectors.order_timeline(order=order),
            "follow_ups": selectors.order_follow_ups(order=order),
            "builder_follow_ups": follow_up_rows(order),
            "proofs": selectors.order_proofs(order=order),
            "provider_label": PROVIDER_LABELS.get(order.provider, order.provider),
            "mark_paid_form": forms.get("mark_paid_form") or MarkPaidForm(),
            "refund_form": forms.get("refund_form") or RefundForm(),
            "review_form": forms.get("review_form") or ReviewForm(),
        },
    )


def _detail_redirect(order: Order):
    return redirect(reverse("orders:admin_sale_detail", args=[order.invoice_number]))


def _form_invalid(request, order: Order, **forms):
    messages.error(request, _("Periksa kembali isian formulir."))
    return _render_detail(request, order, **forms)


def _apply_errors(form, exc: ServiceError) -> bool:
    """Puts a service's field errors on the form; True when at least one field matched."""
    matched = False
    for field, errors in (exc.errors or {}).items():
        if field in form.fields:
            for error in errors:
                form.add_error(field, error)
            matched = True
    return matched


def _mark_paid_page(request, order: Order, form):
    """The confirmation page of "Tandai Lunas": what is being confirmed, a required note, an optional proof."""
    return render(
        request,
        "orders/admin/mark_paid_confirm.html",
        {"order": order, "items": list(order.items.all()), "form": form},
    )


@admin_only
def sale_mark_paid(request, invoice_number: str):
    """GET: the confirmation page; POST: marks the order paid with the admin's note and optional proof."""
    order = _get_sale(invoice_number)
    if request.method != "POST":
        if order.status != OrderStatus.PENDING:
            messages.info(
                request, _("Pesanan %(invoice)s tidak menunggu pembayaran.") % {"invoice": order.invoice_number}
            )
            return _detail_redirect(order)
        return _mark_paid_page(request, order, MarkPaidForm())
    form = MarkPaidForm(request.POST, request.FILES)
    if not form.is_valid():
        return _mark_paid_page(request, order, form)
    if order.status == OrderStatus.PAID:
        messages.info(request, _("Pesanan %(invoice)s sudah lunas.") % {"invoice": order.invoice_number})
        return _detail_redirect(order)
    try:
        payments().mark_paid_manual(
            order=order, actor=request.user, note=form.cleaned_data["note"], proof=form.cleaned_data["proof"]
        )
    except ServiceError as exc:
        if _apply_errors(form, exc):
            return _mark_paid_page(request, order, form)
        messages.error(request, exc.message)
        return _detail_redirect(order)
    order.refresh_from_db()
    if order.status == OrderStatus.PAID:
        messages.success(
            request,
            _("Pesanan %(invoice)s ditandai lunas; akses pembeli sudah dibuka.") % {"invoice": order.invoice_number},
        )
    else:
        messages.warning(
            request,
            _("Pembayaran dicatat, tetapi pesanan berstatus %(status)s sehingga perlu keputusan Anda di bawah.")
            % {"status": order.get_status_display()},
        )
    return _detail_redirect(order)


@admin_only
@require_POST
def sale_refund(request, invoice_number: str):
    order = _get_sale(invoice_number)
    form = RefundForm(request.POST)
    if not form.is_valid():
        return _form_invalid(request, order, refund_form=form)
    try:
        services.order_refund(order=order, actor=request.user, reason=form.cleaned_data["reason"])
    except ServiceError as exc:
        if _apply_errors(form, exc):
            return _form_invalid(request, order, refund_form=form)
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Dana pesanan %(invoice)s dikembalikan dan aksesnya dicabut.") % {"invoice": order.invoice_number},
        )
    return _detail_redirect(order)


@admin_only
@require_POST
def sale_resend(request, invoice_number: str):
    order = _get_sale(invoice_number)
    try:
        services.order_resend_notification(order=order, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Notifikasi dikirim ulang ke %(email)s.") % {"email": order.buyer_email})
    next_url = request.POST.get("next", "")
    if next_url == "list":
        return redirect("orders:admin_sales")
    return _detail_redirect(order)


@admin_only
@require_POST
def sale_cancel(request, invoice_number: str):
    order = _get_sale(invoice_number)
    try:
        services.order_cancel(order=order, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pesanan %(invoice)s dibatalkan.") % {"invoice": order.invoice_number})
    return _detail_redirect(order)


@admin_only
@require_POST
def sale_review(request, invoice_number: str):
    order = _get_sale(invoice_number)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _form_invalid(request, order, review_form=form)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.order_review_resolve(order=order, actor=request.user, accept=accept, note=form.cleaned_data["note"])
    except ServiceError as exc:
        if exc.errors.get("reason"):
            form.add_error("note", exc.errors["reason"][0])
            return _form_invalid(request, order, review_form=form)
        messages.error(request, exc.message)
    else:
        if accept:
            messages.success(
                request, _("Pembayaran diterima; pesanan %(invoice)s lunas.") % {"invoice": order.invoice_number}
            )
        else:
            messages.success(request, _("Pembayaran ditolak dan pengembalian dana dicatat."))
    return _detail_redirect(order)


@admin_only
def sales_awaiting(request):
    """The "Menunggu konfirmasi" queue: pending orders whose buyer uploaded a transfer proof."""
    page = paginate(request, selectors.orders_awaiting_confirmation())
    return render(request, "orders/admin/awaiting.html", {"page_obj": page, "orders": page.object_list})
