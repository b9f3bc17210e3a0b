"""The pages of every installed app: each app's `urls.py` is included by `config/urls.py` through this discovery,
at its `URL_ORDER` (default 1000; the order in which patterns are tried) under its `URL_PREFIX` (default ""). Core's
own URLs come last in `config/urls.py`."""

import sys
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.urls import include, path

DEFAULT_ORDER = 1000


def is_project_app(config) -> bool:
    """An app of this project (its code under BASE_DIR), not a third-party package. A virtualenv may itself sit
    under BASE_DIR (`make` creates `.venv` there), so anything inside the running environment is third-party."""
    where = Path(config.path).resolve()
    if where.is_relative_to(Path(sys.prefix).resolve()):
        return False
    return where.is_relative_to(Path(settings.BASE_DIR).resolve())


def app_urlpatterns() -> list:
    found = []
    for position, config in enumerate(apps.get_app_configs()):
        if config.name in ("sanggar.core", "sanggar.api") or not is_project_app(config):
            continue  # core's URLs are the catch-all at the end; the API is mounted by its own object
        module_name = f"{config.name}.urls"
        try:
            if find_spec(module_name) is None:
                continue
        except ModuleNotFoundError:
            continue
        module = import_module(module_name)
        order = getattr(module, "URL_ORDER", DEFAULT_ORDER)
        found.append((order, position, path(getattr(module, "URL_PREFIX", ""), include(module_name))))
    return [pattern for _order, _position, pattern in sorted(found, key=lambda entry: entry[:2])]
