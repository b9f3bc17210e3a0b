"""The audit actions registry: apps register their actions and labels; the log shows labels, never codes."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse

from sanggar.audit import registry
from sanggar.audit.models import ActivityLog
from sanggar.audit.services import activity_record

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_an_unregistered_action_is_refused_and_nothing_is_written():
    with pytest.raises(ValueError, match="Unregistered audit action"):
        activity_record(action="nowhere.nothing")
    assert ActivityLog.objects.count() == 0


def test_an_app_adds_an_action_without_a_migration(admin_client, admin_user):
    registry.register({"kelas.dibuka": "Kelas dibuka"})
    try:
        activity_record(action="kelas.dibuka", actor=admin_user, target_label="Kelas Ekspor 101")
        html = admin_client.get(reverse("audit:admin_list")).content.decode()
        assert "Kelas dibuka" in html
        assert ("kelas.dibuka", "Kelas dibuka") in registry.action_choices()
    finally:
        registry._ACTIONS.pop("kelas.dibuka")


def test_a_code_cannot_be_registered_twice_with_another_label():
    with pytest.raises(ValueError, match="already registered"):
        registry.register({"order.paid": "Sesuatu yang lain"})


def test_a_row_of_a_removed_action_shows_a_label_not_its_code(admin_client):
    ActivityLog.objects.create(action="lama.dihapus", target_label="Objek lama")
    html = admin_client.get(reverse("audit:admin_list")).content.decode()
    assert "Aksi lain" in html
    assert ">lama.dihapus<" not in html


def _action_codes_in_source() -> set[str]:
    """Every string constant that looks like an action code in the apps' *Action classes and ACTION_* names."""
    codes = set()
    for path in ROOT.glob("*/**/*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name.endswith("Action"):
                for stmt in node.body:
                    if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant):
                        codes.add(stmt.value.value)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                if any(name.startswith("ACTION_") for name in names) and isinstance(node.value.value, str):
                    codes.add(node.value.value)
    return codes


def test_every_action_code_of_every_app_has_a_label():
    codes = _action_codes_in_source()
    assert {"order.paid", "payment.confirmed", "auth.login", "membership.activated"} <= codes
    missing = sorted(code for code in codes if not registry.is_registered(code))
    assert missing == []
    for code in codes:
        label = registry.action_label(code)
        assert label and label != code
