"""The municipal edition's own answers: for each chapter, the municipality's answers against
the whole country and its size group, and the one-page overview of strengths and gaps."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.report import danish
from analysis.report.content.common import suppressed_note
from analysis.report.content.themes import FORUM_LEVELS
from analysis.report.notebook import NotebookReport as Report
from analysis.report.present import Table

OWN_SOURCE = (f"N er antallet af kommuner i hele landet, der har svaret på spørgsmålet. "
              f"Kilde: {danish.SOURCE_SURVEY}.")

# The items of each chapter's own-answers table and the answer group each is compared on.
OWN_ITEMS = {
    1: (("har_koordinator", "ja"), ("tid_koordinering", "fuldtid_eller_mere"),
        ("tilfreds_adm_ledelse", "tilfreds")),
    2: (("trin_boligorganisation", "oeverste_trin"), ("trin_helhedsplan", "oeverste_trin")),
    3: (("faelles_maal", "enig"), ("tillid", "enig")),
    4: tuple((column, None) for column in FORUM_LEVELS),
    5: (("koordinator_placering", "borgmesterkontor"), ("internt_forum", "ja"),
        ("vidensdeling", "enig")),
    6: (("ledelse_kunne_prioritere_hoejere", "enig"), ("ledelse_kommunikerer_maal", "enig"),
        ("medarbejdere_snitflader", "enig"), ("metodefrihed", "enig"),
        ("tilfreds_pol_ledelse", "tilfreds")),
}


def _own_row(report: Report, item: str, group: str | None, size: str
             ) -> tuple[tuple[str, ...], str | None] | None:
    nat = report.national
    m = report.municipality
    value = m.answer(item)
    if group is None:                       # one option of the multiple-choice forum question
        if value is None:
            return None
        shown = nat.plan.is_shown("forum", "size_group", size)
        s_all = nat.option_share(item)
        s_grp = nat.option_share(item, size=size) if shown else None
        return ((f"Fast mødeforum, {FORUM_LEVELS[item].lower()}", "Ja" if value == 1 else "Nej",
                 "Ja",
                 danish.percent(s_all.share), danish.integer(s_all.n),
                 danish.percent(s_grp.share) if s_grp else "–"),
                None if shown else suppressed_note(report, "forum"))
    q = nat.question(item)
    if value is None or value not in q.answers:
        return None
    s_all = nat.share(item, group)
    s_grp = nat.group_share(item, group, size)
    what = danish.alternatives([q.answers[c].lower() for c in q.groups[group]])
    return ((q.short, q.answers[value], what[0].upper() + what[1:], danish.percent(s_all.share),
             danish.integer(s_all.n), danish.percent(s_grp.share) if s_grp else "–"),
            None if s_grp else suppressed_note(report, item))


def answers(report: Report, chapter: int) -> Table | None:
    """The municipality's own answers to the chapter's questions, with the share of the whole
    country and of its size group (fixed groups, the same in every report) giving the answer
    named in the third column. None for the national report or where it answered none."""
    m = report.municipality
    if m is None or not m.answered:
        return None
    rows, notes = [], []
    for item, group in OWN_ITEMS[chapter]:
        row = _own_row(report, item, group, m.size_group)
        if row is not None:
            rows.append(row[0])
            if row[1]:
                notes.append(row[1])
    if not rows:
        return None
    columns = ["Spørgsmål", "Kommunens svar", "Andelen, der svarer", danish.COUNTRY,
               "N", danish.SIZE_GROUP_SHORT[m.size_group].capitalize()]
    frame = pd.DataFrame(rows, columns=columns)
    return Table.from_frame(frame, ident=f"egne-svar-{chapter}", caption="",
                            source=OWN_SOURCE,
                            notes=tuple(sorted(set(notes))))


# ---------------------------------------------------------------- the municipality's overview

# The answer that counts as a strength for each question of the overview (a 0/1 option column
# of the forum question has None: "ja" is the strength). Questions whose answers are neither
# good nor bad (where the coordinator sits, how much time is spent, the negatively worded item)
# are not on it.
STRENGTHS: tuple[tuple[str, str | None], ...] = (
    ("har_koordinator", "ja"), ("tilfreds_adm_ledelse", "tilfreds"),
    ("trin_boligorganisation", "oeverste_trin"), ("trin_helhedsplan", "oeverste_trin"),
    ("faelles_maal", "enig"), ("tillid", "enig"),
    ("forum_strategisk", None), ("forum_taktisk", None), ("forum_udfoerende", None),
    ("internt_forum", "ja"), ("vidensdeling", "enig"),
    ("ledelse_kommunikerer_maal", "enig"), ("medarbejdere_snitflader", "enig"),
    ("metodefrihed", "enig"), ("tilfreds_pol_ledelse", "tilfreds"),
)
STRENGTH_LABEL, GAP_LABEL = "Styrke", "Kan styrkes"


@dataclass(frozen=True)
class Overview:
    """The municipality's answers on one page: a table and its strengths and gaps in words."""

    table: Table | None
    strengths: str            # "fælles mål med boligorganisationen, tillid og …" ("" if none)
    gaps: str
    n_strengths: int
    n_gaps: int


def _strength(report: Report, item: str, group: str | None) -> bool | None:
    m = report.municipality
    value = m.answer(item)
    if group is None:
        return None if value is None else value == 1
    q = report.national.question(item)
    if value is None or value not in q.answers:
        return None
    return value in q.groups[group]


def overview(report: Report) -> Overview:
    """The overview near the front of a municipal report (empty for the national report and
    for a municipality that did not answer)."""
    m = report.municipality
    if m is None or not m.answered:
        return Overview(None, "", "", 0, 0)
    rows, notes, good, weak = [], [], [], []
    for item, group in STRENGTHS:
        verdict = _strength(report, item, group)
        if verdict is None:
            continue
        row, note = _own_row(report, item, group, m.size_group)
        label = row[0]
        (good if verdict else weak).append(label[0].lower() + label[1:])
        question, answer, _, *shares = row      # the strength is named in the text instead
        rows.append((question, answer, *shares, STRENGTH_LABEL if verdict else GAP_LABEL))
        if note:
            notes.append(note)
    columns = ["Spørgsmål", "Kommunens svar", danish.COUNTRY, "N",
               danish.SIZE_GROUP_SHORT[m.size_group].capitalize(), "Vurdering"]
    table = Table.from_frame(pd.DataFrame(rows, columns=columns), ident="oversigt", caption="",
                             source=OWN_SOURCE,
                             notes=tuple(sorted(set(notes))))
    return Overview(table=table, strengths=danish.enumerate_words(good),
                    gaps=danish.enumerate_words(weak), n_strengths=len(good), n_gaps=len(weak))
