"""Helpers of the Quarto engine's tests: whether Quarto is here, and the text of a report page.

Quarto found on PATH: the tests run. Not found: in CI (``CI=true``) they FAIL, because CI
installs Quarto before the tests (see ``.ci/run``); on a developer's machine they are skipped
with a message saying how to install it.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest

INSTALL = ("install Quarto (1.7 or later) from quarto.org and put 'quarto' on PATH to run the "
           "Quarto engine's tests")


def require_quarto() -> str:
    """The path of ``quarto``; fails in CI and skips elsewhere when it is not installed."""
    found = shutil.which("quarto")
    if found:
        return found
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("Quarto is not installed, and CI must run the Quarto engine's tests: "
                    ".ci/run installs it before 'make test' and puts it on PATH; "
                    f"here 'quarto' is not on PATH. To fix: {INSTALL}.", pytrace=False)
    pytest.skip(f"Quarto is not installed: {INSTALL}.")


# --- what a reader sees in a report's HTML, to compare the two engines ----------------------

@dataclass(frozen=True)
class ReportText:
    """The visible words of a report page, in reading order, and its figures and tables."""

    words: tuple[str, ...]
    figures: tuple[tuple[str, str], ...]          # (caption, alt text of the image)
    tables: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]   # (caption, rows of cells)

    @property
    def numbers(self) -> tuple[str, ...]:
        return tuple(n for word in self.words for n in NUMBER.findall(word))


NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _squash(text: str) -> str:
    # soft hyphens are break points (templates/hyphenation.txt), not text
    return " ".join(text.replace("\u00a0", " ").replace("\u00ad", "").split())


def report_text(path: Path) -> ReportText:
    """Read a rendered ``rapport.html`` as a reader sees it (scripts and styles left out)."""
    root = lxml.html.fromstring(Path(path).read_bytes())
    for element in root.xpath("//script | //style | //template"):
        element.drop_tree()
    body = root.find("body")
    words = tuple(_squash(body.text_content()).split())
    figures = []
    for figure in body.xpath("//figure[.//img]"):
        caption = _squash(" ".join(c.text_content() for c in figure.xpath(".//figcaption")))
        alts = [img.get("alt", "") for img in figure.xpath(".//img")]
        figures.append((caption, " ".join(alts)))
    tables = []
    for table in body.xpath("//table"):
        caption = table.xpath("./caption") or table.xpath(
            "ancestor::figure[1]/figcaption")
        rows = tuple(tuple(_squash(cell.text_content()) for cell in row.xpath("./th | ./td"))
                     for row in table.xpath(".//tr"))
        tables.append((_squash(caption[0].text_content()) if caption else "", rows))
    return ReportText(words, tuple(figures), tuple(tables))


def first_differences(a: Sequence[str], b: Sequence[str], limit: int = 5) -> list[str]:
    """Where two word sequences differ, as short readable lines (for assertion messages)."""
    lines = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            lines.append(f"{op} at word {i1}: default {' '.join(a[i1:i2])[:150]!r} / "
                         f"quarto {' '.join(b[j1:j2])[:150]!r}")
        if len(lines) == limit:
            break
    return lines


def assert_same_report_text(default: Path, quarto: Path) -> None:
    """The two engines' pages say the same, word for word, every number included, and show
    the same figures (caption, alt text) and tables (caption, every cell)."""
    a, b = report_text(default), report_text(quarto)
    assert a.figures and a.tables, "the default engine's page shows no figure or table"
    assert a.numbers == b.numbers, first_differences(a.numbers, b.numbers)
    assert a.words == b.words, first_differences(a.words, b.words)
    assert a.figures == b.figures
    assert all(caption and alt for caption, alt in b.figures), b.figures
    assert a.tables == b.tables
