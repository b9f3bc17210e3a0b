"""Admin pages of challenges: the list, one form page for create and edit (with the standings), delete."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanggar.core.exceptions import ServiceError
from sanggar.core.forms import add_service_errors
from sanggar.core.listing import paginate
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from .. import selectors_stats as stats_selectors
from .. import services_ui
from ..constants import ChallengePeriod
from ..forms_ui import ChallengeForm, local_input
from ..models import AffiliateProfile, Challenge

STANDINGS = 10

admin_only = role_required(Role.ADMIN)


@admin_only
def challenge_list(request):
    now = timezone.now()
    page = paginate(request, Challenge.objects.order_by("-starts_at", "-id"))
    rows = [
        {
            "challenge": c,
            "state": "upcoming" if c.starts_at > now else ("closed" if c.ends_at <= now else "running"),
        }
        for c in page.object_list
    ]
    return render(request, "affiliates/admin_challenges.html", {"page_obj": page, "rows": rows})


def _standings(challenge):
    counts = stats_selectors.challenge_sales_counts(challenge=challenge)[:STANDINGS]
    profiles = AffiliateProfile.objects.select_related("user").in_bulk([row["affiliate_id"] for row in counts])
    return [
        {
            "affiliate": profiles.get(row["affiliate_id"]),
            "sales": row["sales"],
            "reached": row["sales"] >= challenge.target_sales,
        }
        for row in counts
    ]


def _save(request, challenge=None):
    if request.method == "POST":
        form = ChallengeForm(request.POST)
        if form.is_valid():
            try:
                if challenge is None:
                    challenge = services_ui.challenge_create(actor=request.user, **form.cleaned_data)
                else:
                    challenge = services_ui.challenge_update(
                        challenge=challenge, actor=request.user, **form.cleaned_data
                    )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Challenge %(title)s disimpan.") % {"title": challenge.title})
                return redirect("affiliates:admin_challenges")
    elif challenge is None:
        form = ChallengeForm(initial={"period": ChallengePeriod.WEEKLY, "is_active": True})
    else:
        form = ChallengeForm(
            initial={
                "title": challenge.title,
                "description": challenge.description,
                "period": challenge.period,
                "starts_at": local_input(challenge.starts_at),
                "ends_at": local_input(challenge.ends_at),
                "target_sales": challenge.target_sales,
                "reward": challenge.reward,
                "is_active": challenge.is_active,
            }
        )
    context = {"form": form, "challenge": challenge}
    if challenge is not None:
        context["standings"] = _standings(challenge)
        context["awarded"] = challenge.awards.count()
    return render(request, "affiliates/admin_challenges_form.html", context)


@admin_only
def challenge_create(request):
    return _save(request)


@admin_only
def challenge_edit(request, pk: int):
    return _save(request, get_object_or_404(Challenge, pk=pk))


@admin_only
@require_POST
def challenge_delete(request, pk: int):
    challenge = get_object_or_404(Challenge, pk=pk)
    try:
        services_ui.challenge_delete(challenge=challenge, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("affiliates:admin_challenge_edit", pk=pk)
    messages.success(request, _("Challenge %(title)s dihapus.") % {"title": challenge.title})
    return redirect("affiliates:admin_challenges")
