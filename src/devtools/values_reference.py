"""Write ``docs/values.md``: every value the notebooks can use, chapter by chapter, from the code.

    python -m devtools.values_reference            # write docs/values.md
    python -m devtools.values_reference --check    # exit 1 when docs/values.md is out of date

What each value means and what it counts come from the content dataclasses
(``value(doc, base)`` on each field, docstrings on properties and methods: see
``analysis.report.content.values``); which values a chapter has comes from its notebook's code
cells (``name = module.function(r, …)``); the examples are computed on the shipped data, for the
national report and for Køge. ``tests/test_values_reference.py`` fails when the committed file
and this output differ, so the reference cannot go stale.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import dataclasses
import inspect
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path

from analysis.core import settings

ROOT = settings.PROJECT_ROOT
TARGET = ROOT / "docs" / "values.md"
DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
KOMMUNE = "Køge"
COMMAND = "python -m devtools.values_reference"

# The argument a method's example is called with (the object, for choosing it).
EXAMPLE_ARGUMENTS: dict[str, Callable[[object], str]] = {
    "share_of": lambda obj: '"kommunerne"',
    "pcts": lambda obj: '"boligorganisation"',
    "own_step": lambda obj: '"boligorganisation"',
    "has": lambda obj: '"tillid"',
    "country": lambda obj: '"tillid"',
    "rank": lambda obj: json.dumps(obj.order[0], ensure_ascii=False) if obj.order
    else '"tillid"',
}
# Values shown by what they are rather than by their text.
NOT_EVALUATED = {"svg": "(figurens SVG)"}
# What the notebooks may call on the report ``r`` and the helpers they import, with an example.
REPORT_EXPRESSIONS = (
    'r.share("har_koordinator", "ja")',
    'r.group_share("tid_koordinering", "fuldtid_eller_mere", "large")',
    'r.option_share("forum_taktisk")',
    'r.register_share("medfin_lokaler")',
    'r.own("tillid")',
    'r.own_in("har_koordinator", "ja")',
    "r.size_words",
    "r.m.title",
    "r.public",
    "r.synthetic",
    "r.calibrated",
    'plural(3, "kommune", "kommuner")',
    "number(1234)",
    'percent(0.636)',
)
# Fields of the report the notebooks read (dataclass fields carry no docstring of their own).
REPORT_FIELDS = {
    "public": "True when municipal reports are published openly (`--offentlige-"
              "kommunerapporter`, for a study whose respondents agreed); the front page says so.",
}
# The value a kind of value inside values is shown by (else the first one in the notebooks).
EXAMPLE_OF = {"Stat": "koord.coordinator"}
# A comparison's members (analysis.stats.estimate.Comparison, a value of several chapters);
# the test fails when these and the class differ.
COMPARISON = {
    "test": "The test's name as the report prints it: ``Fishers eksakte test``.",
    "statistic": "The test statistic: the odds ratio (Fisher), or the probability that an "
                 "answer of the second group lies above one of the first (Brunner-Munzel).",
    "p_value": "The p-value: the probability of a difference at least this large by chance.",
    "significant": "p_value is under the significance level (0,05): a difference beyond "
                   "chance.",
}


# ---------------------------------------------------------------- reading the notebooks

@dataclasses.dataclass
class Chapter:
    notebook: str
    title: str
    names: list[tuple[str, str]]            # (variable, the code that makes it), in order
    shown: list[str]                        # calls a code cell shows (tables, quotes)
    values: dict[str, dict[str, object]]    # report ("national"/KOMMUNE) -> variable -> value


def _title(nb: dict) -> str:
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def _run_notebook(path: Path, kommune: str | None) -> tuple[dict, list, list]:
    """The notebook's imports and assignments, run as its kernel runs them (figures too);
    what its code cells show, unevaluated."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    namespace: dict = {"kommune": kommune, "data_dir": str(DATA), "k": 5, "offentlig": False}
    names, shown = [], []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or "parameters" in cell.get("metadata", {}).get("tags",
                                                                                      ()):
            continue
        tree = ast.parse("".join(cell["source"]))
        for node in tree.body:
            code = ast.unparse(node)
            if isinstance(node, ast.Import | ast.ImportFrom):
                exec(code, namespace)
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name):
                exec(code, namespace)
                names.append((node.targets[0].id, ast.unparse(node.value)))
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                shown.append(ast.unparse(node.value))
    return namespace, names, shown


def chapters() -> list[Chapter]:
    out = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        national, names, shown = _run_notebook(path, None)
        local, _, _ = _run_notebook(path, KOMMUNE)
        out.append(Chapter(path.stem, _title(nb), names, shown,
                           {"national": national, KOMMUNE: local}))
    return out


# ---------------------------------------------------------------- formatting

def _cell(text: str) -> str:
    """Text in a table cell (a ``|`` would end the cell)."""
    return text.replace("|", "\\|")


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{_cell(text)}{pad}{fence}"


def _doc(text: str) -> str:
    """A docstring's reST literals and roles (``x``, :func:`x`) as markdown code."""
    return _cell(re.sub(r":\w+:`~?([^`]+)`", r"`\1`", text).replace("``", "`"))


def _example(value: object) -> str:
    from analysis.report.content.values import shown

    if isinstance(value, frozenset | set):
        value = "{" + ", ".join(sorted(repr(v) for v in value)) + "}"
    return _code(shown(value))


def _tail(member, objects: dict[str, object]) -> str:
    """How the example calls the member: ``pct``, ``pcts("boligorganisation")``."""
    if member.kind != "method":
        return member.name
    choose = EXAMPLE_ARGUMENTS.get(member.name)
    if choose is None:
        return member.name + member.signature
    obj = objects.get(KOMMUNE) or objects.get("national")
    return f"{member.name}({choose(obj)})"


def _evaluated(obj: object, member, tail: str) -> str:
    """The member's example in one report; ``–`` where it has no value there."""
    if member.example is not None:
        return _code(member.example)
    if member.name in NOT_EVALUATED:
        return NOT_EVALUATED[member.name]
    if obj is None or (member.kind == "method" and member.name not in EXAMPLE_ARGUMENTS):
        return "–"
    try:
        return _example(eval(f"obj.{tail}", {"obj": obj}))
    except Exception:                         # e.g. a suppressed group, no recommendation
        return "–"


# ---------------------------------------------------------------- the reference

def _table(var: str, objects: dict[str, object], cls: type) -> list[str]:
    from analysis.report.content.values import members

    lines = ["| value | type | means | counts | national | Køge |",
             "|---|---|---|---|---|---|"]
    for member in members(cls):
        tail = _tail(member, objects)
        examples = [_evaluated(obj, member, tail) for obj in objects.values()]
        lines.append(f"| {_code(f'{var}.{tail}')} | {_cell(member.type)} | {_doc(member.doc)} "
                     f"| {_cell(member.base)} | {examples[0]} | {examples[1]} |")
    return lines


def _comparison_table(var: str, objects: dict[str, object]) -> list[str]:
    lines = ["| value | means | national | Køge |", "|---|---|---|---|"]
    for name, doc in COMPARISON.items():
        cells = []
        for obj in objects.values():
            try:
                cells.append("–" if obj is None else _example(getattr(obj, name)))
            except Exception:
                cells.append("–")
        lines.append(f"| {_code(f'{var}.{name}')} | {_doc(doc)} | {cells[0]} | {cells[1]} |")
    return lines


def _building_blocks(found: dict[type, tuple[str, dict[str, object]]]) -> list[str]:
    """Values inside values: a share (Stat), a comparison, a bar, a mark."""
    out = ["## Values inside values", "",
           "Many values are themselves made of values: a share (`Stat`), a statistical test "
           "(`Comparison`), a figure's bar or mark. Each is shown once here, with the first "
           "value of that kind in the notebooks as its example.", ""]
    for cls, (var, objects) in found.items():
        doc = " ".join(inspect.cleandoc(cls.__dict__.get("_docstring")
                                        or cls.__doc__ or "").split())
        out += [f"### {cls.__name__}, e.g. `{var}`", "", _doc(doc), ""]
        if cls.__name__ == "Comparison":
            out += _comparison_table(var, objects)
        else:
            out += _table(var, objects, cls)
        out.append("")
    return out


def _nested(cls: type, var: str, objects: dict[str, object],
            found: dict[type, tuple[str, dict[str, object]]]) -> None:
    """Remember the first value of each kind inside ``var`` (a Stat, a Comparison, …)."""
    from analysis.report.content.values import members
    from analysis.stats.estimate import Comparison

    for member in members(cls):
        if member.kind != "field":
            continue
        inner = {report: getattr(obj, member.name, None) for report, obj in objects.items()}
        sample = next((v for v in inner.values() if v is not None), None)
        kind = type(sample)
        path = f"{var}.{member.name}"
        if sample is None or (kind in found and path != EXAMPLE_OF.get(kind.__name__)):
            continue
        if kind is Comparison or _is_content(kind):
            found[kind] = (path, inner)
            if _is_content(kind):
                _nested(kind, path, inner, found)


def _is_content(kind: type) -> bool:
    return dataclasses.is_dataclass(kind) and kind.__module__.startswith(
        "analysis.report.content.")


def _report_section(chapter: Chapter) -> list[str]:
    out = ["## The report `r` and the helpers", "",
           "Every notebook starts with `r = setup(kommune=kommune, data_dir=data_dir, k=k, "
           "public=offentlig)`. These are what the prose may call on it directly; a share "
           "(`Stat`) is described under *Values inside values*.", "",
           "| expression | means | national | Køge |", "|---|---|---|---|"]
    for expression in REPORT_EXPRESSIONS:
        cells = []
        doc = ""
        for namespace in chapter.values.values():
            helpers = __import__("analysis.report.notebook", fromlist=["plural"])
            scope = {**namespace, "plural": helpers.plural, "number": helpers.number,
                     "percent": helpers.percent}
            tree = ast.parse(expression, mode="eval").body
            function = tree.func if isinstance(tree, ast.Call) else tree
            try:
                if isinstance(function, ast.Attribute):
                    owner = eval(ast.unparse(function.value), scope)
                    attribute = getattr(type(owner), function.attr, None)
                    if function.attr in REPORT_FIELDS:
                        doc = REPORT_FIELDS[function.attr]
                    elif isinstance(attribute, property) or inspect.isfunction(attribute):
                        doc = doc or inspect.getdoc(attribute) or ""
                else:
                    doc = doc or inspect.getdoc(eval(ast.unparse(function), scope)) or ""
                cells.append(_example(eval(expression, scope)))
            except Exception:
                cells.append("–")
        out.append(f"| {_code(expression)} | {_doc(' '.join(doc.split()))} | {cells[0]} "
                   f"| {cells[1]} |")
    return out + [""]


