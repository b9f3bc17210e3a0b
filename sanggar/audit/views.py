from django.http import Http404


def admin_list(request, *args, **kwargs):
    raise Http404
