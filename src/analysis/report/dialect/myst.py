"""Reading a markdown cell with MyST's own parser.

The parser is markdown-it-py with the mdit-py-plugins MyST plugins, configured as myst-parser
configures it (``create_md_parser``): CommonMark with tables, front matter, MyST's block
syntax (``% comment`` lines, ``+++`` breaks, ``(label)=`` targets), roles (``{name}`content```),
footnotes, and ``:::`` colon fences (myst-parser's ``colon_fence`` extension, which
jupyterlab-myst has on). A fence whose info starts with ``{name}`` is a directive; the body
of a box directive is read again as markdown, as myst-parser reads it.

:func:`parse` gives what the rest of the project needs from a cell, with each piece's place in
the cell's lines (so that a cell can be rewritten without touching anything else in it).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

# Directive names whose body is markdown (a box); any other directive's body is left unread.
BOX_DIRECTIVES = frozenset({"admonition", "note"})


@dataclass(frozen=True)
class Role:
    """A MyST role, ``{name}`content```: ``start`` is the (line, column) of its ``{``, ``end``
    the (line, column) just after its closing backticks."""

    name: str
    content: str
    start: tuple[int, int]
    end: tuple[int, int]


@dataclass(frozen=True)
class Comment:
    """A run of ``%`` lines (one MyST comment), ``lines`` its text after each ``%``.
    ``nested`` is true inside a block quote or a list (the line holds more than the comment)."""

    first: int
    lines: tuple[str, ...]
    nested: bool


@dataclass(frozen=True)
class Directive:
    """A fenced directive, ``:::{name} argument`` (or with backticks), its ``:key: value``
    option lines right after the opening line, and its body.

    ``line`` is the opening line, ``argument_at`` the column its argument starts at,
    ``close`` the closing fence's line (None when the cell ends first)."""

    name: str
    marker: str
    line: int
    argument: str
    argument_at: int
    options: tuple[tuple[str, str], ...]
    close: int | None
    indent: str


@dataclass(frozen=True)
class Target:
    """A MyST target line, ``(label)=``: it names the block after it (a heading)."""

    label: str
    line: int


@dataclass(frozen=True)
class Link:
    """A markdown link, ``[text](url)``: its target, its text (as typed, without markup) and
    the line its paragraph starts on."""

    url: str
    text: str
    line: int


@dataclass(frozen=True)
class Heading:
    """A heading: its text line, its level, its text, whether it is ATX (``#``) style."""

    line: int
    level: int
    text: str
    atx: bool


@dataclass(frozen=True)
class Parsed:
    """What a cell holds, in the order it holds it. ``lines`` are the cell's lines (line
    endings made ``\\n``, as the parser makes them); every place refers to them. ``first`` is
    the cell's first block (a token type); ``blocks`` each top-level block's type and first
    line; ``other`` names constructs this project does not use (front matter, ``+++``
    breaks), each with its line."""

    lines: tuple[str, ...]
    first: str | None
    roles: tuple[Role, ...]
    comments: tuple[Comment, ...]
    directives: tuple[Directive, ...]
    headings: tuple[Heading, ...]
    other: tuple[tuple[str, int], ...]
    targets: tuple[Target, ...] = ()
    links: tuple[Link, ...] = ()
    blocks: tuple[tuple[str, int], ...] = ()


@functools.cache
def parser():
    """The configured parser (built on first use: the kernel, which only asks about tags,
    never loads it)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin
    from mdit_py_plugins.myst_blocks import myst_block_plugin
    from mdit_py_plugins.myst_role import myst_role_plugin
    from mdit_py_plugins.myst_role.index import myst_role

    md = (MarkdownIt("commonmark").enable("table")
          .use(front_matter_plugin).use(myst_block_plugin).use(myst_role_plugin)
          .use(footnote_plugin, inline=False, move_to_end=False, always_match_refs=True))
    try:
        from markdown_it.rules_block import make_fence_rule
    except ImportError:  # markdown-it-py before 4: the plugin's own colon fence rule
        from mdit_py_plugins.colon_fence import colon_fence_plugin
        md.use(colon_fence_plugin)
    else:
        md.block.ruler.before(
            "fence", "colon_fence",
            make_fence_rule(markers=(":",), token_type="colon_fence", exact_match=False),
            {"alt": ["paragraph", "reference", "blockquote", "list", "footnote_def"]})

    def role_with_span(state, silent: bool) -> bool:
        """MyST's role rule, keeping where in the text each role was read."""
        start = state.pos
        if not myst_role(state, silent):
            return False
        if not silent:
            state.tokens[-1].meta.update(span=(start, state.pos), src=state.src)
        return True

    md.inline.ruler.at("myst_role", role_with_span)
    return md


def normalized(markdown: str) -> str:
    """The text as the parser reads it: every line ending a ``\\n``."""
    return markdown.replace("\r\n", "\n").replace("\r", "\n")


def parse(markdown: str) -> Parsed:
    """A cell's markdown, read (see :class:`Parsed`; cached by its caller, ``cell.read``)."""
    lines = tuple(normalized(markdown).split("\n"))
    reader = _Reader(lines)
    tokens = parser().parse("\n".join(lines))
    first = tokens[0].type if tokens else None
    reader.blocks(tokens, 0)
    blocks = tuple((token.type.removesuffix("_open"), token.map[0]) for token in tokens
                   if token.level == 0 and token.nesting >= 0 and token.map)
    return Parsed(lines=lines, first=first, roles=tuple(reader.roles),
                  comments=tuple(reader.comments), directives=tuple(reader.directives),
                  headings=tuple(reader.headings), other=tuple(reader.other),
                  targets=tuple(reader.targets), links=tuple(reader.links), blocks=blocks)


def option(line: str) -> tuple[str, str] | None:
    """A directive's option line ``:key: value`` (key in lower-case letters and ``-``)."""
    if not line.startswith(":"):
        return None
    key, sep, value = line[1:].partition(":")
    if not sep or not key or not all("a" <= c <= "z" or c == "-" for c in key):
        return None
    return key, value.strip()


def _is_directive(info: str) -> bool:
    """A fence is a directive when its info string's first word is ``{name}``."""
    word = (info.split(maxsplit=1) or [""])[0]
    return len(word) > 2 and word.startswith("{") and word.endswith("}")


class _Reader:
    """Walks the parser's tokens, placing everything in the cell's lines."""

    def __init__(self, lines: tuple[str, ...]):
        self.lines = lines
        self.used: dict[int, int] = {}       # per line: the column up to which text is placed
        self.roles: list[Role] = []
        self.comments: list[Comment] = []
        self.directives: list[Directive] = []
        self.headings: list[Heading] = []
        self.other: list[tuple[str, int]] = []
        self.targets: list[Target] = []
        self.links: list[Link] = []

    def blocks(self, tokens, base: int) -> None:
        """Read a token stream whose line 0 is the cell's line ``base``."""
        for index, token in enumerate(tokens):
            kind = token.type
            if kind == "inline" and token.map:
                self.inline(token.content, token.children or [], base + token.map[0])
                self.links_of(token.children or [], base + token.map[0])
            elif kind == "myst_line_comment":
                self.comments.append(Comment(base + token.map[0],
                                             tuple(token.content.split("\n")), token.level > 0))
            elif kind == "heading_open" and token.level == 0:
                text = tokens[index + 1].content
                line = base + (token.map[0] if token.markup.startswith("#") else
                               token.map[1] - 2)
                self.headings.append(Heading(line, int(token.tag[1]), text,
                                             token.markup.startswith("#")))
            elif kind in ("colon_fence", "fence") and _is_directive(token.info):
                self.directive(token, base)
            elif kind == "myst_target":
                self.targets.append(Target(token.content.strip(), base + token.map[0]))
            elif kind in ("front_matter", "myst_block_break"):
                self.other.append((kind, base + token.map[0]))

    def directive(self, token, base: int) -> None:
        line = base + token.map[0]
        word, argument = (token.info.split(maxsplit=1) + [""])[:2]
        source = self.lines[line]
        marker_at = source.index(token.markup)
        argument_at = source.index(word, marker_at) + len(word)
        body = token.content.split("\n")
        options = []
        while body and option(body[0]) is not None:
            options.append(option(body.pop(0)))
        last = base + token.map[1] - 1
        closing = self.lines[last].strip() if last > line else ""
        closed = bool(closing) and set(closing) == {token.markup[0]} and \
            len(closing) >= len(token.markup)
        name = word[1:-1]
        self.directives.append(Directive(
            name=name, marker=token.markup, line=line, argument=argument.strip(),
            argument_at=argument_at, options=tuple(options), close=last if closed else None,
            indent=source[:marker_at]))
        if name not in BOX_DIRECTIVES:
            return
        if argument.strip():
            title = parser().parseInline(argument.strip())[0]
            self.inline(title.content, title.children or [], line, from_column=argument_at)
        self.blocks(parser().parse("\n".join(body)), line + 1 + len(options))

    def links_of(self, children, line: int) -> None:
        """The links of an inline token, with their text as typed (roles and code as their
        source)."""
        open_link: list | None = None
        for child in children:
            if child.type == "link_open":
                open_link = [child.attrs.get("href", ""), []]
            elif child.type == "link_close" and open_link is not None:
                self.links.append(Link(str(open_link[0]), "".join(open_link[1]), line))
                open_link = None
            elif open_link is not None:
                open_link[1].append(child.content if child.type != "softbreak" else " ")

    def inline(self, content: str, children, line: int, from_column: int = 0) -> None:
        """The roles of an inline token (its text ``content`` starts on the cell's ``line``)."""
        placed: dict[int, tuple[int, int]] = {}
        self.roles_of(content, children, line, from_column, placed)
        for j, (_, end) in placed.items():
            self.used[line + j] = end

    def roles_of(self, content: str, children, line: int, from_column: int,
                 placed: dict[int, tuple[int, int]]) -> None:
        for child in children:
            if child.children:               # an image's alt text, read from its own text
                self.roles_of(content, child.children, line, from_column, placed)
            if child.type != "myst_role" or "span" not in child.meta:
                continue
            start, end = child.meta["span"]
            shift = 0 if child.meta["src"] is content else content.find(child.meta["src"])
            if shift < 0:
                raise ValueError(f"cannot place the role {{{child.meta['name']}}} in its cell")
            self.roles.append(Role(
                name=child.meta["name"], content=child.content,
                start=self.place(content, start + shift, line, from_column, placed),
                end=self.place(content, end + shift, line, from_column, placed)))

    def place(self, content: str, offset: int, line: int, from_column: int,
              placed: dict[int, tuple[int, int]]) -> tuple[int, int]:
        """The (line, column) in the cell of an offset into an inline token's text. Each line
        of the text is the end of a line of the cell, after its block quote and list markers
        and indentation (a table row holds several, found from left to right). ``placed``
        keeps, per line of the text, the columns where it starts and ends in the cell."""
        j = content.count("\n", 0, offset)
        line_start = content.rfind("\n", 0, offset) + 1
        if j not in placed:
            end = content.find("\n", line_start)
            segment = content[line_start:end if end >= 0 else len(content)]
            stripped = segment.lstrip(" \t")
            found = self.lines[line + j].find(
                stripped, max(from_column, self.used.get(line + j, 0)))
            if found < 0:
                raise ValueError(f"cannot place line {line + j + 1} of a cell's text")
            placed[j] = (found - (len(segment) - len(stripped)), found + len(stripped))
        return line + j, placed[j][0] + offset - line_start
