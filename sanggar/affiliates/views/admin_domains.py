"""Admin: the short-link domains (add one, switch one off or on)."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sanggar.core.exceptions import ServiceError
from sanggar.core.forms import StyledFormMixin
from sanggar.core.listing import paginate
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from .. import selectors
from ..models import ShortLinkDomain
from ..services import short_link_domain_create, short_link_domain_set_active
from ..services.short_links import main_host

admin_only = role_required(Role.ADMIN)


class DomainForm(StyledFormMixin, forms.Form):
    domain = forms.CharField(
        label=gettext_lazy("Domain"),
        max_length=253,
        help_text=gettext_lazy("Arahkan DNS domain ini ke server platform, lalu daftarkan di sini."),
        widget=forms.TextInput(attrs={"placeholder": "link.eksporyuk.com", "autocomplete": "off"}),
    )


@admin_only
def domains(request):
    if request.method == "POST":
        form = DomainForm(request.POST)
        if form.is_valid():
            try:
                domain = short_link_domain_create(actor=request.user, domain=form.cleaned_data["domain"])
            except ServiceError as exc:
                for msg in exc.errors.get("domain", [exc.message]):
                    form.add_error("domain", msg)
            else:
                messages.success(request, _("Domain %(domain)s ditambahkan.") % {"domain": domain.domain})
                return redirect("affiliates:admin_domains")
    else:
        form = DomainForm()
    page = paginate(request, selectors.domain_list())
    return render(request, "affiliates/admin_domains.html", {"form": form, "page_obj": page, "main_host": main_host()})


@admin_only
@require_POST
def domain_toggle(request, pk):
    domain = get_object_or_404(ShortLinkDomain, pk=pk)
    domain = short_link_domain_set_active(actor=request.user, domain=domain, is_active=not domain.is_active)
    if domain.is_active:
        messages.success(request, _("Domain %(domain)s aktif.") % {"domain": domain.domain})
    else:
        messages.success(
            request,
            _("Domain %(domain)s dinonaktifkan: link di domain ini menampilkan halaman tidak ditemukan.")
            % {"domain": domain.domain},
        )
    return redirect("affiliates:admin_domains")
