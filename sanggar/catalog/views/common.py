"""Helpers shared by the catalog's admin pages: the admin-only decorator, tabs, and putting a service's field
errors on a form (errors of repeated rows, keyed like `prices.0.price`, go to the row editor instead)."""

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from sanggar.core.exceptions import ServiceError
from sanggar.core.permissions import role_required
from sanggar.core.roles import Role

admin_only = role_required(Role.ADMIN)

FOLLOW_UP_SHORTCODES = (
    "{name}",
    "{email}",
    "{whatsapp}",
    "{plan}",
    "{product}",
    "{invoice}",
    "{dashboard_link}",
    "{platform_name}",
)


def tabs_for(definitions, obj) -> list[dict]:
    """[(key, label, url name)] → [{"key", "label", "url"}] for an object's edit tabs."""
    return [{"key": key, "label": str(label), "url": reverse(name, args=[obj.pk])} for key, label, name in definitions]


def apply_errors(form, exc: ServiceError, *, row_prefixes: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Field errors on the form (unknown fields as non-field errors); returns the row errors for the row
    editors (keys starting with one of `row_prefixes`, e.g. "prices." or the bare list key "prices")."""
    rows: dict[str, list[str]] = {}
    for field, messages in exc.errors.items():
        if any(field == p.rstrip(".") or field.startswith(p) for p in row_prefixes):
            rows[field] = [str(m) for m in messages]
            continue
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
    if not exc.errors:
        form.add_error(None, exc.message)
    return rows


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback
