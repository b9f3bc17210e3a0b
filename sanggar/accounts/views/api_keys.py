"""Admin: API keys for the client apps (/admin/settings/api-keys). Create (the secret is shown once), list, revoke."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from sanggar.core.exceptions import ServiceError
from sanggar.core.forms import StyledFormMixin, add_service_errors
from sanggar.core.listing import paginate
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from .. import selectors, services
from ..constants import API_KEY_PREFIX
from ..models import ApiKey


class ApiKeyCreateForm(StyledFormMixin, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nama aplikasi"),
        max_length=100,
        help_text=gettext_lazy("Untuk mengenali kunci ini, mis. “Aplikasi Android” atau “Aplikasi iOS”."),
    )


def _list_context(request, form):
    page_obj = paginate(request, selectors.api_key_list())
    return {"form": form, "page_obj": page_obj, "keys": page_obj.object_list, "key_prefix": API_KEY_PREFIX}


@never_cache
@role_required(Role.ADMIN)
def key_list(request):
    """GET: the keys and the create form. POST: creates a key and shows its secret on this response only."""
    form = ApiKeyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            key, secret = services.api_key_create(name=form.cleaned_data["name"], actor=request.user)
        except ServiceError as exc:
            add_service_errors(form, exc)
        else:
            # Rendered, not redirected: the secret exists only in this response and is never stored in clear.
            return render(request, "accounts/admin/api_keys_created.html", {"key": key, "secret": secret})
    return render(request, "accounts/admin/api_keys.html", _list_context(request, form))


@role_required(Role.ADMIN)
def key_revoke(request, pk: int):
    """GET: a confirmation page. POST: revokes the key (doing it twice changes nothing)."""
    key = get_object_or_404(ApiKey.objects.select_related("created_by", "revoked_by"), pk=pk)
    if request.method == "POST":
        if key.is_active:
            services.api_key_revoke(key=key, actor=request.user)
            messages.success(
                request,
                _("API key “%(name)s” dicabut. Aplikasi yang memakainya tidak bisa lagi mengakses API.")
                % {"name": key.name},
            )
        else:
            messages.info(request, _("API key ini sudah dicabut sebelumnya."))
        return redirect("accounts:admin_api_keys")
    return render(request, "accounts/admin/api_keys_revoke.html", {"key": key, "key_prefix": API_KEY_PREFIX})
