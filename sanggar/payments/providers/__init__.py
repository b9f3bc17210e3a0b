"""The provider registry: identifier → adapter. Checkout pages list `enabled_providers()`; services look an adapter
up with `get_provider(identifier)`."""

from django.conf import settings

from .base import PaymentProvider, ProviderInfo
from .manual.provider import ManualProvider
from .midtrans.provider import MidtransProvider
from .scalev.provider import ScalevProvider
from .xendit.provider import XenditProvider

PROVIDERS: dict[str, type[PaymentProvider]] = {
    cls.identifier: cls for cls in (ManualProvider, XenditProvider, MidtransProvider, ScalevProvider)
}


def get_provider(identifier: str) -> PaymentProvider | None:
    cls = PROVIDERS.get((identifier or "").strip().lower())
    return cls() if cls else None


def enabled_providers() -> list[PaymentProvider]:
    """Enabled providers in the order of PAYMENT_PROVIDERS; manual (always available) last when it is not listed."""
    ordered: list[str] = []
    for name in settings.PAYMENT_PROVIDERS:
        name = name.strip().lower()
        if name in PROVIDERS and name not in ordered:
            ordered.append(name)
    if ManualProvider.identifier not in ordered:
        ordered.append(ManualProvider.identifier)
    return [provider for provider in (PROVIDERS[name]() for name in ordered) if provider.is_enabled()]


__all__ = ["PROVIDERS", "PaymentProvider", "ProviderInfo", "enabled_providers", "get_provider"]
