"""The municipality's own answers to each chapter's questions against the whole country and
its size group (:func:`answers`), and the pieces the own-picture tables share: the size
group's column heading, a share with its N in one cell (``69 % (16)``, the one format of every
own-picture table) and the survey's source line.

Every comparison names its group and prints the number of municipalities it counts (N).
"""

from __future__ import annotations

import pandas as pd

from analysis.report import danish
from analysis.report.content.common import suppressed_rows
from analysis.report.content.themes import FORUM_LEVELS
from analysis.report.notebook import NotebookReport as Report
from analysis.report.present import Table

# What N is, and why it changes from question to question: the notes below share them.
_N_IS = "antallet af kommuner i gruppen, der har svaret på spørgsmålet"
_N_CHANGES = ("det skifter fra spørgsmål til spørgsmål, fordi ikke alle kommuner har svaret "
              "på alt")
N_NOTE = f"N er {_N_IS}; {_N_CHANGES}."
# Added where a table holds the coordinator's placement, asked only where there is one.
PLACEMENT_NOTE = ("Spørgsmålet om koordinatorens placering er kun stillet til kommuner med en "
                  "koordinator.")


# The bases (what a value counts) the own-picture modules' values share: the municipality's own
# answers, its size group's municipalities with a valid answer, and those and the whole country's.
BASE_OWN = "kommunens egne svar"
BASE_GROUP = "kommunerne i størrelsesgruppen med et gyldigt svar"

# The column headings the own-picture tables share (the overview, the size group's answers, the
# chapters' own answers). The answers column names what the shares beside it count: the answers
# a share is made of, whether or not the municipality's own answer is among them or the overview
# reads them as a strength (for the time and the placement it does not).
QUESTION_HEADING = "Spørgsmål"
OWN_ANSWER_HEADING = "Kommunens svar"
COUNTED_HEADING = "Svar, der tælles med i andelene"


def _source(columns, n_note: str = N_NOTE, synthetic: bool = False) -> str:
    """The source line of a table of survey answers, with the note on the placement question
    where the table holds it; for synthetic data the source says so."""
    source = danish.survey_source(synthetic)
    if "koordinator_placering" in columns:
        return f"{n_note} {PLACEMENT_NOTE} Kilde: {source}."
    return f"{n_note} Kilde: {source}."


