"""Browser, two contexts over the real websocket (uvicorn with the project's ASGI app, see test_community_live): a
member's chat inbox shows the new message and its unread count without a reload, and once they are away from the
chat (offline for it) the next message rings their bell live. Both within 15 s, sooner than either page's polling
fallback (inbox 20 s, bell 60 s)."""

import pytest

from sanggar.chat import services as chat
from sanggar.core.roles import Role
from tests.browser.test_community_live import _login, asgi_server  # noqa: F401 (the ASGI server fixture)

LIVE_MS = 15_000


@pytest.mark.django_db(transaction=True)
def test_inbox_unread_and_bell_update_live(page, browser, asgi_server, make_user, password):  # noqa: F811
    admin = make_user(Role.ADMIN, email="admin-inbox@uji.test", full_name="Admin Sanggar")
    member = make_user(email="wulan-inbox@uji.test", full_name="Wulan Eksportir")
    conversation, _created = chat.conversation_open(user=admin, other=member)

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

        # away from the chat the member is offline for it: the next message becomes a notification on the bell
        page.goto(f"{asgi_server}/dashboard/")
        page.wait_for_timeout(2000)  # the chat socket has closed and the bell's socket is open
        assert page.inner_text("#bell-count").strip() == ""  # the first message came while they were online
        page.evaluate("window.__noReload = 1")
        other.fill("#chat-body", "Dokumen COO sudah saya kirim")
        other.click("#chat-send")
        other.wait_for_selector("#chat-messages >> text=Dokumen COO")
        page.wait_for_function("document.getElementById('bell-count').innerText.trim() === '1'", timeout=LIVE_MS)
        assert page.evaluate("window.__noReload") == 1
    finally:
        context.close()


@pytest.mark.django_db(transaction=True)
def test_conversation_header_presence_is_live_and_the_emoji_picker_inserts(
    page,
    browser,
    asgi_server,  # noqa: F811
    make_user,
    password,
):
    """Issue 14: the header's Online / "Terakhir dilihat" follows the other person's sockets without a reload (they
    open the chat in another browser, then close it), and the composer's emoji picker writes at the caret."""
    admin = make_user(Role.ADMIN, email="admin-presence@uji.test", full_name="Admin Sanggar")
    member = make_user(email="wulan-presence@uji.test", full_name="Wulan Eksportir")
    conversation, _created = chat.conversation_open(user=admin, other=member)
    chat.message_send(user=admin, conversation_id=conversation.pk, body="Selamat datang")

    _login(page, asgi_server, member.email, password)
    page.goto(f"{asgi_server}/chat/{conversation.pk}")
    page.wait_for_selector("#chat-presence[data-online='0']", state="attached")
    page.evaluate("window.__noReload = 1")

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    context.set_default_timeout(10_000)
    other = context.new_page()
    try:
        _login(other, asgi_server, admin.email, password)
        other.goto(f"{asgi_server}/chat")
        page.wait_for_selector("#chat-presence[data-online='1']", state="attached", timeout=LIVE_MS)
        assert page.inner_text("#chat-presence").strip() == "Online"
    finally:
        context.close()
    page.wait_for_selector("#chat-presence[data-online='0']", state="attached", timeout=LIVE_MS)
    assert page.inner_text("#chat-presence").startswith("Terakhir dilihat")
    assert page.evaluate("window.__noReload") == 1

    page.fill("#chat-body", "Siap berangkat ")
    page.click("#chat-form [data-emoji-picker] summary")
    page.click("#chat-form [data-emoji='🚢']")
    assert page.input_value("#chat-body") == "Siap berangkat 🚢"
    page.click("#chat-send")
    page.wait_for_selector("#chat-messages >> text=Siap berangkat 🚢")
