"""A tiny SMTP server on loopback that accepts and counts every message (the broadcast bench's mail sink): asyncio,
in a thread of the bench process, on a free port. Enough of RFC 5321 for Django's SMTP backend: EHLO/HELO, MAIL,
RCPT, DATA (dot-stuffed, ends at <CRLF>.<CRLF>), RSET, NOOP, QUIT."""

import asyncio
import threading


class SmtpSink:
    def __init__(self, host: str = "127.0.0.1"):
        self.host = host
        self.port = 0
        self.received = 0  # messages accepted
        self.recipients: set[str] = set()
        self.bytes = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        def reply(line: str) -> None:
            writer.write(line.encode() + b"\r\n")

        reply("220 sink ESMTP")
        rcpt: list[str] = []
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                command = line.decode("latin-1").strip()
                verb = command[:4].upper()
                if verb == "EHLO":
                    reply("250-sink")
                    reply("250 8BITMIME")
                elif verb == "HELO":
                    reply("250 sink")
                elif verb == "MAIL":
                    rcpt = []
                    reply("250 OK")
                elif verb == "RCPT":
                    rcpt.append(command.partition(":")[2].strip().strip("<>").lower())
                    reply("250 OK")
                elif verb == "DATA":
                    reply("354 End data with <CR><LF>.<CR><LF>")
                    await writer.drain()
                    size = 0
                    while True:
                        chunk = await reader.readline()
                        if not chunk or chunk in (b".\r\n", b".\n"):
                            break
                        size += len(chunk)
                    self.received += 1
                    self.bytes += size
                    self.recipients.update(rcpt)
                    reply("250 OK queued")
                elif verb == "RSET":
                    rcpt = []
                    reply("250 OK")
                elif verb == "NOOP":
                    reply("250 OK")
                elif verb == "QUIT":
                    reply("221 Bye")
                    await writer.drain()
                    break
                else:
                    reply("502 Command not implemented")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._server = self._loop.run_until_complete(asyncio.start_server(self._session, self.host, 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        self._server.close()
        self._loop.run_until_complete(self._server.wait_closed())
        self._loop.close()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="smtp-sink", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the SMTP sink did not start")

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
