"""Real peers on loopback for the notification tests: an SMTP server and HTTP servers."""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list
    data: bytes


@pytest.fixture
def smtp_server(settings):
    """An aiosmtpd server on loopback; Django's SMTP backend points at it."""
    from aiosmtpd.controller import Controller

    received: list[ReceivedMail] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(
                ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
            )
            return "250 Message accepted for delivery"

    port = _free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield received
    finally:
        controller.stop()


@dataclass
class Request:
    method: str
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body.decode("utf-8"))


@dataclass
class FakeHttp:
    """A loopback HTTP server that records requests and answers from `replies` (a callable
    taking the Request and returning (status, body dict or str))."""

    url: str
    requests: list = field(default_factory=list)
    reply: object = None


@pytest.fixture
def http_server():
    state = FakeHttp(url="")
    state.reply = lambda request: (200, {"ok": True})

    class Handler(BaseHTTPRequestHandler):
        def _handle(self):
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(
                self.command, self.path, dict(self.headers.items()), self.rfile.read(length)
            )
            state.requests.append(request)
            status, body = state.reply(request)
            data = (
                body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
            ).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _handle

        def log_message(self, format, *args):  # keep test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
