"""Being written."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404


key_list = key_revoke = _todo
