"""The bell dropdown's "Kelas" tab: `/notifications/dropdown?grup=course` lists only the classes' notifications
(an unknown group shows everything, never an error); the panel carries the tab."""

import pytest

from sanggar.notifications import notifications as groups
from sanggar.notifications import selectors, services

pytestmark = pytest.mark.django_db


def _notify(user, title, kind):
    return services.notify_text(user=user, kind=kind, title=title, channels=())


def test_dropdown_course_tab(member_client, member_user, make_user, django_assert_max_num_queries):
    _notify(member_user, "Ada komentar baru di kelasmu!", groups.COURSE)
    _notify(member_user, "Pembayaran diterima", groups.SYSTEM)
    _notify(make_user(), "Kelas orang lain", groups.COURSE)
    everything = member_client.get("/notifications/dropdown").content.decode()
    assert "Ada komentar baru di kelasmu!" in everything and "Pembayaran diterima" in everything
    with django_assert_max_num_queries(8):
        course = member_client.get("/notifications/dropdown", {"grup": "course"}).content.decode()
    assert "Ada komentar baru di kelasmu!" in course
    assert "Pembayaran diterima" not in course and "Kelas orang lain" not in course
    for hostile in ("<script>", "x" * 500, "course\x00", "'; drop table"):
        response = member_client.get("/notifications/dropdown", {"grup": hostile})
        assert response.status_code in (200, 400)
        if response.status_code == 200:
            assert "Pembayaran diterima" in response.content.decode()
    assert [n.title for n in selectors.notification_latest(user=member_user, kind="course")] == [
        "Ada komentar baru di kelasmu!"
    ]


def test_bell_panel_has_the_kelas_tab(member_client):
    page = member_client.get("/dashboard/").content.decode()
    assert 'data-bell-filter="course"' in page and "/notifications/dropdown?grup=course" in page


def test_dropdown_filter_needs_login(client):
    assert client.get("/notifications/dropdown", {"grup": "course"}).status_code == 302
