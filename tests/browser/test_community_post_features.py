"""Browser: a member on a phone (390 px) and on a laptop (1366 px) writes a coloured quote with a place, schedules a
post from the composer and finds it under "Terjadwal", uploads a video that plays in the HTML5 player, and creates
a text story that a follower sees in the story bar. No page is wider than the screen."""

import pytest
from django.utils import timezone

from sanggar.community import scheduled, services
from sanggar.community.models import Post, ScheduledPost
from sanggar.core.roles import Role

WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 2048


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", [(390, 844), (1366, 900)])
def test_quote_place_schedule_video_and_story(browser, live_server, make_user, password, settings, tmp_path, viewport):
    settings.MEDIA_ROOT = tmp_path
    admin = make_user(Role.ADMIN, email="admin-pf@uji.test", full_name="Admin PF")
    mentor = make_user(Role.MENTOR, email="mentor-pf@uji.test", full_name="Mentor Sari")
    member = make_user(email="tono-pf@uji.test", full_name="Tono Member")
    group = services.group_create(actor=admin, data={"name": "Eksportir Rempah", "visibility": "public"})
    services.group_join(user=mentor, group=group)
    services.group_join(user=member, group=group)
    services.follow(user=member, target=mentor)

    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="id-ID")
    context.set_default_timeout(10_000)
    page = context.new_page()
    base = live_server.url
    try:
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=login]", mentor.email)
        page.fill("input[name=password]", password)
        page.click("#auth-card button[type=submit]")
        page.wait_for_url(f"{base}/dashboard/")

        # the feed's group picker opens the group's composer (no inline handler: the CSP would block it)
        page.goto(f"{base}/komunitas")
        page.select_option("[data-go-to-group]", f"/komunitas/grup/{group.slug}#composer")
        page.wait_for_url(f"{base}/komunitas/grup/{group.slug}#composer")
        # a coloured quote with a place
        page.click("#rt-editor")
        page.keyboard.type("Kualitas dulu, harga kemudian.")
        page.click("#composer summary:has-text('Latar warna')")
        page.check("#composer input[name=background][value=hijau]")
        page.click("#composer summary:has-text('Lokasi')")
        page.fill("#composer input[name=location_name]", "Pelabuhan Tanjung Perak")
        page.select_option("#composer select[name=location_province]", "Jawa Timur")
        assert page.evaluate(WIDTH) <= viewport[0]
        page.click("#composer [data-submit]")
        quote = page.wait_for_selector("[data-quote=hijau]")
        assert "Kualitas dulu" in quote.inner_text()
        assert "Pelabuhan Tanjung Perak, Jawa Timur" in page.inner_text("[data-location]")
        box = quote.bounding_box()
        assert box["width"] <= viewport[0] and box["height"] >= 150  # shown large
        assert page.evaluate(WIDTH) <= viewport[0]

        # a scheduled post from the composer
        page.click("#rt-editor")
        page.keyboard.type("Sesi tanya jawab Jumat malam")
        when = timezone.localtime(timezone.now() + timezone.timedelta(hours=3))  # the form is in WIB
        page.fill("#composer input[name=scheduled_at]", when.strftime("%Y-%m-%dT%H:%M"))
        assert page.inner_text("#composer [data-submit]") == "Jadwalkan"
        page.click("#composer [data-submit]")
        page.wait_for_url(f"{base}/komunitas/terjadwal")
        assert "Sesi tanya jawab Jumat malam" in page.inner_text("[data-scheduled]")
        assert page.evaluate(WIDTH) <= viewport[0]
        assert not Post.objects.filter(body__contains="Jumat malam").exists()

        # a video in the HTML5 player
        page.goto(f"{base}/komunitas/grup/{group.slug}")
        page.click("#rt-editor")
        page.keyboard.type("Proses sortasi lada")
        page.click("#composer summary:has-text('Foto, tautan')")
        page.set_input_files(
            "#composer input[name=media]", files=[{"name": "sortasi.mp4", "mimeType": "video/mp4", "buffer": MP4}]
        )
        page.click("#composer [data-submit]")
        video = page.wait_for_selector("video[data-media=video]")
        src = video.get_attribute("src")
        assert src.startswith("/komunitas/media/")
        ranged = page.request.get(f"{base}{src}", headers={"Range": "bytes=0-15"})
        assert ranged.status == 206 and ranged.body() == MP4[:16]

        # a text story, seen by a follower in the story bar
        page.goto(f"{base}/komunitas/story/baru")
        page.fill("textarea[name=text]", "Hari ini review 12 penawaran harga")
        page.check("input[name=background][value=ungu]")
        page.click("#story-form button[type=submit]")
        page.wait_for_url(f"{base}/komunitas")
        assert page.evaluate(WIDTH) <= viewport[0]

        page.context.clear_cookies()
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=login]", member.email)
        page.fill("input[name=password]", password)
        page.click("#auth-card button[type=submit]")
        page.wait_for_url(f"{base}/dashboard/")
        page.goto(f"{base}/komunitas")
        page.wait_for_selector(f"[data-story-bar] [data-story-author='{mentor.pk}'] [data-unseen]")
        page.screenshot(path=str(tmp_path / f"feed-{viewport[0]}.png"), full_page=True)
        assert page.evaluate(WIDTH) <= viewport[0]
        page.click(f"[data-story-bar] [data-story-author='{mentor.pk}']")
        page.wait_for_selector("[data-story]")
        assert "Hari ini review 12 penawaran harga" in page.inner_text("[data-story]")
        assert page.evaluate(WIDTH) <= viewport[0]
        page.goto(f"{base}/komunitas")
        assert page.query_selector(f"[data-story-author='{mentor.pk}'] [data-unseen]") is None
        # the scheduled post comes due: the sweep publishes it to the feed
        row = ScheduledPost.objects.get()
        ScheduledPost.objects.filter(pk=row.pk).update(scheduled_at=row.created_at)
        assert scheduled.scheduled_posts_publish() == 1
        page.goto(f"{base}/komunitas")
        page.wait_for_selector("article >> text=Sesi tanya jawab Jumat malam")
    finally:
        context.close()
