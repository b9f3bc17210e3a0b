"""Forced onboarding (v1.2 "Stage 1/2"): a supplier in Draft or Onboarding cannot use the rest of the platform until
onboarding is sent. It applies to accounts whose only roles are Member and Supplier and that hold no membership
(a paying member who also registered a supplier keeps the member features). GET pages only; the supplier's own
pages, the account, support tickets, notifications, files and the API stay reachable."""

from django.shortcuts import redirect

from sanggar.core.roles import Role
from sanggar.memberships.selectors import is_premium

from .constants import ONBOARDING_STATUSES
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
