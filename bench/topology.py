"""The production topology on one machine, for `make prod-check`, the soak and the fault tests.

Two uvicorn web processes, two Celery workers, one beat, the machine's Redis (one database number of its own, emptied
first) and PostgreSQL (a scratch database, created afresh), uploads on moto's S3-compatible server on loopback, the
production settings (`DEBUG=false`, JSON logs, the connection pool, WhiteNoise with collected static files) and
Prometheus metrics shared by the processes. Every process is started and stopped by this module (by its own pid).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = BASE_DIR / ".venv" / "bin"
CALLBACK_TOKEN = "prodcheck-callback-token"
BUCKET = "sanggar-prodcheck"


def log(message: str) -> None:
    print(f"[prod-check] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _exe(name: str) -> str:
    path = BIN / name
    return str(path) if path.exists() else name


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen
    log_path: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def rss_kb(self) -> int:
        """Resident memory of the process and its children (uvicorn/celery may fork), in KiB."""
        total = 0
        for pid in [self.pid, *_children(self.pid)]:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                pass
        return total


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    found = [int(p) for p in text.split()]
    return found + [g for c in found for g in _children(c)]


@dataclass
class Topology:
    database: str = "sanggar_prodcheck"
    redis_db: int = 13
    var_dir: Path = BASE_DIR / "var" / "prodcheck"
    base_database_url: str = ""
    redis_base: str = "redis://127.0.0.1:6379"
    visibility_timeout: int = 20
    web_ports: list[int] = field(default_factory=list)
    procs: dict[str, Proc] = field(default_factory=dict)
    s3: Proc | None = None
    s3_port: int = 0
    env: dict = field(default_factory=dict)

    # --- set-up ---------------------------------------------------------------------------------------------------

    @property
    def database_url(self) -> str:
        parts = urlsplit(
            self.base_database_url or os.environ.get("DATABASE_URL", "") or "postgres://postgres@127.0.0.1:5432/x"
        )
        return urlunsplit(parts._replace(path=f"/{self.database}"))

    def admin_url(self) -> str:
        parts = urlsplit(self.database_url)
        return urlunsplit(parts._replace(path="/postgres"))

    def database_create(self, name: str | None = None) -> None:
        import psycopg

        name = name or self.database
        if not name.replace("_", "").isalnum():
            raise ValueError(f"database name {name!r}: letters, digits and underscores only")
        with psycopg.connect(self.admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')

    def database_drop(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def redis_url(self) -> str:
        return f"{self.redis_base}/{self.redis_db}"

    def redis_flush(self) -> None:
        import redis

        client = redis.Redis.from_url(self.redis_url())
        client.flushdb()  # only this database number: the other numbers belong to others
        client.close()

    def s3_start(self) -> None:
        self.s3_port = free_port()
        self.var_dir.mkdir(parents=True, exist_ok=True)
        path = self.var_dir / "s3.log"
        handle = open(path, "w")  # noqa: SIM115 - lives as long as the server
        popen = subprocess.Popen(  # noqa: S603 - a fixed command line
            [_exe("moto_server"), "-H", "127.0.0.1", "-p", str(self.s3_port)],
            stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.s3 = Proc("s3", popen, path)
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=self.s3_endpoint(),
            aws_access_key_id="prodcheck",
            aws_secret_access_key="prodcheck-secret",
            region_name="us-east-1",
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                client.create_bucket(Bucket=BUCKET)
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)

    def s3_endpoint(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def environment(self) -> dict:
        prom = self.var_dir / "prometheus"
        return {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "SECRET_KEY": self.env.get("SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": "http://127.0.0.1",
            "SITE_URL": "http://127.0.0.1",
            # No TLS on loopback: the proxy terminates it in production (README "Deploying").
            "SECURE_SSL_REDIRECT": "false",
            "TRUSTED_PROXY_COUNT": "1",
            "SANGGAR_VAR_DIR": str(self.var_dir),
            "DATABASE_URL": self.database_url,
            "DB_POOL": "true",
            "DB_POOL_MAX_SIZE": "4",
            "REDIS_URL": self.redis_url(),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "CELERY_VISIBILITY_TIMEOUT": str(self.visibility_timeout),
            "S3_BUCKET": BUCKET,
            "S3_ENDPOINT_URL": self.s3_endpoint(),
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "prodcheck",
            "S3_SECRET_ACCESS_KEY": "prodcheck-secret",
            "PROMETHEUS_MULTIPROC_DIR": str(prom),
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "WARNING",
            "PAYMENT_PROVIDERS": "manual,xendit",
            "XENDIT_SECRET_KEY": "xnd_development_prodcheck",
            "XENDIT_CALLBACK_TOKEN": CALLBACK_TOKEN,
            "XENDIT_BASE_URL": "http://127.0.0.1:9",
            "BACKUP_DIR": str(self.var_dir / "backups"),
            "PYTHONUNBUFFERED": "1",
        }

    def prepare(self) -> None:
        if self.var_dir.exists():
            shutil.rmtree(self.var_dir)
        self.var_dir.mkdir(parents=True)
        (self.var_dir / "prometheus").mkdir()
        self.database_create()
        self.redis_flush()
        self.s3_start()
        self.env = self.environment()

    def manage(self, *args: str, extra_env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(  # noqa: S603 - a fixed command line
            [_exe("python"), "manage.py", *args],
            cwd=BASE_DIR, env={**os.environ, **self.env, **(extra_env or {})}, capture_output=True, text=True,
        )  # fmt: skip
        if check and result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return result

    def django(self, code: str) -> dict:
        """Runs `code` (Python, with Django set up, ending in `result = {...}`) under the topology's settings."""
        script = "import django, json\ndjango.setup()\n" + code + "\nprint('RESULT ' + json.dumps(result))\n"
        result = subprocess.run(  # noqa: S603 - a fixed interpreter
            [_exe("python"), "-c", script], cwd=BASE_DIR, env={**os.environ, **self.env}, capture_output=True, text=True
        )
        for line in result.stdout.splitlines():
            if line.startswith("RESULT "):
                return json.loads(line[7:])
        raise RuntimeError(f"setup step failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")

    # --- processes ------------------------------------------------------------------------------------------------

    def _start(self, name: str, command: list[str]) -> Proc:
        path = self.var_dir / f"{name}.log"
        handle = open(path, "a")  # noqa: SIM115 - lives as long as the process
        popen = subprocess.Popen(  # noqa: S603 - a fixed command line
            command, cwd=BASE_DIR, env={**os.environ, **self.env}, stdout=handle, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        proc = Proc(name, popen, path)
        self.procs[name] = proc
        return proc

    def web_start(self, index: int, port: int | None = None) -> Proc:
        port = port or (self.web_ports[index] if index < len(self.web_ports) else free_port())
        while len(self.web_ports) <= index:
            self.web_ports.append(0)
        self.web_ports[index] = port
        return self._start(
            f"web{index + 1}",
            [_exe("uvicorn"), "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
             "--lifespan", "off", "--no-access-log", "--log-level", "warning",],
        )  # fmt: skip

    def worker_start(self, index: int) -> Proc:
        return self._start(
            f"worker{index + 1}",
            [_exe("celery"), "-A", "config", "worker", "--pool=solo", "--loglevel=warning",
             "-n", f"prodcheck{index + 1}@%h", "--without-mingle", "--without-gossip"],
        )  # fmt: skip

    def beat_start(self) -> Proc:
        return self._start(
            "beat",
            [_exe("celery"), "-A", "config", "beat", "--loglevel=warning",
             "--schedule", str(self.var_dir / "celerybeat-schedule")],
        )  # fmt: skip

    def start_all(self, webs: int = 2, workers: int = 2) -> None:
        for i in range(webs):
            self.web_start(i)
        for i in range(workers):
            self.worker_start(i)
        self.beat_start()

    def url(self, index: int, path: str = "") -> str:
        return f"http://127.0.0.1:{self.web_ports[index]}{path}"

    def wait_ready(self, index: int, timeout: float = 90.0) -> dict:
        import httpx

        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            proc = self.procs[f"web{index + 1}"]
            if not proc.alive():
                raise RuntimeError(f"{proc.name} stopped: see {proc.log_path}")
            try:
                answer = httpx.get(self.url(index, "/readyz"), timeout=5)
                last = answer.json()
                if answer.status_code == 200:
                    return last
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.5)
        raise RuntimeError(f"web{index + 1} not ready in {timeout:.0f} s (last answer {last})")

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs[name]
        if proc.alive():
            os.killpg(proc.pid, sig)  # its own session: the process and its children only
            proc.popen.wait(timeout=30)

    def stop(self, name: str) -> None:
        proc = self.procs.get(name)
        if proc is None or not proc.alive():
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.popen.wait(timeout=10)
        except ProcessLookupError:
            pass

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.stop(name)
        if self.s3 is not None and self.s3.alive():
            os.killpg(self.s3.pid, signal.SIGTERM)
            try:
                self.s3.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.s3.pid, signal.SIGKILL)

    def memory(self) -> dict[str, int]:
        return {name: proc.rss_kb() for name, proc in self.procs.items() if proc.alive()}


