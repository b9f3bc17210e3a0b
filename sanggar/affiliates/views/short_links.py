"""The affiliate's short links: list with clicks, create form with a live availability check, switch off / on."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from sanggar.catalog import selectors as catalog_selectors
from sanggar.core.exceptions import ServiceError
from sanggar.core.forms import StyledFormMixin, add_service_errors
from sanggar.core.listing import paginate
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role
from sanggar.core.site import site_url

from .. import selectors
from ..constants import SLUG_MAX_LENGTH, AffiliateStatus, TargetKind
from ..models import ShortLink
from ..services import domain_for_input, short_link_check, short_link_create, short_link_set_active, short_link_url
from ..services.short_links import main_host
from .links import affiliate_profile

affiliate_only = role_required(Role.AFFILIATE)


def target_choices() -> list:
    plans = [(f"plan:{p.slug}", p.title) for p in catalog_selectors.plan_list_public()]
    products = [(f"product:{p.slug}", p.title) for p in selectors.published_products()[:200]]
    return [
        ("", _("— Pilih tujuan —")),
        (str(TargetKind.PLAN.label), plans),
        (str(TargetKind.PRODUCT.label), products),
    ]


def domain_choices() -> list:
    main = main_host()
    return [("", f"{main}/s/ " + _("(domain utama)"))] + [(d.domain, d.domain) for d in selectors.domains_active()]


class ShortLinkForm(StyledFormMixin, forms.Form):
    domain = forms.ChoiceField(label=gettext_lazy("Domain"), required=False)
    slug = forms.CharField(
        label=gettext_lazy("Slug"),
        max_length=SLUG_MAX_LENGTH,
        help_text=gettext_lazy("Huruf kecil, angka dan tanda minus, mis. dinda atau promo-gold."),
    )
    target = forms.ChoiceField(label=gettext_lazy("Tujuan link"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = domain_choices()
        self.fields["target"].choices = target_choices()
        self.fields["slug"].widget.attrs.update({"autocomplete": "off", "placeholder": "dinda"})


@affiliate_only
def short_links(request):
    profile = affiliate_profile(request)
    suspended = profile.status != AffiliateStatus.ACTIVE
    if request.method == "POST":
        form = ShortLinkForm(request.POST)
        if suspended:
            form.add_error(None, _("Akun affiliate Anda sedang ditangguhkan."))
        elif form.is_valid():
            kind, _sep, target_slug = form.cleaned_data["target"].partition(":")
            try:
                domain = domain_for_input(form.cleaned_data["domain"])
                link = short_link_create(
                    affiliate=profile,
                    domain=domain,
                    slug=form.cleaned_data["slug"],
                    target_kind=kind,
                    target_slug=target_slug,
                )
            except ServiceError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Link pendek %(url)s siap dibagikan.") % {"url": short_link_url(link)})
                return redirect("affiliates:short_links")
    else:
        form = ShortLinkForm()
    page = paginate(request, selectors.short_link_list_for(affiliate=profile))
    for link in page.object_list:
        link.url = short_link_url(link)
    return render(
        request,
        "affiliates/short_links.html",
        {"profile": profile, "form": form, "page_obj": page, "suspended": suspended, "site_url": site_url(request)},
    )


@affiliate_only
@require_GET
def short_link_check_view(request):
    """HTMX: the availability of the typed slug on the chosen domain."""
    profile = affiliate_profile(request)
    slug = request.GET.get("slug", "")[: SLUG_MAX_LENGTH + 20]
    if not slug.strip():
        return render(request, "affiliates/short_links_check.html", {"empty": True})
    try:
        domain = domain_for_input(request.GET.get("domain", ""))
    except ServiceError as exc:
        available, reason = False, exc.message
    else:
        available, reason = short_link_check(domain=domain, slug=slug, affiliate=profile)
    return render(request, "affiliates/short_links_check.html", {"available": available, "reason": reason})


@affiliate_only
@require_POST
def short_link_toggle(request, pk):
    profile = affiliate_profile(request)
    link = ShortLink.objects.filter(pk=pk, affiliate=profile).select_related("domain", "affiliate").first()
    if link is None:
        raise Http404
    link = short_link_set_active(link=link, actor=request.user, is_active=not link.is_active)
    if link.is_active:
        messages.success(request, _("Link %(url)s aktif kembali.") % {"url": short_link_url(link)})
    else:
        messages.success(request, _("Link %(url)s dinonaktifkan.") % {"url": short_link_url(link)})
    return redirect("affiliates:short_links")
