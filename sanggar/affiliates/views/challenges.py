"""The affiliate's challenges: running, upcoming and closed ones with a progress bar of their sales in the window."""

from django.shortcuts import render
from django.utils import timezone

from .. import selectors_stats as stats_selectors
from .stats import affiliate_only, current_affiliate, no_profile


@affiliate_only
def challenges(request):
    affiliate = current_affiliate(request)
    if affiliate is None:
        return no_profile(request)
    items = stats_selectors.challenges_for(affiliate=affiliate, now=timezone.now())
    return render(request, "affiliates/challenges.html", {"items": items, "affiliate": affiliate})
