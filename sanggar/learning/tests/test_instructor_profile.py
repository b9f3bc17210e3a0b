"""The instructor's public profile (page and API) shows their social links, courses, rating and students."""

import pytest
from django.urls import reverse

from sanggar.accounts import services as accounts
from sanggar.api.testing import call
from sanggar.core.roles import Role

from .world import build_course

pytestmark = pytest.mark.django_db


def test_instructor_page_and_api_show_social_links(client, make_user, admin_user, django_assert_max_num_queries):
    mentor = make_user(Role.MENTOR, full_name="Sari Mentor", bio="Eksportir kopi sejak 2012.")
    accounts.user_update_profile(
        user=mentor,
        actor=mentor,
        social_links={"instagram": "https://instagram.com/sari.ekspor", "linkedin": "linkedin.com/in/sari"},
    )
    course = build_course(admin_user, "Ekspor Kopi", modules=1, lessons=1, quiz=False, mentor=mentor.pk)
    page = client.get(reverse("learning:instructor", args=[mentor.pk])).content.decode()
    assert 'id="social-links"' in page
    assert 'href="https://instagram.com/sari.ekspor" rel="nofollow noopener me"' in page
    assert 'data-network="linkedin"' in page
    with django_assert_max_num_queries(8):
        body = call(client, "get", f"/instructors/{mentor.pk}").json()
    assert body["social_links"] == [
        {"network": "instagram", "label": "Instagram", "url": "https://instagram.com/sari.ekspor"},
        {"network": "linkedin", "label": "LinkedIn", "url": "https://linkedin.com/in/sari"},
    ]
    assert body["bio"] == "Eksportir kopi sejak 2012." and body["course_count"] == 1
    assert [c["slug"] for c in body["courses"]] == [course.slug]
    detail = call(client, "get", f"/courses/{course.slug}").json()
    assert detail["instructor"]["social_links"][0]["network"] == "instagram"
    member = make_user(full_name="Bukan Mentor")
    assert call(client, "get", f"/instructors/{member.pk}").status_code == 404
    assert call(client, "get", "/instructors/abc").status_code == 422
