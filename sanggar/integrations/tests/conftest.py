import pytest

ENV_NAMES = (
    "PAYMENT_PROVIDERS",
    "ORDER_PENDING_HOURS",
    "MANUAL_UNIQUE_CODE_MIN",
    "MANUAL_UNIQUE_CODE_MAX",
    "MIDTRANS_IS_PRODUCTION",
    "XENDIT_SECRET_KEY",
    "XENDIT_CALLBACK_TOKEN",
    "MIDTRANS_SERVER_KEY",
    "SCALEV_API_KEY",
    "MAILKETING_API_TOKEN",
    "FONNTE_TOKEN",
    "STARSENDER_API_KEY",
    "ONESIGNAL_API_KEY",
    "ONESIGNAL_APP_ID",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, settings, tmp_path):
    """Nothing set in the environment (a developer's .env must not change these tests); no key in the settings."""
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://sanggar.test"
    settings.PAYMENT_PROVIDERS = ["manual"]
    settings.XENDIT_SECRET_KEY = ""
    settings.XENDIT_CALLBACK_TOKEN = ""
    settings.XENDIT_BASE_URL = "https://xendit.test"
    settings.MIDTRANS_SERVER_KEY = ""
    settings.MIDTRANS_SNAP_BASE_URL = "https://snap.midtrans.test"
    settings.MIDTRANS_API_BASE_URL = "https://api.midtrans.test"
    settings.SCALEV_API_KEY = ""
    settings.SCALEV_WEBHOOK_SECRET = ""
    settings.SCALEV_STORE_UNIQUE_ID = ""
    settings.SCALEV_BASE_URL = "https://scalev.test"
    settings.MAILKETING_API_TOKEN = ""
    settings.MAILKETING_BASE_URL = "https://mailketing.test"
    settings.STARSENDER_API_KEY = ""
    settings.FONNTE_TOKEN = ""
    settings.FONNTE_BASE_URL = "https://fonnte.test"
    settings.ONESIGNAL_APP_ID = ""
    settings.ONESIGNAL_API_KEY = ""
    settings.WHATSAPP_PROVIDER = ""
    return settings
