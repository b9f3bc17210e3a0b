"""The provider registry: identifier → adapter. A provider is an entry registered with `provider_register` (the four
below live in this package; a provider from another app registers from its `apps.py`). Checkout pages list
`enabled_providers()`; services look an adapter up with `get_provider(identifier)`."""

from django.conf import settings

from sanggar.core.registry import Registry

from .base import PaymentProvider, ProviderInfo
from .manual.provider import ManualProvider
from .midtrans.provider import MidtransProvider
from .scalev.provider import ScalevProvider
from .xendit.provider import XenditProvider

_REGISTRY: Registry[type[PaymentProvider]] = Registry("payment provider")
PROVIDERS = _REGISTRY.entries  # identifier → provider class


def provider_register(cls: type[PaymentProvider]) -> type[PaymentProvider]:
    return _REGISTRY.register(cls.identifier, cls)


for _cls in (ManualProvider, XenditProvider, MidtransProvider, ScalevProvider):
    provider_register(_cls)


def get_provider(identifier: str) -> PaymentProvider | None:
    cls = PROVIDERS.get((identifier or "").strip().lower())
    return cls() if cls else None


def enabled_providers() -> list[PaymentProvider]:
    """Enabled providers: those listed in PAYMENT_PROVIDERS in its order, then the others the admin switched on;
    manual last when it is not listed."""
    ordered: list[str] = []
    for name in settings.PAYMENT_PROVIDERS:
        name = name.strip().lower()
        if name in PROVIDERS and name not in ordered:
            ordered.append(name)
    for name in PROVIDERS:
        if name not in ordered and name != ManualProvider.identifier:
            ordered.append(name)
    if ManualProvider.identifier not in ordered:
        ordered.append(ManualProvider.identifier)
    return [provider for provider in (PROVIDERS[name]() for name in ordered) if provider.is_enabled()]


__all__ = ["PROVIDERS", "PaymentProvider", "ProviderInfo", "enabled_providers", "get_provider", "provider_register"]
