"""The resource kinds registry: what access can be granted to. Each kind is an entry (its label, how a person
unlocks it, and optionally the check it adds to the one policy), registered by the app that owns such things:
access ships the six kinds the platform knows today; a courses app would register "course" content of its own from
its `apps.py` (`resource_kind_register(ResourceKindEntry(...))`). `Resource.kind` is validated against this registry
(its choices are read from it), so adding a kind needs no migration and no edit here."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from sanggar.core.registry import Registry

from .constants import ResourceKind


@dataclass(frozen=True)
class ResourceKindEntry:
    kind: str
    label: str  # "Kelas"
    this_label: str  # "Kelas ini", in the policy's messages
    unlock: str = ""  # how a person gets access, for admins and the guide ("Beli produknya atau jadi member")
    # check(*, resource, facts) -> AccessDecision | None: runs in the policy after the resource is found active and
    # before grants and memberships are read; None means "no opinion" (the usual rules decide).
    check: Callable | None = None
    # urls(resource_ids) -> {resource_id: url}: where a person opens such things (a course's page), for lists of
    # what a plan includes; one query for all of them. None: no page of their own here.
    urls: Callable | None = None


_KINDS: Registry[ResourceKindEntry] = Registry("resource kind")


def resource_kind_register(entry: ResourceKindEntry) -> ResourceKindEntry:
    return _KINDS.register(entry.kind, entry)


def resource_kind(kind: str) -> ResourceKindEntry | None:
    return _KINDS.get(kind)


def resource_urls(resources) -> dict[int, str]:
    """{resource id: the page that opens it} for the kinds that name one (one query per such kind present)."""
    by_kind: dict[str, list[int]] = {}
    for resource in resources:
        by_kind.setdefault(resource.kind, []).append(resource.pk)
    urls: dict[int, str] = {}
    for kind, ids in by_kind.items():
        entry = _KINDS.get(kind)
        if entry is not None and entry.urls is not None:
            urls.update(entry.urls(ids))
    return urls


def resource_kind_choices() -> list[tuple[str, str]]:
    """(kind, label) of every registered kind: `Resource.kind`'s choices and the admin filters."""
    return [(entry.kind, entry.label) for entry in _KINDS]


def resource_kind_unregister(kind: str) -> None:
    """For tests that register a throw-away kind."""
    _KINDS.unregister(kind)


BY_MEMBERSHIP_OR_PURCHASE = _("Jadi member paket yang memuatnya, membeli produknya, atau diberi akses oleh admin")

for _kind, _this in (
    (ResourceKind.PRODUCT, _("Produk ini")),
    (ResourceKind.COURSE, _("Kelas ini")),
    (ResourceKind.GROUP, _("Grup ini")),
    (ResourceKind.EVENT, _("Event ini")),
    (ResourceKind.DOCUMENT, _("Dokumen ini")),
    (ResourceKind.FEATURE, _("Fitur ini")),
):
    resource_kind_register(
        ResourceKindEntry(
            kind=_kind, label=ResourceKind(_kind).label, this_label=_this, unlock=BY_MEMBERSHIP_OR_PURCHASE
        )
    )
