"""Training pages: the public `/order` (open and published batches with their tiers), `/register/<batch>/<tier>` into
the normal checkout, the participant's trainings and workspace `/training/<batch>`, and the admin's batches, tiers and
participants (manual addition)."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sanggar.core.exceptions import NotFound, ServiceError
from sanggar.core.listing import paginate
from sanggar.core.permissions import login_required, role_required
from sanggar.core.request_context import client_ip
from sanggar.core.roles import Role
from sanggar.orders.checkout import checkout_place
from sanggar.orders.services import ItemRequest

from . import selectors, services
from .constants import ITEM_KIND, BatchStatus, ParticipantStatus
from .models import Participant, TrainingBatch, TrainingTier

PROVIDER_LABELS = {"manual": "Transfer manual", "xendit": "Xendit", "midtrans": "Midtrans", "scalev": "Scalev"}


def _providers():
    return [(p, PROVIDER_LABELS.get(p, p)) for p in settings.PAYMENT_PROVIDERS]


def order(request):
    page = paginate(request, selectors.listed_batches(), per_page=10)
    return render(request, "trainings/order.html", {"page_obj": page, "rows": page.object_list})


def register(request, batch, tier):
    try:
        tier_obj = services.tier_for_sale(batch_slug=batch[:160], tier_slug=tier[:120])
    except NotFound:
        raise Http404 from None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            participant = services.register(user=request.user, batch_slug=tier_obj.batch.slug, tier_slug=tier_obj.slug)
            result = checkout_place(
                buyer=request.user,
                items=[ItemRequest(kind=ITEM_KIND, slug=str(participant.pk))],
                coupon_code=request.POST.get("coupon", "")[:40].replace("\x00", ""),
                provider=request.POST.get("provider", "")[:20],
                client_ip=client_ip(request),
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("trainings:register", batch=tier_obj.batch.slug, tier=tier_obj.slug)
        return redirect(result.redirect_url)
    return render(
        request, "trainings/register.html", {"tier": tier_obj, "batch": tier_obj.batch, "providers": _providers()}
    )


@login_required
def mine(request):
    page = paginate(request, selectors.my_trainings(request.user))
    return render(request, "trainings/mine.html", {"page_obj": page, "rows": page.object_list})


@login_required
def workspace(request, batch):
    participant = (
        Participant.objects.select_related("batch", "tier")
        .filter(user=request.user, batch__slug=batch[:160], status=ParticipantStatus.PAID)
        .first()
    )
    if participant is None:
        raise Http404
    courses = services.tier_courses(participant.tier, limit=100)
    return render(
        request, "trainings/workspace.html", {"p": participant, "batch": participant.batch, "courses": courses}
    )


def _date(raw):
    try:
        return date.fromisoformat((raw or "")[:10])
    except ValueError:
        return None


@role_required(Role.ADMIN)
def admin_batches(request):
    if request.method == "POST":
        try:
            batch = services.batch_create(
                actor=request.user,
                name=request.POST.get("name", ""),
                starts_on=_date(request.POST.get("starts_on")),
                ends_on=_date(request.POST.get("ends_on")),
                capacity=request.POST.get("capacity", ""),
                location=request.POST.get("location", ""),
                is_online=request.POST.get("is_online") == "on",
                status=request.POST.get("status", BatchStatus.DRAFT),
                trainer=request.POST.get("trainer", ""),
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Batch dibuat."))
            return redirect("trainings:admin_batch", slug=batch.slug)
    page = paginate(request, TrainingBatch.objects.order_by("-starts_on", "-pk"))
    return render(
        request,
        "trainings/admin_batches.html",
        {"page_obj": page, "rows": page.object_list, "statuses": BatchStatus.choices},
    )


@role_required(Role.ADMIN)
def admin_batch(request, slug):
    batch = get_object_or_404(TrainingBatch, slug=slug[:160])
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "tier":
                services.tier_create(
                    actor=request.user,
                    batch=batch,
                    name=request.POST.get("name", ""),
                    price=request.POST.get("price", ""),
                    benefits=request.POST.get("benefits", ""),
                    course_ids=request.POST.getlist("courses")[:100],
                )
                messages.success(request, _("Tier ditambahkan."))
            elif action == "batch":
                batch = services.batch_update(
                    actor=request.user,
                    batch=batch,
                    data={
                        "name": request.POST.get("name", ""),
                        "starts_on": _date(request.POST.get("starts_on")),
                        "ends_on": _date(request.POST.get("ends_on")),
                        "capacity": request.POST.get("capacity", ""),
                        "location": request.POST.get("location", ""),
                        "is_online": request.POST.get("is_online") == "on",
                        "status": request.POST.get("status", ""),
                        "trainer": request.POST.get("trainer", ""),
                        "rundown": request.POST.get("rundown", ""),
                    },
                )
                messages.success(request, _("Batch disimpan."))
            elif action == "tier_edit":
                tier = get_object_or_404(TrainingTier, batch=batch, pk=_pk(request.POST.get("tier")))
                services.tier_update(
                    actor=request.user,
                    tier=tier,
                    data={
                        "name": request.POST.get("name", ""),
                        "price": request.POST.get("price", ""),
                        "benefits": request.POST.get("benefits", ""),
                        "access_days": request.POST.get("access_days", "").strip(),
                        "position": request.POST.get("position", "") or 0,
                        "scalev_variant_id": request.POST.get("scalev_variant_id", ""),
                        "course_ids": request.POST.getlist("courses")[:100],
                    },
                )
                messages.success(request, _("Tier disimpan."))
            elif action == "tier_regrant":
                tier = get_object_or_404(TrainingTier, batch=batch, pk=_pk(request.POST.get("tier")))
                changed = services.tier_regrant(tier=tier, actor=request.user)
                messages.success(request, _("Akses peserta diselaraskan (%(n)s perubahan).") % {"n": changed})
            else:
                email = request.POST.get("email", "").strip()[:254].replace("\x00", "")
                user = get_user_model().objects.filter(email__iexact=email).first() if email else None
                tier = TrainingTier.objects.filter(batch=batch, pk=_pk(request.POST.get("tier"))).first()
                if user is None or tier is None:
                    raise ServiceError(_("Pengguna atau tier tidak ditemukan."))
                services.participant_add(actor=request.user, user=user, tier=tier)
                messages.success(request, _("Peserta ditambahkan."))
        except ServiceError as exc:
            messages.error(request, exc.message)
        return redirect("trainings:admin_batch", slug=batch.slug)
    page = paginate(request, selectors.batch_participants(batch))
    tiers = list(batch.tiers.prefetch_related("courses"))
    for t in tiers:
        t.course_ids = {c.pk for c in t.courses.all()}
    paid = batch.participants.filter(status=ParticipantStatus.PAID).count()
    return render(
        request,
        "trainings/admin_batch.html",
        {
            "batch": batch,
            "tiers": tiers,
            "page_obj": page,
            "rows": page.object_list,
            "paid": paid,
            "courses": list(services.linkable_courses()[:200]),
            "statuses": BatchStatus.choices,
        },
    )


def _pk(raw):
    try:
        return int(raw)
    except (TypeError, ValueError):
        return 0
