"""Checking a notebook cell against the dialect, and the dialect's reference for the guide.

:func:`problems` names everything in a cell the renderer would not understand, or would
understand differently from what the writer meant: an unknown tag, a ``%`` directive line that
is not ``hvis`` or ``rang`` (or stands where it is ignored), a MyST directive or role other than
the ones listed in :data:`~analysis.report.dialect.blocks.DIRECTIVES` and
:data:`~analysis.report.dialect.cell.ROLES`, an expression that is not Python, a condition that
compares with a word (a text, a ``.verdict``, an entry of an all-capitals list), a marker line
that is missing or disagrees with the cell's condition and tags, a target that names no
heading. :func:`reference` writes the tables of the guide's
reference section from the same lists, and :func:`guide` puts them in the guide.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from analysis.report.dialect.blocks import (BOX_CLASSES, BOX_OPTIONS, CAPTION_MEANINGS,
                                            CAPTIONS, DIRECTIVES)
from analysis.report.dialect import crossrefs, marker
from analysis.report.dialect.cell import (COMMENT_DIRECTIVES, CONDITION, RANK, ROLES,
                                          comment_directive, read)
from analysis.report.dialect.tags import TAGS, tag_problems

_OTHER = {"front_matter": "front matter", "myst_block_break": "a block break (+++)"}
# How to write every marker anew, for the messages.
WRITE_MARKERS = ".venv/bin/python -m analysis.report.dialect notebooks/*.ipynb"


# The attribute that holds a comparison's verdict as a word (``diff.verdict``: »sikker«, …).
VERDICT = "verdict"


def _is_word(node: ast.expr) -> bool:
    """Whether an operand is a word rather than a yes/no value or a number: a typed text
    (``"oftere"``, an f-string), a ``….verdict``, an entry of a list whose name is all
    capitals (``appendix.VERDICTS[1]``, ``danish.SIZE_GROUPS["small"]``: the code's fixed
    words), or a tuple, list or set that holds one of those."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str | bytes)
    if isinstance(node, ast.Subscript):
        listed = node.value
        name = getattr(listed, "attr", None) or getattr(listed, "id", "")
        return _is_word(listed) or name.isupper()
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_is_word(element) for element in node.elts)
    return isinstance(node, ast.Attribute) and node.attr == VERDICT


def word_comparisons(expression: str) -> list[str]:
    """The comparisons in an expression that compare with a word (see :func:`_is_word`), as
    written: a condition should test a yes/no value, not a word the prose prints or the code
    keeps, since a changed wording would silently change which reports get the cell.

    >>> word_comparisons('koord.by_size and fora.with_more_often == "oftere"')
    ["fora.with_more_often == 'oftere'"]
    >>> word_comparisons("appendix.comparisons(r)['tid'].verdict == appendix.VERDICTS[1]")
    ["appendix.comparisons(r)['tid'].verdict == appendix.VERDICTS[1]"]
    >>> word_comparisons("raad.has('tillid') and svar.incomplete > 0 and r.m.answer('x') == 2")
    []
    """
    return [ast.unparse(node) for node in ast.walk(ast.parse(expression.strip(), mode="eval"))
            if isinstance(node, ast.Compare)
            and any(_is_word(o) for o in [node.left, *node.comparators])]


def compares_with_text(expression: str) -> bool:
    """Whether an expression compares something with a word: a typed text, a ``….verdict``
    or an entry of an all-capitals list (see :func:`word_comparisons`).

    >>> compares_with_text('fora.with_more_often == "oftere"')
    True
    >>> compares_with_text('koord.diff.verdict != "fragile"')
    True
    >>> compares_with_text("x in danish.SIZE_GROUPS['small']")
    True
    >>> compares_with_text('raad.has("tillid") and not fora.more_often')
    False
    """
    return bool(word_comparisons(expression))


def _comment_problems(cell) -> list[str]:
    parsed = cell.parsed
    opening = parsed.comments[0] if parsed.first == "myst_line_comment" else None
    found = []
    for comment in parsed.comments:
        for k, text in enumerate(comment.lines):
            directive = comment_directive(text)
            if directive is None:
                continue
            word, rest = directive
            where = f"line {comment.first + k + 1}: '% {word}:'"
            if word not in COMMENT_DIRECTIVES:
                found.append(f"{where} is no directive line; known: "
                             f"{', '.join(f'% {w}:' for w in COMMENT_DIRECTIVES)}")
            elif not rest:
                found.append(f"{where} has no expression")
            elif word == CONDITION and (comment is not opening or k > 0):
                found.append(f"{where} is read only as the cell's first line")
            elif word == RANK and comment is not opening:
                found.append(f"{where} is read only among the comment lines that open the cell")
    return found


def _expression_problems(cell) -> list[str]:
    found = []
    named = [("{eval}", e) for e in cell.expressions] + \
        [(f"% {w}:", e) for w, e in ((CONDITION, cell.condition), (RANK, cell.rank)) if e]
    for where, expression in named:
        try:
            compile(expression.strip(), where, "eval")
        except SyntaxError as err:
            found.append(f"{where} {expression!r} is not a Python expression: {err.msg}")
            continue
        words = word_comparisons(expression) if where.startswith("% ") else []
        if words:
            found.append(f"{where} {expression!r} compares with a text ({'; '.join(words)}): "
                         "test a yes/no value, not a word the prose prints or the code keeps "
                         "(a text, a .verdict, an entry of an all-capitals list)")
    return found


