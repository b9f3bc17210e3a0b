"""Dashboard card of the Booster Suite for affiliates: bio page views and clicks, leads, credits."""

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from sanggar.affiliates.models import AffiliateProfile
from sanggar.core.roles import Role
from sanggar.dashboard.registry import Card, Stat, card

from .constants import LeadStatus
from .models import BioButton, BioPage, Lead
from .services import credits


@card(roles=(Role.AFFILIATE,), order=25)
def booster(request) -> Card | None:
    affiliate = AffiliateProfile.objects.filter(user=request.user).first()
    if affiliate is None:
        return None
    page = BioPage.objects.filter(affiliate=affiliate).first()
    clicks = BioButton.objects.filter(page=page).aggregate(n=Coalesce(Sum("click_count"), 0))["n"] if page else 0
    counts = Lead.objects.filter(affiliate=affiliate).aggregate(
        total=Count("id"), converted=Count("id", filter=Q(status=LeadStatus.CONVERTED))
    )
    available, _reserved = credits.balances_for(affiliate)
    return Card(
        title=_("Booster Suite"),
        icon="rocket",
        value=str(clicks),
        hint=_("klik tombol bio"),
        link=reverse("booster:bio_edit"),
        link_label=_("Atur halaman bio"),
        style="list",
        stats=(
            Stat(_("Kunjungan bio"), str(page.view_count if page else 0), reverse("booster:bio_edit")),
            Stat(_("Lead"), str(counts["total"]), reverse("booster:leads")),
            Stat(_("Lead membeli"), str(counts["converted"]), reverse("booster:leads") + "?status=converted"),
            Stat(_("Kredit email"), str(available), reverse("booster:credits")),
        ),
    )
