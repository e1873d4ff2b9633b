"""The one table of the questions the report requires (what validate checks) covers every
question and answer group the report's code and notebooks use."""

from __future__ import annotations

import re

from analysis.inputs.questions import REQUIRED_QUESTIONS
from shipped_inputs import PROJECT


_USES = re.compile(r"""(?:share|group_share|own_in)\(\s*['"](\w+)['"],\s*['"](\w+)['"]""")
_QUESTION = re.compile(r"""(?:question|valid|distribution|answer|answer_label|own)\("""
                       r"""(?:report,\s*)?"""
                       r"""['"](\w+)['"]""")


def test_the_required_questions_cover_what_the_report_asks_for():
    # Every (question, group) the report's code and notebooks name must be in the one table
    # that validate checks; every question id it names must be a required question or option.
    sources = [p.read_text(encoding="utf-8") for p in
               [*(PROJECT / "src" / "analysis" / "report" / "content").glob("*.py"),
                *(PROJECT / "notebooks").glob("*.ipynb")]]
    text = "\n".join(sources).replace('\\"', '"')
    required = {q.id: q for q in REQUIRED_QUESTIONS}
    options = {o for q in REQUIRED_QUESTIONS for o in q.options}
    pairs = set(_USES.findall(text))
    assert len(pairs) > 10   # the pattern finds the report's uses
    for qid, group in pairs:
        assert group in required[qid].groups, (qid, group)
    from analysis.report.content import advice, own
    for items in own.OWN_ITEMS.values():
        for qid, group in items:
            assert qid in options if group is None else group in required[qid].groups, qid
    for qid, group, _ in advice.TRIGGERS.values():
        assert qid in options if group == "" else group in required[qid].groups, qid
    named = set(_QUESTION.findall(text)) - {"forum"}
    assert named and named <= set(required) | options, named - set(required) - options
