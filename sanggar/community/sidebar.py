"""Providers of the feed's "Event mendatang" sidebar and of a group's "Acara" tab: the events app (above community)
registers `func(user) -> list` and `func(group, *, offset, limit) -> list` from its AppConfig.ready; and the creator
behind the group composer's "event" option. Model-free, so it can be imported at module level."""

_UPCOMING_PROVIDERS: list = []


def upcoming_provider_register(func) -> None:
    if func not in _UPCOMING_PROVIDERS:
        _UPCOMING_PROVIDERS.append(func)


def upcoming_for(user, limit: int = 5) -> list:
    rows = []
    for func in _UPCOMING_PROVIDERS:
        rows.extend(func(user))
    return rows[:limit]


_GROUP_EVENT_PROVIDERS: list = []


def group_events_provider_register(func) -> None:
    if func not in _GROUP_EVENT_PROVIDERS:
        _GROUP_EVENT_PROVIDERS.append(func)


def group_events_for(group, *, offset: int = 0, limit: int = 20) -> list:
    """The group's events (dicts: title, starts_at, url, status, location): upcoming first, then past."""
    rows = []
    for func in _GROUP_EVENT_PROVIDERS:
        rows.extend(func(group, offset=offset, limit=limit))
    return rows[:limit]


_STATS_PROVIDERS: list = []


def stats_provider_register(func) -> None:
    """For the admin's community statistics page: `func(*, start, end) -> {"title": str, "rows": [(label, value)]}`
    (the events app adds its event figures)."""
    if func not in _STATS_PROVIDERS:
        _STATS_PROVIDERS.append(func)


def stats_blocks(*, start, end) -> list[dict]:
    return [func(start=start, end=end) for func in _STATS_PROVIDERS]


_EVENT_CREATORS: list = []


def event_creator_register(func) -> None:
    """The events app's `func(*, actor, group, data: dict, cover=None) -> Post`: a real event of the group and the
    post announcing it (community.event_posts.event_post_from_composer calls it). Without it the option is hidden."""
    _EVENT_CREATORS[:] = [func]


def event_creator():
    return _EVENT_CREATORS[0] if _EVENT_CREATORS else None


_POST_EVENT_PROVIDERS: list = []


def post_events_provider_register(func) -> None:
    """The events app's `func(post_ids) -> {post_id: {"slug", "title", "starts_at", "url"}}`: the events the posts
    announce (one query), so the API can say which post is an event post."""
    if func not in _POST_EVENT_PROVIDERS:
        _POST_EVENT_PROVIDERS.append(func)


def events_of_posts(post_ids) -> dict:
    out: dict = {}
    ids = [pk for pk in post_ids if pk]
    for func in _POST_EVENT_PROVIDERS if ids else ():
        out.update(func(ids))
    return out
