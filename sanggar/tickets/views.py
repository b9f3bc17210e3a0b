"""Pages of tickets: the member's "Tiket Support" (list, new, thread with reply / close / reopen / rating), the
support agents' queue and ticket page (claim, assign, reply, internal note, status, priority) and the report."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _l
from django.views.decorators.http import require_GET, require_POST

from sanggar.accounts.selectors import users_with_role
from sanggar.core.exceptions import ServiceError
from sanggar.core.files import private_file_response
from sanggar.core.forms import add_service_errors
from sanggar.core.listing import Filter, paginate
from sanggar.core.permissions import login_required, role_required
from sanggar.core.roles import Role
from sanggar.orders.models import Order

from . import selectors, services
from .constants import MEMBER_PAGE_SIZE, STAFF_PAGE_SIZE, MessageKind, TicketCategory, TicketPriority, TicketStatus
from .forms import CannedReplyForm, RateForm, ReplyForm, StaffActionForm, TicketForm
from .links import ticket_link_choices
from .models import CannedReply, TicketAttachment

staff_only = role_required(Role.ADMIN, Role.SUPPORT)
admin_only = role_required(Role.ADMIN)


def _orders(user):
    return list(Order.objects.filter(buyer=user).order_by("-created_at", "-id")[:20])


# ---------------------------------------------------------------------------------------------------------------
# Members


@login_required
@require_GET
def ticket_list(request):
    q = request.GET.get("q", "").strip()[:100]
    status = Filter(request, "status", _l("Status"), TicketStatus.choices)
    page = paginate(
        request, selectors.tickets_for_member(user=request.user, status=status.value, q=q), MEMBER_PAGE_SIZE
    )
    return render(request, "tickets/list.html", {"page_obj": page, "search": q, "filters": [status]})


@login_required
def ticket_create(request):
    orders = _orders(request.user)
    links = ticket_link_choices(request.user)
    if request.method == "POST":
        form = TicketForm(request.POST, orders=orders, links=links)
        if form.is_valid():
            order = next((o for o in orders if o.pk == form.cleaned_data["order"]), None)
            try:
                ticket = services.ticket_open(
                    user=request.user,
                    category=form.cleaned_data["category"],
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    order=order,
                    files=request.FILES.getlist("attachments"),
                    role=request.session.get("active_role", ""),
                    link=form.cleaned_data.get("link") or "",
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request, _l("Tiket %(n)s terkirim. Tim support akan membalas secepatnya.") % {"n": ticket.number}
                )
                return redirect("tickets:detail", number=ticket.number)
    else:
        form = TicketForm(orders=orders, links=links, initial={"category": request.GET.get("kategori", "")[:20]})
    return render(request, "tickets/create.html", {"form": form})


@login_required
def ticket_detail(request, number: str):
    ticket = selectors.ticket_for_member(user=request.user, number=number[:20])
    if ticket is None:
        raise Http404
    reply_form = ReplyForm()
    rate_form = RateForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "reply":
                reply_form = ReplyForm(request.POST)
                if reply_form.is_valid():
                    services.ticket_reply(
                        ticket=ticket, actor=request.user, body=reply_form.cleaned_data["body"],
                        files=request.FILES.getlist("attachments"),
                    )  # fmt: skip
                    messages.success(request, _l("Balasan terkirim."))
                    return redirect("tickets:detail", number=ticket.number)
            elif action == "close":
                services.ticket_close(ticket=ticket, actor=request.user)
                messages.success(request, _l("Tiket ditutup."))
                return redirect("tickets:detail", number=ticket.number)
            elif action == "reopen":
                services.ticket_reopen(ticket=ticket, actor=request.user)
                messages.success(request, _l("Tiket dibuka kembali."))
                return redirect("tickets:detail", number=ticket.number)
            elif action == "rate":
                rate_form = RateForm(request.POST)
                if rate_form.is_valid():
                    services.ticket_rate(
                        ticket=ticket, user=request.user, rating=rate_form.cleaned_data["rating"],
                        comment=rate_form.cleaned_data["comment"],
                    )  # fmt: skip
                    messages.success(request, _l("Terima kasih atas penilaian Anda."))
                    return redirect("tickets:detail", number=ticket.number)
            else:
                messages.error(request, _l("Aksi tidak dikenal."))
        except ServiceError as exc:
            add_service_errors(rate_form if action == "rate" else reply_form, exc)
    return render(
        request,
        "tickets/detail.html",
        {
            "ticket": ticket,
            "thread": selectors.thread(ticket=ticket, include_notes=False),
            "reply_form": reply_form,
            "rate_form": rate_form,
        },
    )


@login_required
@require_GET
def attachment(request, pk: int):
    """Sends an attachment to who may read its ticket (a note's attachment: staff only). Never a public URL."""
    item = TicketAttachment.objects.select_related("message", "message__ticket").filter(pk=pk).first()
    if item is None or not services.can_view(request.user, item.message.ticket):
        raise Http404
    if item.message.kind == MessageKind.NOTE and not services.is_staff(request.user):
        raise Http404
    if not item.file or not item.file.storage.exists(item.file.name):
        raise Http404
    inline = item.extension in ("png", "jpg", "jpeg", "webp")
    response = private_file_response(item.file, as_attachment=not inline, filename=item.original_name)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# ---------------------------------------------------------------------------------------------------------------
# Support agents


VIEWS = (("unassigned", "Antrean belum diambil"), ("mine", "Tiket saya"), ("late", "Lewat target"), ("all", "Semua"))


@staff_only
@require_GET
def staff_queue(request):
    view = request.GET.get("view", "unassigned")
    view = view if view in dict(VIEWS) else "unassigned"
    q = request.GET.get("q", "").strip()[:100]
    status = Filter(request, "status", _l("Status"), TicketStatus.choices)
    priority = Filter(request, "priority", _l("Prioritas"), TicketPriority.choices)
    category = Filter(request, "category", _l("Kategori"), TicketCategory.choices)
    qs = selectors.staff_queue(
        user=request.user, view=view, status=status.value, priority=priority.value, category=category.value, q=q
    )
    page = paginate(request, qs, STAFF_PAGE_SIZE)
    return render(
        request,
        "tickets/staff/queue.html",
        {
            "page_obj": page,
            "search": q,
            "filters": [status, priority, category],
            "view": view,
            "views": [(key, _l(label)) for key, label in VIEWS],
            "numbers": selectors.support_numbers(user=request.user),
        },
    )


@staff_only
def staff_detail(request, number: str):
    ticket = selectors.ticket_for_staff(user=request.user, number=number[:20])
    if ticket is None:
        raise Http404
    reply_form = ReplyForm()
    action_form = StaffActionForm(initial={"status": ticket.status, "priority": ticket.priority})
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("reply", "note"):
                reply_form = ReplyForm(request.POST)
                if reply_form.is_valid():
                    services.ticket_reply(
                        ticket=ticket, actor=request.user, body=reply_form.cleaned_data["body"],
                        files=request.FILES.getlist("attachments"), internal=action == "note",
                    )  # fmt: skip
                    messages.success(request, _l("Catatan disimpan.") if action == "note" else _l("Balasan terkirim."))
                    return redirect("tickets:staff_detail", number=ticket.number)
            elif action == "claim":
                services.ticket_claim(ticket=ticket, agent=request.user)
                messages.success(request, _l("Tiket diambil."))
                return redirect("tickets:staff_detail", number=ticket.number)
            elif action == "assign":
                raw = str(request.POST.get("agent", ""))
                agent = (
                    get_user_model().objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 10 else None
                )
                services.ticket_assign(ticket=ticket, actor=request.user, agent=agent)
                messages.success(request, _l("Tiket ditugaskan."))
                return redirect("tickets:staff_detail", number=ticket.number)
            elif action == "update":
                action_form = StaffActionForm(request.POST)
                if action_form.is_valid():
                    if action_form.cleaned_data["priority"]:
                        services.ticket_set_priority(
                            ticket=ticket, actor=request.user, priority=action_form.cleaned_data["priority"]
                        )
                    if action_form.cleaned_data["status"]:
                        services.ticket_set_status(
                            ticket=ticket, actor=request.user, status=action_form.cleaned_data["status"]
                        )
                    messages.success(request, _l("Tiket diperbarui."))
                    return redirect("tickets:staff_detail", number=ticket.number)
            else:
                messages.error(request, _l("Aksi tidak dikenal."))
        except ServiceError as exc:
            messages.error(request, exc.message)
            if action in ("reply", "note"):
                add_service_errors(reply_form, exc)
    agents = []
    if request.user.has_role(Role.ADMIN):
        agents = list(users_with_role(role=Role.SUPPORT).order_by("full_name")[:100])
    recent_orders = list(Order.objects.filter(buyer=ticket.user).order_by("-created_at")[:5])
    return render(
        request,
        "tickets/staff/detail.html",
        {
            "ticket": ticket,
            "thread": selectors.thread(ticket=ticket, include_notes=True),
            "reply_form": reply_form,
            "action_form": action_form,
            "agents": agents,
            "recent_orders": recent_orders,
            "canned": [
                {"title": c.title, "body": services.canned_reply_render(reply=c, ticket=ticket, agent=request.user)}
                for c in selectors.canned_replies(category=ticket.category)
            ],
        },
    )


@admin_only
@require_GET
def staff_report(request):
    try:
        days = max(1, min(int(request.GET.get("hari", 30)), 365))
    except ValueError:
        days = 30
    data = selectors.report(days=days)
    labels = dict(TicketCategory.choices)
    for row in data["per_category"]:
        row["label"] = labels.get(row["category"], row["category"])
    top = max([row["n"] for row in data["per_category"]] or [1])
    return render(request, "tickets/staff/report.html", {"report": data, "top": top})


# ---------------------------------------------------------------------------------------------------------------
# Canned replies ("Balasan Cepat")


@staff_only
def canned_list(request):
    form = CannedReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.canned_reply_save(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _l("Balasan cepat disimpan."))
            return redirect("tickets:canned_list")
    replies = selectors.canned_replies(active_only=False)
    return render(request, "tickets/staff/canned.html", {"form": form, "replies": replies, "reply": None},
                  status=400 if form.errors else 200)  # fmt: skip


@staff_only
def canned_edit(request, pk: int):
    reply = get_object_or_404(CannedReply, pk=pk)
    initial = {"title": reply.title, "category": reply.category, "body": reply.body, "active": reply.active}
    form = CannedReplyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.canned_reply_save(actor=request.user, reply=reply, **form.cleaned_data)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _l("Balasan cepat diperbarui."))
            return redirect("tickets:canned_list")
    replies = selectors.canned_replies(active_only=False)
    return render(request, "tickets/staff/canned.html", {"form": form, "replies": replies, "reply": reply},
                  status=400 if form.errors else 200)  # fmt: skip


@staff_only
@require_POST
def canned_delete(request, pk: int):
    reply = get_object_or_404(CannedReply, pk=pk)
    services.canned_reply_delete(actor=request.user, reply=reply)
    messages.success(request, _l("Balasan cepat dihapus."))
    return redirect("tickets:canned_list")
