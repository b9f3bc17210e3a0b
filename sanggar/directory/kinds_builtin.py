"""The directory kinds this app owns (registered from DirectoryConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from .constants import KIND_BUYER, KIND_EXPORT_DOCUMENT, KIND_FORWARDER
from .kinds import DirectoryKind, directory_kind_register

# PRODUCT.md: free 5 buyer details a month, 6 months 20, 12 months 100, lifetime unlimited (the admin table holds the
# per-plan numbers; these are the fallbacks for a plan without a row). Export documents: free 3, premium unlimited.
directory_kind_register(
    DirectoryKind(key=KIND_BUYER, label=_("Database Buyer"), unit=_("detail buyer"), free_quota=5, member_quota=20)
)
directory_kind_register(
    DirectoryKind(
        key=KIND_FORWARDER, label=_("Database Forwarder"), unit=_("kontak forwarder"), free_quota=5, member_quota=None
    )
)
directory_kind_register(
    DirectoryKind(
        key=KIND_EXPORT_DOCUMENT, label=_("Dokumen Ekspor"), unit=_("dokumen"), free_quota=3, member_quota=None
    )
)
