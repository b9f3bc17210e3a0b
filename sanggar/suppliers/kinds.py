"""The supplier directory in the shared directory rules (`sanggar.directory`): opening a supplier's company contact
uses one unit of the member's monthly quota (admin table per plan; defaults free 5, members 20), reports of wrong
entries go to the directory's one queue, searches feed its charts."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sanggar.directory.kinds import DirectoryKind

from .models import Supplier

KIND = "supplier"


def _titles(ids):
    return dict(Supplier.objects.filter(pk__in=ids).values_list("pk", "company_name"))


def _admin_url(pk):
    return reverse("suppliers:admin_detail", args=[pk])


SUPPLIER_KIND = DirectoryKind(
    key=KIND, label=_("Database Supplier"), unit=_("kontak supplier"), free_quota=5, member_quota=20,
    titles=_titles, admin_url=_admin_url,
)  # fmt: skip
