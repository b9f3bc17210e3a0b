"""Access resources the admin can attach to plans and products before the capability that owns them exists
(groups, courses, events, documents, features): created through `access.services.resource_ensure`."""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sanggar.access.constants import ResourceKind
from sanggar.access.services import resource_ensure

from ..constants import AuditWhat
from .common import Errors, clean_choice, clean_text, record, require_admin

PLACEHOLDER_KINDS = ("group", "course", "event", "document", "feature")


def placeholder_kind_choices():

    return [(value, label) for value, label in ResourceKind.choices if value in PLACEHOLDER_KINDS]


@transaction.atomic
def resource_placeholder_create(*, actor, kind: str, title: str):
    """A group / course / event / document / feature resource by title (key = slug of the title). An existing
    resource of that kind and key is returned (its title updated), never duplicated."""

    require_admin(actor)
    errors = Errors()
    kind = clean_choice(kind, field="kind", label=_("Jenis"), errors=errors, choices=placeholder_kind_choices())
    title = clean_text(title, field="title", label=_("Nama"), errors=errors, max_length=200, required=True)
    key = slugify(title)[:120].strip("-")
    if title and not key:
        errors.add("title", _("Nama harus mengandung huruf atau angka."))
    errors.raise_if_any(_("Periksa kembali isian sumber akses."))
    resource = resource_ensure(kind=kind, key=key, title=title)
    record(actor=actor, target=resource, label=str(resource), what=AuditWhat.RESOURCE_CREATED, kind=kind)
    return resource
