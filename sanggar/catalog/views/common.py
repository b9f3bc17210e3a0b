"""Helpers shared by the catalog's admin pages: the admin-only decorator, tabs, and putting a service's field
errors on a form (errors of repeated rows, keyed like `prices.0.price`, go to the row editor instead)."""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from sanggar.core.exceptions import ServiceError
from sanggar.core.forms import add_service_errors
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

from .. import hooks

admin_only = role_required(Role.ADMIN)


def follow_ups_moved(kind: str, pk: int):
    """The old follow-up tab's address (bookmarks, old links) leads to the "Reminder" tab a higher app registered
    (`hooks.edit_tab_register(kind, "reminder", …)`): the plans' and products' WhatsApp follow-ups are sequences of
    the reminder builder there. Without that tab there is nothing to show."""
    tab = next((t for t in hooks.edit_tabs(kind) if t[0] == "reminder"), None)
    if tab is None:
        raise Http404
    return redirect(reverse(tab[2], args=[pk]))


def tabs_for(definitions, obj) -> list[dict]:
    """[(key, label, url name)] → [{"key", "label", "url"}] for an object's edit tabs."""
    return [{"key": key, "label": str(label), "url": reverse(name, args=[obj.pk])} for key, label, name in definitions]


def apply_errors(form, exc: ServiceError, *, row_prefixes: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Field errors on the form (unknown fields as non-field errors); returns the row errors for the row
    editors (keys starting with one of `row_prefixes`, e.g. "prices." or the bare list key "prices")."""

    def is_row(key: str) -> bool:
        return any(key == p.rstrip(".") or key.startswith(p) for p in row_prefixes)

    rows = {key: [str(m) for m in messages] for key, messages in exc.errors.items() if is_row(key)}
    rest = {key: messages for key, messages in exc.errors.items() if not is_row(key)}
    if rest or not exc.errors:
        add_service_errors(form, ServiceError(exc.message, errors=rest))
    return rows


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback
