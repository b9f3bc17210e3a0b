"""In a real browser: a mentor builds a course (a module, a lesson with an uploaded private video, moved with the
up/down buttons), submits it for review; the admin approves it from the review queue; a member opens it, the video
plays through its signed link, and the member completes the lesson."""

import pytest

from sanggar.core.roles import Role
from sanggar.learning.models import Course, Enrollment, LessonProgress

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 2048


@pytest.mark.django_db(transaction=True)
def test_mentor_builds_admin_approves_member_completes(browser, live_server, make_user, login):
    mentor = make_user(Role.MENTOR, email="mentor@uji.test", full_name="Mentor Sari")
    make_user(Role.ADMIN, email="admin@uji.test", full_name="Admin Uji")
    member = make_user(email="member@uji.test", full_name="Member Rina")
    base = live_server.url

    def new_page():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
        context.set_default_timeout(15_000)
        return context, context.new_page()

    # the mentor builds and submits
    context, page = new_page()
    login(page, mentor.email)
    page.goto(f"{base}/mentor/kursus/baru")
    page.fill("input[name=title]", "Ekspor Rempah untuk Pemula")
    page.fill("input[name=summary]", "Dari kebun ke kontainer pertama.")
    page.click("button:has-text('Simpan')")
    page.wait_for_url("**tab=materi")
    course = Course.objects.get(title="Ekspor Rempah untuk Pemula")
    assert course.status == "draft" and course.mentor_id == mentor.pk

    page.goto(f"{base}/mentor/kursus/{course.slug}?tab=akses")
    page.select_option("select[name=role_access]", "public")
    page.click("button:has-text('Simpan')")
    page.goto(f"{base}/mentor/kursus/{course.slug}?tab=materi")
    page.fill("input[name=title][placeholder='Judul modul baru']", "Modul 1: Mengenal Pasar")
    page.click("button:has-text('Tambah Modul')")
    for title in ("Riset Negara Tujuan", "Memilih Rempah Unggulan"):
        page.click("a:has-text('+ Pelajaran')")
        page.fill("input[name=title]", title)
        page.fill("textarea[name=content]", f"<p>{title}: materi lengkap.</p>")
        page.click("button[value=save]")
        page.wait_for_url("**/pelajaran/*")
        if title == "Memilih Rempah Unggulan":
            page.set_input_files(
                "input[name=video_file]", files=[{"name": "rempah.mp4", "mimeType": "video/mp4", "buffer": MP4}]
            )
            page.click("button:has-text('Unggah Video')")
            page.locator("[data-video-file]").wait_for()
        page.goto(f"{base}/mentor/kursus/{course.slug}?tab=materi")
    second = course.lessons.get(title="Memilih Rempah Unggulan")
    page.click(f"[data-lesson='{second.pk}'] [data-move=up]")  # saved without a reload
    page.locator("#reorder-status:has-text('tersimpan')").wait_for()
    assert list(course.lessons.order_by("position").values_list("title", flat=True))[0] == second.title
    page.goto(f"{base}/mentor/kursus/{course.slug}?tab=status")
    page.click("#submit-review")
    page.locator("[data-status=pending]").wait_for()
    context.close()

    # the admin approves from the queue
    context, page = new_page()
    login(page, "admin@uji.test")
    page.goto(f"{base}/admin/kursus/review")
    page.click(f"tr[data-course='{course.slug}'] a:has-text('Review')")
    page.click("#approve")
    page.locator("[data-status=published]").wait_for()
    context.close()
    course.refresh_from_db()
    assert course.status == "published"

    # the member learns
    context, page = new_page()
    login(page, member.email)
    page.goto(f"{base}/kursus/{course.slug}")
    page.click("text=Mulai Belajar")
    page.wait_for_url(f"**/belajar/{course.slug}/{second.pk}")
    src = page.get_attribute("#video-player", "src").split("#")[0]
    streamed = page.request.get(base + src, headers={"Range": "bytes=0-11"})  # with the member's session
    assert (streamed.status, streamed.headers["content-range"]) == (206, f"bytes 0-11/{len(MP4)}")
    assert streamed.body() == MP4[:12]
    page.click("#complete")
    page.wait_for_url(f"**/belajar/{course.slug}/*")
    context.close()
    assert LessonProgress.objects.filter(user=member, lesson=second, completed_at__isnull=False).exists()
    assert Enrollment.objects.get(user=member, course=course).progress_percent == 50
