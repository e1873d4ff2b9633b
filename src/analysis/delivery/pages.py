"""Pages around the reports, in Danish: the download page of ``outputs/`` and the page that
opens a sealed municipal report. Their wording is in ``delivery/templates/``."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"
SEALED_PAGE = TEMPLATES / "forseglet.html"


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


@dataclass(frozen=True)
class DownloadRow:
    """One report on the download page: its links are (``html``/``pdf``/``xlsx``, href)."""

    national: bool
    name: str
    links: tuple[tuple[str, str], ...]
    status: str               # rendered, skipped or failed
    error: str = ""


def download_page(rows: list[DownloadRow], *, confidential: bool) -> str:
    """The ``outputs/index.html`` page: the public reports, and whether others are sealed."""
    page = _environment().get_template("download.html").render(rows=rows,
                                                               confidential=confidential)
    return page.rstrip("\n") + "\n"
