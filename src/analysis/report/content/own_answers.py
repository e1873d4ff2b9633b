"""The municipality's own answers to each chapter's questions against the whole country and
its size group (:func:`answers`), and the pieces the own-picture tables share: the size
group's column heading, a share and its N as two cells, and the survey's source line.

Every comparison names its group and prints the number of municipalities it counts (N).
"""

from __future__ import annotations

import pandas as pd

from analysis.report import danish
from analysis.report.content.common import edition_note, suppressed_note
from analysis.report.content.themes import FORUM_LEVELS
from analysis.report.notebook import NotebookReport as Report
from analysis.report.present import Table

N_NOTE = ("N er antallet af kommuner i gruppen, der har svaret på spørgsmålet; det skifter fra "
          "spørgsmål til spørgsmål, fordi ikke alle kommuner har svaret på alt.")
OWN_SOURCE = f"{N_NOTE} Kilde: {danish.SOURCE_SURVEY}."
# Added where a table holds the coordinator's placement, asked only where there is one.
PLACEMENT_NOTE = ("Spørgsmålet om koordinatorens placering er kun stillet til kommuner med en "
                  "koordinator.")


def _source(columns) -> str:
    """The source line of a table of survey answers, with the note on the placement question
    where the table holds it."""
    if "koordinator_placering" in columns:
        return f"{N_NOTE} {PLACEMENT_NOTE} Kilde: {danish.SOURCE_SURVEY}."
    return OWN_SOURCE


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


def group_heading(size: str) -> str:
    """A table column of the size group: ``Kommuner med 4.000 beboere og derover`` (the
    text above each table says where the residents live). Its words are bound in pairs by
    non-breaking spaces (»Kommuner med«, »4.000 beboere«, »og derover«), so that the heading
    of a narrow column breaks into three lines, not five."""
    words = f"Kommuner med {danish.SIZE_GROUP_SHORT[size]}".split()
    return " ".join(danish.NBSP.join(words[i:i + 2]) for i in range(0, len(words), 2))


def _with_n(heading: str, n: int) -> str:
    """``Hele landet (N = 44)``: a column whose every row counts the same municipalities."""
    return f"{heading} ({danish.n_text(n)})"


def _pct(stat) -> tuple[str, str]:
    """A share and its N as two cells (``–`` twice where the figure is not shown)."""
    if stat is None:
        return "–", "–"
    return danish.percent(stat.share), danish.integer(stat.n)


def _forum_label(column: str) -> str:
    return f"Fast mødeforum, {FORUM_LEVELS[column].lower()}"


def _own_row(report: Report, item: str, group: str | None, size: str
             ) -> tuple[tuple[str, ...], str | None] | None:
    nat = report.national
    m = report.municipality
    code = m.answer(item)
    if group is None:                       # one option of the multiple-choice forum question
        if code is None:
            return None
        shown = nat.plan.is_shown("forum", "size_group", size)
        s_all = nat.option_share(item)
        s_grp = nat.option_share(item, size=size) if shown else None
        return ((_forum_label(item), "Ja" if code == 1 else "Nej", "Ja",
                 *_pct(s_all), *_pct(s_grp)),
                None if shown else suppressed_note(report, "forum"))
    q = nat.question(item)
    if code is None or code not in q.answers:
        return None
    s_all = nat.share(item, group)
    s_grp = nat.group_share(item, group, size)
    what = danish.alternatives([q.answers[c].lower() for c in q.groups[group]])
    return ((q.short, q.answers[code], what[0].upper() + what[1:], *_pct(s_all), *_pct(s_grp)),
            None if s_grp else suppressed_note(report, item))


def answers(report: Report, chapter: int) -> Table | None:
    """The municipality's own answers to the chapter's questions, with the share of the whole
    country and of its size group (fixed groups, the same in every report) giving the answer
    named in the third column, each with its N. None for the national report or where it
    answered none."""
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
    columns = ["Spørgsmål", "Kommunens svar", "Andelen, der svarer", danish.COUNTRY, "N",
               group_heading(m.size_group), "N"]
    frame = pd.DataFrame(rows, columns=columns)
    asked = tuple(dict.fromkeys("forum" if group is None else item
                                for item, group in OWN_ITEMS[chapter]))
    note = edition_note(report, asked)
    return Table.from_frame(frame, ident=f"egne-svar-{chapter}", caption="",
                            source=(f"{_source(asked)} {note}" if note else _source(asked)),
                            notes=tuple(sorted(set(notes))))
