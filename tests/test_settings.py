"""Settings are production-safe when DEBUG is off. Each case loads config.settings in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = (
    "import json, django; from django.conf import settings as s; django.setup(); "
    "print(json.dumps({k: str(getattr(s, k, None)) for k in ("
    "'SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SECURE_HSTS_SECONDS','SECURE_SSL_REDIRECT',"
    "'ALLOWED_HOSTS','PASSWORD_HASHERS','DEBUG')}))"
)


def _load(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "PYTEST_VERSION"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings", SANGGAR_VAR_DIR=str(ROOT / "var" / "settings-test"))
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60, check=False
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _load(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_are_secure():
    result = _load(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="app.eksporyuk.com")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] == "False"
    assert values["SESSION_COOKIE_SECURE"] == "True"
    assert values["CSRF_COOKIE_SECURE"] == "True"
    assert int(values["SECURE_HSTS_SECONDS"]) >= 31536000
    assert values["SECURE_SSL_REDIRECT"] == "True"
    assert values["ALLOWED_HOSTS"] == "['app.eksporyuk.com']"
    assert values["PASSWORD_HASHERS"].startswith("['django.contrib.auth.hashers.Argon2PasswordHasher'")


def test_no_secret_in_the_repository():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert ".env" not in tracked
    assert not [path for path in tracked if path.endswith((".sqlite3", ".pem", ".key"))]
