"""`make run` serves the platform on SQLite and production on PostgreSQL: domain code sticks to SQL both accept.
DISTINCT ON (`.distinct("field")`) exists only on PostgreSQL; a page using it answered 500 on SQLite."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_distinct_on_outside_tests():
    offenders = []
    for path in (ROOT / "sanggar").rglob("*.py"):
        if "/tests/" in str(path) or "/migrations/" in str(path):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\.distinct\(\s*[\"']", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert not offenders, offenders
