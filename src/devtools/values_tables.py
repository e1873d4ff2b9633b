"""The tables of ``docs/values.md`` (see :mod:`devtools.values_reference`): for each value,
what it means, what it counts and what it prints in the national report and in Køge's; the
values inside values; the report ``r`` and the prose's helpers; the answer groups."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import json
import re
from collections.abc import Callable

from devtools.values_chapters import DATA, KOMMUNE, Chapter

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
    # the call as the notebook writes it, so the two cannot differ
    setup = next((code for var, code in chapter.names if var == "r"),
                 "setup(kommune, data_dir, k, offentlig)")
    out = ["## The report `r` and the helpers", "",
           f"Every notebook starts with `r = {setup}` (its second code cell, after the "
           "parameters). These are what the prose may call on it directly; a share "
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
    from analysis.inputs.questions import BY_ID

    codebook = load_survey_codebook(DATA / "survey" / "codebook.yaml")
    out = ["## Answer groups (`r.own_in`, `r.share`, `r.group_share`)", "",
           "`r.own_in(question, group)` is true when the municipality's answer lies in the "
           "group; `r.share(question, group)` is the share of the valid answers in it. The "
           "groups are the `groups:` of `data/survey/codebook.yaml`; an option column of a "
           "multiple-choice question is a share with `r.option_share(column)`.", "",
           "**A notebook may use only the groups marked *validate requires*.** `rapport "
           "validate` requires them of every survey's codebook (the table `REQUIRED_QUESTIONS` "
           "in `src/analysis/inputs/questions.py`), so any survey that passes validate renders "
           "the report; `make test-fast` fails on a notebook that uses another group "
           "(`tests/test_required_questions.py` names the notebook, the cell, the question and "
           "the group). For a group in the last column: the municipalities with a valid answer "
           "outside a required group are `s.n - s.count` of its share `s`, or ask for the group "
           "to be added to the question's line in that table (one line). See "
           "[notebooks.md](notebooks.md#count-by-an-answer-group).", "",
           "| question | short label | groups validate requires: a notebook may use them "
           "(answer codes) | other groups of the codebook: not yet for a notebook |",
           "|---|---|---|---|"]
    for q in codebook.questions.values():
        need = BY_ID.get(q.id)
        if q.type == "multiple":
            wanted = need.options if need else ()
            used = ", ".join(f"`{o}` ({label})" for o, label in q.options.items()
                             if o in wanted)
            other = ", ".join(f"`{o}` ({label})" for o, label in q.options.items()
                              if o not in wanted)
            used, other = (f"options: {used}" if used else "–"), (
                f"options: {other}" if other else "–")
        else:
            wanted = need.groups if need else ()

            def groups(keep: bool) -> str:
                return "; ".join(
                    f"`{group}`: " + ", ".join(f"{c} {q.answers.get(c, '')}".strip()
                                               for c in codes)
                    for group, codes in q.groups.items() if (group in wanted) == keep) or "–"
            used, other = groups(True), groups(False)
        if need is None:
            used = "– (validate does not require the question)"
        out.append(f"| `{q.id}` | {_cell(q.short)} | {_cell(used)} | {_cell(other)} |")
    return out + [""]