# The items of each chapter's own-answers table and the answer group each is compared on (for
# a question of COMPLEMENT, the answers outside the group).
OWN_ITEMS = {
    1: (("har_koordinator", "ja"), ("tid_koordinering", "halvtid_eller_mindre"),
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


# Questions whose own-answers row counts the answers outside its group: the time for
# coordination is compared on »more than half-time«, the line the overview and the
# recommendation on time draw (advice.TRIGGERS), so that every table counts the same answers.
COMPLEMENT = frozenset({"tid_koordinering"})
# How a table names the answers it counts where the codebook's labels would make a list:
# (question, the group whose complement is counted).
COUNTED_LABELS = {("tid_koordinering", "halvtid_eller_mindre"): "Mere end en halvtidsstilling"}


def counted_words(report: Report, question: str, group: str, outside_group: bool) -> str:
    """The answers a share counts, as the column :data:`COUNTED_HEADING` names them: ``Ja``,
    ``Overvejende enig eller helt enig``, ``Mere end en halvtidsstilling`` (the answers of
    ``group``, or, with ``outside_group``, the others)."""
    if group == "":
        return "Ja"
    if outside_group and (question, group) in COUNTED_LABELS:
        return COUNTED_LABELS[(question, group)]
    q = report.national.question(question)
    codes = [c for c in q.answers if (c in q.groups[group]) != outside_group]
    words = danish.alternatives([q.answers[c].lower() for c in codes])
    return words[0].upper() + words[1:]


def group_heading(size: str) -> str:
    """A table column of the size group, short, so that a narrow column fits (the overview's
    columns fill the page): ``Kommunens gruppe (4.000+ beboere i områderne)``; the running
    text names the group in full (:data:`~analysis.report.danish.SIZE_GROUP_LONG`)."""
    return danish.SIZE_GROUP_HEADINGS[size]


def _with_n(heading: str, n: int) -> str:
    """``Hele landet (N = 44)``: a column whose every row counts the same municipalities."""
    return f"{heading} ({danish.n_text(n)})"


# Under a table whose cells hold a share and its N together (every own-picture table: the
# overview's eight columns do not fit the page with N columns of their own, and the chapters'
# tables print N as the overview does, so that a reader meets one format).
N_IN_CELL_NOTE = f"Tallet i parentes er N, {_N_IS}; {_N_CHANGES}."
# Under the chapters' tables: the overview's note has already said why N changes.
N_IN_CELL_SHORT_NOTE = f"Tallet i parentes er N, {_N_IS}."


def _pct_n(stat) -> str:
    """A share with its N in one cell: ``69 % (16)`` (``–`` where the figure is not shown)."""
    if stat is None:
        return "–"
    return f"{danish.percent(stat.share)} ({danish.integer(stat.n)})"


def _forum_label(column: str) -> str:
    return f"Fast mødeforum, {FORUM_LEVELS[column].lower()}"


def rows_edition_note(report: Report, asked) -> str:
    """Which of the survey questions ``asked`` the 2015 report printed no results from, named
    by the table's row labels: the forum question by its levels' rows (»Fast mødeforum,
    strategisk niveau« …), every other question by its short label."""
    from analysis.report.content.advice import question_id
    labels = []
    for qid in asked:
        levels = [c for c in FORUM_LEVELS if question_id(report, c) == qid]
        published = report.national.question(qid).published_2015
        labels += [(_forum_label(c), published) for c in levels] or [
            (report.national.question(qid).short, published)]
    return danish.edition_note(labels)


def _own_row(report: Report, item: str, group: str | None, size: str
             ) -> tuple[tuple[str, ...], tuple[str, str] | None] | None:
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
                 _pct_n(s_all), _pct_n(s_grp)),
                None if shown else ("forum", _forum_label(item)))
    q = nat.question(item)
    if code is None or code not in q.answers:
        return None
    if item in COMPLEMENT:                  # the answers outside the group (advice's count)
        from analysis.report.content import advice
        s_all = advice._country(report, item, group, False)
        s_grp = advice._size_group(report, size, item, group, False)
    else:
        s_all = nat.share(item, group)
        s_grp = nat.group_share(item, group, size)
    what = counted_words(report, item, group, item in COMPLEMENT)
    return ((q.short, q.answers[code], what, _pct_n(s_all), _pct_n(s_grp)),
            None if s_grp else (item, q.short))


def in_overview(item: str) -> bool:
    """Whether the overview near the front of the edition (:mod:`own_overview`) already shows
    the question ``item`` (a recommendation rule's question)."""
    from analysis.report.content import advice
    return any(rule[0] == item for rule in advice.TRIGGERS.values())


def answers(report: Report, chapter: int, overview_rows: bool = False) -> Table | None:
    """The municipality's own answers to the chapter's questions that the overview does not
    show (so a coordinator never reads the same row twice), with the share of the whole
    country and of its size group (fixed groups, the same in every report) giving the answer
    named in the third column, each with its N in parentheses, as in the overview. With
    ``overview_rows``, every question of the chapter. None for the national report, where it
    answered none of them, or where the overview shows them all."""
    m = report.municipality
    if m is None or not m.answered:
        return None
    rows, hidden = [], []
    for item, group in OWN_ITEMS[chapter]:
        if not overview_rows and in_overview(item):
            continue
        row = _own_row(report, item, group, m.size_group)
        if row is not None:
            rows.append(row[0])
            if row[1]:
                hidden.append(row[1])
    if not rows:
        return None
    columns = [QUESTION_HEADING, OWN_ANSWER_HEADING, COUNTED_HEADING, danish.RESPONDENTS,
               group_heading(m.size_group)]
    frame = pd.DataFrame(rows, columns=columns)
    asked = tuple(dict.fromkeys("forum" if group is None else item
                                for item, group in OWN_ITEMS[chapter]
                                if overview_rows or not in_overview(item)))
    note = rows_edition_note(report, asked)
    source = _source(asked, N_IN_CELL_SHORT_NOTE, report.synthetic)
    return Table.from_frame(frame, ident=f"egne-svar-{chapter}", caption="",
                            source=f"{source} {note}" if note else source,
                            notes=suppressed_rows(report, hidden, m.size_group, len(rows)))