def seed_code(password: str) -> str:
    """The small platform the checks run on: an admin, members, the catalogue and pending Xendit orders."""
    return f"""
from django.test import Client
from django.utils import timezone
from bench.dataset import _catalog, _webhook_pool
from sanggar.accounts.models import User, UserRole
from sanggar.core.roles import Role
from sanggar.orders.constants import INVOICE_SEQUENCE_NAME
from sanggar.orders.models import InvoiceSequence
from sanggar.payments.models import Payment

admin = User.objects.create_user(email="admin@prodcheck.test", password={password!r}, full_name="Admin Prodcheck")
UserRole.objects.bulk_create([UserRole(user=admin, role=r) for r in (Role.MEMBER, Role.ADMIN)])
members = []
for i in range(1, 41):
    user = User.objects.create_user(
        email=f"anggota{{i}}@prodcheck.test", password={password!r}, full_name=f"Anggota {{i}}"
    )
    UserRole.objects.create(user=user, role=Role.MEMBER)
    members.append(user.pk)
plans, products = _catalog(admin)
last = _webhook_pool(members, plans, 1, len(members), timezone.now())
InvoiceSequence.objects.update_or_create(name=INVOICE_SEQUENCE_NAME, defaults={{"last_value": last}})
pending = list(Payment.objects.filter(provider="xendit", status="pending").order_by("id")
               .values_list("order__invoice_number", "provider_reference", "amount", "order__buyer_id"))
def session(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value
member = User.objects.get(pk=members[0])
result = {{
    "admin_session": session(admin),
    "member_session": session(member),
    "member_id": member.pk,
    "members": members,
    "pending": pending,
}}
"""
