"""A sticker message over the chat websocket: sent as a frame with `sticker`, received live by the other side with
the sticker object {id, name, url}; a bad sticker id is a `chat.error` with an Indonesian reason."""

import pytest
from asgiref.sync import sync_to_async as database_sync_to_async

from sanggar.chat import services, stickers
from sanggar.chat.models import Message

from .test_consumer import _connect, _token, frames_but_presence, sync

pytestmark = pytest.mark.django_db(transaction=True)  # messages are published after commit


@sync
async def test_sticker_message_goes_live_to_both_sides(mentor, student):
    pack = await database_sync_to_async(stickers.builtin_ensure)()
    closing = await database_sync_to_async(pack.stickers.get)(name="Closing!")
    conversation, _ = await database_sync_to_async(services.conversation_open)(user=mentor, other=student)
    web, ok, _ = await _connect(user=mentor)
    assert ok
    app_client, ok, _ = await _connect(header=await database_sync_to_async(_token)(student))
    assert ok
    await app_client.send_json_to(
        {"type": "message.send", "conversation": conversation.pk, "body": "", "client_id": "s1", "sticker": closing.pk}
    )
    frames = await frames_but_presence(app_client, 2)
    assert {f["type"] for f in frames} == {"chat.ack", "chat.message"}
    # the app coming online reached the web (live presence), and so did the message, in either order
    presence, received = sorted(
        [await web.receive_json_from(), await web.receive_json_from()], key=lambda f: f["type"] != "chat.presence"
    )
    assert presence["type"] == "chat.presence" and presence["user"] == student.pk and presence["online"] is True
    assert received["type"] == "chat.message"
    assert received["message"]["sticker"] == {"id": closing.pk, "name": "Closing!", "url": closing.url}
    assert received["message"]["body"] == ""
    await app_client.send_json_to(
        {"type": "message.send", "conversation": conversation.pk, "body": "", "sticker": "x" * 5000}
    )
    err = await app_client.receive_json_from()
    assert err["type"] == "chat.error" and "Stiker" in err["message"]
    assert await database_sync_to_async(Message.objects.count)() == 1
    await web.disconnect()
    await app_client.disconnect()
