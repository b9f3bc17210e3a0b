"""The production profile is configured from the environment alone: storage, database connections, broker, logs,
and `manage.py check --deploy` is clean. Each case loads config.settings in a fresh interpreter."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "uji-produksi-8f3Kq2Lx9Vb7Nw4Rt6Yz1Hc5Jm0Pd3Sg-kunci-rahasia-panjang",
    "ALLOWED_HOSTS": "app.eksporyuk.com",
    "SITE_URL": "https://app.eksporyuk.com",
}
PROBE = """
import json, django
from django.conf import settings as s
django.setup()
from django.core.files.storage import storages
db = s.DATABASES["default"]
print(json.dumps({
    "storage": type(storages["default"]).__name__,
    "storage_options": s.STORAGES["default"].get("OPTIONS", {}),
    "media_url": s.MEDIA_URL,
    "conn_max_age": db.get("CONN_MAX_AGE"),
    "health_checks": db.get("CONN_HEALTH_CHECKS"),
    "pool": db.get("OPTIONS", {}).get("pool"),
    "broker_options": getattr(s, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
    "console_formatter": s.LOGGING["handlers"]["console"]["formatter"],
    "middleware0": s.MIDDLEWARE[0],
    "cache_options": s.CACHES["default"].get("OPTIONS", {}),
}, default=str))
"""


def _run(args, **env):
    # A production process starts without the test run's own variables (the browser tests' conftest sets
    # DJANGO_ALLOW_ASYNC_UNSAFE in this process, which `check --deploy` rightly refuses).
    dropped = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "PYTEST_VERSION", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    for key in list(clean):
        if key.startswith(("S3_", "DB_", "REDIS_URL", "CELERY_BROKER", "LOG_FORMAT")):
            clean.pop(key)
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings", SANGGAR_VAR_DIR=str(ROOT / "var" / "settings-test"))
    return subprocess.run(args, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120, check=False)


def _settings(**env) -> dict:
    result = _run([sys.executable, "-c", PROBE], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_local_defaults_disk_storage_and_plain_logs():
    values = _settings(DEBUG="true")
    assert values["storage"] == "FileSystemStorage" and values["media_url"] == "/media/"
    assert values["console_formatter"] == "plain"
    assert values["middleware0"] == "sanggar.core.observability.RequestIdMiddleware"


def test_production_with_s3_pool_and_redis():
    values = _settings(
        **PRODUCTION,
        DATABASE_URL="postgres://sanggar:sandi@10.0.0.10:5432/sanggar",
        DB_POOL="true",
        DB_POOL_MAX_SIZE="7",
        REDIS_URL="redis://10.0.0.10:6379/0",
        CELERY_VISIBILITY_TIMEOUT="900",
        S3_BUCKET="sanggar-media",
        S3_ENDPOINT_URL="https://s3.contoh.id",
        S3_ACCESS_KEY_ID="kunci",
        S3_SECRET_ACCESS_KEY="rahasia",
        S3_PUBLIC_URL="https://media.contoh.id",
    )
    assert values["storage"] == "SanggarS3Storage"
    options = values["storage_options"]
    assert options["bucket_name"] == "sanggar-media" and options["endpoint_url"] == "https://s3.contoh.id"
    assert options["public_url"] == "https://media.contoh.id" and options["signature_version"] == "s3v4"
    assert values["media_url"] == "https://media.contoh.id/"  # the CSP allows images from there
    assert values["pool"] == {"min_size": 2, "max_size": 7, "timeout": 10} and values["conn_max_age"] == 0
    assert values["broker_options"] == {"visibility_timeout": 900}
    assert values["console_formatter"] == "json"
    assert values["cache_options"]["socket_timeout"] == 2


def test_persistent_connections_without_a_pool():
    values = _settings(**PRODUCTION, DATABASE_URL="postgres://s@127.0.0.1:5432/s", DB_CONN_MAX_AGE="60")
    assert values["pool"] is None and values["conn_max_age"] == 60 and values["health_checks"] is True


def test_check_deploy_is_clean_under_production_settings():
    result = _run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
        REDIS_URL="redis://127.0.0.1:6379/15",
        S3_BUCKET="sanggar-media",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_setting_read_from_the_environment_is_in_env_example():
    source = (ROOT / "config" / "settings.py").read_text()
    names = set(re.findall(r'env(?:_bool|_int|_list)?\("([A-Z0-9_]+)"', source))
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^([A-Z0-9_]+)=", example, flags=re.M))
    new = {n for n in names if n.startswith(("S3_", "DB_", "METRICS_", "SENTRY_", "BACKUP_", "LOG_", "CELERY_"))}
    assert new - listed == set()
    assert "PROMETHEUS_MULTIPROC_DIR" in listed and "MEDIA_CACHE_SECONDS" in listed
