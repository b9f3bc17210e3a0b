"""The supplier card on the admin's user detail page (registered with accounts.hooks from apps.py): status, package
and a link to the supplier's admin page. One query."""

from django.utils import timezone

from sanggar.accounts.hooks import AdminUserSection

from .models import Supplier


def section_context(user) -> dict:
    supplier = Supplier.objects.filter(user=user).first()
    premium = bool(supplier and supplier.premium_until and supplier.premium_until > timezone.now())
    return {"supplier": supplier, "premium": premium}


SECTION = AdminUserSection(
    name="suppliers", order=60, template="suppliers/admin/_user_section.html", context=section_context
)
