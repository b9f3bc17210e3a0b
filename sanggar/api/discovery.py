"""Finds the routers the installed apps contribute: each app's `api.py` holds a ninja `router` (or lists several in
`API_ROUTERS`, as dotted paths or objects) and says where it goes in the document with `API_ORDER` (default 1000).
Apps are imported by name, so the API plumbing never names an app."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.utils.module_loading import import_string

from sanggar.core.urls_discovery import is_project_app

DEFAULT_ORDER = 1000


def app_routers() -> list:
    found = []
    for position, config in enumerate(apps.get_app_configs()):
        module_name = f"{config.name}.api"
        if config.name == "sanggar.api" or not is_project_app(config):
            continue
        try:
            if find_spec(module_name) is None:
                continue
        except ModuleNotFoundError:
            continue
        module = import_module(module_name)
        routers = getattr(module, "API_ROUTERS", None) or ([module.router] if hasattr(module, "router") else [])
        order = getattr(module, "API_ORDER", DEFAULT_ORDER)
        for index, router in enumerate(routers):
            found.append((order, position, index, import_string(router) if isinstance(router, str) else router))
    return [router for *_key, router in sorted(found, key=lambda entry: entry[:3])]
