"""The preview's parts without a kernel: what counts as a change, the page it serves, and its
server (loopback only, its own host name only, the render's token as events)."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import re
import threading
from pathlib import Path

import pytest

from analysis.preview.page import BANNER, CONTENT_SECURITY_POLICY, Problem, compose
from analysis.preview.server import PreviewServer
from analysis.preview.state import Board, Shown
from analysis.preview.watch import Watcher
from analysis.render.execute.errors import InlineExpressionError, failed

REPORT = ('<!DOCTYPE html>\n<html lang="da"><head><title>Kommunerne på banen</title></head>'
          '<body class="x">\n<main><p>Første afsnit.</p></main>\n</body>\n</html>\n').encode()


def _touch(path: Path, text: str, stamp: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))


def test_the_watcher_sees_saved_notebooks_data_and_templates_but_not_hidden_files(tmp_path):
    notebooks, data, templates = tmp_path / "nb", tmp_path / "data", tmp_path / "tpl"
    _touch(notebooks / "01_a.ipynb", "{}", 10**18)
    _touch(data / "survey" / "besvarelser.csv", "a\n", 10**18)
    _touch(templates / "report.css", "p{}", 10**18)
    watcher = Watcher(notebooks, data, templates)
    assert not watcher.poll()

    _touch(notebooks / "01_a.ipynb", "{} ", 10**18 + 1)
    _touch(notebooks / ".ipynb_checkpoints" / "01_a-checkpoint.ipynb", "{}", 10**18)
    _touch(notebooks / "notes.txt", "x", 10**18)
    changes = watcher.poll()
    assert changes.notebooks == {notebooks / "01_a.ipynb"} and not changes.data
    assert not changes.templates

    _touch(data / "survey" / ".besvarelser.csv.swp", "x", 10**18)
    _touch(data / "survey" / "besvarelser.csv~", "x", 10**18)
    assert not watcher.poll()
    _touch(data / "survey" / "besvarelser.csv", "a\n", 10**18 + 5)     # same size, newer
    assert watcher.poll().data
    (templates / "report.css").unlink()
    changes = watcher.poll()
    assert changes.templates and changes.describe() == "templates"
    assert not watcher.poll()


def test_the_page_is_the_report_with_banner_and_reload_script():
    page = compose(REPORT, "t-1", status="Køge · gengivet kl. 12:00:00").decode("utf-8")
    assert page.index('<body class="x">') < page.index(BANNER) < page.index("Første afsnit")
    assert page.index("Første afsnit") < page.index('<script data-token="t-1">') \
        < page.index("</body>")
    assert "<title>Forhåndsvisning: Kommunerne på banen</title>" in page
    assert "forhaandsvisning-fejl" not in page
    # the policy allows exactly the script in the page, by its hash, and no other host
    script = re.search(r"<script[^>]*>(.*?)</script>", page, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in CONTENT_SECURITY_POLICY
    assert "connect-src 'self'" in CONTENT_SECURITY_POLICY
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY


def test_a_failed_inline_expression_shows_where_and_what_escaped():
    # the message as the executor makes it (analysis.render.execute.errors.failed)
    err = failed(Path("02_potentialer.ipynb"),
                 InlineExpressionError(5, "r.findes_ikke", "AttributeError: <ingen>"))
    problem = Problem.of_notebook(err.notebook, 5, "Den offentlige <b>sektor</b>", err.error)
    assert (problem.expression, problem.message) == ("r.findes_ikke", "AttributeError: <ingen>")
    assert problem.line() == ("02_potentialer.ipynb, cell 5: {eval}`r.findes_ikke`: "
                              "AttributeError: <ingen>")
    page = compose(REPORT, "t-2", status="fejlede", problems=[problem],
                   note="Siden herunder er den seneste gode gengivelse.").decode("utf-8")
    panel = page[page.index('id="forhaandsvisning-fejl"'):page.index("Første afsnit")]
    for shown in ("02_potentialer.ipynb, celle 5", "{eval}`r.findes_ikke`",
                  "AttributeError: &lt;ingen&gt;", "Den offentlige &lt;b&gt;sektor&lt;/b&gt;",
                  "seneste gode gengivelse"):
        assert shown in panel
    assert "<ingen>" not in page and "<b>sektor" not in page


def test_without_a_good_render_the_page_is_the_banner_and_the_errors():
    page = compose(None, "t-3", status="Køge", problems=[Problem(None, None, "RenderError: x")],
                   note="Der er endnu ingen god gengivelse at vise.").decode("utf-8")
    assert BANNER in page and "RenderError: x" in page and 'data-token="t-3"' in page


@pytest.fixture
def served():
    board = Board(Shown("one", b"<html><body>en</body></html>", status={"ok": True}))
    server = PreviewServer(0, board)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.close()


def _get(server: PreviewServer, path: str, host: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", path, headers={"Host": host or f"127.0.0.1:{server.port}"})
    return connection, connection.getresponse()


def test_the_server_listens_on_loopback_and_answers_its_own_names_only(served):
    assert served.socket.getsockname()[0] == "127.0.0.1"
    assert served.url == f"http://127.0.0.1:{served.port}/"
    _, answer = _get(served, "/")
    assert answer.status == 200 and answer.read() == b"<html><body>en</body></html>"
    assert answer.getheader("Content-Security-Policy") == CONTENT_SECURITY_POLICY
    assert answer.getheader("Cache-Control") == "no-store"
    _, answer = _get(served, "/", host=f"localhost:{served.port}")
    assert answer.status == 200
    # a page of another site, resolving its own name to 127.0.0.1, gets nothing
    _, answer = _get(served, "/", host=f"rebinding.example:{served.port}")
    assert answer.status == 403 and b"en" not in answer.read().split(b"\n")[-1]
    _, answer = _get(served, "/status")
    assert json.loads(answer.read()) == {"token": "one", "ok": True}
    _, answer = _get(served, "/rapport.pdf")
    assert answer.status == 404


def test_the_events_give_the_current_token_and_each_new_one(served):
    connection, answer = _get(served, "/events")
    assert answer.getheader("Content-Type").startswith("text/event-stream")

    def event() -> str:
        while True:
            line = answer.fp.readline().decode().strip()
            if line.startswith("data: "):
                return line.removeprefix("data: ")

    assert event() == "one"
    served.board.show(Shown("two", b"<html><body>to</body></html>"))
    assert event() == "two"
    connection.close()
