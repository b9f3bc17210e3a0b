"""The admin's learning-reminder settings (idle days, channels, message) used by the idle-reminder sweep, and the
admin's progress monitor (per course, stuck members, filters, pages of fixed queries)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sanggar.audit.models import ActivityLog
from sanggar.core.exceptions import NotAllowed
from sanggar.learning import services
from sanggar.learning.constants import Notify
from sanggar.learning.models import Enrollment
from sanggar.notifications.models import SmartRule
from sanggar.notifications.smart_rules import rule_state

from .world import World, build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    SmartRule.objects.create(key="learning.inactive", value=7)  # the smart rule holds the idle days
    return World(make_user, admin_user)


def test_settings_page_drives_the_sweep(world, client):
    lesson = world.course.lessons.order_by("pk").first()
    now = timezone.now()
    world.member.whatsapp = "+6281234567001"
    world.member.save(update_fields=["whatsapp"])
    services.lesson_open(user=world.member, lesson=lesson, now=now - timedelta(days=4))
    assert services.study_reminders_sweep(now=now) == 0  # the default 7 days
    client.force_login(world.admin)
    url = reverse("learning:admin_reminder_settings")
    page = client.get(url).content.decode()
    assert 'value="7"' in page and "kamu belum lanjut kelas minggu ini" in page
    bad = client.post(url, {"idle_days": "0", "title": "", "message": "x"})
    assert bad.status_code == 400 and "Minimal 1 hari" in bad.content.decode()
    assert client.post(url, {"idle_days": "abc\x00", "title": "t", "message": "m"}).status_code == 400
    response = client.post(
        url,
        {
            "idle_days": "3",
            "email_enabled": "on",
            "title": "Hai {name}, {course} menunggumu",
            "message": "Lanjutkan {lesson} hari ini ya.",
        },
    )
    assert response.status_code == 302
    assert ActivityLog.objects.filter(action="learning.reminder_settings").count() == 1
    assert rule_state("learning.inactive").value == 3  # the page sets the smart rule's threshold
    assert services.study_reminders_sweep(now=now) == 1  # idle 4 days > 3
    note = world.member.notifications.get(data__template=Notify.REMINDER)
    assert note.title == "Hai Member Premium, Dasar Ekspor menunggumu"
    assert note.message == f"Lanjutkan {lesson.title} hari ini ya."
    assert {d.channel for d in note.deliveries.all()} == {"email", "push"}  # WhatsApp switched off by the admin
    with pytest.raises(NotAllowed):
        services.reminder_settings_save(actor=world.mentor, data={"idle_days": 5})
    client.force_login(world.mentor)
    assert client.get(url).status_code == 403


def test_progress_monitor_per_course_and_stuck_members(world, client, django_assert_max_num_queries):
    now = timezone.now()
    lesson = world.course.lessons.order_by("pk").first()
    services.lesson_open(user=world.member, lesson=lesson, now=now - timedelta(days=20))  # stuck
    services.lesson_complete(user=world.member, lesson=lesson, now=now - timedelta(days=20))
    other = build_course(world.admin, "Riset Pasar", modules=1, lessons=1, quiz=False, role_access="public")
    for n in range(4):
        build_course(world.admin, f"Kursus Tambahan {n}", modules=1, lessons=1, quiz=False)
    services.lesson_open(user=world.free, lesson=other.lessons.get(), now=now - timedelta(days=1))  # active
    client.force_login(world.admin)
    url = reverse("learning:admin_progress")
    with django_assert_max_num_queries(14):
        page = client.get(url).content.decode()
    assert f'data-course="{world.course.slug}"' in page and 'data-stuck="1"' in page
    member_row = Enrollment.objects.get(user=world.member, course=world.course)
    assert member_row.progress_percent > 0
    stuck = client.get(url, {"kursus": world.course.slug, "status": "macet"}).content.decode()
    assert f'data-member="{world.member.pk}"' in stuck
    active = client.get(url, {"kursus": other.slug, "status": "aktif"}).content.decode()
    assert f'data-member="{world.free.pk}"' in active
    assert (
        f'data-member="{world.free.pk}"'
        not in client.get(url, {"kursus": other.slug, "status": "macet"}).content.decode()
    )
    # A wider threshold: nobody is stuck after 30 days.
    assert 'data-stuck="1"' not in client.get(url, {"hari": "30"}).content.decode()
    # Bad input is ignored or 404, never a 500; more members keep the same number of queries.
    assert client.get(url, {"kursus": "tidak-ada"}).status_code == 404
    assert client.get(url, {"hari": "x", "status": "??", "q": "<b>"}).status_code == 200
    refused = client.get(url, {"q": "\x00"})  # the house's input guard: a 400 page that says why
    assert refused.status_code == 400 and "karakter NUL" in refused.content.decode()
    for n in range(6):
        student = world.shop.admin.__class__.objects.create_user(
            email=f"murid{n}@example.com", password="x-Password-123", full_name=f"Murid {n}"
        )
        Enrollment.objects.create(user=student, course=world.course, source="admin", created_at=now)
    with django_assert_max_num_queries(14):
        client.get(url, {"kursus": world.course.slug})
    client.force_login(world.mentor)
    assert client.get(url).status_code == 403
