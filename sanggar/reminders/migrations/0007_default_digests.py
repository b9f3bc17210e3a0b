"""REM-D5 "Weekly activity digest" and "Monthly report" (PRD part A, global templates): two default sequences in the
builder, switched off (an admin reviews the texts and switches them on), marketing (unsubscribe link; an
unsubscribed member is skipped), to every active member, Monday / the 1st at 09:00 WIB, once per period."""

from datetime import time

from django.db import migrations

DIGESTS = (
    (
        "digest_weekly",
        "Ringkasan mingguan member",
        "weekly_digest",
        "Ringkasan minggu Anda: {period}",
        "Halo {name}, ini ringkasan aktivitas Anda {period}:\n\n{digest_summary}\n\n"
        "Lanjutkan belajar di {dashboard_link}",
        "Ringkasan {period}: {new_posts} postingan baru di grup Anda, {new_courses} kelas baru.",
    ),
    (
        "digest_monthly",
        "Laporan bulanan member",
        "monthly_digest",
        "Laporan bulanan Anda: {period}",
        "Halo {name}, berikut laporan bulan {period}:\n\n{digest_summary}\n\nLihat semuanya di {dashboard_link}",
        "Laporan {period}: {lessons_completed} pelajaran selesai, {upcoming_events} event bulan ini.",
    ),
)


def forwards(apps, schema_editor):
    Sequence = apps.get_model("reminders", "ReminderSequence")
    Step = apps.get_model("reminders", "ReminderStep")
    for origin, name, trigger, subject, body, push in DIGESTS:
        if Sequence.objects.filter(origin=origin).exists():
            continue
        sequence = Sequence.objects.create(
            name=name, trigger=trigger, kind="marketing", is_active=False, origin=origin, stop_on="none"
        )
        Step.objects.create(
            sequence=sequence,
            delay_hours=0,
            delay_amount=0,
            delay_unit="hours",
            sort_order=0,
            preferred_time=time(9, 0),
            channels=["in_app", "email", "push"],
            subject=subject,
            body=body,
            content={"push": {"body": push}, "email": {"cta_text": "Buka dashboard", "cta_link": "{dashboard_link}"}},
        )


def backwards(apps, schema_editor):
    apps.get_model("reminders", "ReminderSequence").objects.filter(
        origin__in=[origin for origin, *_rest in DIGESTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("reminders", "0006_sequence_kind_and_digests")]

    operations = [migrations.RunPython(forwards, backwards)]
