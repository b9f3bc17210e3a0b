"""The wallets card on the admin's user detail page (registered with accounts.hooks from apps.py)."""

from sanggar.accounts.hooks import AdminUserSection

from .selectors import wallet_balances


def section_context(user) -> dict:
    """The user's wallets and their balances from the ledger: two queries (roles, sums)."""
    return {"wallets": wallet_balances(user=user)}


SECTION = AdminUserSection(
    name="wallets", order=40, template="finance/admin/_user_section.html", context=section_context
)
