"""Fixtures for the rendering tests: one assembled document, rendered once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from render_notebooks import LINKS, build_notebooks, svg_of_bars

from analysis.render import assemble, write_html, write_pdf, write_tables_xlsx


@pytest.fixture(scope="session")
def svg() -> str:
    return svg_of_bars()


@pytest.fixture(scope="session")
def notebooks(svg):
    return build_notebooks(svg)


@pytest.fixture(scope="session")
def document(notebooks):
    return assemble(notebooks)


@pytest.fixture(scope="session")
def rendered(document, tmp_path_factory) -> dict[str, Path]:
    """The three outputs of one render, written once for all tests."""
    out = tmp_path_factory.mktemp("national")
    return {"html": write_html(document, out / "rapport.html", links=LINKS),
            "pdf": write_pdf(document, out / "rapport.pdf"),
            "xlsx": write_tables_xlsx(document, out / "tabeller.xlsx"),
            "dir": out}
