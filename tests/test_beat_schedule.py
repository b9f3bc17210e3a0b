"""Every scheduled job names a Celery task that exists: a typo would otherwise only show as a silent beat error."""

from celery import current_app
from django.conf import settings


def test_every_beat_entry_names_a_registered_task():
    current_app.loader.import_default_modules()
    registered = set(current_app.tasks)
    missing = {
        name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if entry["task"] not in registered
    }
    assert not missing, missing
    assert "classes-sweep" in settings.CELERY_BEAT_SCHEDULE


def test_community_sweeps_are_scheduled():
    """Scheduled posts are published within a minute of their time; expired stories' files are deleted hourly."""
    posts = settings.CELERY_BEAT_SCHEDULE["community-scheduled-posts"]
    assert posts["task"] == "sanggar.community.tasks.scheduled_posts_publish_task" and posts["schedule"] <= 60
    assert settings.CELERY_BEAT_SCHEDULE["community-stories-sweep"]["task"].endswith(".stories_sweep_task")


def test_supplier_reminders_run_on_the_one_reminder_engine():
    """Supplier upgrade / Premium-ending reminders are sequences of the reminders engine (issue 14 §5.9): no sweep of
    their own; the engine's minute sweep sends them."""
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert not any(task.startswith("sanggar.suppliers.tasks.") for task in tasks)
    assert "sanggar.reminders.tasks.reminders_send_due_task" in tasks
