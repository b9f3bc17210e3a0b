"""Browser journey (issue 13): a premium member is in a group through their plan (it shows in the feed's sidebar),
posts with a photo, a poll, a heading and an emoji from the built-in picker, edits the post; another member of the
plan comments from their own browser and the author sees the comment appear live on the open post (websocket, no
reload); the author reports the comment and a moderator removes it from the queue (it is gone from the post);
the member registers for an event and sees its meeting link. Served over ASGI (uvicorn) so the websocket works."""

import io

import pytest
from django.contrib.sites.models import Site
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from sanggar.catalog.models import PlanPrice
from sanggar.community import services
from sanggar.community.models import Comment, Post, Report
from sanggar.core.roles import Role
from sanggar.events import services as events
from sanggar.memberships.services import membership_activate
from sanggar.orders.tests.shop import Shop
from tests.browser.test_community_live import asgi_server  # noqa: F401 (the ASGI server fixture)


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (60, 40), "green").save(buf, "PNG")
    return buf.getvalue()


def _login(page, base, email, password):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("#auth-card button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")


@pytest.mark.django_db(transaction=True)
def test_member_joins_by_plan_posts_moderator_removes_reported_comment_event_link(
    browser,
    asgi_server,  # noqa: F811
    make_user,
    password,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    Site.objects.get_or_create(pk=settings.SITE_ID, defaults={"domain": "localhost", "name": "Sanggar"})
    admin = make_user(Role.ADMIN, email="admin-j@uji.test", full_name="Admin Jalur")
    group = services.group_create(
        actor=admin, data={"name": "VIP Platinum", "slug": "grup-vip-platinum", "visibility": "hidden"}
    )
    plan = Shop(admin).plan("Platinum", rank=3, resources=[group.resource], slug="platinum")
    member = make_user(email="dinda-j@uji.test", full_name="Dinda Jalur")
    other = make_user(email="riko-j@uji.test", full_name="Riko Jalur")
    for person in (member, other):
        person.date_joined = timezone.now() - timezone.timedelta(days=30)
        person.save(update_fields=["date_joined"])
        membership_activate(user=person, plan_price=PlanPrice.objects.get(plan=plan), amount_paid=1_000_000)
    start = timezone.now() + timezone.timedelta(days=2)
    event = events.event_create(
        actor=admin,
        data={
            "title": "Webinar Ekspor Kopi",
            "starts_at": start,
            "ends_at": start + timezone.timedelta(hours=2),
            "meeting_url": "https://meet.example.com/kopi-123",
        },
    )
    base = asgi_server
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        # the plan brought the member into the hidden group: it is in the feed's "Grup Saya"
        _login(page, base, member.email, password)
        page.goto(f"{base}/komunitas")
        assert "VIP Platinum" in page.inner_text("[data-sidebar=groups]")
        page.goto(f"{base}/komunitas/grup/{group.slug}")
        page.click("#rt-editor")
        page.click("#rt-toolbar [data-arg=h4]")
        page.keyboard.type("Kontainer pertama")
        page.click("#composer [data-emoji-picker] summary")
        page.click("#composer [data-emoji='🚢']")
        page.click("#composer summary:has-text('Foto, tautan')")
        page.set_input_files(
            "#composer input[name=image]", files=[{"name": "kontainer.png", "mimeType": "image/png", "buffer": _png()}]
        )
        page.locator("#composer input[name=poll]").nth(0).fill("Jepang")
        page.locator("#composer input[name=poll]").nth(1).fill("Korea")
        page.click("#composer [data-submit]")
        page.wait_for_selector("img[alt='Foto postingan']")
        post = Post.objects.get(author=member)
        assert "<h4>" in post.body_html and "🚢" in post.body and post.image
        assert list(post.poll_options.values_list("text", flat=True)) == ["Jepang", "Korea"]
        # the author edits it within the window
        page.goto(f"{base}/komunitas/post/{post.pk}")
        page.click("[data-edit-post]")
        page.click("#rt-editor")
        page.keyboard.press("End")
        page.keyboard.type(" tiba")
        page.click("[data-edit-form] button[type=submit]")
        page.wait_for_url(f"{base}/komunitas/post/{post.pk}")
        assert "tiba" in Post.objects.get(pk=post.pk).body

        # another member of the plan comments from their own browser; the author's open post shows it live
        page.goto(f"{base}/komunitas/post/{post.pk}")
        expect(page.locator("#community-live[data-live='1']")).to_be_attached()  # subscribed over the socket
        page.evaluate("window.__noReload = 1")
        second = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
        second.set_default_timeout(60_000)
        try:
            other_page = second.new_page()
            _login(other_page, base, other.email, password)
            other_page.goto(f"{base}/komunitas/post/{post.pk}")
            other_page.fill("#comment-body", "Beli followers murah di sini")
            other_page.click("#comment-form button[type=submit]")
            expect(other_page.locator("#comment-list")).to_contain_text("Beli followers murah di sini")
            # before the 15-second polling fallback could fetch it, and without a reload of the author's page
            expect(page.locator("#comment-list")).to_contain_text("Beli followers murah di sini", timeout=8_000)
            expect(page.locator("article [data-comment-count]")).to_have_text("1")
            assert page.evaluate("window.__noReload") == 1
        finally:
            second.close()
        comment = Comment.objects.get(post=post, author=other)

        # the author reports the comment
        page.goto(f"{base}/komunitas/post/{post.pk}")
        page.locator(f"#comment-{comment.pk} form[action$='/laporkan'] button").click()
        page.wait_for_load_state()
        assert Report.objects.filter(comment=comment).exists()

        # a moderator removes the reported comment from the queue
        mod = browser.new_context(viewport={"width": 1366, "height": 900}, locale="id-ID")
        mod.set_default_timeout(60_000)
        mod_page = mod.new_page()
        _login(mod_page, base, admin.email, password)
        mod_page.goto(f"{base}/komunitas/moderasi")
        mod_page.click("#reports button[value=remove]")
        mod_page.wait_for_load_state()
        assert Comment.objects.get(pk=comment.pk).status == "removed"
        mod.close()
        page.goto(f"{base}/komunitas/post/{post.pk}")
        assert "Beli followers" not in page.inner_text("#comments")

        # the member registers for the event and sees its link
        page.goto(f"{base}/event/{event.slug}")
        assert page.locator("#meeting-link").count() == 0
        page.click("#register")
        page.wait_for_selector("#meeting-link")
        assert page.get_attribute("#meeting-link", "href") == "https://meet.example.com/kopi-123"
        assert page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)") <= 390
    finally:
        context.close()
