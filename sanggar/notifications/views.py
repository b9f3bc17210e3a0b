"""Pages of the notification centre (every signed-in user) and of the admin's templates and delivery log."""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanggar.core.exceptions import NotFound, ServiceError
from sanggar.core.forms import add_service_errors
from sanggar.core.listing import Filter, paginate
from sanggar.core.permissions import login_required, role_required
from sanggar.core.roles import Role

from . import provider_events, selectors, services, smart_rules
from .constants import NOTIFICATIONS_PER_PAGE, SHORTCODES, TEMPLATES_PER_PAGE, TEXT_FIELDS, Channel, DeliveryStatus
from .forms import MessageTemplateForm
from .realtime import notification_payload
from .registry import group_choices, group_keys, group_label, groups, kind_get, source_kinds
from .rendering import SHORTCODE_RE, absolute_url, dashboard_link, email_content

admin_required = role_required(Role.ADMIN)


def _safe_target(request, url: str) -> str:
    """`url` when it stays on this site (a relative link or SITE_URL's host), else ""."""
    if not url:
        return ""
    hosts = {request.get_host(), urlsplit(settings.SITE_URL).netloc}
    return url if url_has_allowed_host_and_scheme(url, allowed_hosts=hosts) else ""


# --- following a group, course or event ("Ikuti notifikasi") ------------------------------------------------


@require_POST
@login_required
def subscription_toggle(request):
    """The pages' "Ikuti notifikasi" / "Berhenti mengikuti" buttons: back to the page (`next`) with a message."""
    source = str(request.POST.get("source", ""))[:60]
    on = request.POST.get("subscribed") == "1"
    try:
        services.subscription_follow(user=request.user, source=source, subscribed=on)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Anda mengikuti notifikasinya.") if on else _("Anda berhenti mengikuti notifikasinya."),
        )
    return redirect(_safe_target(request, request.POST.get("next", "")) or "notifications:list")


# --- admin: smart rules --------------------------------------------------------------------------------------


@admin_required
@require_http_methods(["GET", "POST"])
def admin_smart_rules(request):
    """The smart rules (PRD v7.3 part 10): each on or off, with its threshold."""
    errors: dict = {}
    posted = {}
    if request.method == "POST":
        for rule in smart_rules.rules():
            posted[rule.key] = {
                "enabled": request.POST.get(f"{rule.key}-enabled") == "1",
                "value": str(request.POST.get(f"{rule.key}-value", ""))[:100],
            }
        try:
            changed = smart_rules.smart_rules_save(actor=request.user, values=posted)
        except ServiceError as exc:
            messages.error(request, exc.message)
            errors = exc.errors or {}
        else:
            messages.success(
                request, _("%(n)s aturan diubah.") % {"n": changed} if changed else _("Tidak ada perubahan.")
            )
            return redirect("notifications:admin_smart_rules")
    rows = []
    for rule in smart_rules.rules():
        state = smart_rules.rule_state(rule.key)
        value = state.value
        if rule.unit == smart_rules.Unit.MINUTES:
            value = ", ".join(str(v) for v in value)
        if rule.key in posted:
            value = posted[rule.key]["value"]
        enabled = posted[rule.key]["enabled"] if rule.key in posted else state.enabled
        unit_label = smart_rules.UNIT_LABELS.get(rule.unit, "")
        rows.append((rule, enabled, "" if value is None else value, unit_label, errors.get(rule.key, [])))
    return render(request, "notifications/admin/smart_rules.html", {"rows": rows})


# --- notification centre -----------------------------------------------------------------------------------


