from django.http import HttpResponse

from sanggar.core.permissions import role_required
from sanggar.core.roles import Role


@role_required(Role.ADMIN)
def ticket_list(request):
    return HttpResponse("Tiket Acara")
