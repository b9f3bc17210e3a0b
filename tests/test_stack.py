"""The stack holds (README "Where things are"): checked by import-linter's `layers` contract in `make lint`, and here
for what the contract cannot see.

- No import of another app inside a function, `AppConfig.ready()` included: such an import hides a cycle from the
  reader (and from the order the stack promises). Django does not allow models to be imported while `apps.py` itself
  is imported, so every registry a higher app registers with lives in a model-free module of the lower app
  (`affiliates/short_link_targets.py`, `marketing/pixel_models.py`, `tickets/links.py`, `api/auth_slots.py`, …):
  `apps.py` imports it at the top and calls it from `ready()` with the app's own objects. Demo data builders need
  no exemption: each app's `demo.py` imports only apps below it, like any other module.
- The layers contract covers every app and every module (a new app must take its place in the stack).
"""

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SANGGAR = ROOT / "sanggar"


def _source_files():
    for path in sorted(SANGGAR.rglob("*.py")):
        rel = path.relative_to(SANGGAR)
        if "tests" in rel.parts or "migrations" in rel.parts or len(rel.parts) < 2:
            continue
        yield path, rel.parts[0]


def _function_imports(path: Path, app: str):
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if function is not None and isinstance(child, ast.Import | ast.ImportFrom):
                names = [child.module or ""] if isinstance(child, ast.ImportFrom) else [a.name for a in child.names]
                if isinstance(child, ast.ImportFrom) and child.level:
                    names = []
                for name in names:
                    parts = name.split(".")
                    if parts[0] == "sanggar" and len(parts) > 1 and parts[1] != app:
                        found.append((child.lineno, function, name))
            visit(child, inner)

    visit(tree, None)
    return found


def test_no_app_imports_another_inside_a_function():
    offenders = []
    for path, app in _source_files():
        for lineno, function, name in _function_imports(path, app):
            offenders.append(f"{path.relative_to(ROOT)}:{lineno} in {function}(): {name}")
    assert offenders == []


def test_every_apps_module_imports_before_the_models_load():
    """What `apps.py` imports from other apps at its top is model-free: Django imports `apps.py` before any model."""
    modules = [f"sanggar.{path.parent.name}.apps" for path in sorted(SANGGAR.glob("*/apps.py"))]
    code = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    env = {"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code, *modules], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_walker_finds_an_import_inside_a_function(tmp_path):
    """The check above can fail: a hidden import is found (and a relative one, inside the app, is not)."""
    module = tmp_path / "services.py"
    module.write_text(
        "from . import models\n\n\ndef f():\n    from sanggar.orders import services\n    from .models import X\n"
    )
    assert _function_imports(module, "catalog") == [(5, "f", "sanggar.orders")]


def _contract():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["type"] == "layers")


def test_the_layers_contract_covers_every_app_and_module():
    layers = [module.strip() for line in _contract()["layers"] for module in line.replace("|", ":").split(":")]
    apps = sorted(p.name for p in SANGGAR.iterdir() if (p / "apps.py").exists())
    uncovered = []
    for path, app in _source_files():
        dotted = ".".join(("sanggar", *path.relative_to(SANGGAR).with_suffix("").parts)).removesuffix(".__init__")
        if dotted == f"sanggar.{app}":
            continue  # a package's __init__ belongs to its modules' layers
        if not any(dotted == layer or dotted.startswith(layer + ".") for layer in layers):
            uncovered.append(dotted)
    assert uncovered == []
    assert [app for app in apps if f"sanggar.{app}" not in layers and app != "api"] == []
