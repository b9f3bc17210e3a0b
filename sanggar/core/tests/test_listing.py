"""`paginate_capped`: a long list counts at most a few rows past the page asked for, and says so."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from sanggar.accounts.models import User
from sanggar.core.listing import Filter, paginate_capped

pytestmark = pytest.mark.django_db


def _request(number):
    return RequestFactory().get("/daftar", {"page": number} if number is not None else {})


def _page(number, *, cap, per_page=2):
    return paginate_capped(_request(number), User.objects.order_by("pk"), per_page=per_page, cap=cap)


@pytest.fixture
def seven_users(make_user):
    return [make_user(email=f"pengguna{n}@example.com") for n in range(7)]


def test_under_the_cap_the_count_is_exact(seven_users):
    page = _page(None, cap=10)
    assert (page.paginator.count, page.paginator.more, page.paginator.num_pages) == (7, False, 4)
    html = render_to_string("core/components/pagination.html", {"page_obj": page}, _request(page.number))
    assert "Menampilkan 1–2 dari 7" in html
    assert "Halaman 1 dari 4" in html


def test_past_the_cap_the_page_says_more_and_offers_the_next(seven_users):
    page = _page(1, cap=3)
    assert page.paginator.more and page.paginator.shown_count == 3
    assert [u.pk for u in page.object_list] == [u.pk for u in seven_users[:2]]
    assert page.has_next()
    html = render_to_string("core/components/pagination.html", {"page_obj": page}, _request(page.number))
    assert "Menampilkan 1–2 dari lebih dari 3" in html
    assert "Halaman 1</span>" in html

    # A page past the cap counts up to itself (plus one): still offered a next page while rows remain.
    page = _page(3, cap=3)
    assert [u.pk for u in page.object_list] == [u.pk for u in seven_users[4:6]]
    assert page.has_next()
    last = _page(4, cap=3)
    assert [u.pk for u in last.object_list] == [seven_users[6].pk]
    assert not last.has_next() and not last.paginator.more and last.paginator.count == 7


@pytest.mark.parametrize("number", ["abc", "0", "-3", "99999999999999999999999", "\x00"])
def test_hostile_page_numbers_show_a_page(seven_users, number):
    page = _page(number, cap=3)
    assert page.object_list


def test_the_count_reads_a_bounded_number_of_rows(seven_users):
    with CaptureQueriesContext(connection) as captured:
        _page(1, cap=3).paginator.count  # noqa: B018
    assert len(captured.captured_queries) == 1
    assert "LIMIT 4" in captured.captured_queries[0]["sql"]


def test_filters_sharing_a_name_each_take_their_own_submitted_value():
    request = RequestFactory().get("/notifications", {"sumber": ["", "event:7"]})  # two selects named "sumber"
    courses = Filter(request, "sumber", "Kelas", [("course:3", "Dasar Ekspor")])
    events = Filter(request, "sumber", "Event", [("event:7", "Webinar")])
    assert (courses.value, events.value) == ("", "event:7")
    forged = Filter(RequestFactory().get("/x", {"sumber": "course:99"}), "sumber", "Kelas", [("course:3", "A")])
    assert forged.value == ""  # a value that is not an option is ignored


def test_filter_options_html_escapes_and_marks_the_current_value(rf):
    from sanggar.core.listing import Filter

    f = Filter(rf.get("/x", {"s": "b&c"}), "s", "Status", [("a", "<A>"), ("b&c", 'B "C"')])
    assert f.value == "b&c"
    assert f.options_html == (
        '<option value="a">&lt;A&gt;</option><option value="b&amp;c" selected>B &quot;C&quot;</option>'
    )
