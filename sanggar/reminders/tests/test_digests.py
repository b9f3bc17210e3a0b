"""REM-D5: weekly and monthly digests in the builder: a template summarising the member's activity and what is new,
sent by the sweep at the preferred time, at most once per period per member; the default digest sequences exist
switched off; an unsubscribed member is skipped (digests are marketing)."""

from datetime import datetime, time
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanggar.community import services as community_services
from sanggar.community.models import Comment, GroupMember, Post
from sanggar.learning.models import LessonProgress
from sanggar.learning.tests.world import build_course
from sanggar.notifications.models import Notification
from sanggar.notifications.services import suppression_add
from sanggar.reminders import engine, services
from sanggar.reminders.constants import SendStatus
from sanggar.reminders.models import ReminderSend, ReminderSequence

WIB = ZoneInfo("Asia/Jakarta")


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


def digest(admin, trigger="weekly_digest", **fields):
    sequence = services.sequence_save(actor=admin, name=f"Uji {trigger}", trigger=trigger, kind="marketing", **fields)
    services.step_save(
        actor=admin,
        sequence=sequence,
        delay_amount=0,
        channels=["in_app", "email"],
        subject="Ringkasan {period}",
        body="{digest_summary}|{lessons_completed}|{posts_written}|{new_posts}|{new_courses}|{upcoming_events}",
        preferred_time=time(9, 0),
    )
    return sequence


def test_periods_and_labels():
    monday = at(12, 7, 0)
    assert engine.period_start(at(12, 9, 15), monthly=False) == monday
    assert engine.period_start(at(12, 9, 15), monthly=True) == at(12, 1, 0)
    assert engine.previous_period(monday, monthly=False) == at(11, 30, 0)
    assert engine.previous_period(at(1, 1, 0).replace(year=2027), monthly=True) == at(12, 1, 0)
    assert engine.period_label(at(11, 30, 0), monday, monthly=False) == "30 Nov – 6 Des 2026"
    assert engine.period_label(at(11, 1, 0), at(12, 1, 0), monthly=True) == "November 2026"


def test_weekly_digest_summarises_the_week_at_the_preferred_time_once_per_week(admin_user, make_user):
    digest(admin_user)
    member, quiet = make_user(full_name="Rina"), make_user(full_name="Dodi")
    group = community_services.group_create(actor=admin_user, data={"name": "Grup Ekspor", "slug": "grup-ekspor"})
    GroupMember.objects.create(group=group, user=member, status="active")
    other = make_user()
    GroupMember.objects.create(group=group, user=other, status="active")
    for author in (other, other, member):
        post = Post.objects.create(group=group, author=author, body_html="<p>Halo</p>", status="published")
        Post.objects.filter(pk=post.pk).update(created_at=at(12, 2, 10))
    course = build_course(admin_user, modules=1, lessons=2, quiz=False)
    lesson = course.modules.first().lessons.first()
    LessonProgress.objects.create(user=member, lesson=lesson, course=course, completed_at=at(12, 3, 20))
    assert services.reminders_send_due(now=at(12, 7, 8, 59)) == 0  # Monday, before 09:00
    sent = services.reminders_send_due(now=at(12, 7, 9, 0))
    assert sent == ReminderSend.objects.count() >= 2
    notification = member.notifications.get()
    assert notification.title == "Ringkasan 30 Nov – 6 Des 2026"
    summary, lessons, written, new_posts, _courses, _events = notification.message.split("|")
    assert (lessons, written, new_posts) == ("1", "1", "2")
    assert "1 pelajaran selesai" in summary and "2 postingan baru di grup Anda" in summary
    assert quiet.notifications.count() == 1
    # the same week again (another sweep, Tuesday): nothing; next Monday: the next week's digest
    assert services.reminders_send_due(now=at(12, 7, 9, 1)) == 0
    assert services.reminders_send_due(now=at(12, 8, 9, 0)) == 0
    assert services.reminders_send_due(now=at(12, 14, 9, 0)) == sent
    assert member.notifications.filter(title="Ringkasan 7 Des – 13 Des 2026").exists()
    keys = set(ReminderSend.objects.filter(user=member).values_list("object_key", flat=True))
    assert keys == {"w:2026-12-07", "w:2026-12-14"}


