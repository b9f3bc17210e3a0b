"""The marketing kit for affiliates: logos and banners to download, copywriting with their own link filled in for
a plan, product or short link they choose."""

from django.http import Http404
from django.shortcuts import render
from django.utils.http import urlencode

from sanggar.core.files import private_file_response
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role
from sanggar.core.site import site_url

from .. import selectors_stats as stats_selectors
from ..constants import KitKind
from ..services import short_link_url, target_path
from .stats import affiliate_only, current_affiliate, no_profile


def referral_url(*, code: str, target_kind: str, target_slug: str) -> str:
    """The affiliate's link to a plan or product page (the home page when there is none)."""
    path = target_path(target_kind, target_slug) or "/"
    return f"{site_url()}{path}?{urlencode({'ref': code})}"


@affiliate_only
def kit(request):
    affiliate = current_affiliate(request)
    if affiliate is None:
        return no_profile(request)
    targets = stats_selectors.kit_targets()
    short_links = [link for link in stats_selectors.short_link_stats(affiliate=affiliate) if link.is_active]
    options = [*targets, *((f"short:{link.pk}", short_link_url(link)) for link in short_links)]
    chosen = request.GET.get("target", "")
    if chosen not in {value for value, _label in options}:
        chosen = options[0][0] if options else ""
    kind, _sep, value = chosen.partition(":")
    if kind == "short":
        link = next(link for link in short_links if str(link.pk) == value)
        chosen_url = short_link_url(link)
    else:
        chosen_url = referral_url(code=affiliate.code, target_kind=kind, target_slug=value)

    items = list(stats_selectors.kit_items())
    copies = []
    for item in items:
        if item.kind != KitKind.COPY:
            continue
        # A text written for one plan or product links there; any other text links to the chosen target.
        url = (
            referral_url(code=affiliate.code, target_kind=item.target_kind, target_slug=item.target_slug)
            if item.target_kind
            else chosen_url
        )
        copies.append({"item": item, "url": url, "text": item.text.replace("{link}", url)})
    context = {
        "affiliate": affiliate,
        "options": options,
        "chosen": chosen,
        "chosen_url": chosen_url,
        "logos": [i for i in items if i.kind == KitKind.LOGO],
        "banners": [i for i in items if i.kind == KitKind.BANNER],
        "copies": copies,
    }
    return render(request, "affiliates/kit.html", context)


@role_required(Role.AFFILIATE, Role.ADMIN)
def kit_download(request, pk: int):
    """The file of an active kit item (admins: any item), as a download."""
    item = stats_selectors.kit_items(active_only=not request.user.has_role(Role.ADMIN)).filter(pk=pk).first()
    if item is None or not item.file:
        raise Http404
    if not item.file.storage.exists(item.file.name):
        raise Http404
    return private_file_response(item.file)
