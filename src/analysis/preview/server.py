"""The preview's web server: the page at ``/``, its PDF at ``/rapport.pdf``, the render's
token as Server-Sent Events at ``/events`` and the last render's state at ``/status``.

It listens on the loopback address only, and answers only requests that name it by that
address or ``localhost`` (a page of another site that had a browser send requests here under
its own host name gets nothing): a municipal preview holds the municipality's own answers.
"""

from __future__ import annotations

import json
import socketserver
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from analysis.preview.page import CONTENT_SECURITY_POLICY
from analysis.preview.state import Board

HOST = "127.0.0.1"
# How often an idle event stream gets a comment line, so a closed page's stream ends.
HEARTBEAT = 15.0
# How soon a page whose event stream broke (the preview was restarted) tries again, in ms.
RETRY_MS = 500


class PreviewServer(ThreadingHTTPServer):
    """Serves the :class:`Board` on ``127.0.0.1:port`` (port 0: a free one)."""

    daemon_threads = True

    def __init__(self, port: int, board: Board):
        self.board = board
        super().__init__((HOST, port), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind also looks the host's name up, which may ask a DNS server
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = HOST, self.server_address[1]

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def close(self) -> None:
        """End the event streams, stop serving and close the socket (after serve_forever
        has been started in a thread)."""
        self.board.close()
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "rapport-preview"
    sys_version = ""

    def log_message(self, format, *args) -> None:   # the terminal shows the renders only
        pass

    def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _text(self, status: int, text: str) -> None:
        self._send(status, text.encode("utf-8"), "text/plain; charset=utf-8")

    def _known_host(self) -> bool:
        port = self.server.port
        return self.headers.get("Host", "") in {f"{HOST}:{port}", f"localhost:{port}"}

    def do_GET(self) -> None:
        if not self._known_host():
            self._text(HTTPStatus.FORBIDDEN, "Forhåndsvisningen svarer kun på "
                                             f"{self.server.url}\n")
            return
        path = urlsplit(self.path).path
        shown = self.server.board.current()
        if path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, shown.page, "text/html; charset=utf-8",
                       Content_Security_Policy=CONTENT_SECURITY_POLICY,
                       X_Frame_Options="DENY")
        elif path == "/events":
            self._events()
        elif path == "/status":
            self._send(HTTPStatus.OK, json.dumps({"token": shown.token, **shown.status},
                                                 ensure_ascii=False).encode("utf-8"),
                       "application/json; charset=utf-8")
        elif path == "/rapport.pdf" and shown.pdf is not None and shown.pdf.is_file():
            self._send(HTTPStatus.OK, shown.pdf.read_bytes(), "application/pdf",
                       Content_Disposition='inline; filename="rapport.pdf"')
        elif path == "/rapport.pdf":
            self._text(HTTPStatus.NOT_FOUND, "Ingen PDF: start forhåndsvisningen med --pdf, "
                                             "eller vent til den første er skrevet.\n")
        else:
            self._text(HTTPStatus.NOT_FOUND, "Ikke fundet.\n")

    def _events(self) -> None:
        """The current token at once and each new one as it comes (Server-Sent Events), until
        the page goes away or the preview stops."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        token = None
        try:
            self.wfile.write(f"retry: {RETRY_MS}\n\n".encode())
            while True:
                shown = self.server.board.wait_past(token, HEARTBEAT)
                if shown is None:
                    return
                if shown.token != token:
                    token = shown.token
                    self.wfile.write(f"data: {token}\n\n".encode())
                else:
                    self.wfile.write(b": \n\n")
                self.wfile.flush()
        except OSError:          # the page was closed or reloaded
            return