def test_monthly_digest_goes_on_the_first_once_and_skips_the_unsubscribed(admin_user, make_user):
    digest(admin_user, "monthly_digest")
    member, gone = make_user(), make_user(email="pergi@contoh.id")
    suppression_add(email="pergi@contoh.id")
    assert services.reminders_send_due(now=at(11, 30, 9)) == 0
    assert services.reminders_send_due(now=at(12, 1, 9)) >= 1
    assert member.notifications.get().title == "Ringkasan November 2026"
    assert ReminderSend.objects.get(user=gone).status == SendStatus.UNSUBSCRIBED
    assert not gone.notifications.exists()
    assert services.reminders_send_due(now=at(12, 15, 9)) == 0


def test_a_digest_can_target_one_plans_members(admin_user, make_user):
    from sanggar.access.tests.factories import make_plan
    from sanggar.memberships.models import UserMembership

    plan = make_plan("gold")
    digest(admin_user, target_type="plan", target_id=plan.pk)
    member, outsider = make_user(), make_user()
    UserMembership.objects.create(
        user=member, plan=plan, duration="1m", status="active", starts_at=at(11, 1), ends_at=at(12, 31)
    )
    assert services.reminders_send_due(now=at(12, 7, 9)) == 1
    assert member.notifications.exists() and not outsider.notifications.exists()


@pytest.mark.default_sequences
def test_default_digest_templates_exist_switched_off_as_marketing():
    # (a transactional test elsewhere may have flushed the migration's rows: run it again; it is idempotent)
    import_module("sanggar.reminders.migrations.0007_default_digests").forwards(django_apps, None)
    import_module("sanggar.reminders.migrations.0007_default_digests").forwards(django_apps, None)
    rows = {s.origin: s for s in ReminderSequence.objects.filter(origin__startswith="digest_")}
    assert set(rows) == {"digest_weekly", "digest_monthly"}
    for sequence in rows.values():
        assert not sequence.is_active and sequence.kind == "marketing"
        step = sequence.steps.get()
        assert "{digest_summary}" in step.body and step.preferred_time.hour == 9
        assert not engine.unknown_shortcodes(step.body + step.subject + str(step.content))
    assert rows["digest_weekly"].trigger == "weekly_digest" and rows["digest_monthly"].trigger == "monthly_digest"


def test_condition_no_group_skips_members_of_a_group(admin_user, make_user):
    sequence = services.sequence_save(
        actor=admin_user, name="Ajak gabung grup", trigger="weekly_digest", conditions=["no_group"]
    )
    services.step_save(
        actor=admin_user, sequence=sequence, delay_amount=0, channels=["in_app"], subject="Gabung", body="{group_link}"
    )
    joined, alone = make_user(), make_user()
    group = community_services.group_create(actor=admin_user, data={"name": "Grup Baru", "slug": "grup-baru"})
    GroupMember.objects.create(group=group, user=joined, status="active")
    services.reminders_send_due(now=at(12, 7, 0))
    statuses = dict(ReminderSend.objects.filter(user__in=[joined, alone]).values_list("user_id", "status"))
    assert statuses == {joined.pk: SendStatus.CONDITION, alone.pk: SendStatus.SENT}


# --- the figures read per batch (O(1) queries per batch, not per member) ----------------------------------------


def _active_member(make_user, group, course, lesson, *, moment):
    """A member with one of everything in the week: a lesson completed, a post with a comment in the group, an
    unread notification."""

    user = make_user()
    GroupMember.objects.create(group=group, user=user, status="active")
    LessonProgress.objects.create(user=user, lesson=lesson, course=course, completed_at=moment)
    post = Post.objects.create(group=group, author=user, body_html="<p>Halo</p>", status="published")
    comment = Comment.objects.create(post=post, author=user, body="Setuju", status="published")
    Post.objects.filter(pk=post.pk).update(created_at=moment)
    Comment.objects.filter(pk=comment.pk).update(created_at=moment)
    Notification.objects.create(user=user, title="Info", message="Halo")
    return user


