import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("sanggar")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from sanggar.core.observability import celery_connect  # noqa: E402

celery_connect(app)
