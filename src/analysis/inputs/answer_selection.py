"""A municipality's answer to one question, as ``rapport kommuner --svar``/``--hvor`` name it.

``QUESTION`` is a question id of the survey codebook (``tillid``), or an option column of a
multiple-choice question (``forum_taktisk``). ``QUESTION=ANSWER`` also selects: ANSWER is an
answer code (``4``), an answer label (``Overvejende enig``, any case) or an answer group of the
codebook (``enig``); for a multiple-choice question, an option (``forum_taktisk`` or its label),
for an option column ``ja``/``nej`` (or 1/0).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import pandas as pd

from analysis.core.problems import InputError, Problem
from analysis.inputs.codebook import Question, SurveyCodebook

NO_ANSWER = "–"
YES_NO = {"ja": 1, "nej": 0, "1": 1, "0": 0}


def _fold(text: str) -> str:
    return " ".join(str(text).casefold().split())


@dataclass(frozen=True)
class Selection:
    """One ``QUESTION`` or ``QUESTION=ANSWER``: what to show and, with an answer, what to keep."""

    text: str                          # as written on the command line
    question: Question
    column: str                        # what is shown: the question id or an option column
    codes: tuple[float, ...] | None    # the codes kept (None: every municipality)
    match_column: str = ""             # the answer-file column the codes are looked up in

    def _code(self, answers: pd.Series | None, column: str) -> int | float | None:
        if answers is None:
            return None
        value = answers.get(column)
        return None if value is None or pd.isna(value) else value

    def label(self, answers: pd.Series | None) -> str:
        """The municipality's answer as the codebook words it (``–``: no answer)."""
        q = self.question
        if q.type == "multiple" and self.column not in q.options:
            values = {o: self._code(answers, o) for o in q.options}
            if any(v is None for v in values.values()):
                return NO_ANSWER
            chosen = [q.options[o] for o, v in values.items() if v == 1]
            return "; ".join(chosen) or "ingen"
        value = self._code(answers, self.column)
        if value is None:
            return NO_ANSWER
        if q.type == "multiple":
            return "ja" if value == 1 else "nej"
        if q.type == "number":
            return str(int(value)) if float(value).is_integer() else str(value)
        code = int(value)
        return q.answers.get(code) or q.missing.get(code) or str(code)

    def keeps(self, answers: pd.Series | None) -> bool:
        """Whether the municipality's answer is one of the selected (no answer never is)."""
        if self.codes is None:
            return True
        value = self._code(answers, self.match_column or self.column)
        return value is not None and value in self.codes


def _problem(option: str, text: str, expected: str) -> InputError:
    return InputError([Problem(option, None, None, text, expected)])


def _question(name: str, codebook: SurveyCodebook, option: str, text: str
              ) -> tuple[Question, str]:
    """The question (and column) a name means: a question id or an option column."""
    for q in codebook.questions.values():
        if q.id == name:
            return q, q.id
        if name in q.options:
            return q, name
    known = [*codebook.questions, *(o for q in codebook.questions.values() for o in q.options)]
    close = difflib.get_close_matches(name, known, n=1)
    raise _problem(option, text,
                   "a question id of the survey codebook"
                   + (f" (did you mean '{close[0]}'?)" if close else
                      f": {', '.join(codebook.questions)}"))


def _choices(q: Question, column: str) -> str:
    if q.type == "multiple" and column in q.options:
        return "ja or nej (1 or 0)"
    if q.type == "multiple":
        return "one of its options: " + ", ".join(f"{o} ({label})"
                                                  for o, label in q.options.items())
    if q.type == "number":
        return "a number"
    codes = "; ".join(f"{c} = {label}" for c, label in {**q.answers, **q.missing}.items())
    groups = f"; or a group: {', '.join(q.groups)}" if q.groups else ""
    return f"an answer code or label ({codes}){groups}"


def _codes(q: Question, column: str, answer: str, option: str, text: str
           ) -> tuple[str, tuple[float, ...]]:
    """(the column to look in, the codes kept) for ANSWER of the question."""
    wanted = _fold(answer)
    if q.type == "multiple" and column in q.options:
        if wanted in YES_NO:
            return column, (YES_NO[wanted],)
    elif q.type == "multiple":
        for o, label in q.options.items():
            if wanted in (_fold(o), _fold(label)):
                return o, (1,)
    elif q.type == "number":
        try:
            number = float(answer.replace(",", "."))
            return column, (number,)
        except ValueError:
            pass
    else:
        labels = {**q.answers, **q.missing}
        if answer.strip().lstrip("-").isdigit() and int(answer) in labels:
            return column, (int(answer),)
        for code, label in labels.items():
            if wanted == _fold(label):
                return column, (code,)
        for group, codes in q.groups.items():
            if wanted == _fold(group):
                return column, codes
    raise _problem(option, text, f"{q.id}=ANSWER with ANSWER {_choices(q, column)}")


def select(text: str, codebook: SurveyCodebook, option: str = "--svar",
           need_answer: bool = False) -> Selection:
    """``QUESTION`` or ``QUESTION=ANSWER``, checked against the codebook.

    Raises InputError naming the option, what was given and what it may be.
    """
    name, sep, answer = text.partition("=")
    name = name.strip()
    if need_answer and not (sep and answer.strip()):
        raise _problem(option, text, "QUESTION=ANSWER, e.g. tillid=enig or "
                                     "har_koordinator=2")
    q, column = _question(name, codebook, option, text)
    if not sep:
        return Selection(text, q, column, None)
    if not answer.strip():
        raise _problem(option, text, f"{name}=ANSWER with ANSWER {_choices(q, column)}")
    match_column, codes = _codes(q, column, answer.strip(), option, text)
    return Selection(text, q, column, codes, match_column)