def test_digest_sweep_queries_do_not_grow_with_the_members(admin_user, make_user, settings):
    """The digest's figures are read with one GROUP BY each for a whole batch: a sweep of 3 members and one of 30
    members (one batch each) take the same number of queries."""

    settings.REMINDERS_SEND_BATCH_SIZE = 200
    digest(admin_user)
    group = community_services.group_create(actor=admin_user, data={"name": "Grup Kuota", "slug": "grup-kuota"})
    course = build_course(admin_user, modules=1, lessons=1, quiz=False)
    lesson = course.modules.first().lessons.first()

    def sweep(monday, members):
        for _i in range(members):
            _active_member(make_user, group, course, lesson, moment=monday.replace(day=monday.day - 4))
        with CaptureQueriesContext(connection) as ctx:
            sent = services.reminders_send_due(now=monday)
        return sent, len(ctx.captured_queries)

    sweep(at(11, 30, 9), 0)  # a first sweep (the sequence's first run reads a few things once)
    base = ReminderSend.objects.count()
    sent_few, few = sweep(at(12, 7, 9), 3)
    assert sent_few >= 3 and ReminderSend.objects.count() - base == sent_few
    sent_many, many = sweep(at(12, 14, 9), 27)
    assert sent_many == sent_few + 27
    assert many == few, (few, many)


def test_each_members_digest_figures_are_their_own(admin_user, make_user):
    """Two members in one batch, with different activity: each digest carries that member's own figures (the
    others' posts in their groups, not their own; only their unread, unarchived notifications)."""

    digest(admin_user)
    busy, idle = make_user(full_name="Sibuk"), make_user(full_name="Santai")
    group = community_services.group_create(actor=admin_user, data={"name": "Grup Dua", "slug": "grup-dua"})
    other = community_services.group_create(actor=admin_user, data={"name": "Grup Lain", "slug": "grup-lain"})
    GroupMember.objects.create(group=group, user=busy, status="active")
    GroupMember.objects.create(group=group, user=idle, status="active")
    GroupMember.objects.create(group=other, user=idle, status="left")  # not active: its posts do not count
    course = build_course(admin_user, modules=1, lessons=3, quiz=False)
    lessons = list(course.modules.first().lessons.all())
    week = at(12, 2, 10)
    for lesson in lessons:
        LessonProgress.objects.create(user=busy, lesson=lesson, course=course, completed_at=week)
    LessonProgress.objects.filter(user=busy, lesson=lessons[2]).update(completed_at=at(11, 20))  # last week's
    posts = [Post.objects.create(group=group, author=busy, body_html="<p>x</p>", status="published") for _i in "ab"]
    posts.append(Post.objects.create(group=other, author=make_user(), body_html="<p>y</p>", status="published"))
    Post.objects.filter(pk__in=[p.pk for p in posts]).update(created_at=week)
    comment = Comment.objects.create(post=posts[0], author=idle, body="Mantap", status="published")
    Comment.objects.filter(pk=comment.pk).update(created_at=week)
    Notification.objects.create(user=idle, title="A", message="a")
    Notification.objects.create(user=idle, title="B", message="b", read_at=timezone.now())
    Notification.objects.create(user=idle, title="C", message="c", archived_at=timezone.now())
    # the per-member path (a batch retried one by one) and the batch path agree
    since, until = at(11, 30, 0), at(12, 7, 0)
    alone = engine.digest_context(busy, since, until, monthly=False, memo={})
    batched = engine.digest_figures([busy.pk, idle.pk], since, until)
    assert alone["lessons_completed"] == str(batched[busy.pk]["lessons_completed"]) == "2"
    assert batched[idle.pk] == {"lessons_completed": 0, "posts_written": 1, "new_posts": 2, "unread_notifications": 1}
    assert services.reminders_send_due(now=at(12, 7, 9)) >= 2

    def figures(user):
        message = user.notifications.get(title__startswith="Ringkasan").message
        return tuple(message.split("|")[1:4])

    # (lessons completed, posts + comments written, new posts in their active groups by others)
    assert figures(busy) == ("2", "2", "0")
    assert figures(idle) == ("0", "1", "2")
    body = idle.notifications.get(title__startswith="Ringkasan").message
    assert "1 notifikasi belum dibaca" in body  # the unread, unarchived one (not the digest itself)
