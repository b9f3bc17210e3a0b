"""The outside services an admin can configure. Each app that calls a service registers it (payments: the gateways;
notifications: email, WhatsApp, push) with its fields, named after the Django setting / environment variable that
may also carry the value, and a connection test that asks the service with the effective credentials."""

from collections.abc import Callable
from dataclasses import dataclass

from sanggar.core.registry import Registry


@dataclass(frozen=True)
class IntegrationField:
    setting: str  # Django setting and environment variable of the same name
    label: str
    secret: bool = True  # stored encrypted, shown masked
    required: bool = True  # needed for the integration to count as configured
    help: str = ""


@dataclass(frozen=True)
class TestResult:
    ok: bool
    message: str  # what the service answered, in Indonesian, without any credential


@dataclass(frozen=True)
class IntegrationDef:
    key: str
    label: str
    group: str  # constants.Group
    order: int = 100
    description: str = ""
    fields: tuple[IntegrationField, ...] = ()
    # The on/off switch: the environment variable that decides when set, and the value without a stored choice.
    switch_env: str = ""
    switch_default: Callable[[], bool] = lambda: True
    # Sandbox / production: shown when True; `mode_env` decides when set (`mode_from_env` reads it).
    has_mode: bool = False
    mode_env: str = ""
    mode_from_env: Callable[[], str] | None = None
    # `test(target)` calls the service with the effective credentials; `test_target_label` asks for a recipient.
    test: Callable[[str], TestResult] | None = None
    test_target_label: str = ""
    always_configured: bool = False  # needs no credential (manual transfer)
    required_any: tuple[str, ...] = ()  # configured when any one of these (besides `required` fields) is set


_REGISTRY: Registry[IntegrationDef] = Registry("integration")


def integration_register(definition: IntegrationDef) -> IntegrationDef:
    return _REGISTRY.register(definition.key, definition)


def integration_get(key: str) -> IntegrationDef | None:
    return _REGISTRY.entries.get(key)


def integrations_all(group: str | None = None) -> list[IntegrationDef]:
    entries = [d for d in _REGISTRY.entries.values() if group is None or d.group == group]
    return sorted(entries, key=lambda d: (d.group, d.order, d.key))


def integration_for_setting(setting: str) -> IntegrationDef | None:
    for definition in _REGISTRY.entries.values():
        if any(f.setting == setting for f in definition.fields):
            return definition
    return None
