"""A local SMTP server for tests (loopback, a thread): it accepts every recipient except those in `refuse`, which get
`550`, and keeps the accepted messages. Enough of RFC 5321 for Python's smtplib (EHLO, MAIL, RCPT, DATA, RSET, QUIT)."""

import socketserver
import threading


class SmtpSink:
    def __init__(self, refuse=()):
        self.refuse = {a.lower() for a in refuse}
        self.messages: list[tuple[list[str], bytes]] = []
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str):
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self):
                self.reply("220 sink ESMTP")
                rcpts = []
                while line := self.rfile.readline():
                    cmd = line.decode("utf-8", "replace").strip()
                    verb = cmd[:4].upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 sink")
                    elif verb == "MAIL":
                        rcpts = []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        address = cmd.split(":", 1)[1].strip().strip("<>").lower()
                        if address in sink.refuse:
                            self.reply("550 5.1.1 mailbox unavailable")
                        else:
                            rcpts.append(address)
                            self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 go ahead")
                        data = b""
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data += chunk
                        sink.messages.append((rcpts, data))
                        self.reply("250 queued")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("250 OK")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
