"""A member reads a notification from the bell: the badge counts it, reading it opens its link and clears it."""

import pytest

from sanggar.notifications import notifications as groups
from sanggar.notifications.models import Notification
from sanggar.notifications.services import notify_text as notify


@pytest.mark.django_db(transaction=True)
def test_member_reads_a_notification_from_the_bell(page, live_server, make_user, login):
    member = make_user(email="baca@uji.test")
    notification = notify(
        user=member,
        kind=groups.SYSTEM,
        title="Kelas baru tersedia",
        message="Kelas Dasar Ekspor sudah bisa diakses.",
        link="/profil/",
    )
    notify(user=member, kind=groups.SYSTEM, title="Pengingat profil", message="Lengkapi profil Anda.")

    login(page, member.email)
    assert page.inner_text("#bell-count").strip() == "2"
    page.click("#bell")
    page.wait_for_selector("#bell-items li")
    page.click("#bell-items button:has-text('Kelas baru tersedia')")
    page.wait_for_url(f"{live_server.url}/profil/")
    assert page.inner_text("#bell-count").strip() == "1"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert Notification.objects.filter(user=member, read_at__isnull=True).count() == 1

    page.goto(f"{live_server.url}/notifications")
    page.click("main button:has-text('Tandai semua dibaca')")
    page.wait_for_load_state()
    assert page.inner_text("#bell-count").strip() == ""
    assert Notification.objects.filter(user=member, read_at__isnull=True).count() == 0
