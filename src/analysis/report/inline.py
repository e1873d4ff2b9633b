"""From a notebook's MyST markdown to the pandoc markdown the renderers read.

Researchers write the report's prose in markdown cells, in the MyST dialect that
jupyterlab-myst shows while they edit:

* ``{eval}`expr``` puts the value of a Python expression, evaluated in the notebook's kernel,
  into the sentence;
* ``:::{admonition} Titel`` with a ``:class: eksempel`` (or ``definition``, ``boks``) line
  makes a box;
* a first line ``% hvis: expr`` (a MyST comment, invisible in JupyterLab's rendered view) keeps
  the cell only in reports where ``expr`` is true;
* a ``% rang: expr`` line among the cell's first comment lines places it: consecutive cells
  with such a line are shown in the order of their ``expr`` values (the assembler sorts them).

When a report is rendered, the executor asks the kernel for every expression (the same
``user_expressions`` request jupyterlab-myst sends) and calls :func:`resolve` with the answers.
The result is plain pandoc markdown: values inserted as escaped text, never as markup, and boxes
as fenced divs. Every function here is pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EVAL = re.compile(r"\{eval\}`([^`\n]+)`")
CONDITION = re.compile(r"^%\s*hvis:\s*(?P<expr>.+?)\s*$")
RANK = re.compile(r"^%\s*rang:\s*(?P<expr>.+?)\s*$")
COMMENT = re.compile(r"^%(?!%)")
ADMONITION_OPEN = re.compile(r"^(?P<fence>:{3,})\{(?P<name>[a-z-]+)\}\s*(?P<title>.*?)\s*$")
FENCE_CLOSE = re.compile(r"^(?P<fence>:{3,})\s*$")
OPTION = re.compile(r"^:(?P<key>[a-z-]+):\s*(?P<value>.*?)\s*$")
HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*$")
# Box kinds a notebook may name with ``:class:``; any admonition without one is a ``boks``.
BOX_CLASSES = ("boks", "eksempel", "definition")
# Every ASCII punctuation character can be backslash-escaped in pandoc markdown; escaping all
# of them (but the comma, which never opens anything) means no value from data can open
# emphasis, a link, raw HTML, maths, a list or a div.
_PUNCTUATION = re.compile(r"([!-+\-./:-@\[-`{-~])")


def escape(text: str) -> str:
    """Text as pandoc markdown that prints exactly as typed.

    >>> print(escape("*Køge* <b>"))
    \\*Køge\\* \\<b\\>
    """
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split("\n")))


def expressions(markdown: str) -> list[str]:
    """The inline expressions of a cell, in order, each once."""
    seen: dict[str, None] = {}
    for match in EVAL.finditer(markdown):
        seen.setdefault(match.group(1).strip(), None)
    return list(seen)


def condition(markdown: str) -> str | None:
    """The expression of a ``% hvis:`` line at the top of the cell, or None."""
    first = markdown.lstrip("\n").split("\n", 1)[0]
    match = CONDITION.match(first)
    return match.group("expr") if match else None


def rank(markdown: str) -> str | None:
    """The expression of a ``% rang:`` line among the comment lines that open the cell."""
    for line in markdown.lstrip("\n").split("\n"):
        if not COMMENT.match(line):
            return None
        match = RANK.match(line)
        if match:
            return match.group("expr")
    return None


def plain_text(mime_text: str) -> str:
    """The text jupyterlab-myst shows for a ``text/plain`` result: surrounding quotes removed."""
    match = re.fullmatch(r"([\"'])(.*)\1", mime_text, flags=re.DOTALL)
    return match.group(2) if match else mime_text


@dataclass(frozen=True)
class Options:
    """How a notebook's headings come out: ``unnumbered`` for front matter and bilag;
    ``local`` for a municipality's own passages (unnumbered and kept out of the contents)."""

    unnumbered: bool = False
    local: bool = False


def _heading(line: str, options: Options) -> str:
    match = HEADING.match(line)
    if not match or match.group("text").endswith("}"):
        return line
    classes = []
    if options.unnumbered or options.local:
        classes.append(".unnumbered")
    if options.local:
        classes += [".unlisted", ".local"]
    return f"{line} {{{' '.join(classes)}}}" if classes else line


def _admonitions(lines: list[str]) -> list[str]:
    """MyST ``:::{admonition} Titel`` blocks as pandoc fenced divs with a title line."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = ADMONITION_OPEN.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        title, name = match.group("title"), match.group("name")
        classes = ["boks"]
        i += 1
        while i < len(lines) and OPTION.match(lines[i]):
            option = OPTION.match(lines[i])
            if option.group("key") == "class":
                classes += [c for c in option.group("value").split() if c != "boks"]
            i += 1
        if name not in ("admonition", "note") and name in BOX_CLASSES:
            classes.append(name)
        out.append("::: {" + " ".join(f".{c}" for c in dict.fromkeys(classes)) + "}")
        if title:
            out += [f"[{title}]{{.titel}}", ""]
    return out


def resolve(markdown: str, values: dict[str, str], options: Options = Options()) -> str:
    """The cell as pandoc markdown, with each ``{eval}`` replaced by its value (escaped).

    ``values`` maps every expression of the cell to its text (see :func:`plain_text`).
    Comment lines (``% …``) are dropped, boxes become fenced divs, and headings get the
    classes ``options`` asks for.

    >>> resolve("% hvis: x\\nI alt {eval}`n` kommuner.", {"n": "44"})
    'I alt 44 kommuner.'
    """
    text = EVAL.sub(lambda m: escape(values[m.group(1).strip()]), markdown)
    lines = [line for line in text.split("\n") if not COMMENT.match(line)]
    lines = [_heading(line, options) for line in _admonitions(lines)]
    return "\n".join(lines).strip("\n")