@login_required
def notification_list(request):
    user = request.user
    kind_filter = Filter(request, "kind", _("Jenis"), group_choices())
    # One filter per registered source kind ("Kelas": the courses the user has notifications from).
    entries = source_kinds()
    sources = selectors.source_choices(user=user, kinds=[entry.kind for entry in entries])
    source_filters = [Filter(request, "sumber", entry.label, sources.get(entry.kind, [])) for entry in entries]
    source = next((f.value for f in source_filters if f.value), "")
    unread_only = request.GET.get("unread") == "1"
    archived = request.GET.get("archived") == "1"
    qs = selectors.notification_list(
        user=user, kind=kind_filter.value, unread=unread_only, archived=archived, source=source
    )
    page_obj = paginate(request, qs, NOTIFICATIONS_PER_PAGE)
    return render(
        request,
        "notifications/list.html",
        {
            "page_obj": page_obj,
            "notifications": page_obj.object_list,
            "kind_filter": kind_filter,
            "source_filters": [f for f in source_filters if f.options],
            "source": source,
            "unread_only": unread_only,
            "archived": archived,
        },
    )


@require_POST
@login_required
def notification_read(request, pk: int):
    """Marks one notification read, then opens its link (only links on this site) or goes back."""
    try:
        notification = services.notification_mark_read(user=request.user, notification_id=pk)
    except NotFound:
        raise Http404 from None
    target = _safe_target(request, notification.link) or _safe_target(request, request.POST.get("next", ""))
    return redirect(target or reverse("notifications:list"))


@require_POST
@login_required
def notification_archive(request, pk: int):
    """Archives one notification (or brings it back with `archived=0`), then goes back to the list."""
    archived = request.POST.get("archived", "1") != "0"
    try:
        services.notification_archive(user=request.user, notification_id=pk, archived=archived)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Notifikasi diarsipkan.") if archived else _("Notifikasi dikembalikan dari arsip."))
    return redirect(_safe_target(request, request.POST.get("next", "")) or reverse("notifications:list"))


@require_POST
@login_required
def notification_read_all(request):
    changed = services.notification_mark_all_read(user=request.user)
    if changed:
        messages.success(request, _("%(n)s notifikasi ditandai sudah dibaca.") % {"n": changed})
    else:
        messages.info(request, _("Tidak ada notifikasi yang belum dibaca."))
    return redirect(_safe_target(request, request.POST.get("next", "")) or reverse("notifications:list"))


@never_cache
@require_GET
def notification_badge(request):
    """The bell's fallback when its websocket is down: polled every 60 s."""
    user = request.user
    if not user.is_authenticated:
        return JsonResponse({"detail": _("Silakan masuk terlebih dahulu.")}, status=401)
    latest = selectors.notification_list(user=user, unread=True).first()
    return JsonResponse(
        {
            "unread": selectors.unread_count(user=user),
            "latest": notification_payload(latest) if latest else None,
        }
    )


@never_cache
@require_GET
@login_required
def notification_dropdown(request):
    """The bell's dropdown (loaded when it opens): the latest notifications; `?grup=course` only the classes'
    (the dropdown's "Kelas" tab). An unknown group shows everything."""
    group = request.GET.get("grup", "")[:40]
    group = group if group in group_keys() else ""
    return render(
        request,
        "notifications/_dropdown.html",
        {"notifications": selectors.notification_latest(user=request.user, kind=group), "group": group},
    )


