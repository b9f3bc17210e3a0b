"""Loads the demo data. Idempotent: running it twice changes nothing.

Each app contributes its part in its own `demo.py` with a `seed(*, log)` function; they run in the order of
INSTALLED_APPS, so a later app can rely on an earlier app's demo data."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create the demo accounts and demo data (idempotent)."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            if not config.name.startswith("sanggar."):
                continue
            module_name = f"{config.name}.demo"
            if find_spec(module_name) is None:
                continue
            module = import_module(module_name)
            with transaction.atomic():
                module.seed(log=lambda msg, label=config.label: self.stdout.write(f"[{label}] {msg}"))
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
