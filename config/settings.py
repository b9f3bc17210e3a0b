"""Sanggar settings: one module, driven by environment variables with safe local defaults.

Every variable read here is listed in `.env.example`. A `.env` file in the project root, when present,
is read first (values already in the environment win).
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SANGGAR_VAR_DIR", BASE_DIR / "var"))


def _load_dotenv(path: Path) -> None:
    if not path.is_file():
        return
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        value = re.split(r"\s+#", value, maxsplit=1)[0]  # `KEY=value   # comment`, as .env.example writes it
        os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


_load_dotenv(BASE_DIR / ".env")


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# pytest (>= 8.2) sets PYTEST_VERSION: tests run tasks eagerly and hash passwords fast.
TESTING = env_bool("SANGGAR_TESTING", False) or "PYTEST_VERSION" in os.environ

_DEV_SECRET = "dev-only-insecure-secret-key-change-me-in-production-0123456789"
SECRET_KEY = env("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY or (not DEBUG and SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# How many reverse proxies in front of the platform append to X-Forwarded-For. 0: use the socket address only,
# so a client cannot choose its own IP for rate limits and the activity log.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# The address links are built from (emails, WhatsApp, affiliate links). Unset: `make run` on PORT, and in DEBUG the
# request's own host (SITE_URL_FROM_REQUEST), so links work on any port or name the platform is opened with.
SITE_URL = (env("SITE_URL", "") or f"http://127.0.0.1:{env_int('PORT', 8000)}").rstrip("/")
# true: Django's technical 404/500 pages when DEBUG is on (the product's own pages otherwise).
DEBUG_ERROR_PAGES = env_bool("DEBUG_ERROR_PAGES", False)
SITE_URL_FROM_REQUEST = env_bool("SITE_URL_FROM_REQUEST", DEBUG and not env("SITE_URL", "") and not TESTING)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    "channels",
    "django_htmx",
    "ninja",  # serves Swagger UI's files itself, so /api/v1/docs loads nothing from a CDN
    # Our apps come before allauth so their templates override allauth's.
    "sanggar.core",
    "sanggar.audit",
    "sanggar.accounts",
    "sanggar.branding",
    "sanggar.notifications",
    "sanggar.integrations",
    "sanggar.access",
    "sanggar.catalog",
    "sanggar.marketing",
    "sanggar.memberships",
    "sanggar.directory",
    "sanggar.banners",
    "sanggar.documents",
    "sanggar.affiliates",
    "sanggar.orders",
    "sanggar.tickets",
    "sanggar.learning",
    "sanggar.community",
    "sanggar.classes",
    "sanggar.trainings",
    "sanggar.chat",
    "sanggar.events",
    "sanggar.payments",
    "sanggar.finance",
    "sanggar.analytics",
    "sanggar.reminders",
    "sanggar.booster",
    "sanggar.suppliers",
    "sanggar.reports",
    "sanggar.migration",
    "sanggar.dashboard",
    "sanggar.api",
    "sanggar.ops",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
]

MIDDLEWARE = [
    # Outermost of all: the request id (answer header, every log line, queued tasks) and the request metrics.
    "sanggar.core.observability.RequestIdMiddleware",
    # Outermost: security headers on every answer, then the input guard before anything reads the request.
    "sanggar.core.middleware.SecurityHeadersMiddleware",
    "sanggar.core.guard.InputGuardMiddleware",
    # Answers requests for the admins' short-link domains before the host check (it never trusts Host for URLs).
    "sanggar.affiliates.middleware.ShortLinkHostMiddleware",
    # DEBUG (`make run`): the product's own 404/500 pages instead of Django's debug pages.
    "sanggar.core.middleware.OwnErrorPagesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Old Tutor LMS certificate links (`…?cert_hash=<hash>`) open the imported certificate's verification page.
    "sanggar.migration.middleware.LegacyCertificateMiddleware",
    # A Premium supplier's subdomain (SUPPLIER_SUBDOMAIN_BASE) shows its profile; other paths go to SITE_URL.
    "sanggar.suppliers.middleware.SupplierSubdomainMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sanggar.affiliates.middleware.ReferralMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "sanggar.core.middleware.RequestContextMiddleware",
    # A supplier in Draft / Onboarding is sent back to onboarding (v1.2): after auth and the request context.
    "sanggar.suppliers.middleware.SupplierOnboardingMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sanggar.branding.context_processors.branding",
                "sanggar.core.context_processors.shell",
                "sanggar.notifications.context_processors.unread",
                "sanggar.core.public_cache.csrf_placeholder",
            ],
            "builtins": ["sanggar.core.templatetags.sanggar"],
        },
    }
]

# Database: SQLite under var/ by default; PostgreSQL through DATABASE_URL.
VAR_DIR.mkdir(parents=True, exist_ok=True)
# Several processes on PostgreSQL (README "Deploying"): DB_POOL=true gives each process a psycopg connection pool of
# DB_POOL_MIN_SIZE..DB_POOL_MAX_SIZE connections (the right choice under uvicorn/ASGI), or DB_CONN_MAX_AGE keeps one
# connection per thread open that many seconds (checked before reuse); a PgBouncer in transaction mode in front of
# PostgreSQL works with either (then set DB_DISABLE_SERVER_SIDE_CURSORS=true).
DB_POOL = env_bool("DB_POOL", False)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sanggar.sqlite3'}"),
        conn_max_age=0 if DB_POOL else env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["connect_timeout"] = env_int("DB_CONNECT_TIMEOUT", 10)
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DB_DISABLE_SERVER_SIDE_CURSORS", False)
    if DB_POOL:
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": env_int("DB_POOL_MIN_SIZE", 2),
            "max_size": env_int("DB_POOL_MAX_SIZE", 10),
            "timeout": env_int("DB_POOL_TIMEOUT", 10),
        }
# Threads per ASGI server process that serve HTTP requests side by side (config/asgi.py, sanggar/core/http_threads.py):
# while one request waits for the database another runs. 1 keeps asgiref's single shared thread (the default on
# SQLite, where writers queue for the file anyway). With DB_POOL each thread holds a pooled connection during a
# request, so keep HTTP_THREADS below DB_POOL_MAX_SIZE.
HTTP_THREADS = env_int("HTTP_THREADS", 4 if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" else 1)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache, realtime and background work: Redis when REDIS_URL is set, in-process defaults otherwise.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Redis gone for a moment: a cache read fails fast instead of hanging every request.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # redis-py 8 reads with a 5 s socket timeout by default, the same as channels_redis's 5 s blocking pop: a busy
    # moment made the pop time out and closed every websocket of the process. The read timeout is longer than the pop.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 30, "socket_connect_timeout": 5}]},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sanggar"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = VAR_DIR / "celery"
    for _sub in ("in", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "in"),
        "data_folder_out": str(_broker_dir / "in"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
# With Redis as the broker, a task whose worker died before acknowledging it is delivered again after this long
# (tasks are acknowledged late: a killed worker loses nothing).
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", TESTING)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Asia/Jakarta"
CELERY_BEAT_SCHEDULE: dict = {
    "api-idempotency-purge": {"task": "sanggar.api.tasks.idempotency_purge_task", "schedule": 3600},
    "notifications-deliveries-sweep": {"task": "sanggar.notifications.tasks.deliveries_sweep_task", "schedule": 300.0},
    "orders-expire-sweep": {"task": "sanggar.orders.tasks.orders_expire_task", "schedule": 300.0},
    "events-reminders": {"task": "sanggar.events.tasks.events_reminders_task", "schedule": 300.0},
    "payments-webhooks-purge": {"task": "sanggar.payments.tasks.webhook_events_purge_task", "schedule": 3600.0},
    "orders-follow-ups-send": {"task": "sanggar.orders.tasks.follow_ups_send_task", "schedule": 300.0},
    "finance-commissions-release": {"task": "sanggar.finance.tasks.commissions_release_task", "schedule": 900.0},
    "finance-challenge-awards": {"task": "sanggar.finance.tasks.challenge_awards_task", "schedule": 3600.0},
    "memberships-expire": {"task": "sanggar.memberships.tasks.memberships_expire_task", "schedule": 900.0},
    # 08:00 WIB keeps WhatsApp reminders out of the night.
    # Reports to admins and founders, 07:00 WIB: the last week on Mondays, the last month on the 1st.
    "reports-weekly-summary": {
        "task": "sanggar.reports.tasks.weekly_summary_task",
        "schedule": crontab(hour=7, minute=0, day_of_week=1),
    },
    "reports-monthly-report": {
        "task": "sanggar.reports.tasks.monthly_report_task",
        "schedule": crontab(hour=7, minute=0, day_of_month=1),
    },
    # Hourly: the sweep sends at the learning-reminder settings' hour (default LEARNING_REMINDER_SEND_HOUR, 09 WIB).
    "learning-study-reminders": {
        "task": "sanggar.learning.tasks.study_reminders_task",
        "schedule": crontab(minute=0),
    },
    # 18:00 WIB: each mentor's daily summary of new discussion comments per course.
    "learning-comment-digest": {
        "task": "sanggar.learning.tasks.comment_digest_task",
        "schedule": crontab(hour=18, minute=0),
    },
    "reminders-send-due": {"task": "sanggar.reminders.tasks.reminders_send_due_task", "schedule": 60.0},
    "reminders-broadcasts-due": {"task": "sanggar.reminders.tasks.broadcasts_start_due_task", "schedule": 60.0},
    # Booster: scheduled/recurring broadcasts (an HH:MM schedule is at most a minute late) and automation steps.
    "booster-sweep": {"task": "sanggar.booster.tasks.booster_sweep_task", "schedule": 60.0},
    "classes-sweep": {"task": "sanggar.classes.tasks.classes_sweep_task", "schedule": 900.0},
    # Community: scheduled posts that are due are published within a minute; expired stories' files are deleted.
    "community-scheduled-posts": {"task": "sanggar.community.tasks.scheduled_posts_publish_task", "schedule": 60.0},
    "community-stories-sweep": {"task": "sanggar.community.tasks.stories_sweep_task", "schedule": 3600.0},
    # Community: the finished week's member of the week (Mondays 00:10 WIB); inactivity nudges (daily 10:00 WIB).
    "community-member-of-week": {
        "task": "sanggar.community.tasks.member_of_week_task",
        "schedule": crontab(hour=0, minute=10, day_of_week=1),
    },
    # Community: last week's weekly badges ("Aktif Diskusi Mingguan") and count badges (Mondays 00:00 WIB, GAM-F2).
    "community-weekly-badges": {
        "task": "sanggar.community.tasks.weekly_badges_task",
        "schedule": crontab(hour=0, minute=0, day_of_week=1),
    },
    # Community: group challenges whose period ended are closed, their rewards given and participants told (GAM-D7).
    "community-challenges-close": {"task": "sanggar.community.tasks.challenges_close_task", "schedule": 300.0},
    "community-inactivity-nudge": {
        "task": "sanggar.community.tasks.inactivity_nudge_task",
        "schedule": crontab(hour=10, minute=0),
    },
    "tickets-auto-close": {"task": "sanggar.tickets.tasks.tickets_auto_close_task", "schedule": 3600.0},
    "tickets-sla": {"task": "sanggar.tickets.tasks.tickets_sla_task", "schedule": 300.0},
    # Monday 09:00 WIB: members who have not opened the week's new documents.
    "documents-remind": {
        "task": "sanggar.documents.tasks.documents_remind_task",
        "schedule": crontab(day_of_week=1, hour=9, minute=0),
    },
    # Monday 08:00 WIB: members with product interests hear how many matching buyers were added that week.
    "directory-new-buyers": {
        "task": "sanggar.directory.tasks.buyers_digest_task",
        "schedule": crontab(day_of_week=1, hour=8, minute=0),
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    # Members imported from WordPress (Sejoli): their old hash is accepted once, then upgraded (sanggar/migration).
    "sanggar.migration.hashers.WordPressPasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests hash many passwords. Production keeps Argon2 first.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    # Django's rules with the platform's Indonesian texts ("Anda"); see sanggar/accounts/password_rules.py.
    {"NAME": "sanggar.accounts.password_rules.UserAttributeSimilarityValidator"},
    {"NAME": "sanggar.accounts.password_rules.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "sanggar.accounts.password_rules.CommonPasswordValidator"},
    {"NAME": "sanggar.accounts.password_rules.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "orders:home"

SITE_ID = 1
ACCOUNT_ADAPTER = "sanggar.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "sanggar.accounts.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_SIGNUP_FORM_CLASS = "sanggar.accounts.forms.SignupForm"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Failed logins per address only; per account they are throttled with the account's address (growing delay,
    # sanggar.accounts.login_throttle), so a stranger cannot lock a member out. A reset is always possible.
    "login_failed": "20/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip",
    "confirm_email": "1/3m/key",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
SOCIALACCOUNT_LOGIN_ON_GET = False
GOOGLE_CLIENT_ID = env("GOOGLE_CLIENT_ID")
GOOGLE_CLIENT_SECRET = env("GOOGLE_CLIENT_SECRET")
SOCIALACCOUNT_PROVIDERS = {
    "google": {
        "SCOPE": ["profile", "email"],
        "AUTH_PARAMS": {"access_type": "online"},
        **(
            {"APPS": [{"client_id": GOOGLE_CLIENT_ID, "secret": GOOGLE_CLIENT_SECRET, "key": ""}]}
            if GOOGLE_CLIENT_ID
            else {}
        ),
    }
}

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [
    ("build", BASE_DIR / "assets" / "build"),
    ("icons", BASE_DIR / "node_modules" / "lucide-static" / "icons"),
]
# Uploads: the local disk (MEDIA_ROOT) unless S3_BUCKET names a bucket on an S3-compatible store (AWS S3, MinIO,
# Cloudflare R2, Wasabi, DigitalOcean Spaces, ...): then every web and worker machine shares it. Private files
# (`private/...`) are answered with signed links valid PRIVATE_LINK_TTL_SECONDS; public media get plain URLs (under
# S3_PUBLIC_URL, e.g. a CDN, when set) cached MEDIA_CACHE_SECONDS (sanggar.core.storage).
S3_BUCKET = env("S3_BUCKET")
MEDIA_CACHE_SECONDS = env_int("MEDIA_CACHE_SECONDS", 86400)
if S3_BUCKET:
    _S3_ENDPOINT = env("S3_ENDPOINT_URL").rstrip("/")
    _S3_PUBLIC = env("S3_PUBLIC_URL").rstrip("/")
    _DEFAULT_STORAGE = {
        "BACKEND": "sanggar.core.storage.SanggarS3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": _S3_ENDPOINT or None,
            "region_name": env("S3_REGION") or None,
            "access_key": env("S3_ACCESS_KEY_ID") or None,
            "secret_key": env("S3_SECRET_ACCESS_KEY") or None,
            "location": env("S3_PREFIX"),
            "addressing_style": env("S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
            "public_url": _S3_PUBLIC,
            "public_max_age": MEDIA_CACHE_SECONDS,
        },
    }
else:
    _DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and not TESTING
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_URL = "/media/"
if S3_BUCKET:
    # The public media origin (the CSP allows images from it).
    MEDIA_URL = (_S3_PUBLIC or f"{_S3_ENDPOINT or 'https://s3.amazonaws.com'}/{S3_BUCKET}") + "/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Email: SMTP when EMAIL_HOST is set, the console otherwise. Mailketing takes over when its token is set.
EMAIL_HOST = env("EMAIL_HOST")
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Sanggar <noreply@sanggar.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Messaging providers (optional: without credentials each channel writes to the delivery log).
MAILKETING_API_TOKEN = env("MAILKETING_API_TOKEN")
MAILKETING_BASE_URL = env("MAILKETING_BASE_URL", "https://api.mailketing.co.id")
MAILKETING_FROM_NAME = env("MAILKETING_FROM_NAME", "Sanggar")
MAILKETING_FROM_EMAIL = env("MAILKETING_FROM_EMAIL", "noreply@sanggar.test")
WHATSAPP_PROVIDER = env("WHATSAPP_PROVIDER")  # "starsender" or "fonnte"; empty picks whichever has a key
STARSENDER_API_KEY = env("STARSENDER_API_KEY")
STARSENDER_BASE_URL = env("STARSENDER_BASE_URL", "https://api.starsender.online")
FONNTE_TOKEN = env("FONNTE_TOKEN")
FONNTE_BASE_URL = env("FONNTE_BASE_URL", "https://api.fonnte.com")
ONESIGNAL_APP_ID = env("ONESIGNAL_APP_ID")
ONESIGNAL_API_KEY = env("ONESIGNAL_API_KEY")
ONESIGNAL_BASE_URL = env("ONESIGNAL_BASE_URL", "https://api.onesignal.com")
PROVIDER_HTTP_TIMEOUT = float(env("PROVIDER_HTTP_TIMEOUT", "10"))
# Delivery-status webhooks (/webhooks/fonnte/status, /webhooks/onesignal/events): the shared secret the provider
# sends (the `X-Webhook-Secret` header or the URL's `?secret=`); empty: the endpoint answers 403 to everything.
# A body over DELIVERY_WEBHOOK_MAX_BYTES is refused (413).
FONNTE_WEBHOOK_SECRET = env("FONNTE_WEBHOOK_SECRET")
ONESIGNAL_WEBHOOK_SECRET = env("ONESIGNAL_WEBHOOK_SECRET")
DELIVERY_WEBHOOK_MAX_BYTES = env_int("DELIVERY_WEBHOOK_MAX_BYTES", 16 * 1024)
NOTIFICATION_DELIVERY_MAX_ATTEMPTS = env_int("NOTIFICATION_DELIVERY_MAX_ATTEMPTS", 5)

# Payments. `manual` (bank transfer confirmed by an admin) always exists; the others are enabled by listing them.
PAYMENT_PROVIDERS = env_list("PAYMENT_PROVIDERS", "manual")
ORDER_PENDING_HOURS = env_int("ORDER_PENDING_HOURS", 24)
# Unpaid orders cannot hoard seats: a product with a quota is held this long; a buyer may hold this many unpaid
# orders (and one per item); order creation is rate-limited per user and per address ("<count>/<seconds>").
ORDER_STOCK_HOLD_MINUTES = env_int("ORDER_STOCK_HOLD_MINUTES", 30)
ORDER_MAX_PENDING_PER_BUYER = env_int("ORDER_MAX_PENDING_PER_BUYER", 3)
ORDER_MAX_PENDING_PER_ITEM = env_int("ORDER_MAX_PENDING_PER_ITEM", 1)
ORDER_CREATE_RATE_LIMIT = env("ORDER_CREATE_RATE_LIMIT", "10/600")
ORDER_CREATE_IP_RATE_LIMIT = env("ORDER_CREATE_IP_RATE_LIMIT", "30/600")
# How long the revenue-split settings in force stay cached (a new version clears the cache at once).
REVENUE_SETTINGS_CACHE_SECONDS = env_int("REVENUE_SETTINGS_CACHE_SECONDS", 60)
# Public pages and the catalogue API for visitors are served from the cache at most this long (0: off); any change to
# what they show (plans, prices, stock, products, branding, front door) replaces them at once
# (sanggar.core.public_cache).
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 300)
# How long a message template stays cached for sending (saving the template clears it at once).
MESSAGE_TEMPLATE_CACHE_SECONDS = env_int("MESSAGE_TEMPLATE_CACHE_SECONDS", 300)
# An important notification's popup not shown on an open page waits this long for the next page load.
NOTIFICATIONS_POPUP_DAYS = env_int("NOTIFICATIONS_POPUP_DAYS", 3)
MANUAL_BANK_NAME = env("MANUAL_BANK_NAME", "BCA")
MANUAL_BANK_ACCOUNT_NUMBER = env("MANUAL_BANK_ACCOUNT_NUMBER", "1234567890")
MANUAL_BANK_ACCOUNT_HOLDER = env("MANUAL_BANK_ACCOUNT_HOLDER", "PT Sanggar Edukasi Nusantara")
MANUAL_UNIQUE_CODE = env_bool("MANUAL_UNIQUE_CODE", True)  # add up to 3 digits so a transfer matches its order
# The unique code's range (the admin may change it at /admin/settings/payments unless these are set).
MANUAL_UNIQUE_CODE_MIN = env_int("MANUAL_UNIQUE_CODE_MIN", 1)
MANUAL_UNIQUE_CODE_MAX = env_int("MANUAL_UNIQUE_CODE_MAX", 999)
# Credentials entered at /admin/settings/payments and /admin/settings/integrations are stored encrypted (Fernet)
# with this key (a Fernet key, or any text a key is derived from); empty: derived from SECRET_KEY. An environment
# variable, when set, always wins over a stored value.
INTEGRATIONS_ENCRYPTION_KEY = env("INTEGRATIONS_ENCRYPTION_KEY")
# Transfer proofs buyers upload for a manual transfer (image or PDF, kept private).
TRANSFER_PROOF_MAX_BYTES = env_int("TRANSFER_PROOF_MAX_BYTES", 5 * 1024 * 1024)
XENDIT_SECRET_KEY = env("XENDIT_SECRET_KEY")
XENDIT_CALLBACK_TOKEN = env("XENDIT_CALLBACK_TOKEN")
XENDIT_BASE_URL = env("XENDIT_BASE_URL", "https://api.xendit.co")
MIDTRANS_SERVER_KEY = env("MIDTRANS_SERVER_KEY")
MIDTRANS_CLIENT_KEY = env("MIDTRANS_CLIENT_KEY")
MIDTRANS_IS_PRODUCTION = env_bool("MIDTRANS_IS_PRODUCTION", False)
MIDTRANS_SNAP_BASE_URL = env(
    "MIDTRANS_SNAP_BASE_URL",
    "https://app.midtrans.com" if MIDTRANS_IS_PRODUCTION else "https://app.sandbox.midtrans.com",
)
MIDTRANS_API_BASE_URL = env(
    "MIDTRANS_API_BASE_URL",
    "https://api.midtrans.com" if MIDTRANS_IS_PRODUCTION else "https://api.sandbox.midtrans.com",
)
SCALEV_API_KEY = env("SCALEV_API_KEY")
SCALEV_WEBHOOK_SECRET = env("SCALEV_WEBHOOK_SECRET")
SCALEV_STORE_UNIQUE_ID = env("SCALEV_STORE_UNIQUE_ID")
SCALEV_VARIANT_UNIQUE_ID = env("SCALEV_VARIANT_UNIQUE_ID")
SCALEV_BASE_URL = env("SCALEV_BASE_URL", "https://api.scalev.com")
# Webhooks: a body over WEBHOOK_MAX_BYTES is refused; an unverified delivery is kept only as a summary of
# WEBHOOK_UNVERIFIED_BODY_CHARS characters, at most WEBHOOK_UNVERIFIED_RATE_LIMIT per address ("<count>/<seconds>");
# stored deliveries are deleted after their retention (hourly sweep, `manage.py webhooks_purge`).
WEBHOOK_MAX_BYTES = env_int("WEBHOOK_MAX_BYTES", 256 * 1024)
WEBHOOK_UNVERIFIED_BODY_CHARS = env_int("WEBHOOK_UNVERIFIED_BODY_CHARS", 2000)
WEBHOOK_UNVERIFIED_RATE_LIMIT = env("WEBHOOK_UNVERIFIED_RATE_LIMIT", "30/3600")
WEBHOOK_RETENTION_DAYS = env_int("WEBHOOK_RETENTION_DAYS", 180)
WEBHOOK_UNVERIFIED_RETENTION_DAYS = env_int("WEBHOOK_UNVERIFIED_RETENTION_DAYS", 7)
# Signed links to private files (product downloads, invoices) stay valid this long.
PRIVATE_LINK_TTL_SECONDS = env_int("PRIVATE_LINK_TTL_SECONDS", 600)

# Member documents: the largest upload, download links one member / one address may ask for ("<count>/<seconds>"),
# and a suspicious burst (more than N successful downloads within M minutes flags the rows and tells admins).
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 50 * 1024 * 1024)
DOCUMENT_LINK_RATE_LIMIT = env("DOCUMENT_LINK_RATE_LIMIT", "30/600")
DOCUMENT_LINK_IP_RATE_LIMIT = env("DOCUMENT_LINK_IP_RATE_LIMIT", "60/600")
DOCUMENT_SUSPICIOUS_DOWNLOADS = env_int("DOCUMENT_SUSPICIOUS_DOWNLOADS", 20)
DOCUMENT_SUSPICIOUS_MINUTES = env_int("DOCUMENT_SUSPICIOUS_MINUTES", 60)

# Support tickets: first-response targets per priority (hours), auto-close and reopen windows (days), attachments,
# and how many tickets / replies one member or one address may send ("<count>/<seconds>").
TICKET_SLA_URGENT_HOURS = env_int("TICKET_SLA_URGENT_HOURS", 1)
TICKET_SLA_HIGH_HOURS = env_int("TICKET_SLA_HIGH_HOURS", 4)
TICKET_SLA_NORMAL_HOURS = env_int("TICKET_SLA_NORMAL_HOURS", 8)
TICKET_SLA_LOW_HOURS = env_int("TICKET_SLA_LOW_HOURS", 24)
TICKET_AUTO_CLOSE_DAYS = env_int("TICKET_AUTO_CLOSE_DAYS", 7)
TICKET_REOPEN_DAYS = env_int("TICKET_REOPEN_DAYS", 7)
TICKET_ATTACHMENT_MAX_BYTES = env_int("TICKET_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
TICKET_CREATE_RATE_LIMIT = env("TICKET_CREATE_RATE_LIMIT", "5/3600")
# Suppliers (sanggar/suppliers)
SUPPLIER_FILE_MAX_BYTES = env_int("SUPPLIER_FILE_MAX_BYTES", 10 * 1024 * 1024)
SUPPLIER_IMAGE_MAX_BYTES = env_int("SUPPLIER_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
SUPPLIER_UPLOAD_RATE_LIMIT = env("SUPPLIER_UPLOAD_RATE_LIMIT", "60/3600")
SUPPLIER_UPLOAD_IP_RATE_LIMIT = env("SUPPLIER_UPLOAD_IP_RATE_LIMIT", "150/3600")
SUPPLIER_PRODUCT_RATE_LIMIT = env("SUPPLIER_PRODUCT_RATE_LIMIT", "30/3600")
SUPPLIER_PRODUCT_IP_RATE_LIMIT = env("SUPPLIER_PRODUCT_IP_RATE_LIMIT", "90/3600")
SUPPLIER_REGISTER_IP_RATE_LIMIT = env("SUPPLIER_REGISTER_IP_RATE_LIMIT", "10/3600")
SUPPLIER_QUESTION_RATE_LIMIT = env("SUPPLIER_QUESTION_RATE_LIMIT", "50/3600")
SUPPLIER_QUESTION_IP_RATE_LIMIT = env("SUPPLIER_QUESTION_IP_RATE_LIMIT", "100/3600")
# A Premium supplier's own subdomain <slug>.<base> (sanggar/suppliers/middleware.py; needs a wildcard DNS record and
# certificate for *.<base>); "" = off. The base is added to ALLOWED_HOSTS.
SUPPLIER_SUBDOMAIN_BASE = env("SUPPLIER_SUBDOMAIN_BASE", "").strip().strip(".").lower()
if SUPPLIER_SUBDOMAIN_BASE and "*" not in ALLOWED_HOSTS:
    ALLOWED_HOSTS.append("." + SUPPLIER_SUBDOMAIN_BASE)
# Product-description drafts (sanggar/suppliers/writers.py): "template" (local, default) or "http" (a text service)
SUPPLIER_DRAFT_WRITER = env("SUPPLIER_DRAFT_WRITER", "template")
SUPPLIER_DRAFT_HTTP_URL = env("SUPPLIER_DRAFT_HTTP_URL", "")
SUPPLIER_DRAFT_HTTP_TOKEN = env("SUPPLIER_DRAFT_HTTP_TOKEN", "")
SUPPLIER_DRAFT_HTTP_TIMEOUT = env_int("SUPPLIER_DRAFT_HTTP_TIMEOUT", 10)
SUPPLIER_DRAFT_RATE_LIMIT = env("SUPPLIER_DRAFT_RATE_LIMIT", "20/3600")
SUPPLIER_DRAFT_IP_RATE_LIMIT = env("SUPPLIER_DRAFT_IP_RATE_LIMIT", "60/3600")
TICKET_CREATE_IP_RATE_LIMIT = env("TICKET_CREATE_IP_RATE_LIMIT", "20/3600")
TICKET_REPLY_RATE_LIMIT = env("TICKET_REPLY_RATE_LIMIT", "30/3600")
TICKET_REPLY_IP_RATE_LIMIT = env("TICKET_REPLY_IP_RATE_LIMIT", "90/3600")
# --- Export directory (buyers, forwarders, member directory, export documents) ---
# How many reports / openings / documents / buyers one user or one address may send ("<count>/<seconds>"), and the
# largest buyer import (rows and bytes).
DIRECTORY_REPORT_RATE_LIMIT = env("DIRECTORY_REPORT_RATE_LIMIT", "10/3600")
DIRECTORY_RATING_RATE_LIMIT = env("DIRECTORY_RATING_RATE_LIMIT", "30/3600")
DIRECTORY_RATING_IP_RATE_LIMIT = env("DIRECTORY_RATING_IP_RATE_LIMIT", "60/3600")
DIRECTORY_REPORT_IP_RATE_LIMIT = env("DIRECTORY_REPORT_IP_RATE_LIMIT", "30/3600")
DIRECTORY_OPEN_RATE_LIMIT = env("DIRECTORY_OPEN_RATE_LIMIT", "60/600")
DIRECTORY_OPEN_IP_RATE_LIMIT = env("DIRECTORY_OPEN_IP_RATE_LIMIT", "120/600")
DIRECTORY_DOCUMENT_RATE_LIMIT = env("DIRECTORY_DOCUMENT_RATE_LIMIT", "30/3600")
DIRECTORY_DOCUMENT_IP_RATE_LIMIT = env("DIRECTORY_DOCUMENT_IP_RATE_LIMIT", "60/3600")
DIRECTORY_BUYER_CREATE_RATE_LIMIT = env("DIRECTORY_BUYER_CREATE_RATE_LIMIT", "200/3600")
DIRECTORY_BUYER_CREATE_IP_RATE_LIMIT = env("DIRECTORY_BUYER_CREATE_IP_RATE_LIMIT", "400/3600")
DIRECTORY_IMPORT_MAX_ROWS = env_int("DIRECTORY_IMPORT_MAX_ROWS", 50000)
DIRECTORY_IMPORT_MAX_BYTES = env_int("DIRECTORY_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# Members' personal API keys: active keys per member, and requests per key ("<count>/<seconds>").
DIRECTORY_API_KEYS_PER_USER = env_int("DIRECTORY_API_KEYS_PER_USER", 3)
DIRECTORY_API_KEY_RATE_LIMIT = env("DIRECTORY_API_KEY_RATE_LIMIT", "600/3600")
# --- Online courses (learning) ---
# Hosts whose iframes a lesson may embed besides YouTube (shown privacy-enhanced) and Vimeo.
LEARNING_VIDEO_HOSTS = env_list("LEARNING_VIDEO_HOSTS", "")
LEARNING_COMMENT_RATE_LIMIT = env("LEARNING_COMMENT_RATE_LIMIT", "20/3600")
LEARNING_COMMENT_IP_RATE_LIMIT = env("LEARNING_COMMENT_IP_RATE_LIMIT", "60/3600")
LEARNING_COMMENT_MAX_LENGTH = env_int("LEARNING_COMMENT_MAX_LENGTH", 3000)
LEARNING_SUBMISSION_RATE_LIMIT = env("LEARNING_SUBMISSION_RATE_LIMIT", "20/3600")
LEARNING_SUBMISSION_MAX_LENGTH = env_int("LEARNING_SUBMISSION_MAX_LENGTH", 20000)
LEARNING_SUBMISSION_MAX_BYTES = env_int("LEARNING_SUBMISSION_MAX_BYTES", 10 * 1024 * 1024)
LEARNING_REVIEW_MAX_LENGTH = env_int("LEARNING_REVIEW_MAX_LENGTH", 2000)
# The local (WIB) hour study reminders go out, 0–23, until an admin sets it at /admin/kursus/pengingat.
LEARNING_REMINDER_SEND_HOUR = env_int("LEARNING_REMINDER_SEND_HOUR", 9)
# "Diskusi Aktif": more than this many visible comments on a course's lessons within the window (days).
LEARNING_ACTIVE_DISCUSSION_DAYS = env_int("LEARNING_ACTIVE_DISCUSSION_DAYS", 30)
# Live classes (sanggar.classes)
CLASSES_PAY_HOURS = env_int("CLASSES_PAY_HOURS", 24)
CLASSES_REMIND_DAYS = env_int("CLASSES_REMIND_DAYS", 3)
CLASSES_MAX_WAITING_PER_USER = env_int("CLASSES_MAX_WAITING_PER_USER", 5)
CLASSES_MAX_AVAILABILITY_SLOTS = env_int("CLASSES_MAX_AVAILABILITY_SLOTS", 42)
CLASSES_REGISTER_RATE_LIMIT = env("CLASSES_REGISTER_RATE_LIMIT", "10/3600")
CLASSES_REGISTER_IP_RATE_LIMIT = env("CLASSES_REGISTER_IP_RATE_LIMIT", "30/3600")
CLASSES_AUTO_PROMOTE = env_bool("CLASSES_AUTO_PROMOTE", True)
CLASSES_JOIN_OPENS_MINUTES = env_int("CLASSES_JOIN_OPENS_MINUTES", 30)
LEARNING_BROADCAST_RATE_LIMIT = env("LEARNING_BROADCAST_RATE_LIMIT", "5/86400")
LEARNING_ATTACHMENT_MAX_BYTES = env_int("LEARNING_ATTACHMENT_MAX_BYTES", 50 * 1024 * 1024)
LEARNING_VIDEO_MAX_BYTES = env_int("LEARNING_VIDEO_MAX_BYTES", 500 * 1024 * 1024)
LEARNING_VIDEO_LINK_TTL_SECONDS = env_int("LEARNING_VIDEO_LINK_TTL_SECONDS", 4 * 3600)

# --- Community (groups, feed, moderation, points) and events ---
# Limits per user and per client address: "<count>/<seconds>".
COMMUNITY_POST_RATE_LIMIT = env("COMMUNITY_POST_RATE_LIMIT", "10/3600")
COMMUNITY_POST_IP_RATE_LIMIT = env("COMMUNITY_POST_IP_RATE_LIMIT", "30/3600")
COMMUNITY_COMMENT_RATE_LIMIT = env("COMMUNITY_COMMENT_RATE_LIMIT", "60/3600")
COMMUNITY_COMMENT_IP_RATE_LIMIT = env("COMMUNITY_COMMENT_IP_RATE_LIMIT", "180/3600")
COMMUNITY_REACTION_RATE_LIMIT = env("COMMUNITY_REACTION_RATE_LIMIT", "300/3600")
COMMUNITY_REACTION_IP_RATE_LIMIT = env("COMMUNITY_REACTION_IP_RATE_LIMIT", "900/3600")
COMMUNITY_REPORT_RATE_LIMIT = env("COMMUNITY_REPORT_RATE_LIMIT", "10/3600")
COMMUNITY_REPORT_IP_RATE_LIMIT = env("COMMUNITY_REPORT_IP_RATE_LIMIT", "30/3600")
COMMUNITY_FOLLOW_RATE_LIMIT = env("COMMUNITY_FOLLOW_RATE_LIMIT", "60/3600")
COMMUNITY_FOLLOW_IP_RATE_LIMIT = env("COMMUNITY_FOLLOW_IP_RATE_LIMIT", "180/3600")
COMMUNITY_PREVIEW_RATE_LIMIT = env("COMMUNITY_PREVIEW_RATE_LIMIT", "60/3600")
COMMUNITY_PREVIEW_IP_RATE_LIMIT = env("COMMUNITY_PREVIEW_IP_RATE_LIMIT", "180/3600")
COMMUNITY_MENTION_MAX = env_int("COMMUNITY_MENTION_MAX", 10)
COMMUNITY_NEW_ACCOUNT_MENTION_MAX = env_int("COMMUNITY_NEW_ACCOUNT_MENTION_MAX", 2)
COMMUNITY_DOCUMENT_MAX_BYTES = env_int("COMMUNITY_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
COMMUNITY_LINK_PREVIEW_TIMEOUT_SECONDS = env_int("COMMUNITY_LINK_PREVIEW_TIMEOUT_SECONDS", 5)
COMMUNITY_LINK_PREVIEW_MAX_BYTES = env_int("COMMUNITY_LINK_PREVIEW_MAX_BYTES", 512 * 1024)
COMMUNITY_LINK_PREVIEW_IMAGE_MAX_BYTES = env_int("COMMUNITY_LINK_PREVIEW_IMAGE_MAX_BYTES", 2 * 1024 * 1024)
COMMUNITY_LIVE_RECHECK_SECONDS = env_int("COMMUNITY_LIVE_RECHECK_SECONDS", 60)  # live feed sockets re-check access
COMMUNITY_INVITE_RATE_LIMIT = env("COMMUNITY_INVITE_RATE_LIMIT", "30/3600")
COMMUNITY_INVITE_IP_RATE_LIMIT = env("COMMUNITY_INVITE_IP_RATE_LIMIT", "90/3600")
EVENTS_REGISTER_RATE_LIMIT = env("EVENTS_REGISTER_RATE_LIMIT", "20/3600")
EVENTS_REGISTER_IP_RATE_LIMIT = env("EVENTS_REGISTER_IP_RATE_LIMIT", "60/3600")
EVENTS_COVER_MAX_BYTES = env_int("EVENTS_COVER_MAX_BYTES", 5 * 1024 * 1024)
COMMUNITY_POST_MAX_LENGTH = env_int("COMMUNITY_POST_MAX_LENGTH", 5000)
COMMUNITY_COMMENT_MAX_LENGTH = env_int("COMMUNITY_COMMENT_MAX_LENGTH", 2000)
COMMUNITY_IMAGE_MAX_BYTES = env_int("COMMUNITY_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
# a group's cover and avatar (re-encoded to JPEG on upload)
COMMUNITY_GROUP_IMAGE_MAX_BYTES = env_int("COMMUNITY_GROUP_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
# the group library ("Berkas"): largest file, and uploads per member / per address
COMMUNITY_GROUP_FILE_MAX_BYTES = env_int("COMMUNITY_GROUP_FILE_MAX_BYTES", 50 * 1024 * 1024)
COMMUNITY_GROUP_FILE_RATE_LIMIT = env("COMMUNITY_GROUP_FILE_RATE_LIMIT", "30/86400")
COMMUNITY_GROUP_FILE_IP_RATE_LIMIT = env("COMMUNITY_GROUP_FILE_IP_RATE_LIMIT", "100/86400")
COMMUNITY_POLL_MAX_OPTIONS = env_int("COMMUNITY_POLL_MAX_OPTIONS", 6)
COMMUNITY_NEW_ACCOUNT_DAYS = env_int("COMMUNITY_NEW_ACCOUNT_DAYS", 3)  # younger accounts may not post links
COMMUNITY_AUTO_HIDE_REPORTS = env_int("COMMUNITY_AUTO_HIDE_REPORTS", 3)  # distinct reporters hide content (0 = off)
# Posts per window for accounts younger than COMMUNITY_NEW_ACCOUNT_DAYS (on top of COMMUNITY_POST_RATE_LIMIT).
COMMUNITY_NEW_ACCOUNT_POST_RATE_LIMIT = env("COMMUNITY_NEW_ACCOUNT_POST_RATE_LIMIT", "3/3600")
# How long an author may edit a post (minutes; group moderators always may); every edit keeps a revision.
COMMUNITY_POST_EDIT_MINUTES = env_int("COMMUNITY_POST_EDIT_MINUTES", 60)
COMMUNITY_INACTIVE_DAYS = env_int("COMMUNITY_INACTIVE_DAYS", 7)  # members inactive this long get one nudge (0 = off)
COMMUNITY_PROFILE_COVER_MAX_BYTES = env_int("COMMUNITY_PROFILE_COVER_MAX_BYTES", 5 * 1024 * 1024)
COMMUNITY_BADGE_IMAGE_MAX_BYTES = env_int("COMMUNITY_BADGE_IMAGE_MAX_BYTES", 1024 * 1024)
# Points per action (PRODUCT.md defaults) and the most one member earns per action per day (0 = no cap).
COMMUNITY_POINTS = {
    "post": env_int("COMMUNITY_POINTS_POST", 5),
    "comment": env_int("COMMUNITY_POINTS_COMMENT", 2),
    "reaction_received": env_int("COMMUNITY_POINTS_REACTION_RECEIVED", 1),
    "lesson": env_int("COMMUNITY_POINTS_LESSON", 3),
    "course": env_int("COMMUNITY_POINTS_COURSE", 20),
    "event_attended": env_int("COMMUNITY_POINTS_EVENT_ATTENDED", 5),
    "daily_visit": env_int("COMMUNITY_POINTS_DAILY_VISIT", 1),
}
COMMUNITY_POINTS_DAILY_CAP = {
    "post": env_int("COMMUNITY_POINTS_POST_DAILY_CAP", 25),
    "comment": env_int("COMMUNITY_POINTS_COMMENT_DAILY_CAP", 20),
    "reaction_received": env_int("COMMUNITY_POINTS_REACTION_DAILY_CAP", 30),
}
# Level thresholds (points): level 2 at the first, level 3 at the second, ...
COMMUNITY_LEVELS = [int(v) for v in env_list("COMMUNITY_LEVELS", "50,150,400,1000,2500")]
# Scheduled posts, stories, quote posts, location tags, audio and video on posts
COMMUNITY_SCHEDULE_RATE_LIMIT = env("COMMUNITY_SCHEDULE_RATE_LIMIT", "20/3600")
COMMUNITY_SCHEDULE_IP_RATE_LIMIT = env("COMMUNITY_SCHEDULE_IP_RATE_LIMIT", "60/3600")
COMMUNITY_SCHEDULE_MAX_PENDING = env_int("COMMUNITY_SCHEDULE_MAX_PENDING", 30)  # waiting scheduled posts per member
COMMUNITY_SCHEDULE_MAX_DAYS = env_int("COMMUNITY_SCHEDULE_MAX_DAYS", 90)  # furthest a post may be scheduled
COMMUNITY_STORY_RATE_LIMIT = env("COMMUNITY_STORY_RATE_LIMIT", "10/3600")
COMMUNITY_STORY_IP_RATE_LIMIT = env("COMMUNITY_STORY_IP_RATE_LIMIT", "30/3600")
COMMUNITY_STORY_HOURS = env_int("COMMUNITY_STORY_HOURS", 24)
COMMUNITY_STORY_IMAGE_MAX_BYTES = env_int("COMMUNITY_STORY_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
COMMUNITY_QUOTE_MAX_LENGTH = env_int("COMMUNITY_QUOTE_MAX_LENGTH", 280)
COMMUNITY_AUDIO_MAX_BYTES = env_int("COMMUNITY_AUDIO_MAX_BYTES", 20 * 1024 * 1024)
COMMUNITY_VIDEO_MAX_BYTES = env_int("COMMUNITY_VIDEO_MAX_BYTES", 100 * 1024 * 1024)
# Group challenges: how many participants the ranking shows (the caller's own progress is always shown).
COMMUNITY_CHALLENGE_RANKING_SIZE = env_int("COMMUNITY_CHALLENGE_RANKING_SIZE", 50)
COMMUNITY_MEDIA_LINK_TTL_SECONDS = env_int("COMMUNITY_MEDIA_LINK_TTL_SECONDS", 4 * 3600)
# Event reminders, minutes before the start, when an event sets none of its own.
# --- Chat (sanggar.chat) ---
CHAT_MESSAGE_RATE_LIMIT = env("CHAT_MESSAGE_RATE_LIMIT", "30/60")
CHAT_NEW_ACCOUNT_MESSAGE_RATE_LIMIT = env("CHAT_NEW_ACCOUNT_MESSAGE_RATE_LIMIT", "10/60")
CHAT_NEW_ACCOUNT_DAYS = env_int("CHAT_NEW_ACCOUNT_DAYS", 7)
CHAT_MESSAGE_IP_RATE_LIMIT = env("CHAT_MESSAGE_IP_RATE_LIMIT", "120/60")
CHAT_CONVERSATION_RATE_LIMIT = env("CHAT_CONVERSATION_RATE_LIMIT", "20/86400")
CHAT_NEW_ACCOUNT_CONVERSATION_RATE_LIMIT = env("CHAT_NEW_ACCOUNT_CONVERSATION_RATE_LIMIT", "5/86400")
CHAT_REPORT_RATE_LIMIT = env("CHAT_REPORT_RATE_LIMIT", "10/86400")
CHAT_MESSAGE_MAX_LENGTH = env_int("CHAT_MESSAGE_MAX_LENGTH", 4000)
CHAT_MUTE_MAX_MINUTES = env_int("CHAT_MUTE_MAX_MINUTES", 60 * 24 * 30)
CHAT_PAGE_SIZE = env_int("CHAT_PAGE_SIZE", 30)
CHAT_PRESENCE_TTL_SECONDS = env_int("CHAT_PRESENCE_TTL_SECONDS", 70)
# The bell's socket closes on every page change and the next page's opens a moment later: it stops counting in
# presence this long after it closed, so moving between pages never shows a user offline and online again.
PRESENCE_CLOSE_GRACE_SECONDS = env_int("PRESENCE_CLOSE_GRACE_SECONDS", 5)
# Live presence reaches the partners of a user's newest this-many two-person conversations (never whole groups).
CHAT_PRESENCE_FANOUT_MAX = env_int("CHAT_PRESENCE_FANOUT_MAX", 200)
# A socket joins the channel-layer groups of its user's this-many most recently active group chats on connect
# (a group's messages go out once to that group); another one joins when the conversation is opened.
CHAT_SOCKET_GROUPS_MAX = env_int("CHAT_SOCKET_GROUPS_MAX", 100)
CHAT_EDIT_WINDOW_SECONDS = env_int("CHAT_EDIT_WINDOW_SECONDS", 900)
CHAT_DELETE_WINDOW_SECONDS = env_int("CHAT_DELETE_WINDOW_SECONDS", 3600)
CHAT_ATTACHMENT_MAX_BYTES = env_int("CHAT_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
CHAT_STICKER_MAX_BYTES = env_int("CHAT_STICKER_MAX_BYTES", 1024 * 1024)
CHAT_ATTACHMENT_RATE_LIMIT = env("CHAT_ATTACHMENT_RATE_LIMIT", "20/3600")
CHAT_ATTACHMENT_LINK_TTL_SECONDS = env_int("CHAT_ATTACHMENT_LINK_TTL_SECONDS", 3600)

# API for the mobile apps.
JWT_ACCESS_TTL = timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15))
JWT_REFRESH_TTL = timedelta(days=env_int("JWT_REFRESH_DAYS", 30))
JWT_SIGNING_KEY = env("JWT_SIGNING_KEY", SECRET_KEY)
API_REQUIRE_KEY = env_bool("API_REQUIRE_KEY", False)
API_TOKEN_RATE_LIMIT = env("API_TOKEN_RATE_LIMIT", "30/300")  # failed attempts / seconds, per IP
# Login throttling per account and address (web and API): free failures, then a delay doubling from the base up to
# the maximum; the owner is told after LOGIN_FAILURE_NOTIFY_AFTER failures from anywhere within the window.
LOGIN_FAILURES_BEFORE_DELAY = env_int("LOGIN_FAILURES_BEFORE_DELAY", 5)
LOGIN_DELAY_BASE_SECONDS = env_int("LOGIN_DELAY_BASE_SECONDS", 30)
LOGIN_DELAY_MAX_SECONDS = env_int("LOGIN_DELAY_MAX_SECONDS", 900)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 86400)
LOGIN_FAILURE_NOTIFY_AFTER = env_int("LOGIN_FAILURE_NOTIFY_AFTER", 10)
API_REGISTER_RATE_LIMIT = env("API_REGISTER_RATE_LIMIT", "20/3600")  # registrations / seconds, per IP

# Finance reports: the longest date range one answer may cover (longer ranges are refused, never shifted).
FINANCE_RANGE_MAX_DAYS = env_int("FINANCE_RANGE_MAX_DAYS", 3660)

# Reminder sequences and broadcasts (sanggar.reminders).
REMINDERS_CATCH_UP_HOURS = env_int("REMINDERS_CATCH_UP_HOURS", 48)
REMINDERS_MAX_PER_RUN = env_int("REMINDERS_MAX_PER_RUN", 5000)
REMINDERS_MAX_STEPS = env_int("REMINDERS_MAX_STEPS", 20)
REMINDERS_INACTIVE_DAYS = env_int("REMINDERS_INACTIVE_DAYS", 7)  # PRODUCT.md: the inactivity threshold, default 7 days
REMINDERS_CONVERSION_DAYS = env_int("REMINDERS_CONVERSION_DAYS", 7)  # a stop action within N days of a send converts
REMINDERS_BROADCAST_BATCH_SIZE = env_int("REMINDERS_BROADCAST_BATCH_SIZE", 200)
# The reminder dashboard: a reminder, hour or day needs at least this many sends in the period to be named "best".
REMINDERS_DASHBOARD_MIN_SENT = env_int("REMINDERS_DASHBOARD_MIN_SENT", 20)
# "Klik per tautan": the most-clicked links listed per sequence / target / broadcast (pages and API).
REMINDERS_LINK_CLICKS_SHOWN = env_int("REMINDERS_LINK_CLICKS_SHOWN", 10)
# Broadcast pace per channel, messages per clock minute over all broadcasts (0: no limit).
REMINDERS_BROADCAST_EMAILS_PER_MINUTE = env_int("REMINDERS_BROADCAST_EMAILS_PER_MINUTE", 600)
REMINDERS_BROADCAST_WHATSAPP_PER_MINUTE = env_int("REMINDERS_BROADCAST_WHATSAPP_PER_MINUTE", 30)
REMINDERS_BROADCAST_PUSH_PER_MINUTE = env_int("REMINDERS_BROADCAST_PUSH_PER_MINUTE", 3000)
# Reminder sends per batch of the sweep (one insert of the log rows, one of notifications, one of deliveries).
REMINDERS_SEND_BATCH_SIZE = env_int("REMINDERS_SEND_BATCH_SIZE", 200)
# Per provider, messages per clock minute of the reminder sweep and broadcasts together (0: no limit); a send over
# it waits for the next sweep. Fonnte and Starsender publish no rate: 30/min keeps a WhatsApp number safe; OneSignal
# documents 150 create-message requests per second per app on the free plan (9,000/min).
REMINDERS_FONNTE_PER_MINUTE = env_int("REMINDERS_FONNTE_PER_MINUTE", 30)
REMINDERS_STARSENDER_PER_MINUTE = env_int("REMINDERS_STARSENDER_PER_MINUTE", 30)
REMINDERS_ONESIGNAL_PER_MINUTE = env_int("REMINDERS_ONESIGNAL_PER_MINUTE", 9000)
# A reminder WhatsApp held back by the pace is not sent at night: from this hour (WIB) it waits until the morning
# hour (the 08:00 WIB rule of the expiry reminders), unless its own slot was at night.
REMINDERS_WHATSAPP_NIGHT_FROM = env_int("REMINDERS_WHATSAPP_NIGHT_FROM", 21)
REMINDERS_WHATSAPP_MORNING = env_int("REMINDERS_WHATSAPP_MORNING", 8)
# The membershipUsage condition: over the last N days, LOW = fewer than LOW_LESSONS lessons completed in the
# plan's courses AND fewer than LOW_DAYS active days; HIGH = at least HIGH_LESSONS lessons OR HIGH_DAYS active days.
REMINDERS_USAGE_DAYS = env_int("REMINDERS_USAGE_DAYS", 30)
REMINDERS_USAGE_LOW_LESSONS = env_int("REMINDERS_USAGE_LOW_LESSONS", 2)
REMINDERS_USAGE_LOW_DAYS = env_int("REMINDERS_USAGE_LOW_DAYS", 4)
REMINDERS_USAGE_HIGH_LESSONS = env_int("REMINDERS_USAGE_HIGH_LESSONS", 8)
REMINDERS_USAGE_HIGH_DAYS = env_int("REMINDERS_USAGE_HIGH_DAYS", 12)

# Affiliate Booster Suite (sanggar.booster).
BOOSTER_OPTIN_RATE_LIMIT = env("BOOSTER_OPTIN_RATE_LIMIT", "5/600")  # opt-in submissions per address / seconds
BOOSTER_LEAD_CREATE_RATE_LIMIT = env("BOOSTER_LEAD_CREATE_RATE_LIMIT", "300/3600")  # leads by hand/API per user
BOOSTER_BROADCAST_CREATE_RATE_LIMIT = env("BOOSTER_BROADCAST_CREATE_RATE_LIMIT", "30/86400")  # per affiliate
BOOSTER_TEST_SEND_RATE_LIMIT = env("BOOSTER_TEST_SEND_RATE_LIMIT", "10/3600")  # test emails per affiliate
BOOSTER_MAX_LEADS = env_int("BOOSTER_MAX_LEADS", 50_000)  # leads per affiliate
BOOSTER_MAX_FORMS = env_int("BOOSTER_MAX_FORMS", 30)  # opt-in forms per affiliate
BOOSTER_IMPORT_MAX_ROWS = env_int("BOOSTER_IMPORT_MAX_ROWS", 5000)  # rows per CSV import
BOOSTER_MAX_RECIPIENTS = env_int("BOOSTER_MAX_RECIPIENTS", 20_000)  # recipients per broadcast
BOOSTER_DAILY_EMAIL_CAP = env_int("BOOSTER_DAILY_EMAIL_CAP", 5000)  # emails per affiliate per day (admins override)
BOOSTER_SEND_BATCH_SIZE = env_int("BOOSTER_SEND_BATCH_SIZE", 200)  # broadcast emails per batch
BOOSTER_SEQUENCE_CATCH_UP_HOURS = env_int("BOOSTER_SEQUENCE_CATCH_UP_HOURS", 168)  # a held automation step stays due
BOOSTER_LOW_CREDIT_THRESHOLD = env_int(
    "BOOSTER_LOW_CREDIT_THRESHOLD", 50
)  # alert below this balance (affiliates may set their own; 0: off)
BOOSTER_QUIET_HOURS = env("BOOSTER_QUIET_HOURS", "21:00-07:00")  # no automation email inside (WIB); empty: none

# Security when DEBUG is off.
# Django's database sessions, their read compiled once per process (sanggar.core.sessions).
SESSION_ENGINE = "sanggar.core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# Strict Content-Security-Policy and Permissions-Policy on every answer (sanggar.core.middleware).
CSP_ENABLED = env_bool("CSP_ENABLED", True)
PERMISSIONS_POLICY = env("PERMISSIONS_POLICY") or (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
# Hostile input (sanggar.core.guard): JSON bodies may nest at most this deep.
JSON_MAX_DEPTH = env_int("JSON_MAX_DEPTH", 32)

# Logs: one JSON object a line (LOG_FORMAT=json, the default when DEBUG is off) or plain text, each with the request id
# of the request or task it belongs to (sanggar.core.observability).
LOG_FORMAT = env("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "sanggar.core.observability.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger", "process": "pid"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # Libraries that narrate every step at INFO (WeasyPrint: seven lines per PDF; fontTools) stay at WARNING.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Observability (README "Deploying"): /metrics for Prometheus (a bearer token, or only from METRICS_ALLOWED_IPS),
# /readyz checks the database, Redis and the broker; sentry-sdk reports errors when SENTRY_DSN is set.
METRICS_TOKEN = env("METRICS_TOKEN")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
SENTRY_DSN = env("SENTRY_DSN")
SENTRY_ENVIRONMENT = env("SENTRY_ENVIRONMENT", "production" if not DEBUG else "development")
SENTRY_RELEASE = env("SENTRY_RELEASE")
SENTRY_TRACES_SAMPLE_RATE = float(env("SENTRY_TRACES_SAMPLE_RATE", "0"))
# Backups (`make backup` / `manage.py backup`): where they go and how many are kept.
BACKUP_DIR = Path(env("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_KEEP = env_int("BACKUP_KEEP", 14)
if SENTRY_DSN and not TESTING:
    from sanggar.core.observability import sentry_init

    sentry_init(
        SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        release=SENTRY_RELEASE,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )
