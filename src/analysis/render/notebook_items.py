"""What of an executed notebook reaches the report, read from what
:mod:`analysis.report.present` puts into its outputs: its markdown cells (in the order the
dialect's ``% rang:`` gives them), its display outputs (prose, figure, table, title page), and
for each figure or table the markdown cells right after it that
:mod:`analysis.report.dialect` reads as its caption (``Figur:``/``Tabel:``) or, for a figure,
its description (``Beskrivelse:``, its alt text). Code, parameter cells and stream output never
reach the report. The assembler (:mod:`analysis.render.assemble`) numbers what these give.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import nbformat

from analysis.report import dialect
from analysis.report.dialect import DESCRIPTION_LABEL, FIGURE_LABEL
from analysis.report.present import META_KEY
from analysis.render.errors import RenderError


def notebook_name(notebook: nbformat.NotebookNode, index: int) -> str:
    """A name for error messages: papermill's input path, else the position."""
    papermill = notebook.get("metadata", {}).get("papermill", {})
    return str(papermill.get("input_path") or papermill.get("output_path")
               or f"notebook {index + 1}")


def _text(value: str | Sequence[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


def _error_message(output: Mapping[str, Any], name: str) -> str:
    ename = output.get("ename") or "Error"
    evalue = str(output.get("evalue") or "").strip()
    return f"{name} failed: {ename}: {evalue}" if evalue else f"{name} failed: {ename}"


def _rank(cell: Mapping[str, Any]) -> float | None:
    if cell.get("cell_type") != "markdown":
        return None
    return cell.get("metadata", {}).get(META_KEY, {}).get(dialect.RANK_KEY)


def _left_out(cell: Mapping[str, Any]) -> bool:
    return cell.get("cell_type") == "markdown" and not _text(cell.get("source", "")).strip()


def ranked_cells(cells: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The cells in the order the dialect's ``% rang:`` gives them (see
    :func:`analysis.report.dialect.rank_order`)."""
    return dialect.rank_order(cells, _rank, _left_out)


def notebook_items(notebook: nbformat.NotebookNode,
                    name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(kind, payload)`` for every piece of a notebook that reaches the report."""
    for cell in ranked_cells(notebook.get("cells", [])):
        if cell.get("cell_type") == "markdown":
            text = _text(cell.get("source", "")).strip()
            if text and dialect.is_title_page(cell.get("metadata", {}).get("tags", [])):
                yield "titlepage", {"notice": text}
            elif text:
                yield "markdown", {"text": text}
            continue
        if cell.get("cell_type") != "code" or dialect.is_parameters(
                cell.get("metadata", {}).get("tags", [])):
            continue
        for output in cell.get("outputs", []):
            yield from _output_items(output, name)


def _output_items(output: Mapping[str, Any],
                  name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    kind = output.get("output_type")
    if kind == "error":
        raise RenderError(_error_message(output, name))
    if kind not in ("display_data", "execute_result"):
        return
    data = output.get("data", {})
    meta = output.get("metadata", {}).get(META_KEY)
    rapport_kind = meta.get("kind") if isinstance(meta, Mapping) else None
    if rapport_kind == "figure":
        if "image/svg+xml" not in data:
            raise RenderError(f"{name}: figure '{meta.get('id')}' has no SVG output")
        yield "figure", {**meta, "svg": _text(data["image/svg+xml"])}
    elif rapport_kind in ("table", "titlepage"):
        yield rapport_kind, dict(meta)
    elif "text/markdown" in data:
        yield "markdown", {"text": _text(data["text/markdown"]).strip()}


@dataclass
class _Pending:
    """A figure or table waiting for the caption and description cells that follow it."""

    kind: str
    payload: dict[str, Any]
    captioned: bool = False
    descriptions: list[dialect.Caption] = field(default_factory=list)

    def done(self, name: str) -> tuple[str, dict[str, Any]]:
        if self.kind == "figure":
            alt = " ".join(found.plain for found in self.descriptions if found.plain)
            if not alt:
                raise RenderError(
                    f"{name}: figure '{self.payload.get('id')}' has no description: every "
                    f"figure needs a markdown cell '{DESCRIPTION_LABEL}: …' next to its "
                    f"'{FIGURE_LABEL}:' cell, saying what it shows (its alt text)")
            self.payload["alt"] = alt
            self.payload["descriptions"] = [found.text for found in self.descriptions]
        return self.kind, self.payload


def with_captions(items: Iterator[tuple[str, dict[str, Any]]], name: str = "notebook"
                   ) -> Iterator[tuple[str, dict[str, Any]]]:
    """Attach to each figure or table the markdown cells right after it that describe it:
    its ``Figur: …``/``Tabel: …`` caption, and for a figure its ``Beskrivelse: …`` cells
    (before or after the caption), joined as its alt text. A caption's label, ``(fig-tid)=``,
    becomes the figure's ``target`` (its id in the report).

    Raises
    ------
    RenderError
        If a figure has no description, or a description follows no figure. A labelled
        caption that follows no figure or table (its cell drew nothing in this report) is
        left out.
    """
    pending: _Pending | None = None
    for kind, payload in items:
        if kind == "markdown":
            found = dialect.caption(payload["text"])
            if found is not None and found.kind == "description":
                if pending is None or pending.kind != "figure":
                    raise RenderError(
                        f"{name}: a '{DESCRIPTION_LABEL}:' cell must follow a figure (or its "
                        f"'{FIGURE_LABEL}:' cell): "
                        f"{' '.join(payload['text'].split())[:80]!r}")
                pending.descriptions.append(found)
                continue
            if (found is not None and pending is not None and found.kind == pending.kind
                    and not pending.captioned):
                pending.payload["caption"] = found.line
                pending.payload["target"] = found.target or ""
                pending.captioned = True
                continue
            if found is not None and found.target:
                # The cell before it drew no figure or table in this report (a municipal
                # table for a question the municipality did not answer): the labelled caption
                # goes with it. Where it stands is the dialect test's to check; a reference to
                # its label stops the render when the numbers are filled in.
                continue
        if pending is not None:
            yield pending.done(name)
            pending = None
        if kind in ("figure", "table"):
            pending = _Pending(kind, dict(payload))
        else:
            yield kind, payload
    if pending is not None:
        yield pending.done(name)
