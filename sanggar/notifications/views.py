from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


notification_list = admin_deliveries = admin_templates = _todo
