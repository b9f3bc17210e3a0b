"""Security headers: strict CSP with a per-request nonce, Permissions-Policy, no-store for signed-in answers."""

import re
from pathlib import Path

import pytest

from sanggar.api.testing import call

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def test_public_page_has_csp_and_permissions_policy_but_may_be_cached(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert f'nonce="{nonce}"' in response.content.decode()  # the brand colours <style> carries it
    assert "http" not in csp  # nothing from another host
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" not in response.get("Cache-Control", "")


def test_nonce_changes_per_request(client):
    first = client.get("/")["Content-Security-Policy"]
    second = client.get("/")["Content-Security-Policy"]
    assert first != second


@pytest.mark.parametrize("url", ["/dashboard/", "/riwayat-pembelian"])
def test_signed_in_pages_are_no_store(member_client, url):
    response = member_client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_api_answers_are_no_store(client, member_user):
    me = call(client, "get", "/me", user=member_user)
    assert me.status_code == 200
    assert "no-store" in me["Cache-Control"]
    assert "no-store" in call(client, "get", "/me")["Cache-Control"]


def test_every_inline_script_and_style_element_carries_the_nonce():
    """An inline <script> or <style> without the nonce would be blocked by the browser: every template adds it."""
    missing = []
    for path in ROOT.joinpath("sanggar").rglob("templates/**/*.html"):
        if "/pdf/" in str(path) or path.name == "500.html":
            continue  # PDFs are rendered by WeasyPrint; the 500 page is allowed its own style (no request)
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", text):
            if "src=" in tag or "application/json" in tag or "application/ld+json" in tag:
                continue
            if "csp_nonce" not in tag:
                missing.append(f"{path.relative_to(ROOT)}: {tag}")
    assert not missing, missing
