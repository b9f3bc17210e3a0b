"""The Content-Security-Policy allows scripts by nonce only (sanggar.core.middleware): an inline event handler
attribute (onchange="…", onsubmit="…") is blocked by the browser and silently does nothing. Templates use Alpine
(`x-data @change="…"`) or a nonced script instead."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)


def test_no_template_uses_an_inline_event_handler():
    offenders = []
    for path in sorted((ROOT / "sanggar").rglob("*.html")) + sorted((ROOT / "config").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in HANDLER.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert offenders == []
