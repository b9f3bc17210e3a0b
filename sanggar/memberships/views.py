"""Member page "Membership Saya"."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from sanggar.core.permissions import login_required

from .overview import membership_overview


@login_required
@require_GET
def mine(request):
    overview = membership_overview(user=request.user)
    return render(request, "memberships/mine.html", {"o": overview})
