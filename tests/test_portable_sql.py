"""`make run` serves the platform on SQLite and production on PostgreSQL: domain code sticks to SQL both accept.
DISTINCT ON (`.distinct("field")`) and a JSON list's `__contains=[...]` / `__contained_by` exist only on
PostgreSQL; pages using them (the chat inbox, the dashboard's banner) answered 500 on SQLite."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_distinct_on_outside_tests():
    offenders = []
    for path in (ROOT / "sanggar").rglob("*.py"):
        if "/tests/" in str(path) or "/migrations/" in str(path):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\.distinct\(\s*[\"']|__contains=\[|__contained_by", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert not offenders, offenders
