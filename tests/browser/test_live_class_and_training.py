"""The issue's live-class and training journeys in a real browser.

Live class: a student clicks "Daftar" on a program (waiting list), the admin approves her into Section A from the
waiting-list page, she pays with "Bayar Sekarang" by manual transfer, the admin confirms the transfer, the admin
schedules a meeting on the sections page, the tutor marks her "Hadir" and her card on "Kelas Saya" shows
"Meeting: 1/8 (sisa 7)".

Training: a participant picks a tier on /order, goes through /register/<batch>/<tier> into the normal checkout,
pays by manual transfer, the admin confirms it and the participant opens the tier's course from /training/<batch>."""

import re
from datetime import date

import pytest
from django.utils import timezone

from sanggar.classes import services as classes
from sanggar.classes.models import Attendance, Enrollment
from sanggar.core.roles import Role
from sanggar.learning.tests.world import build_course
from sanggar.orders.models import Order
from sanggar.trainings import services as trainings
from sanggar.trainings.constants import BatchStatus
from sanggar.trainings.models import Participant


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAYMENT_PROVIDERS = ["manual"]
    settings.MANUAL_UNIQUE_CODE = True
    settings.MANUAL_BANK_NAME = "BCA"
    settings.MANUAL_BANK_ACCOUNT_NUMBER = "8830012345"
    settings.MANUAL_BANK_ACCOUNT_HOLDER = "PT Sanggar Indonesia"


@pytest.fixture
def new_page(browser):
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _confirm_transfer(page, base, order, note):
    """The admin's "Tandai Lunas" on the sales detail page, with a note on the confirmation page."""
    page.goto(f"{base}/admin/sales/{order.invoice_number}")
    page.click("#mark-paid-start")
    page.wait_for_url(f"{base}/admin/sales/{order.invoice_number}/mark-paid")
    page.fill("#mark-paid-form textarea[name=note], #mark-paid-form input[name=note]", note)
    page.click("#mark-paid-confirm")
    page.wait_for_url(f"{base}/admin/sales/{order.invoice_number}")
    order.refresh_from_db()
    assert order.status == "paid"


@pytest.mark.django_db(transaction=True)
def test_student_registers_is_approved_pays_attends_and_sees_the_quota(new_page, live_server, make_user, login):
    admin = make_user(Role.ADMIN, email="admin-kelas@uji.test", full_name="Admin Kelas")
    tutor = make_user(Role.MENTOR, email="tutor@uji.test", full_name="Dr. Ahmad")
    student = make_user(email="siti@uji.test", full_name="Siti Rahma")
    template = classes.template_create(
        actor=admin,
        data={"name": "Semi-Private Grammar", "subject": "Bahasa Inggris", "price": 500_000, "max_students": 10},
    )
    section = classes.section_create(actor=admin, template=template, tutor=tutor)
    assert (section.label, template.meetings_per_period) == ("A", 8)
    base = live_server.url

    # the student registers: "Daftar" puts her on the waiting list
    page = login(new_page(), student.email)
    page.goto(f"{base}/kelas-live")
    page.click("form[action$='/kelas-live/semi-private-grammar/daftar'] button:has-text('Daftar')")
    page.wait_for_url(f"{base}/kelas-live/saya")
    entry = Enrollment.objects.get(student=student)
    card = page.locator(f"[data-enrollment='{entry.pk}']")
    assert "Semi-Private Grammar" in card.inner_text()
    assert entry.status == "waiting"

    # the admin approves her into Section A from the waiting list
    admin_page = login(new_page(), admin.email)
    admin_page.goto(f"{base}/admin/kelas-live/daftar-tunggu")
    assert "Section A: 0/10 siswa" in admin_page.inner_text("main")
    form = admin_page.locator(f"form[action$='/admin/kelas-live/daftar-tunggu/{entry.pk}']").first
    form.locator("select[name=section]").select_option(label="Section A")
    form.locator("button:has-text('Setujui')").click()
    admin_page.wait_for_url(f"{base}/admin/kelas-live/daftar-tunggu")
    assert "Disetujui ke Section A" in admin_page.inner_text("main")
    entry.refresh_from_db()
    assert (entry.status, entry.section_id) == ("approved", section.pk)

    # she pays with "Bayar Sekarang" by manual transfer
    page.goto(f"{base}/kelas-live/saya")
    assert "Bayar sebelum" in card.inner_text()
    card.locator("select[name=provider]").select_option("manual")
    card.locator("button:has-text('Bayar Sekarang')").click()
    page.wait_for_url(re.compile(r".*/invoice/INV\d{6}$"))
    order = Order.objects.get(buyer=student)
    assert (order.status, order.subtotal) == ("pending", 500_000)
    assert order.expires_at == entry.pay_before  # the approval's 24 hours, not a new window from the order
    assert page.inner_text("#account-number") == "8830012345"

    # the admin confirms the transfer: the class is active
    _confirm_transfer(admin_page, base, order, "Transfer BCA a.n. Siti masuk")
    entry.refresh_from_db()
    assert entry.status == "active"
    page.goto(f"{base}/kelas-live/saya")
    assert "Meeting: 0/8 (sisa 8)" in card.inner_text()

    # the admin schedules a meeting for Section A (now, WIB) on the sections page
    admin_page.goto(f"{base}/admin/kelas-live/program/{template.slug}")
    starts = timezone.localtime().replace(second=0, microsecond=0)
    meeting_form = admin_page.locator("form:has(input[name=action][value=meeting])").first
    meeting_form.locator("input[name=starts_at]").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    meeting_form.locator("input[name=url]").fill("https://meet.google.com/abc-defg-hij")
    meeting_form.locator("button:has-text('Jadwalkan')").click()
    admin_page.wait_for_url(f"{base}/admin/kelas-live/program/{template.slug}")
    assert "Pertemuan dijadwalkan" in admin_page.inner_text("main")
    meeting = section.meetings.get()
    assert meeting.starts_at == starts

    # the tutor marks her present
    tutor_page = login(new_page(), tutor.email)
    tutor_page.goto(f"{base}/mentor/kelas-live")
    mark_form = tutor_page.locator(f"form[action$='/mentor/kelas-live/pertemuan/{meeting.pk}/kehadiran']")
    mark_form.locator(f"select[name=e_{entry.pk}]").select_option("present")
    mark_form.locator("button:has-text('Simpan Kehadiran')").click()
    tutor_page.wait_for_url(f"{base}/mentor/kelas-live")
    assert "Kehadiran disimpan." in tutor_page.inner_text("main")
    assert Attendance.objects.get(enrollment=entry, meeting=meeting).status == "present"

    # her card counts the meeting
    page.goto(f"{base}/kelas-live/saya")
    assert card.locator(".meeting-count").inner_text() == "Meeting: 1/8 (sisa 7)"
    assert "Aktif" in card.inner_text()


