"""Joins the two branches after 0012: link clicks and the follow-ups' move to the builder (0013, 0014, 0015 courses)
and the realms (0015_realms, which depends on 0012 only so that going back to 0013 / 0014 in the follow-up moves'
tests leaves the realm columns in place)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0015_course_follow_ups_in_builder"),
        ("reminders", "0015_realms"),
    ]

    operations = []
