from django.shortcuts import render

from sanggar.core.context_processors import active_role
from sanggar.core.permissions import login_required

from .registry import cards_for


@login_required
def home(request):
    role = active_role(request)
    return render(request, "dashboard/home.html", {"cards": cards_for(role, request), "role": role})
