"""Providers of the feed's "Event mendatang" sidebar: the events app (above community) registers
`func(user) -> list` from its AppConfig.ready. Model-free, so it can be imported at module level."""

_UPCOMING_PROVIDERS: list = []


def upcoming_provider_register(func) -> None:
    if func not in _UPCOMING_PROVIDERS:
        _UPCOMING_PROVIDERS.append(func)


def upcoming_for(user, limit: int = 5) -> list:
    rows = []
    for func in _UPCOMING_PROVIDERS:
        rows.extend(func(user))
    return rows[:limit]
