"""Browser, two contexts over the real websocket (uvicorn with the project's ASGI app, see test_community_live): a
member's chat inbox shows the new message and its unread count without a reload, within 15 s (sooner than the
inbox's 20-second polling fallback)."""

import pytest

from sanggar.chat import services as chat
from sanggar.core.roles import Role
from tests.browser.test_community_live import _login, asgi_server  # noqa: F401 (the ASGI server fixture)

LIVE_MS = 15_000


@pytest.mark.django_db(transaction=True)
def test_inbox_unread_updates_live(page, browser, asgi_server, make_user, password):  # noqa: F811
    admin = make_user(Role.ADMIN, email="admin-inbox@uji.test", full_name="Admin Sanggar")
    member = make_user(email="wulan-inbox@uji.test", full_name="Wulan Eksportir")
    conversation, _created = chat.conversation_open(user=admin, other=member)
    chat.message_send(user=admin, conversation_id=conversation.pk, body="Selamat datang, Wulan!")
    chat.conversation_mark_read(user=member, conversation_id=conversation.pk)

    _login(page, asgi_server, member.email, password)
    page.goto(f"{asgi_server}/chat")
    page.wait_for_selector("#chat-inbox-live[data-live='1']", state="attached")
    assert page.query_selector("#chat-inbox [data-unread]") is None
    page.evaluate("window.__noReload = 1")

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    context.set_default_timeout(10_000)
    other = context.new_page()
    try:
        _login(other, asgi_server, admin.email, password)
        other.goto(f"{asgi_server}/chat/{conversation.pk}")
        other.fill("#chat-body", "Kontainer berangkat Senin pagi")
        other.click("#chat-send")
        other.wait_for_selector("#chat-messages >> text=Kontainer berangkat")

        page.wait_for_selector("#chat-inbox [data-unread='1']", timeout=LIVE_MS)
        assert "Kontainer berangkat" in page.inner_text("#chat-inbox")
        assert page.evaluate("window.__noReload") == 1  # the same page: no reload
    finally:
        context.close()
