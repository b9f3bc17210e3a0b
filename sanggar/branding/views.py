from django.http import Http404


def admin_settings(request, *args, **kwargs):
    raise Http404