@pytest.mark.django_db(transaction=True)
def test_participant_buys_a_training_tier_and_opens_its_courses(new_page, live_server, make_user, login):
    admin = make_user(Role.ADMIN, email="admin-training@uji.test", full_name="Admin Training")
    buyer = make_user(email="peserta@uji.test", full_name="Budi Peserta")
    included = build_course(admin, "Public Speaking untuk Trainer", modules=1, lessons=1, quiz=False)
    other = build_course(admin, "Desain Kurikulum Lanjutan", modules=1, lessons=1, quiz=False)
    batch = trainings.batch_create(
        actor=admin,
        name="Batch 5 Trainer Profesional",
        starts_on=date(2027, 1, 10),
        ends_on=date(2027, 1, 12),
        capacity=30,
        location="Jakarta",
        status=BatchStatus.OPEN,
    )
    tier = trainings.tier_create(
        actor=admin,
        batch=batch,
        name="Trainer Only",
        price=1_500_000,
        benefits="Kursus Public Speaking\nSertifikat",
        course_ids=[included.pk],
    )
    trainings.tier_create(actor=admin, batch=batch, name="Platinum", price=4_500_000)
    base = live_server.url

    # the participant picks the tier on /order and goes to the normal checkout
    page = login(new_page(), buyer.email)
    page.goto(f"{base}/order")
    tier_card = page.locator(f"[data-batch='{batch.slug}'] [data-tier='{tier.slug}']")
    assert "Rp 1.500.000" in tier_card.inner_text()
    assert "Kursus Public Speaking" in tier_card.inner_text()
    tier_card.locator("a:has-text('Daftar')").click()
    page.wait_for_url(f"{base}/register/{batch.slug}/{tier.slug}")
    page.select_option("select[name=provider]", "manual")
    page.click("button:has-text('Lanjut ke Pembayaran')")
    page.wait_for_url(re.compile(r".*/invoice/INV\d{6}$"))
    order = Order.objects.get(buyer=buyer)
    assert (order.status, order.subtotal) == ("pending", 1_500_000)
    assert page.inner_text("#account-number") == "8830012345"
    page.goto(f"{base}/training/{batch.slug}")
    assert "/training/" in page.url and page.locator("a:has-text('Public Speaking untuk Trainer')").count() == 0

    # the admin confirms the transfer
    admin_page = login(new_page(), admin.email)
    _confirm_transfer(admin_page, base, order, "Transfer BCA a.n. Budi masuk")
    assert Participant.objects.get(user=buyer, batch=batch).status == "paid"

    # the workspace lists the tier's course (and not the other one) and the course opens
    page.goto(f"{base}/training/{batch.slug}")
    assert "Trainer Only" in page.inner_text("main")
    assert page.locator(f"a:has-text('{other.title}')").count() == 0
    page.click(f"a:has-text('{included.title}')")
    page.wait_for_url(f"**/kursus/{included.slug}")
    assert page.get_attribute("#offer", "data-allowed") == "1"
    page.click("#offer a:has-text('Belajar')")  # "Lanjutkan Belajar": the paid tier enrolled the participant
    page.wait_for_url(f"**/belajar/{included.slug}/*")
    assert page.locator("#complete").count() == 1
