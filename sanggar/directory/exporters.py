"""Sources of the exporter block of an export document besides the member's directory card (§1.7 "filled from the
member's or supplier's profile"). A higher app registers a function `user -> ExporterProfile | None` from its
`apps.py` (suppliers: the company profile of an approved supplier). Model-free, so apps above import it at the top of
their `apps.py`."""

from collections.abc import Callable
from dataclasses import dataclass

from sanggar.core.registry import Registry


@dataclass(frozen=True)
class ExporterProfile:
    name: str
    address: str = ""
    contact: str = ""
    npwp: str = ""


_sources: Registry[Callable[..., ExporterProfile | None]] = Registry("exporter profile source")


def exporter_source_register(key: str, source: Callable[..., ExporterProfile | None]) -> None:
    _sources.register(key, source)


def exporter_profile(user) -> ExporterProfile | None:
    """The first registered source that knows this user's company."""
    for source in _sources:
        profile = source(user)
        if profile is not None:
            return profile
    return None