def _myst_problems(parsed) -> list[str]:
    found = []
    for box in parsed.directives:
        where = f"line {box.line + 1}: {{{box.name}}}"
        if box.name not in DIRECTIVES:
            found.append(f"{where} is no known directive; known: "
                         f"{', '.join(f'{{{name}}}' for name in DIRECTIVES)}")
            continue
        if not box.marker.startswith(":"):
            found.append(f"{where}: write a box with a ':::' fence")
        if box.close is None:
            found.append(f"{where}: the box is not closed")
        for key, value in box.options:
            if key not in BOX_OPTIONS:
                found.append(f"{where}: unknown option ':{key}:'")
            elif set(value.split()) - set(BOX_CLASSES):
                found.append(f"{where}: ':{key}: {value}' names no kind of box; "
                             f"known: {', '.join(BOX_CLASSES)}")
    for role in parsed.roles:
        if role.name not in ROLES:
            found.append(f"line {role.start[0] + 1}: {{{role.name}}} is no known role; "
                         f"known: {', '.join(f'{{{name}}}' for name in ROLES)}")
    for kind, line in parsed.other:
        found.append(f"line {line + 1}: {_OTHER[kind]} is not part of the notebooks' MyST")
    return found


def _marker_problems(cell, tags: Iterable[str]) -> list[str]:
    wanted = marker.expression(cell.condition, tags)
    found = [f"{{eval}}`{e}` marks a cell for JupyterLab: it stands alone on the line after "
             "the cell's opening comment lines, followed by a blank line"
             for e in cell.expressions if marker.is_marker_call(e)]
    written = cell.marker.expression if cell.marker else None
    if written == wanted:
        return found
    if wanted is None:
        found.append(f"line {cell.marker.line + 1}: the cell is in every report, so it has no "
                     f"marker line; remove it ({WRITE_MARKERS} does)")
    elif written is None:
        found.append(f"the cell is not in every report and has no marker line: "
                     f"{marker.role(wanted)} after its opening comment lines "
                     f"({WRITE_MARKERS} writes it)")
    else:
        found.append(f"line {cell.marker.line + 1}: the marker {marker.role(written)} "
                     f"disagrees with the cell's condition and tags: {marker.role(wanted)} "
                     f"({WRITE_MARKERS} writes it)")
    return found


def problems(source: str, cell_type: str = "markdown", tags: Iterable[str] = ()) -> list[str]:
    """What in a cell the dialect does not know (empty: nothing)."""
    tags = list(tags)
    found = tag_problems(tags, cell_type)
    if cell_type != "markdown":
        return found
    cell = read(source)
    return found + _comment_problems(cell) + _expression_problems(cell) + \
        _myst_problems(cell.parsed) + _marker_problems(cell, tags) + \
        crossrefs.cell_problems(source)


def _table(header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def reference() -> dict[str, str]:
    """The tables of the guide's reference section (docs/notebooks.md), by name, written from
    the dialect's own lists."""
    tags = _table(("tag", "on", "the cell"), (
        (f"`{tag.name}`", " and ".join(tag.cells), tag.meaning
         + ("; its headings are unnumbered and left out of the contents" if tag.local else "")
         + ("" if tag.by_hand else " (set by the tools, never in a notebook)"))
        for tag in TAGS.values()))
    comments = _table(("line", "meaning"), (
        (f"`% {word}: expr`", meaning) for word, meaning in COMMENT_DIRECTIVES.items()))
    myst = _table(("MyST", "meaning"), [
        *((f"`` {{{name}}}`expr` `` (role)", meaning) for name, meaning in ROLES.items()),
        *((f"`:::{{{name}}}` … `:::` (directive)", meaning)
          for name, meaning in DIRECTIVES.items()),
        *((f"`:{key}:` (option of a box)", "one of " + ", ".join(f"`{c}`" for c in BOX_CLASSES))
          for key in BOX_OPTIONS),
        *((f"`{syntax}`", meaning) for syntax, meaning in crossrefs.SYNTAX.items())])
    captions = _table(("cell starts with", "the cell is"), (
        (f"`{label}:`", CAPTION_MEANINGS[kind]) for label, kind in CAPTIONS.items()))
    return {"tags": tags, "comments": comments, "myst": myst, "captions": captions}


def guide(text: str) -> str:
    """The guide's text with each generated table (between ``<!-- dialect:NAME -->`` and
    ``<!-- /dialect:NAME -->``) written anew from :func:`reference`."""
    for name, table in reference().items():
        begin, end = f"<!-- dialect:{name} -->\n", f"\n<!-- /dialect:{name} -->"
        head, found, rest = text.partition(begin)
        if not found or end not in rest:
            raise ValueError(f"the guide has no place for the table {name!r}")
        text = head + begin + table + rest[rest.index(end):]
    return text
