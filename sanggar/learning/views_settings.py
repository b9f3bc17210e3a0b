"""Admin settings pages of the learning app beyond the reminder settings: the video host allow-list (which iframe
hosts video lessons may embed besides YouTube and Vimeo)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sanggar.core.exceptions import ServiceError
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from . import services
from .models import VideoHost


@role_required(Role.ADMIN)
def admin_video_hosts(request):
    """The list with an add form (POST host) and a remove button per row (POST remove=<id>). Audited."""
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("remove", ""):
                value = request.POST["remove"]
                item = get_object_or_404(VideoHost, pk=int(value) if value.isdigit() and len(value) < 12 else 0)
                services.video_host_remove(actor=request.user, host=item)
                messages.success(request, _("Host %(host)s dihapus dari daftar.") % {"host": item.host})
            else:
                item = services.video_host_add(actor=request.user, host=request.POST.get("host", ""))
                messages.success(request, _("Host %(host)s diizinkan.") % {"host": item.host})
            return redirect("learning:admin_video_hosts")
        except ServiceError as exc:
            error = exc
    return render(
        request,
        "learning/author/video_hosts.html",
        {
            "rows": list(VideoHost.objects.select_related("added_by")[:200]),
            "configured": sorted({h.strip().lower() for h in settings.LEARNING_VIDEO_HOSTS if h.strip()}),
            "error": error,
            "value": request.POST.get("host", "")[:200] if error else "",
        },
        status=400 if error else 200,
    )