def _groups_section() -> list[str]:
    from analysis.inputs.codebook import load_survey_codebook

    codebook = load_survey_codebook(DATA / "survey" / "codebook.yaml")
    out = ["## Answer groups (`r.own_in`, `r.share`, `r.group_share`)", "",
           "`r.own_in(question, group)` is true when the municipality's answer lies in the "
           "group; `r.share(question, group)` is the share of the valid answers in it. The "
           "groups are the `groups:` of `data/survey/codebook.yaml`; an option column of a "
           "multiple-choice question is a share with `r.option_share(column)`.", "",
           "| question | short label | groups (answer codes) |", "|---|---|---|"]
    for q in codebook.questions.values():
        if q.type == "multiple":
            text = "options: " + ", ".join(f"`{o}` ({label})" for o, label in q.options.items())
        else:
            text = "; ".join(
                f"`{group}`: " + ", ".join(f"{c} {q.answers.get(c, '')}".strip() for c in codes)
                for group, codes in q.groups.items()) or "(none)"
        out.append(f"| `{q.id}` | {_cell(q.short)} | {_cell(text)} |")
    return out + [""]


@contextlib.contextmanager
def _fixed_date():
    """Dates in the examples do not depend on the day the reference is written."""
    before = os.environ.get(settings.EPOCH_ENV)
    os.environ[settings.EPOCH_ENV] = str(settings.DEFAULT_EPOCH)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(settings.EPOCH_ENV, None)
        else:
            os.environ[settings.EPOCH_ENV] = before


def render() -> str:
    """The text of docs/values.md."""
    with _fixed_date():
        parts = chapters()
        out = ["# Values the notebooks can use", "",
               f"<!-- Written by `{COMMAND}` from the code; do not edit by hand "
               "(tests/test_values_reference.py fails when this file and the code differ). -->",
               "",
               "Every value a notebook's prose can print, chapter by chapter: what it means, what "
               "it counts (its base: the municipalities a number is of), and what it prints in "
               f"the national report and in {KOMMUNE}'s, from the shipped data. The same texts "
               "are in `help()`: `help(koord)` in a notebook lists each value with what it is "
               "now, and a share's repr names its base (`37 af 41 kommuner med et gyldigt svar "
               "på, om de har en koordinator`). A value is `None` where disclosure control "
               "suppresses it, `–` here where it has none in that report. How to use them: "
               "[notebooks.md](notebooks.md).", ""]
        out += _report_section(parts[0])
        out += _groups_section()
        found: dict[type, tuple[str, dict[str, object]]] = {}
        seen: dict[str, str] = {}
        for chapter in parts:
            out += [f"## {chapter.notebook}: {chapter.title}", ""]
            for var, code in chapter.names:
                objects = {report: values.get(var) for report, values in chapter.values.items()}
                sample = next((v for v in objects.values() if v is not None), None)
                if var == "r" or not _is_content(type(sample)):
                    continue
                cls = type(sample)
                if seen.get(var) == code:
                    out += [f"`{var} = {code}`: as in {_where(var, parts)} above.", ""]
                    continue
                seen[var] = code
                doc = " ".join(inspect.cleandoc(cls.__dict__.get("_docstring") or "").split())
                out += [f"### `{var} = {code}`", "", f"{cls.__name__}: {_doc(doc)}", ""]
                out += _table(var, objects, cls)
                out.append("")
                _nested(cls, var, objects, found)
            if chapter.shown:
                out += ["Shown by code cells (tables, figures, quotes):", ""]
                for call in chapter.shown:
                    shown = call if len(call) <= 60 else call[:call.index("(")] + "(r, …)"
                    out.append(f"- `{shown}`: {_doc(_first_sentence(call, chapter))}")
                out.append("")
        out += _building_blocks(found)
    return "\n".join(out).rstrip() + "\n"


def _where(var: str, parts: list[Chapter]) -> str:
    return next(c.notebook for c in parts if any(v == var for v, _ in c.names))


def _first_sentence(call: str, chapter: Chapter) -> str:
    """The first sentence of the docstring of the function a displayed call calls."""
    function = ast.parse(call, mode="eval").body.func
    try:
        target = eval(ast.unparse(function), chapter.values["national"])
    except Exception:
        return ""
    doc = " ".join((inspect.getdoc(target) or "").split())
    return doc.split(". ")[0].rstrip(".") + "." if doc else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when docs/values.md differs from what the code gives")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is out of date: run {COMMAND}", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(TARGET)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
