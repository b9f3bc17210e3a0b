"""The platform's roles. Shared by every app: accounts stores them, the menu and permissions read them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    FOUNDER = "founder", _("Founder")
    COFOUNDER = "cofounder", _("Co-Founder")
    SUPPORT = "support", _("Support")
    MENTOR = "mentor", _("Mentor")
    AFFILIATE = "affiliate", _("Affiliate")
    SUPPLIER = "supplier", _("Supplier")
    MEMBER = "member", _("Member")


# Highest first: the role a user lands in when they have not chosen one.
ROLE_PRIORITY: tuple[str, ...] = (
    Role.ADMIN,
    Role.FOUNDER,
    Role.COFOUNDER,
    Role.SUPPORT,
    Role.MENTOR,
    Role.AFFILIATE,
    Role.SUPPLIER,
    Role.MEMBER,
)

ALL_ROLES: tuple[str, ...] = tuple(ROLE_PRIORITY)
STAFF_ROLES: tuple[str, ...] = (Role.ADMIN,)
FINANCE_ROLES: tuple[str, ...] = (Role.ADMIN, Role.FOUNDER, Role.COFOUNDER)


def role_label(value: str) -> str:
    try:
        return str(Role(value).label)
    except ValueError:
        return value


def sort_roles(roles) -> list[str]:
    order = {role: index for index, role in enumerate(ROLE_PRIORITY)}
    return sorted(set(roles), key=lambda r: order.get(r, len(order)))