# --- unsubscribe (public, signed) and the admin's suppression list ----------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """The signed link at the foot of every broadcast email: GET asks, POST puts the address on the suppression list
    (no sign-in: the signature is the proof). A forged or broken link is a 404 page."""
    email = services.unsubscribe_email(token)
    if not email:
        return render(request, "notifications/unsubscribe.html", {"email": ""}, status=404)
    done = False
    if request.method == "POST":
        services.suppression_add(email=email)
        done = True
    return render(request, "notifications/unsubscribe.html", {"email": email, "done": done})


@csrf_exempt  # a mail client's one-click POST (RFC 8058) carries no CSRF cookie: the signed token is the proof
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_one_click(request, token: str):
    """The `List-Unsubscribe` header's target: a POST (the mail client's "Unsubscribe" button) puts the address on
    the suppression list at once; a GET (a client that opens it as a link) goes to the page that asks first."""
    email = services.unsubscribe_email(token)
    if not email:
        return render(request, "notifications/unsubscribe.html", {"email": ""}, status=404)
    if request.method == "GET":
        return redirect("notifications:unsubscribe", token=token)
    services.suppression_add(email=email)
    return render(request, "notifications/unsubscribe.html", {"email": email, "done": True})


@admin_required
def admin_suppression(request):
    search = request.GET.get("q", "").strip()[:100]
    page_obj = paginate(request, selectors.suppression_list(q=search))
    return render(
        request,
        "notifications/admin/suppression.html",
        {"page_obj": page_obj, "rows": page_obj.object_list, "search": search, "filters": []},
    )


@require_POST
@admin_required
def admin_suppression_remove(request, pk: int):
    try:
        services.suppression_remove(suppression_id=pk, actor=request.user)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("Alamat dihapus dari daftar; broadcast email akan terkirim lagi ke alamat itu."))
    return redirect("notifications:admin_suppression")


# --- admin: role rules ---------------------------------------------------------------------------------------


@admin_required
@require_http_methods(["GET", "POST"])
def admin_rules(request):
    """Which roles receive which kinds of notification (a grid of preference groups x roles)."""
    if request.method == "POST":
        pairs = []
        for value in request.POST.getlist("rule")[:500]:
            group, _sep, role = str(value).partition(":")
            pairs.append((group, role))
        changed = services.role_rules_save(actor=request.user, enabled_pairs=pairs)
        messages.success(request, _("%(n)s aturan diubah.") % {"n": changed} if changed else _("Tidak ada perubahan."))
        return redirect("notifications:admin_rules")
    matrix = selectors.role_rule_matrix()
    rows = [
        (group, [(role, label, matrix.get((group.key, role), True)) for role, label in Role.choices])
        for group in groups()
    ]
    return render(request, "notifications/admin/rules.html", {"rows": rows, "roles": Role.choices})


# --- admin: message templates --------------------------------------------------------------------------------

TEMPLATE_FORM_FIELDS = ("name", *TEXT_FIELDS, "is_active")


@admin_required
def admin_templates(request):
    """Every message the platform sends, one template per notification kind: filter by group, search, paginated."""
    group_filter = Filter(request, "group", _("Grup"), group_choices())
    search = request.GET.get("q", "").strip()[:100]
    templates = selectors.message_template_list(group=group_filter.value, q=search)
    page_obj = paginate(request, templates, TEMPLATES_PER_PAGE)
    rows = [(template, kind_get(template.key)) for template in page_obj.object_list]
    return render(
        request,
        "notifications/admin/templates.html",
        {"page_obj": page_obj, "rows": rows, "filters": [group_filter], "search": search},
    )


def _preview_context(kind) -> dict:
    """The kind's example values; a site-relative example link becomes absolute, as in a real message."""
    values = {"link": dashboard_link()}
    for code, value in kind.sample.items():
        values[code] = absolute_url(value) if isinstance(value, str) and value.startswith("/") else value
    return values


def _unknown_shortcodes(known, *texts: str) -> list[str]:
    found = []
    for text in texts:
        for code in SHORTCODE_RE.findall(text or ""):
            if code not in known and f"{{{code}}}" not in found:
                found.append(f"{{{code}}}")
    return found


def _template_or_404(key: str):
    try:
        return selectors.message_template_get(key=key)
    except NotFound:
        raise Http404 from None


