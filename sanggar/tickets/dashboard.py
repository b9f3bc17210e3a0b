"""Dashboard cards of tickets: the Support role's own dashboard (my queue, late tickets, today's numbers) and the
member's open tickets."""

from django.urls import reverse
from django.utils.translation import gettext as _

from sanggar.core.roles import Role
from sanggar.dashboard.registry import Card, Stat, card

from .constants import OPEN_STATUSES
from .models import Ticket
from .selectors import support_numbers


@card(roles=(Role.SUPPORT, Role.ADMIN), order=5)
def support_today(request) -> Card:
    numbers = support_numbers(user=request.user)
    queue = reverse("tickets:staff_queue")
    return Card(
        title=_("Tiket Support"),
        icon="life-buoy",
        value=str(numbers["open"]),
        hint=_("tiket terbuka"),
        link=queue,
        link_label=_("Buka antrean"),
        style="list",
        stats=(
            Stat(_("Tiket saya"), str(numbers["mine"]), queue + "?view=mine"),
            Stat(_("Belum diambil"), str(numbers["unassigned"]), queue + "?view=unassigned"),
            Stat(_("Lewat target respons"), str(numbers["late"]), queue + "?view=late"),
            Stat(_("Masuk hari ini"), str(numbers["opened_today"])),
            Stat(_("Selesai hari ini"), str(numbers["resolved_today"])),
        ),
    )


@card(roles=(Role.MEMBER, Role.AFFILIATE, Role.SUPPLIER, Role.MENTOR), order=90)
def my_tickets(request) -> Card | None:
    count = Ticket.objects.filter(user=request.user, status__in=OPEN_STATUSES).count()
    if not count:
        return None
    return Card(
        title=_("Tiket Saya"),
        icon="life-buoy",
        value=str(count),
        hint=_("tiket masih diproses"),
        link=reverse("tickets:list"),
        link_label=_("Lihat tiket"),
    )
