"""Being written."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


user_list = user_export = user_detail = user_edit = user_roles = user_deactivate = user_reactivate = _todo
affiliate_applications = affiliate_application_detail = _todo
