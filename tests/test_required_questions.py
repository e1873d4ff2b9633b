"""The one table of the questions the report requires (what validate checks) covers every
question and answer group the report's code and notebooks use.

A notebook may count by an answer group (``r.share("tillid", "enig")``, ``r.own_in(…)``,
``r.group_share(…)``) only when ``rapport validate`` requires the codebook to define it: the
group is in the question's line of ``REQUIRED_QUESTIONS`` (src/analysis/inputs/questions.py).
Otherwise a survey whose codebook passes validate could fail in the middle of a render. When
this test fails, it says in plain words which notebook or module uses which question and
group, and what to do (docs/notebooks.md, *Count by an answer group*)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from analysis.inputs.questions import REQUIRED_QUESTIONS
from shipped_inputs import PROJECT


_USES = re.compile(r"""(?:[\w.]*\.)?(?:share|group_share|own_in)\("""
                   r"""\s*['"](\w+)['"],\s*['"](\w+)['"]""")
_QUESTION = re.compile(r"""(?:question|valid|distribution|answer|answer_label|own)\("""
                       r"""(?:report,\s*)?"""
                       r"""['"](\w+)['"]""")
TABLE = "src/analysis/inputs/questions.py"
GUIDE = "docs/notebooks.md, »Count by an answer group«"
RULE = ("A notebook (and the report's code) may use only the questions and answer groups that "
        "`rapport validate` requires of a survey's codebook: the table REQUIRED_QUESTIONS in "
        f"{TABLE}, marked »validate requires« in docs/values.md under »Answer groups«. "
        "So every survey whose codebook passes validate can render the report.")


def _texts() -> list[tuple[str, str]]:
    """(where, text): every cell of every notebook, every content module."""
    found = []
    for path in sorted((PROJECT / "notebooks").glob("*.ipynb")):
        for index, cell in enumerate(nbformat.read(path, as_version=4).cells):
            found.append((f"notebooks/{path.name}, cell {index + 1} (counted from 1 from the "
                          f"top, a {cell.cell_type} cell)", cell.source))
    for path in sorted((PROJECT / "src" / "analysis" / "report" / "content").glob("*.py")):
        found.append((str(path.relative_to(PROJECT)), path.read_text(encoding="utf-8")))
    return found


def _line_of(qid: str) -> str:
    """Where the question's line in the table is: ``src/…/questions.py:82``."""
    lines = (PROJECT / TABLE).read_text(encoding="utf-8").splitlines()
    number = next((i for i, line in enumerate(lines, 1) if f'RequiredQuestion("{qid}"' in line),
                  None)
    return f"{TABLE}:{number}" if number else TABLE


def group_problems(texts: list[tuple[str, str]]) -> list[str]:
    """One plain sentence per use of a question or group that validate does not require."""
    required = {q.id: q for q in REQUIRED_QUESTIONS}
    options = {o for q in REQUIRED_QUESTIONS for o in q.options}
    found = []
    for where, text in texts:
        for match in _USES.finditer(text):
            qid, group = match.groups()
            call = match.group(0) + ")"
            if qid not in required:
                found.append(
                    f"{where}: {call} uses the question '{qid}', which `rapport validate` does "
                    f"not require at all. Ask for a line for it to be added to REQUIRED_QUESTIONS "
                    f"in {TABLE}, with the group '{group}'.")
                continue
            groups = required[qid].groups
            if group not in groups:
                found.append(
                    f"{where}: {call} uses the answer group '{group}' of the question "
                    f"'{qid}', and '{group}' is not among the groups `rapport validate` "
                    f"requires of '{qid}' ({', '.join(groups) or 'none'}). What to do: "
                    + (f"either use a required group: with s = r.share(\"{qid}\", "
                       f"\"{groups[0]}\"), the municipalities with a valid answer outside "
                       f"'{groups[0]}' are s.n - s.count, their percentage "
                       f"percent(1 - s.share); or " if groups else "")
                    + f"ask for '{group}' to be added to the question's line in the table, "
                    f"{_line_of(qid)} (one line: its groups {groups!r} become "
                    f"{(*groups, group)!r}), then run .venv/bin/python -m "
                    f"devtools.values_reference.")
        for qid in _QUESTION.findall(text):
            if qid != "forum" and qid not in required and qid not in options:
                found.append(f"{where}: the question '{qid}' is not one `rapport validate` "
                             f"requires. Ask for a line for it to be added to "
                             f"REQUIRED_QUESTIONS in {TABLE}.")
    return list(dict.fromkeys(found))


def _fail(found: list[str]) -> None:
    if found:
        pytest.fail("\n\n".join([RULE, *found, f"How and why: {GUIDE}."]), pytrace=False)


def test_the_required_questions_cover_what_the_report_asks_for():
    texts = _texts()
    uses = [m for _, text in texts for m in _USES.findall(text)]
    assert len(set(uses)) > 10, "the pattern no longer finds the report's uses"
    assert any(_QUESTION.search(text) for _, text in texts)

    _fail(group_problems(texts))


def test_the_municipalitys_own_answers_and_the_recommendations_use_required_groups():
    from analysis.report.content import advice, own

    required = {q.id: q for q in REQUIRED_QUESTIONS}
    options = {o for q in REQUIRED_QUESTIONS for o in q.options}
    found = []
    uses = [("src/analysis/report/content/own.py, OWN_ITEMS", qid, group)
            for items in own.OWN_ITEMS.values() for qid, group in items]
    uses += [("src/analysis/report/content/advice.py, TRIGGERS", qid, group or None)
             for qid, group, _ in advice.TRIGGERS.values()]
    for where, qid, group in uses:
        if group is None and qid not in options:
            found.append(f"{where}: the option column '{qid}' is not one `rapport validate` "
                         f"requires (an option of a multiple-choice question in {TABLE}).")
        elif group is not None and group not in getattr(required.get(qid), "groups", ()):
            found.append(f"{where}: the answer group '{group}' of '{qid}' is not among the "
                         f"groups `rapport validate` requires; add it to the question's line "
                         f"in the table, {_line_of(qid)}.")
    _fail(found)


def test_a_group_validate_does_not_require_is_named_in_plain_words():
    where = "notebooks/05_x.ipynb, cell 3"
    found = group_problems([(where, 'Tekst {eval}`r.share("internt_forum", "nej").count`'),
                            ("m.py", 'r.own_in("vidensdeling", "enig")')])

    assert len(found) == 1
    assert found[0].startswith(f"{where}: r.share(\"internt_forum\", \"nej\") uses the answer "
                               "group 'nej' of the question 'internt_forum', and 'nej' is not "
                               "among the groups `rapport validate` requires of "
                               "'internt_forum' (ja).")
    assert f"{TABLE}:" in found[0] and "('ja',) become ('ja', 'nej')" in found[0]
    assert group_problems([(where, 'r.share("ukendt", "ja")')])[0].startswith(
        f"{where}: r.share(\"ukendt\", \"ja\") uses the question 'ukendt', which")
