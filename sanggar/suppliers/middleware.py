"""Forced onboarding (v1.2 "Stage 1/2"): a supplier in Draft or Onboarding cannot use the rest of the platform until
onboarding is sent. It applies to accounts whose only roles are Member and Supplier and that hold no membership
(a paying member who also registered a supplier keeps the member features). GET pages only; the supplier's own
pages, the account, support tickets, notifications, files and the API stay reachable."""

import re

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.http.request import split_domain_port
from django.shortcuts import redirect
from django.utils import timezone

from sanggar.core.roles import Role
from sanggar.memberships.selectors import is_premium

from .constants import LISTED_STATUSES, ONBOARDING_STATUSES
from .models import Supplier

ALLOWED_PREFIXES = ("/supplier/", "/accounts/", "/profil", "/tiket", "/notifikasi", "/api/", "/static/", "/media/",
                    "/unduh/", "/logout", "/keluar", "/ws/", "/healthz", "/favicon", "/i18n/")  # fmt: skip


class SupplierOnboardingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.method == "GET"
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and Role.SUPPLIER in user.role_set
            and user.role_set <= {Role.MEMBER, Role.SUPPLIER}
            and Supplier.objects.filter(user_id=user.pk, status__in=ONBOARDING_STATUSES).exists()
            and not is_premium(user=user)
        ):
            return redirect("suppliers:onboarding")
        return self.get_response(request)


# ---------------------------------------------------------------------------------------------------------------
# The supplier's own subdomain (D-DIR-16, Supplier §10 "supplierku.eksporyuk.com")

SUBDOMAIN_PASS = ("/static/", "/supplier/berkas/", "/favicon", "/robots.txt", "/healthz")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?")
_PAGE = re.compile(r"/(?:produk/([a-z0-9][a-z0-9-]{0,119})/?)?")  # "/" the profile, "/produk/<slug>" a product


class SupplierSubdomainMiddleware:
    """With `SUPPLIER_SUBDOMAIN_BASE` set (e.g. `supplier.eksporyuk.com`, one wildcard DNS record and one wildcard
    certificate for `*.supplier.eksporyuk.com`), a Premium, listed supplier's profile answers at
    `https://<slug>.supplier.eksporyuk.com/` and its products at `/produk/<product-slug>`; the slug is the supplier's
    (custom) profile URL. Files and static assets are served on that host; every other path is sent to the same path
    on SITE_URL (sign-in, chat and the rest of the platform live on the main host). A host of a supplier that is not
    Premium or not listed answers 404. Settings add `.<base>` to ALLOWED_HOSTS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        base = settings.SUPPLIER_SUBDOMAIN_BASE
        if not base:
            return self.get_response(request)
        try:
            domain, _port = split_domain_port(request._get_raw_host())
        except Exception:
            return self.get_response(request)
        domain = (domain or "").lower()
        if not domain.endswith("." + base):
            return self.get_response(request)
        label = domain[: -len(base) - 1]
        if not _LABEL.fullmatch(label):
            raise Http404
        path = request.path_info
        if path.startswith(SUBDOMAIN_PASS):
            return self.get_response(request)
        page = _PAGE.fullmatch(path)
        if page is None or request.method not in ("GET", "HEAD"):
            return HttpResponseRedirect(settings.SITE_URL + request.get_full_path())
        supplier = (
            Supplier.objects.filter(slug=label, status__in=LISTED_STATUSES, user__is_active=True)
            .only("pk", "premium_until")
            .first()
        )
        if supplier is None or not (supplier.premium_until and supplier.premium_until > timezone.now()):
            raise Http404
        request.path_info = f"/supplier/{label}" + (f"/{page.group(1)}" if page.group(1) else "")
        request.supplier_subdomain = label
        return self.get_response(request)


def subdomain_url(slug: str) -> str:
    """The supplier's own address when subdomains are on, else ""."""
    base = settings.SUPPLIER_SUBDOMAIN_BASE
    if not base:
        return ""
    scheme = "https" if settings.SITE_URL.startswith("https") else "http"
    return f"{scheme}://{slug}.{base}/"
