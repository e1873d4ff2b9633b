"""The preview page: the rendered report, marked as a preview, with the errors of the last
render above it and a small script that reloads it when a new render is ready.

The script asks the server that sent the page (``/events``, Server-Sent Events) for the
current render's token and reloads when it is not the page's own; it keeps the reader's place
on the page across the reload. The page's Content-Security-Policy allows that one script
(by its hash), the report's own styles and ``data:`` images and connections to the page's own
origin only, so the preview makes no request to any other host.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

BANNER = "Forhåndsvisning – ikke til udsendelse"
TITLE_PREFIX = "Forhåndsvisning: "

RELOAD_SCRIPT = """(function () {
  var own = document.currentScript.getAttribute("data-token"), key = "rapport-preview-y";
  var y = sessionStorage.getItem(key);
  if ("scrollRestoration" in history) history.scrollRestoration = "manual";
  if (y !== null) {
    sessionStorage.removeItem(key);
    addEventListener("load", function () { scrollTo(0, +y); });
  }
  var events = new EventSource("/events");
  events.onmessage = function (e) {
    if (e.data === own) return;
    events.close();
    sessionStorage.setItem(key, String(scrollY));
    location.reload();
  };
})();"""

_HASH = base64.b64encode(hashlib.sha256(RELOAD_SCRIPT.encode("utf-8")).digest()).decode()
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
    f"script-src 'sha256-{_HASH}'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'")

_BANNER_STYLE = ("margin:0;padding:.6em 1em;background:#8a1c1c;color:#fff;font:600 1rem/1.4 "
                 "system-ui,sans-serif;text-align:center")
_NOTE_STYLE = "display:block;font-weight:400;font-size:.85rem;opacity:.9"
_PANEL_STYLE = ("margin:1em auto;max-width:60em;padding:1em 1.25em;border:3px solid #b3261e;"
                "background:#fdf1f0;color:#1d1b1a;font:1rem/1.45 system-ui,sans-serif")
_CODE_STYLE = ("white-space:pre-wrap;background:#fff;border:1px solid #e3c3c0;padding:.5em;"
               "font-size:.9rem;max-height:12em;overflow:auto")

_INLINE = re.compile(r"inline expression \{eval\}`(?P<expression>.*?)` failed: (?P<message>.*)",
                     re.DOTALL)


@dataclass(frozen=True)
class Problem:
    """Why a render gave no page: where (notebook, cell counted from 1 as in the notebook,
    inline expression, when known), the message, and the opening of the cell's source."""

    notebook: str | None
    cell: int | None
    message: str
    expression: str | None = None
    excerpt: str | None = None

    @classmethod
    def of_notebook(cls, notebook: str, cell: int | None, excerpt: str | None,
                    error: str) -> "Problem":
        """From a failed notebook's error, with an inline expression's text taken apart."""
        match = _INLINE.fullmatch(error.strip())
        if match:
            return cls(notebook, cell, match["message"], match["expression"], excerpt)
        return cls(notebook, cell, error, None, excerpt)

    def line(self) -> str:
        """One line for the terminal."""
        where = ", ".join(x for x in (self.notebook, None if self.cell is None
                                      else f"cell {self.cell}") if x)
        what = (f"{{eval}}`{self.expression}`: " if self.expression else "") + self.message
        return " ".join(f"{where + ': ' if where else ''}{what}".split())


def _panel(problems: Sequence[Problem], note: str) -> str:
    rows = []
    for p in problems:
        items = []
        if p.notebook:
            where = html.escape(p.notebook) + ("" if p.cell is None else f", celle {p.cell}")
            items.append(f"<dt>Notesbog (notebook)</dt><dd>{where}</dd>")
        if p.expression:
            items.append(f"<dt>Udtryk (expression)</dt><dd><code>{{eval}}`"
                         f"{html.escape(p.expression)}`</code></dd>")
        items.append(f"<dt>Fejl (error)</dt><dd>{html.escape(p.message)}</dd>")
        if p.excerpt:
            items.append(f'<dt>Cellen begynder (the cell begins)</dt><dd><pre style="'
                         f'{_CODE_STYLE}">{html.escape(p.excerpt)}</pre></dd>')
        rows.append(f"<dl>{''.join(items)}</dl>")
    return (f'<section id="forhaandsvisning-fejl" role="alert" style="{_PANEL_STYLE}">'
            f"<p><strong>Gengivelsen fejlede (the render failed).</strong> "
            f"{html.escape(note)}</p>{''.join(rows)}</section>")


def _marks(token: str, status: str, problems: Sequence[Problem], note: str) -> tuple[str, str]:
    """What goes at the top of the body, and the script at its end."""
    top = (f'<div id="forhaandsvisning" role="status" style="{_BANNER_STYLE}">'
           f'{html.escape(BANNER)}<span style="{_NOTE_STYLE}">{html.escape(status)}</span></div>')
    if problems:
        top += _panel(problems, note)
    script = (f'<script data-token="{html.escape(token, quote=True)}">{RELOAD_SCRIPT}'
              "</script>")
    return top, script


_BODY = re.compile(rb"<body[^>]*>")
_TITLE = re.compile(rb"<title>")


def compose(report: bytes | None, token: str, *, status: str,
            problems: Sequence[Problem] = (), note: str = "") -> bytes:
    """The page served at ``/``: ``report`` (the report's HTML page, or None when there is no
    good render yet) with the preview banner showing ``status``, the ``problems`` of the last
    render (with ``note`` on what is shown below them) and the reload script for ``token``."""
    top, script = _marks(token, status, problems, note)
    if report is None:
        return ('<!DOCTYPE html>\n<html lang="da"><head><meta charset="utf-8">'
                f"<title>{html.escape(TITLE_PREFIX + status)}</title></head><body>{top}"
                f"{script}</body></html>\n").encode("utf-8")
    body = _BODY.search(report)
    end = report.rfind(b"</body>")
    if body is None or end < body.end():
        raise ValueError("the report's HTML page has no <body>")
    page = (report[:body.end()] + top.encode("utf-8") + report[body.end():end]
            + script.encode("utf-8") + report[end:])
    return _TITLE.sub(b"<title>" + TITLE_PREFIX.encode("utf-8"), page, count=1)
