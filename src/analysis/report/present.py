"""What a notebook shows: prose, figures, tables, quotes and the title page.

Every object here is displayed in a notebook cell. In JupyterLab it renders as usual (markdown,
SVG, HTML table); its display metadata under the key ``rapport`` carries what the assembler
needs to build the report (kind, caption, source, the table's cells). A figure's description
(its alt text) is the notebook's ``Beskrivelse:`` cell next to it. The assembler
reads only executed notebooks, so this module is the whole contract between notebooks and
rendering.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported only where a frame is converted
    import pandas as pd

META_KEY = "rapport"


def _md_escape_cell(value: str) -> str:
    """A table cell as pandoc markdown that prints as typed (data is text, never markup)."""
    from analysis.report.inline import escape

    return escape(str(value))


@dataclass(frozen=True)
class Prose:
    """Danish text (pandoc markdown) computed from data."""

    markdown: str

    def _repr_mimebundle_(self, include=None, exclude=None):
        return ({"text/markdown": self.markdown, "text/plain": self.markdown},
                {META_KEY: {"kind": "prose"}})


@dataclass(frozen=True)
class Figure:
    """A finished figure as SVG with its caption, N and source."""

    svg: str
    ident: str
    caption: str
    source: str

    def _repr_mimebundle_(self, include=None, exclude=None):
        meta = {"kind": "figure", "id": self.ident, "caption": self.caption,
                "source": self.source}
        return ({"image/svg+xml": self.svg, "text/plain": f"Figur: {self.caption}"},
                {META_KEY: meta})


@dataclass(frozen=True)
class Table:
    """A table whose cells are already formatted Danish strings."""

    ident: str
    caption: str
    source: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_frame(cls, frame: "pd.DataFrame", *, ident: str, caption: str, source: str,
                   notes: tuple[str, ...] = ()) -> "Table":
        rows = tuple(tuple(str(v) for v in row) for row in frame.itertuples(index=False))
        return cls(ident=ident, caption=caption, source=source,
                   columns=tuple(str(c) for c in frame.columns), rows=rows, notes=tuple(notes))

    def to_frame(self) -> "pd.DataFrame":
        import pandas as pd

        return pd.DataFrame(list(self.rows), columns=list(self.columns))

    def markdown(self) -> str:
        head = "| " + " | ".join(_md_escape_cell(c) for c in self.columns) + " |"
        rule = "|" + "|".join(":--" if i == 0 else "--:" for i in range(len(self.columns))) + "|"
        body = ["| " + " | ".join(_md_escape_cell(v) for v in row) + " |" for row in self.rows]
        return "\n".join([head, rule, *body])

    def html(self) -> str:
        out = io.StringIO()
        out.write(f"<table><caption>{html.escape(self.caption)}</caption><thead><tr>")
        out.write("".join(f"<th scope=\"col\">{html.escape(c)}</th>" for c in self.columns))
        out.write("</tr></thead><tbody>")
        for row in self.rows:
            out.write("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>")
        out.write("</tbody></table>")
        for note in self.notes:
            out.write(f"<p><small>{html.escape(note)}</small></p>")
        return out.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None):
        meta = {"kind": "table", "id": self.ident, "caption": self.caption,
                "source": self.source, "columns": list(self.columns),
                "rows": [list(r) for r in self.rows], "notes": list(self.notes)}
        return ({"text/html": self.html(), "text/markdown": self.markdown(),
                 "text/plain": self.caption}, {META_KEY: meta})


@dataclass(frozen=True)
class Quote:
    """An interview excerpt shown with its role label and, for real quotes, its source."""

    text: str
    role: str
    citation: str = ""

    def markdown(self) -> str:
        """A blockquote whose last paragraph, ``--- role (citation)``, names the speaker; the
        excerpt, role and citation are escaped so that they print as typed."""
        from analysis.report.inline import escape

        lines = [f"> {escape(line)}" if line.strip() else ">"
                 for line in self.text.strip().splitlines()]
        sig = f"> --- {escape(self.role)}"
        if self.citation:
            sig += f" ({escape(self.citation)})"
        return "\n".join([*lines, ">", sig])

    def _repr_mimebundle_(self, include=None, exclude=None):
        md = self.markdown()
        return ({"text/markdown": md, "text/plain": md},
                {META_KEY: {"kind": "quote", "role": self.role}})


@dataclass(frozen=True)
class Quotes:
    """Several excerpts shown together, one after the other (nothing when there are none)."""

    items: tuple[Quote, ...] = ()

    def __len__(self) -> int:
        return len(self.items)

    def markdown(self) -> str:
        return "\n\n".join(q.markdown() for q in self.items)

    def _repr_mimebundle_(self, include=None, exclude=None):
        md = self.markdown()
        return ({"text/markdown": md, "text/plain": md or "(ingen citater)"},
                {META_KEY: {"kind": "quotes", "roles": [q.role for q in self.items]}})


@dataclass(frozen=True)
class ProvenanceOutput:
    """The report's provenance record (:class:`analysis.core.provenance.Provenance`) as a
    notebook output. Not printed as such: the renderer writes it to ``provenance.json``."""

    record: dict

    def _repr_mimebundle_(self, include=None, exclude=None):
        return ({"application/json": self.record, "text/plain": "provenance"},
                {META_KEY: {"kind": "provenance", "record": self.record}})


@dataclass(frozen=True)
class TitlePage:
    """Title page facts; the assembler puts them into the document's metadata."""

    title: str
    subtitle: str
    date: str
    notice: str = ""
    publisher: str = ""
    kommune: str = ""          # the municipality of a municipal edition ("Køge Kommune")

    def _repr_mimebundle_(self, include=None, exclude=None):
        meta: dict[str, Any] = {"kind": "titlepage", "title": self.title,
                                "subtitle": self.subtitle, "date": self.date,
                                "notice": self.notice, "publisher": self.publisher,
                                "kommune": self.kommune}
        md = f"# {self.title}\n\n**{self.subtitle}**\n\n{self.date}\n\n{self.notice}"
        return ({"text/markdown": md, "text/plain": self.title}, {META_KEY: meta})


def show(*items) -> None:
    """Display each item (lists are flattened, None is skipped) as its own output."""
    from IPython.display import display

    for item in items:
        if item is None:
            continue
        if isinstance(item, (list, tuple)) and not isinstance(item, str):
            show(*item)
        else:
            display(item)
