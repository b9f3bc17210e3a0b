"""Browser: two people chat and the message appears in the other's open conversation without a reload (the socket,
or the page's polling fallback when the socket is down); a member posts in a group with the rich-text composer and
another member comments on it."""

import pytest

from sanggar.chat import services as chat
from sanggar.community import services as community
from sanggar.core.roles import Role


def _second_page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.mark.django_db(transaction=True)
def test_two_browsers_chat_live(page, browser, live_server, make_user, login):
    admin = make_user(Role.ADMIN, email="admin-chat@uji.test", full_name="Admin Sanggar")
    member = make_user(email="dinda-chat@uji.test", full_name="Dinda Eksportir")
    conversation, _created = chat.conversation_open(user=admin, other=member)
    chat.message_send(user=admin, conversation_id=conversation.pk, body="Halo Dinda, ada yang bisa dibantu?")

    login(page, admin.email)
    page.goto(f"{live_server.url}/chat/{conversation.pk}")
    context, other = _second_page(browser)
    try:
        login(other, member.email)
        other.goto(f"{live_server.url}/chat/{conversation.pk}")
        assert "Halo Dinda" in other.inner_text("#chat-messages")

        page.fill("#chat-body", "Jadwal kirim sampel ke Rotterdam minggu depan ya.")
        page.click("#chat-send")
        page.wait_for_selector("#chat-messages >> text=Rotterdam")
        # the other browser gets it without reloading (socket, or polling every 10 s when the socket is down)
        other.wait_for_selector("#chat-messages >> text=Rotterdam", timeout=25_000)
        assert other.url.endswith(f"/chat/{conversation.pk}")
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_member_posts_in_group_and_another_comments(page, browser, live_server, make_user, login):
    admin = make_user(Role.ADMIN, email="admin-grup@uji.test", full_name="Admin Grup")
    mentor = make_user(Role.MENTOR, email="mentor-grup@uji.test", full_name="Mentor Budi")
    member = make_user(email="riko-grup@uji.test", full_name="Riko Member")
    group = community.group_create(actor=admin, data={"name": "UKM Ekspor Jepara", "visibility": "public"})
    community.group_join(user=mentor, group=group)
    community.group_join(user=member, group=group)

    login(page, mentor.email)
    page.goto(f"{live_server.url}/komunitas/grup/{group.slug}")
    page.click("#rt-editor")
    page.keyboard.type("Tips packing mebel untuk kontainer 20 kaki")
    page.click("#composer button[type=submit]")
    page.wait_for_selector("article >> text=Tips packing mebel")

    context, other = _second_page(browser)
    try:
        login(other, member.email)
        other.goto(f"{live_server.url}/komunitas")
        other.wait_for_selector("article >> text=Tips packing mebel")
        other.click("article a:has-text('komentar')")
        other.fill("textarea[name=body]", "Terima kasih, sangat membantu!")
        other.click("form[action$='/komentar'] button[type=submit]")
        other.wait_for_selector("text=Terima kasih, sangat membantu!")
    finally:
        context.close()
    page.goto(f"{live_server.url}/komunitas")
    page.wait_for_selector("article >> text=Tips packing mebel")
