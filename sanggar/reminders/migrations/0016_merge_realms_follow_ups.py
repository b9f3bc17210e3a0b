"""Joins the two branches after 0012: the follow-ups' move to the builder (0013 link clicks, 0014) and the realms
(0015, which depends on 0012 only so that going back to 0013 for 0014's tests leaves the realm columns in place)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0014_follow_ups_in_builder"),
        ("reminders", "0015_realms"),
    ]

    operations = []
