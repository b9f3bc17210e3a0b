"""The issue's course journey in a real browser.

A mentor builds a member course (a module, a text lesson, a lesson with an uploaded private video moved with the
up/down buttons, a quiz with two questions) and submits it for review; the admin approves it from the review queue;
a member whose plan includes it opens it ("Akses melalui Membership Anda."), the video plays through its signed link
(206), completes both lessons, passes the quiz, downloads the certificate PDF; a visitor verifies the certificate by
its code; a free member buys another course by manual transfer, the admin confirms the transfer and the course
opens for the buyer."""

import re

import pytest
from django.utils import timezone

from sanggar.catalog.models import PlanPrice
from sanggar.core.roles import Role
from sanggar.learning.models import Certificate, Course, Enrollment, LessonProgress
from sanggar.learning.tests.world import build_course
from sanggar.memberships.services import membership_activate
from sanggar.orders.models import Order
from sanggar.orders.tests.shop import Shop

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 2048


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAYMENT_PROVIDERS = ["manual"]
    settings.MANUAL_UNIQUE_CODE = True
    settings.MANUAL_BANK_NAME = "BCA"
    settings.MANUAL_BANK_ACCOUNT_NUMBER = "8830012345"
    settings.MANUAL_BANK_ACCOUNT_HOLDER = "PT Ekspor Yuk Indonesia"