@admin_required
def admin_template_edit(request, key: str):
    template = _template_or_404(key)
    kind = kind_get(template.key)
    if request.method == "POST":
        form = MessageTemplateForm(
            request.POST, required_active=kind.required, email_required=bool(kind.defaults.email_body)
        )
        if form.is_valid():
            values = {f: form.cleaned_data[f] for f in TEMPLATE_FORM_FIELDS}
            if "preview" in request.POST:
                # Show the unsaved texts in the preview; nothing is stored.
                for field, value in values.items():
                    setattr(template, field, value)
            else:
                try:
                    services.message_template_update(template=template, actor=request.user, **values)
                except ServiceError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("Template “%(name)s” disimpan.") % {"name": values["name"]})
                    return redirect("notifications:admin_template_edit", key=template.key)
    else:
        form = MessageTemplateForm(
            initial={f: getattr(template, f) for f in TEMPLATE_FORM_FIELDS},
            required_active=kind.required,
            email_required=bool(kind.defaults.email_body),
        )
    rendered = services.message_template_render(template=template, user=request.user, context=_preview_context(kind))
    email = email_content(subject=rendered.subject, text=rendered.email_text) if rendered.email_text else None
    shortcodes = (*SHORTCODES, *kind.shortcodes)
    known = {code for code, _label in shortcodes}
    return render(
        request,
        "notifications/admin/template_edit.html",
        {
            "template": template,
            "kind": kind,
            "group_label": group_label(kind.group),
            "channel_labels": [Channel(c).label for c in kind.channels],
            "form": form,
            "shortcodes": shortcodes,
            "rendered": rendered,
            "email_html": email.html if email else "",
            "unknown_shortcodes": _unknown_shortcodes(known, *(getattr(template, f) for f in TEXT_FIELDS)),
        },
    )


@require_POST
@admin_required
def admin_template_reset(request, key: str):
    """Puts the kind's default texts back (the admin confirmed on the edit page)."""
    template = _template_or_404(key)
    services.message_template_reset(key=template.key, actor=request.user)
    messages.success(request, _("Template “%(name)s” dikembalikan ke teks bawaan.") % {"name": template.name})
    return redirect("notifications:admin_template_edit", key=template.key)


# --- admin: delivery log ---------------------------------------------------------------------------------------


@admin_required
def admin_deliveries(request):
    channel_filter = Filter(request, "channel", _("Kanal"), Channel.choices)
    status_filter = Filter(request, "status", _("Status"), DeliveryStatus.choices)
    search = request.GET.get("q", "").strip()[:100]
    qs = selectors.delivery_list(channel=channel_filter.value, status=status_filter.value, q=search)
    page_obj = paginate(request, qs)
    return render(
        request,
        "notifications/admin/deliveries.html",
        {
            "page_obj": page_obj,
            "deliveries": page_obj.object_list,
            "filters": [channel_filter, status_filter],
            "search": search,
        },
    )


@admin_required
def admin_delivery_detail(request, pk: int):
    try:
        delivery = selectors.delivery_get(delivery_id=pk)
    except NotFound:
        raise Http404 from None
    return render(
        request,
        "notifications/admin/delivery_detail.html",
        {
            "delivery": delivery,
            # a private kind's message (a chat preview) is hidden here: Delivery.shown_* (registry: private)
            "response_json": (
                json.dumps(delivery.shown_response, indent=2, ensure_ascii=False) if delivery.response else ""
            ),
            "can_retry": delivery.status == DeliveryStatus.FAILED,
        },
    )


@require_POST
@admin_required
def admin_delivery_retry(request, pk: int):
    try:
        delivery = selectors.delivery_get(delivery_id=pk)
        services.delivery_retry(delivery=delivery)
    except NotFound:
        raise Http404 from None
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Pengiriman dimasukkan kembali ke antrean."))
    return redirect("notifications:admin_delivery_detail", pk=pk)


def _provider_webhook(request, receive):
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > settings.DELIVERY_WEBHOOK_MAX_BYTES:  # refused before the body is read
        detail = _("isi terlalu besar (%(size)s byte)") % {"size": declared}
        return JsonResponse({"outcome": "rejected", "detail": detail}, status=413)
    answer = receive(headers=request.headers, query_secret=request.GET.get("secret", ""), raw_body=request.body)
    return JsonResponse({"outcome": answer.outcome, "detail": answer.detail}, status=answer.status_code)


@csrf_exempt
@require_POST
def fonnte_status_webhook(request):
    """`/webhooks/fonnte/status`: Fonnte's message-status report (provider_events.py)."""
    return _provider_webhook(request, provider_events.fonnte_status_receive)


@csrf_exempt
@require_POST
def onesignal_event_webhook(request):
    """`/webhooks/onesignal/events`: OneSignal's web push events (provider_events.py)."""
    return _provider_webhook(request, provider_events.onesignal_event_receive)
