"""Browser: the author sees a comment and a reaction on their post appear live, over the websocket (no reload, and
sooner than the 15-second polling fallback would). The pages are served by uvicorn with the project's ASGI application
(pytest-django's live server speaks WSGI only, so it has no websocket)."""

import socket
import threading
import time

import pytest
import uvicorn
from channels.routing import ProtocolTypeRouter
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.asgi import get_asgi_application

from sanggar.community import services as community
from sanggar.core.roles import Role


@pytest.fixture
def asgi_server(transactional_db, settings):
    from config.asgi import application

    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    app = ProtocolTypeRouter(
        {
            "http": ASGIStaticFilesHandler(get_asgi_application()),
            "websocket": application.application_mapping["websocket"],
        }
    )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://localhost:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _login(page, base, email, password):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("#auth-card button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")


@pytest.mark.django_db(transaction=True)
def test_author_sees_comment_and_reaction_live(page, browser, asgi_server, make_user, password):
    admin = make_user(Role.ADMIN, email="admin-live@uji.test", full_name="Admin Live")
    mentor = make_user(Role.MENTOR, email="mentor-live@uji.test", full_name="Mentor Sari")
    member = make_user(email="tono-live@uji.test", full_name="Tono Member")
    group = community.group_create(actor=admin, data={"name": "Eksportir Rempah", "visibility": "public"})
    community.group_join(user=mentor, group=group)
    community.group_join(user=member, group=group)

    _login(page, asgi_server, mentor.email, password)
    page.goto(f"{asgi_server}/komunitas/grup/{group.slug}")
    page.click("#rt-editor")
    page.keyboard.type("Harga lada putih minggu ini naik")
    page.click("#composer button[type=submit]")
    page.wait_for_selector("article >> text=Harga lada putih")
    page.click("article header a[href^='/komunitas/post/']")
    page.wait_for_selector("#comment-list")
    page.wait_for_selector("#community-live[data-live='1']", state="attached")  # subscribed over the socket
    page.evaluate("window.__noReload = 1")

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    context.set_default_timeout(10_000)
    other = context.new_page()
    try:
        _login(other, asgi_server, member.email, password)
        other.goto(page.url)
        other.fill("#comment-body", "Stok di Bangka juga menipis")
        other.click("#comment-form button[type=submit]")
        other.wait_for_selector("text=Stok di Bangka juga menipis")
        # the author's open page shows it within a few seconds, before any 15-second poll, without a reload
        page.wait_for_selector("#comment-list >> text=Stok di Bangka juga menipis", timeout=8_000)
        assert page.inner_text("article [data-comment-count]") == "1"
        other.click("article button[title='Suka']")
        page.wait_for_function(
            "document.querySelector(\"article [data-reaction-count='like']\").textContent.trim() === '1'",
            timeout=8_000,
        )
        assert page.evaluate("window.__noReload") == 1
    finally:
        context.close()