@pytest.mark.django_db(transaction=True)
def test_mentor_builds_admin_approves_member_completes(browser, live_server, make_user, login):
    mentor = make_user(Role.MENTOR, email="mentor@uji.test", full_name="Mentor Sari")
    admin = make_user(Role.ADMIN, email="admin@uji.test", full_name="Admin Uji")
    member = make_user(email="member@uji.test", full_name="Member Rina")
    free = make_user(email="gratis@uji.test", full_name="Budi Gratis")
    base = live_server.url

    def new_page():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
        context.set_default_timeout(15_000)
        return context, context.new_page()

    # the mentor builds and submits a member course
    context, page = new_page()
    login(page, mentor.email)
    page.goto(f"{base}/mentor/kursus/baru")
    page.fill("input[name=title]", "Ekspor Rempah untuk Pemula")
    page.fill("input[name=summary]", "Dari kebun ke kontainer pertama.")
    page.click("button:has-text('Simpan')")
    page.wait_for_url("**tab=materi")
    course = Course.objects.get(title="Ekspor Rempah untuk Pemula")
    assert (course.status, course.mentor_id, course.role_access) == ("draft", mentor.pk, "member")

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

    # the quiz: a single-choice question and a true/false one, pass mark 100 %
    page.click("a:has-text('+ Kuis')")
    page.fill("#title", "Kuis Modul 1")
    page.fill("#pass_percent", "100")
    page.click("button:has-text('Simpan Kuis')")
    page.wait_for_url("**/kuis/*")
    page.select_option("#kind", "single")
    page.fill("#qtext", "Incoterm untuk harga di pelabuhan muat?")
    page.fill("input[name=choice_1]", "FOB")
    page.check("input[name=correct][value='1']")
    page.fill("input[name=choice_2]", "DDP")
    page.click("button:has-text('Tambah Soal')")
    page.locator("[data-question]").first.wait_for()
    page.select_option("#kind", "true_false")
    page.fill("#qtext", "HS Code terdiri dari angka.")
    page.check("input[name=tf_answer][value=true]")
    page.click("button:has-text('Tambah Soal')")
    page.locator("[data-question] >> nth=1").wait_for()
    quiz = course.quizzes.get()
    assert quiz.questions.count() == 2 and quiz.pass_percent == 100

    page.goto(f"{base}/mentor/kursus/{course.slug}?tab=status")
    page.click("#submit-review")
    page.locator("[data-status=pending]").wait_for()
    context.close()

    # the admin approves from the queue
    context, page = new_page()
    login(page, admin.email)
    page.goto(f"{base}/admin/kursus/review")
    page.click(f"tr[data-course='{course.slug}'] a:has-text('Review')")
    page.click("#approve")
    page.locator("[data-status=published]").wait_for()
    context.close()
    course.refresh_from_db()
    assert course.status == "published"

    # the member's plan includes it; a second, public course is sold on its own
    shop = Shop(admin)
    plan = shop.plan("Gold", rank=2, resources=[course.resource], slug="gold")
    membership_activate(
        user=member, plan_price=PlanPrice.objects.get(plan=plan), amount_paid=1_200_000, now=timezone.now()
    )
    other = build_course(
        admin, "Negosiasi dengan Buyer", modules=1, lessons=1, quiz=False, role_access="public", price=250_000
    )
    assert other.status == "published"  # an admin's course publishes directly

    # the member learns, passes the quiz and downloads the certificate
    context, page = new_page()
    login(page, member.email)
    page.goto(f"{base}/kursus/{course.slug}")
    assert page.inner_text("[data-via-membership]") == "Akses melalui Membership Anda."
    page.click("text=Mulai Belajar")
    page.wait_for_url(f"**/belajar/{course.slug}/{second.pk}")
    src = page.get_attribute("#video-player", "src").split("#")[0]
    streamed = page.request.get(base + src, headers={"Range": "bytes=0-11"})  # with the member's session
    assert (streamed.status, streamed.headers["content-range"]) == (206, f"bytes 0-11/{len(MP4)}")
    assert streamed.body() == MP4[:12]
    page.click("#complete")  # moves on to the next lesson
    first = course.lessons.get(title="Riset Negara Tujuan")
    page.wait_for_url(f"**/belajar/{course.slug}/{first.pk}")
    page.click("#complete")
    page.wait_for_selector("[data-done]")
    assert Enrollment.objects.get(user=member, course=course).completed_at is None  # the quiz is still required
    page.click("a:has-text('Kuis: Kuis Modul 1')")
    page.click("#start-quiz")
    page.wait_for_selector("#quiz-form")
    page.check("#quiz-form label:has-text('FOB') input")
    page.check("#quiz-form label:has-text('Benar') input")
    page.click("#quiz-form button[type=submit]")
    page.wait_for_selector("#result[data-passed='1']")
    assert "Selamat, Anda lulus!" in page.inner_text("#result")
    enrollment = Enrollment.objects.get(user=member, course=course)
    assert (enrollment.progress_percent, enrollment.completed_at is not None) == (100, True)
    assert LessonProgress.objects.filter(user=member, course=course, completed_at__isnull=False).count() == 2
    cert = Certificate.objects.get(user=member, course=course)

    page.goto(f"{base}/sertifikat-saya")
    with page.expect_download() as download_info:
        page.click(f"tr[data-certificate='{cert.code}'] a:has-text('Unduh PDF')")
    download = download_info.value
    assert download.suggested_filename == f"sertifikat-{cert.code}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    context.close()

    # a visitor verifies it by its code
    context, page = new_page()
    page.goto(f"{base}/sertifikat")
    page.fill("input[name=kode]", cert.code.lower())
    page.click("#verify")
    page.wait_for_url(f"**/sertifikat/{cert.code}")
    assert "Sertifikat Asli" in page.inner_text("h1")
    assert page.inner_text("#certificate [data-code]") == cert.code
    assert "Member Rina" in page.inner_text("#certificate")
    assert "Ekspor Rempah untuk Pemula" in page.inner_text("#certificate")
    assert page.locator("a:has-text('Unduh PDF')").count() == 0  # only the owner downloads
    page.goto(f"{base}/sertifikat/SKP-TIDAKADA1")
    assert "Sertifikat tidak ditemukan" in page.inner_text("h1")
    context.close()

    # a free member buys the other course by manual transfer
    context, page = new_page()
    login(page, free.email)
    page.goto(f"{base}/kursus/{other.slug}")
    assert "250.000" in page.inner_text("#offer")
    page.click("#offer a:has-text('Beli Kursus')")
    page.wait_for_url(f"**/kursus/{other.slug}/beli")
    assert page.is_checked("input[name=provider][value=manual]")
    page.click("#pay-button")
    page.wait_for_url(re.compile(r".*/invoice/INV\d{6}$"))
    order = Order.objects.get(buyer=free)
    assert (order.status, order.subtotal) == ("pending", 250_000)
    assert page.inner_text("#account-number") == "8830012345"
    page.goto(f"{base}/belajar/{other.slug}")
    assert page.locator("[data-locked], .alert").count() > 0 and "/belajar/" in page.url  # still locked

    admin_context, admin_page = new_page()
    login(admin_page, admin.email)
    admin_page.goto(f"{base}/admin/sales/{order.invoice_number}")
    admin_page.click("#mark-paid-start")
    admin_page.wait_for_url(f"{base}/admin/sales/{order.invoice_number}/mark-paid")
    admin_page.fill("#mark-paid-form textarea[name=note], #mark-paid-form input[name=note]", "Transfer BCA masuk")
    admin_page.click("#mark-paid-confirm")
    admin_page.wait_for_load_state()
    admin_context.close()
    order.refresh_from_db()
    assert order.status == "paid"

    page.goto(f"{base}/invoice/{order.invoice_number}")
    assert page.inner_text("#invoice-status").strip() == "Lunas"
    page.click("[data-open-link]:has-text('Buka Kursus')")
    page.wait_for_url(f"**/belajar/{other.slug}/*")
    assert page.locator("#complete").count() == 1
    page.goto(f"{base}/kursus-saya")
    assert page.locator(f"[data-course='{other.slug}'] a:has-text('Lanjutkan')").count() == 1
    context.close()
    assert Enrollment.objects.get(user=free, course=other).source == "purchase"
