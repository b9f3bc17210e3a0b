"""'Kirim pesan' entry points (community profile, mentor page, course page) and the API's {"user": username}."""

import pytest
from django.urls import reverse
from django.utils import timezone

from sanggar.api.testing import call
from sanggar.chat import policy, services
from sanggar.chat.models import Conversation
from sanggar.community import services as community
from sanggar.core.roles import Role
from sanggar.learning import services as learning
from sanggar.learning.constants import CourseStatus
from sanggar.learning.models import Enrollment
from sanggar.learning.tests.world import build_course

pytestmark = pytest.mark.django_db


def test_profile_shows_kirim_pesan_only_when_the_rules_allow(client, make_user, premium, connections):
    dinda = make_user(full_name="Dinda Premium")
    riko = make_user(full_name="Riko Member")
    riko_profile = community.profile_ensure(riko)
    url = reverse("community:profile", args=[riko_profile.username])
    client.force_login(dinda)
    assert 'id="send-message"' not in client.get(url).content.decode()  # not connected, not premium
    connections.add(frozenset((dinda.pk, riko.pk)))
    assert 'id="send-message"' not in client.get(url).content.decode()  # connected, but free
    premium.add(dinda.pk)
    page = client.get(url).content.decode()
    assert 'id="send-message"' in page and reverse("chat:start", args=[riko.pk]) in page
    # never on one's own profile
    own = client.get(reverse("community:profile", args=[community.profile_ensure(dinda).username])).content.decode()
    assert 'id="send-message"' not in own


def test_free_member_who_already_has_a_conversation_sees_the_button(client, mentor, student):
    conversation, _ = services.conversation_open(user=mentor, other=student)
    client.force_login(student)  # free: may not start, but anyone may reply
    page = client.get(reverse("community:profile", args=[community.profile_ensure(mentor).username]))
    assert 'id="send-message"' in page.content.decode()
    r = client.get(reverse("chat:start", args=[mentor.pk]))
    assert r.status_code == 302 and r.url == reverse("chat:conversation", args=[conversation.pk])


def test_start_page_says_the_refusal_in_indonesian_without_a_form(client, mentor, student):
    client.force_login(student)
    r = client.get(reverse("chat:start", args=[mentor.pk]))
    body = r.content.decode()
    assert r.status_code == 200 and 'id="chat-refused"' in body and "premium" in body and 'id="chat-start"' not in body
    r = client.post(reverse("chat:start", args=[mentor.pk]))  # forcing the POST is refused by the service too
    assert r.status_code == 302 and not Conversation.objects.exists()
    assert client.get(reverse("chat:start", args=[999999])).status_code == 404
    assert client.get(reverse("chat:start", args=[student.pk])).content.decode().count('id="chat-refused"') == 1


def test_start_page_blocked_pair_is_refused(client, mentor, student):
    services.conversation_open(user=mentor, other=student)
    services.user_block(user=student, other=mentor)
    client.force_login(mentor)
    r = client.get(reverse("chat:start", args=[student.pk]))
    assert r.status_code == 200 and 'id="chat-refused"' in r.content.decode()


def test_mentor_and_course_pages_link_to_chat(client, mentor, student):
    client.force_login(student)
    r = client.get(reverse("learning:instructor", args=[mentor.pk]))
    assert r.status_code == 200 and reverse("chat:start", args=[mentor.pk]) in r.content.decode()
    client.force_login(mentor)  # not to oneself
    assert 'id="send-message"' not in client.get(reverse("learning:instructor", args=[mentor.pk])).content.decode()
    client.logout()  # guests see no chat button
    assert 'id="send-message"' not in client.get(reverse("learning:instructor", args=[mentor.pk])).content.decode()


def test_api_opens_a_conversation_by_username(client, mentor, student, premium):
    premium.add(student.pk)
    username = community.profile_ensure(mentor).username
    r = call(client, "post", "/chat/conversations", {"user": username}, user=student)
    assert r.status_code == 201, r.content
    first = r.json()["id"]
    r = call(client, "post", "/chat/conversations", {"user": "@" + username}, user=student)
    assert r.status_code == 200 and r.json()["id"] == first  # the existing conversation
    r = call(client, "post", "/chat/conversations", {"user": mentor.email}, user=student)
    assert r.status_code == 200 and r.json()["id"] == first
    assert call(client, "post", "/chat/conversations", {"user": "tidak-ada"}, user=student).status_code == 404
    for hostile in ("", "  ", "a\x00b", "x" * 300):
        r = call(client, "post", "/chat/conversations", {"user": hostile}, user=student)
        assert r.status_code in (400, 404, 422) and r.json()["message"], hostile
    assert call(client, "post", "/chat/conversations", {"user": username}).status_code == 401


def test_co_instructors_chat_with_the_course_students_both_ways(client, make_user, mentor, premium, admin_user):
    """ChatMentor counts every instructor of a course (Course.instructors), not only the responsible mentor; the
    course page has a "Kirim pesan" for each."""
    co = make_user(Role.MENTOR, full_name="Sari Pendamping")
    stranger_mentor = make_user(Role.MENTOR, full_name="Mentor Lain")
    course = build_course(
        admin_user, "Kursus Bersama", mentor=mentor.pk, modules=1, lessons=1, quiz=False, role_access="public"
    )
    learning.course_instructors_set(actor=admin_user, course=course, user_ids=[co.pk])
    learning.course_set_status(actor=admin_user, course=course, status=CourseStatus.PUBLISHED)
    member = make_user(full_name="Rina Murid")
    Enrollment.objects.create(user=member, course=course, source="admin", created_at=timezone.now())
    decision = policy.start_decision(co, member)  # the co-instructor starts with a student of the course
    assert decision.allowed and decision.kind == "mentor"
    refused = policy.start_decision(member, co)  # a free student may not start ChatMentor
    assert not refused.allowed and "premium" in refused.message
    premium.add(member.pk)
    conversation, created = services.conversation_open(user=member, other=co)
    assert created and conversation.kind == "mentor"
    assert not policy.start_decision(member, stranger_mentor).allowed  # not a mentor of their courses
    client.force_login(member)
    page = client.get(reverse("learning:course_detail", args=[course.slug])).content.decode()
    assert f'data-message-instructor="{co.pk}"' in page and reverse("chat:start", args=[co.pk]) in page
    assert reverse("chat:start", args=[mentor.pk]) in page
    client.force_login(co)  # never a button to oneself
    page = client.get(reverse("learning:course_detail", args=[course.slug])).content.decode()
    assert f'data-message-instructor="{co.pk}"' not in page
