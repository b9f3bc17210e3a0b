"""Admin pages of memberships: every member's membership (/admin/memberships, with CSV) and one member's
membership with the actions grant, extend, change plan and cancel."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanggar.catalog.models import MembershipPlan
from sanggar.core.dates import days_between
from sanggar.core.exceptions import ServiceError
from sanggar.core.formatting import rupiah
from sanggar.core.listing import Filter, csv_response, paginate
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from . import services_admin
from .billing_port import plan_change_billing
from .constants import MembershipSource, MembershipStatus
from .forms_admin import CancelForm, ChangePlanForm, ExtendForm, GrantForm
from .models import UserMembership
from .selectors import (
    membership_active_for,
    membership_admin_list,
    membership_effective_status,
    membership_history,
)

admin_only = role_required(Role.ADMIN)

EXPIRING_CHOICES = (7, 14, 30, 60)


def _filters(request):
    q = request.GET.get("q", "").strip()[:100]
    plans = list(MembershipPlan.objects.order_by("rank", "title").values_list("pk", "title"))
    plan = Filter(request, "plan", _("Paket"), plans)
    status = Filter(
        request,
        "status",
        _("Status"),
        (
            ("running", _("Aktif")),
            (MembershipStatus.EXPIRED, _("Berakhir")),
            (MembershipStatus.CANCELLED, _("Dibatalkan")),
        ),
    )
    source = Filter(request, "source", _("Sumber"), MembershipSource.choices)
    expiring = Filter(
        request, "expiring", _("Berakhir dalam"), [(d, _("%(d)s hari") % {"d": d}) for d in EXPIRING_CHOICES]
    )
    return q, [plan, status, source, expiring]


def _queryset(request, now):
    q, filters = _filters(request)
    plan, status, source, expiring = filters
    qs = membership_admin_list(
        q=q,
        plan_id=int(plan.value) if plan.value else None,
        status=status.value,
        source=source.value,
        expiring_days=int(expiring.value) if expiring.value else None,
        now=now,
    )
    return q, filters, qs


def _row(membership, now) -> dict:
    status = membership_effective_status(membership, now)
    running = status == MembershipStatus.ACTIVE
    days_left = None
    if running and membership.ends_at is not None:
        days_left = max(0, days_between(now, membership.ends_at))
    return {"m": membership, "status": status, "status_label": MembershipStatus(status).label, "days_left": days_left}


@admin_only
def membership_list(request):
    now = timezone.now()
    q, filters, qs = _queryset(request, now)
    page = paginate(request, qs)
    rows = [_row(m, now) for m in page.object_list]
    return render(
        request,
        "memberships/admin/list.html",
        {"page_obj": page, "rows": rows, "search": q, "filters": filters},
    )


@admin_only
def membership_export(request):
    now = timezone.now()
    _q, _f, qs = _queryset(request, now)
    header = [
        _("Nama"), _("Email"), _("Paket"), _("Durasi"), _("Status"), _("Mulai"), _("Berakhir"), _("Sisa hari"),
        _("Sumber"),
    ]  # fmt: skip

    def stamp(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    def rows():
        for m in qs.iterator(chunk_size=1000):
            row = _row(m, now)
            yield (
                m.user.full_name, m.user.email, m.plan.title, m.get_duration_display(), row["status_label"],
                stamp(m.starts_at), stamp(m.ends_at) if m.ends_at else _("Seumur hidup"),
                "" if row["days_left"] is None else row["days_left"], m.get_source_display(),
            )  # fmt: skip

    return csv_response("membership.csv", header, rows())


def _member(pk: int):
    user = get_user_model().objects.filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


ACTION_FORMS = {"grant": GrantForm, "extend": ExtendForm, "change_plan": ChangePlanForm, "cancel": CancelForm}


def _member_page(request, user, bound: dict | None = None, status: int = 200, error: str = ""):
    now = timezone.now()
    current = membership_active_for(user=user, now=now)
    forms = {name: form_class(prefix=name) for name, form_class in ACTION_FORMS.items()}
    forms.update(bound or {})
    history = [_row(m, now) | {"logs": list(m.logs.all())} for m in membership_history(user=user)]
    return render(
        request,
        "memberships/admin/member.html",
        {
            "member": user,
            "current": _row(current, now) if current else None,
            "forms": forms,
            "history": history,
            "error": error,
        },
        status=status,
    )


@admin_only
def member_memberships(request, pk: int):
    return _member_page(request, _member(pk))


def _run(action: str, *, user, data: dict, actor):
    if action == "grant":
        return services_admin.membership_grant(
            user=user, plan_price=data["plan_price"], reason=data["reason"], actor=actor
        )
    if action == "extend":
        return services_admin.membership_extend(
            user=user, days=data.get("days"), until=data.get("until"), reason=data["reason"], actor=actor
        )
    if action == "change_plan" and data.get("charge"):
        return plan_change_billing()(user=user, plan_price=data["plan_price"], reason=data["reason"], actor=actor)
    if action == "change_plan":
        return services_admin.membership_change_plan(
            user=user, plan_price=data["plan_price"], keep_end=data["keep_end"], reason=data["reason"], actor=actor
        )
    return services_admin.membership_cancel(user=user, expire=data["expire"], reason=data["reason"], actor=actor)


DONE_MESSAGES = {
    "grant": gettext_lazy("Membership diberikan."),
    "extend": gettext_lazy("Membership diperpanjang."),
    "change_plan": gettext_lazy("Paket membership diganti."),
    "cancel": gettext_lazy("Membership dihentikan."),
}


@admin_only
@require_POST
def member_action(request, pk: int, action: str):
    user = _member(pk)
    if action not in ACTION_FORMS:
        raise Http404
    form = ACTION_FORMS[action](request.POST, prefix=action)
    error = ""
    if form.is_valid():
        try:
            done = _run(action, user=user, data=form.cleaned_data, actor=request.user)
        except ServiceError as exc:
            error = exc.message
        else:
            if isinstance(done, UserMembership):
                messages.success(request, DONE_MESSAGES[action])
            elif done.status == "paid":
                messages.success(request, _("Paket diganti tanpa tagihan: sisa nilai paket lama menutup harganya."))
            else:
                messages.success(
                    request,
                    _("Tagihan %(invoice)s sebesar %(total)s dibuat dan dikirim ke member. Paket diganti setelah "
                      "tagihan dibayar.") % {"invoice": done.invoice_number, "total": rupiah(done.total)},
                )  # fmt: skip
            return redirect("memberships:admin_member", pk=user.pk)
    else:
        error = _("Periksa kembali isian yang ditandai.")
    return _member_page(request, user, {action: form}, status=400, error=error)
