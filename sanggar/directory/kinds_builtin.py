"""The directory kinds this app owns (registered from DirectoryConfig.ready)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .buyer_services import buyer_hide
from .constants import KIND_API, KIND_BUYER, KIND_EXPORT_DOCUMENT, KIND_FORWARDER
from .forwarder_services import forwarder_hide
from .kinds import DirectoryKind, directory_kind_register
from .models import Buyer, ExportDocument, Forwarder


def _buyer_titles(ids):
    return dict(Buyer.objects.filter(pk__in=ids).values_list("pk", "company"))


def _forwarder_titles(ids):
    return dict(Forwarder.objects.filter(pk__in=ids).values_list("pk", "name"))


def _document_titles(ids):
    return dict(ExportDocument.objects.filter(pk__in=ids).values_list("pk", "number"))


# PRODUCT.md: free 5 buyer details a month, 6 months 20, 12 months 100, lifetime unlimited (the admin table holds the
# per-plan numbers; these are the fallbacks for a plan without a row). Export documents: free 3, premium unlimited.
directory_kind_register(
    DirectoryKind(
        key=KIND_BUYER,
        label=_("Database Buyer"),
        unit=_("detail buyer"),
        free_quota=5,
        member_quota=20,
        titles=_buyer_titles,
        admin_url=lambda pk: reverse("directory:admin_buyer_edit", args=[pk]),
        hide=buyer_hide,
    )
)
directory_kind_register(
    DirectoryKind(
        key=KIND_FORWARDER,
        label=_("Database Forwarder"),
        unit=_("kontak forwarder"),
        free_quota=5,
        member_quota=None,
        titles=_forwarder_titles,
        admin_url=lambda pk: reverse("directory:admin_forwarder_edit", args=[pk]),
        hide=forwarder_hide,
    )
)
directory_kind_register(
    DirectoryKind(
        key=KIND_EXPORT_DOCUMENT,
        label=_("Dokumen Ekspor"),
        unit=_("dokumen"),
        free_quota=3,
        member_quota=None,
        titles=_document_titles,
    )
)
# Personal API keys (D-DIR-3; the checklist's table gives API access to the longer plans only): closed without a
# membership; a plan without a row in the admin table may use its keys every day. Admins set 0 for plans without it.
directory_kind_register(
    DirectoryKind(
        key=KIND_API,
        label=_("Akses API Pribadi"),
        unit=_("hari akses API"),
        free_quota=0,
        member_quota=None,
    )
)
