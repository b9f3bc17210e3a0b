"""Courses in a real browser at 390 px: the catalogue, a course page, the player (mark complete moves on), a quiz,
the mentor's editor tabs and the certificate check, on the demo data; none wider than the phone."""

import pytest
from django.core.management import call_command

from sanggar.learning import services
from sanggar.learning.models import Course, Lesson

PHONE = {"width": 390, "height": 844}
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


def _login(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "sanggar-demo")
    page.click("#auth-card button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")


@pytest.mark.django_db(transaction=True)
def test_course_pages_fit_a_phone_and_the_player_works(browser, live_server):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    course = Course.objects.get(resource__key="strategi-ekspor")
    from sanggar.accounts.models import User

    member = User.objects.get(email="member@sanggar.test")
    cert = services.certificate_issue(user=member, course=course)
    base = live_server.url
    too_wide = []
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()

    def visit(path):
        response = page.goto(base + path)
        assert response.status in (200, 403), (path, response.status)
        width = page.evaluate(WIDTH)
        if width > PHONE["width"]:
            too_wide.append((path, width))
        return response

    for path in ("/kursus", f"/kursus/{course.slug}", f"/sertifikat/{cert.code}", f"/instruktur/{course.mentor_id}"):
        assert visit(path).status == 200

    _login(page, base, "member@sanggar.test")
    visit(f"/kursus/{course.slug}")
    assert "Akses melalui Membership Anda." in page.content()
    page.click("text=Lanjutkan Belajar")
    lesson_url = page.url
    width = page.evaluate(WIDTH)
    if width > PHONE["width"]:
        too_wide.append((lesson_url, width))
    page.click("#complete")  # the last lesson of the demo progress: it stays, marked done
    page.wait_for_selector("[data-done]")
    for path in ("/kursus-saya", "/sertifikat-saya", f"/belajar/{course.slug}/kuis/{course.quizzes.get().pk}"):
        visit(path)
    page.click("#start-quiz")
    page.wait_for_selector("#quiz-form")
    page.locator("#quiz-form input[type=radio]").first.check()
    page.click("#quiz-form button[type=submit]")
    page.wait_for_selector("#result")

    mentor_context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = mentor_context.new_page()
    _login(page, base, "mentor@sanggar.test")
    page.goto(base + "/dashboard/")
    for tab in ("info", "materi", "akses", "harga", "status"):
        visit(f"/mentor/kursus/{course.slug}?tab={tab}")
    lesson = Lesson.objects.filter(course=course).first()
    visit(f"/mentor/kursus/{course.slug}/modul/{lesson.module_id}/pelajaran/{lesson.pk}")
    visit(f"/mentor/kursus/{course.slug}/siswa")
    visit("/mentor/kursus/baru")
    assert too_wide == [], too_wide
