"""The municipal recommendations, ranked by weight: the share of the municipality's size group
that answered the question without the gap comes first (the whole country where disclosure
control does not show the group), ties in chapter order. Worked by hand on small constructed
datasets; then through the real executor and assembler."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest

from analysis.report import inline
from analysis.inputs.codebook import load_survey_codebook
from analysis.report.content import advice
from analysis.report.notebook import NotebookReport
from analysis.render.assemble import assemble, ranked_cells
from analysis.stats.disclosure import Plan, Suppression
from analysis.stats.results import Municipality, National

PROJECT = Path(__file__).resolve().parents[1]
CODEBOOK = load_survey_codebook(PROJECT / "data" / "survey" / "codebook.yaml")
# An answer to every rule's question that triggers nothing (codes of data/survey/codebook.yaml).
GOOD = {"har_koordinator": 1, "trin_boligorganisation": 3, "trin_helhedsplan": 4,
        "faelles_maal": 5, "tillid": 4, "forum_strategisk": 1, "forum_taktisk": 1,
        "forum_udfoerende": 1, "internt_forum": 1, "vidensdeling": 4,
        "tilfreds_adm_ledelse": 4, "tilfreds_pol_ledelse": 5,
        "ledelse_kommunikerer_maal": 5, "medarbejdere_snitflader": 4, "metodefrihed": 4,
        "tid_koordinering": 4, "koordinator_placering": 1}
NEJ, UENIG, VED_IKKE = 2, 2, 8


def _report(rows: dict[str, dict[str, int]], ours: str, sizes: dict[str, str] | None = None,
            plan: Plan | None = None, origin: str = "real") -> NotebookReport:
    """A report for municipality ``ours`` over respondents ``rows`` (code -> answers that
    differ from GOOD), each in the size group ``sizes`` gives it (default ``small``), of a
    dataset whose dataset.yaml gives ``origin``."""
    sizes = sizes or {}
    size = {code: sizes.get(code, "small") for code in rows}
    respondents = pd.DataFrame([{"kommunekode": code, **GOOD, **answers,
                                 "size_group": size[code]} for code, answers in rows.items()])
    register = pd.DataFrame({"kommunekode": list(rows), "size_group": [size[c] for c in rows]})
    national = National(dataset=SimpleNamespace(codebook=CODEBOOK, about={"origin": origin}),
                        register=register,
                        respondents=respondents, plan=plan or Plan(k=5, suppressed=()))
    answers = respondents[respondents["kommunekode"] == ours].iloc[0]
    m = Municipality(code=ours, name="Aby", region="Region Sjælland", population=1000,
                     facts=pd.Series({"size_group": size[ours]}), answers=answers)
    return NotebookReport(national=national, municipality=m)


# Aby lacks a coordinator, trust and a tactical forum. Of the five municipalities (Aby
# included, all in one size group), four have a coordinator (4 of 5), two of the four with a
# valid answer agree on trust (2 of 4), and two have a tactical forum (2 of 5): coordinator
# first, then trust, then the forum.
DATA = {
    "101": {"har_koordinator": NEJ, "tillid": UENIG, "forum_taktisk": 0},
    "102": {},
    "103": {"forum_taktisk": 0},
    "104": {"tillid": UENIG, "forum_taktisk": 0},
    "105": {"tillid": VED_IKKE},
}


def test_the_gap_most_others_have_closed_comes_first():
    raad = advice.advice(_report(DATA, "101"))

    assert raad.triggered == {"koordinator", "tillid", "forum_taktisk"}
    assert raad.order == ("koordinator", "tillid", "forum_taktisk")
    assert [raad.rank(n) for n in ("koordinator", "tillid", "forum_taktisk")] == [1, 2, 3]
    assert (raad.country("koordinator").count, raad.country("koordinator").n) == (4, 5)
    assert (raad.country("tillid").count, raad.country("tillid").n) == (2, 4)
    assert (raad.country("forum_taktisk").count, raad.country("forum_taktisk").n) == (2, 5)


def test_changing_the_data_changes_the_order():
    # 105 now disagrees on trust: trust (chapter 3) ties with the forum (chapter 4) at 2 of
    # 5 and stays before it ...
    tie = {**DATA, "105": {"tillid": UENIG}}
    assert advice.advice(_report(tie, "101")).order == ("koordinator", "tillid",
                                                        "forum_taktisk")
    # ... and when the others all have the tactical forum, it ties with the coordinator at
    # 4 of 5 and its chapter (4) comes before the coordinator's (5).
    forum = {"101": DATA["101"], "102": {}, "103": {}, "104": {"tillid": UENIG},
             "105": {"tillid": VED_IKKE}}
    raad = advice.advice(_report(forum, "101"))
    assert raad.order == ("forum_taktisk", "koordinator", "tillid")
    # ... and when two others lack a coordinator (2 of 5), it falls behind trust (2 of 4)
    # and, tied with the forum (2 of 5), behind the forum's chapter too.
    fewer = {**DATA, "102": {"har_koordinator": NEJ}, "103": {"har_koordinator": NEJ,
                                                              "forum_taktisk": 0}}
    assert advice.advice(_report(fewer, "101")).order == ("tillid", "forum_taktisk",
                                                          "koordinator")


def test_with_example_data_a_gap_on_a_2015_question_comes_first():
    # the data of the second case above, where the tactical forum (4 of 5) ties with the
    # coordinator and goes first by its chapter: as example data, whose answers to the
    # questions this edition added are invented, the coordinator (a question the 2015 report
    # published) comes first, and the added questions follow in their own order
    forum = {"101": DATA["101"], "102": {}, "103": {}, "104": {"tillid": UENIG},
             "105": {"tillid": VED_IKKE}}
    r = _report(forum, "101", origin="calibrated")
    in_2015 = {column: r.national.question(advice.question_id(r, column)).published_2015
               for column in ("har_koordinator", "forum_taktisk", "tillid")}
    assert in_2015["har_koordinator"] is not False
    assert in_2015["forum_taktisk"] is False and in_2015["tillid"] is False
    real = advice.advice(_report(forum, "101"))
    example = advice.advice(r)
    assert real.order == ("forum_taktisk", "koordinator", "tillid") and real.first == set()
    assert example.order == ("koordinator", "forum_taktisk", "tillid")
    assert example.first == {"koordinator"}


def test_with_example_data_the_placement_waits_for_the_forum_it_is_decided_by():
    # Aby's coordinator sits in a fagforvaltning, it has no internal forum (an added question)
    # and little time; 102 has little time too. The placement (a 2015 question) is a gap only
    # through the missing forum, so the forum's recommendation takes both up, and with example
    # data it does not come first: the time (3 of 5 with more) goes before the forum (4 of 5
    # with one), which leads with real data.
    rows = {"101": {"koordinator_placering": 2, "internt_forum": NEJ, "tid_koordinering": 1},
            "102": {"tid_koordinering": 1}, "103": {}, "104": {}, "105": {}}
    r = _report(rows, "101", origin="calibrated")
    assert r.national.question(advice.question_id(r, "koordinator_placering")).published_2015
    assert r.national.question(advice.question_id(r, "internt_forum")).published_2015 is False
    real, example = advice.advice(_report(rows, "101")), advice.advice(r)
    assert real.triggered == example.triggered == {"placering", "internt_forum", "tid"}
    assert real.order == ("internt_forum", "tid") and real.first == set()
    assert example.order == ("tid", "internt_forum") and example.first == {"tid"}
    assert example.rank("placering") == example.rank("internt_forum") == 2


# Aby (large) lacks a coordinator and a tactical forum. Among the four large municipalities
# three have a coordinator (3 of 4) and two the forum (2 of 4); the four small ones all have
# the forum and none a coordinator. In the whole country the forum is the more common (6 of 8
# against 3 of 8), in Aby's own size group the coordinator (3 of 4 against 2 of 4).
BY_SIZE = {
    "201": {"har_koordinator": NEJ, "forum_taktisk": 0},
    "202": {},
    "203": {},
    "204": {"forum_taktisk": 0},
    **{code: {"har_koordinator": NEJ} for code in ("205", "206", "207", "208")},
}
LARGE = {code: "large" for code in ("201", "202", "203", "204")}


def test_the_size_group_decides_the_order():
    raad = advice.advice(_report(BY_SIZE, "201", LARGE))

    assert raad.order == ("koordinator", "forum_taktisk")
    assert (raad.group("koordinator").count, raad.group("koordinator").n) == (3, 4)
    assert (raad.group("forum_taktisk").count, raad.group("forum_taktisk").n) == (2, 4)
    assert (raad.country("forum_taktisk").count, raad.country("forum_taktisk").n) == (6, 8)
    assert raad.basis("koordinator") == raad.group("koordinator")
    assert raad.among("koordinator") == "de 4 kommuner i samme størrelsesgruppe"
    assert raad.country_note("koordinator") == " (i hele landet 3 af 8)"
    assert raad.group_ranked and not raad.partly_country


def test_a_suppressed_size_group_gives_way_to_the_country():
    # disclosure control hides the large municipalities' answers on the coordinator: its
    # weight is the country's (3 of 8), below the forum's in the size group (2 of 4)
    plan = Plan(k=5, suppressed=(Suppression("har_koordinator", "size_group", "large", 4,
                                             "primary"),))
    raad = advice.advice(_report(BY_SIZE, "201", LARGE, plan))

    assert raad.group("koordinator") is None
    assert raad.basis("koordinator") == raad.country("koordinator")
    assert raad.among("koordinator") == "de 8 kommuner i hele landet"
    assert raad.country_note("koordinator") == ""
    assert raad.order == ("forum_taktisk", "koordinator")
    assert raad.partly_country
    # the option columns of the forum question are looked up under the question's id
    forum = Plan(k=5, suppressed=(Suppression("forum", "size_group", "large", 4, "primary"),))
    assert advice.advice(_report(BY_SIZE, "201", LARGE, forum)).group("forum_taktisk") is None


def test_a_recommendation_not_given_has_no_rank():
    raad = advice.advice(_report(DATA, "101"))
    with pytest.raises(KeyError):
        raad.rank("metodefrihed")
    with pytest.raises(KeyError):
        raad.rank("no_such_rule")


# --- the notebook's recommendation cells ---------------------------------------------------

# The chapters' anchors (the notebooks' kapitel N), as the recommendation cells link to them.
ANCHORS = {1: "kap-helhedsplaner", 2: "kap-potentialer", 3: "kap-forstaaelse",
           4: "kap-organisering", 5: "kap-intern", 6: "kap-ledelse"}


# The recommendations that say the municipality's answer in words (»Kommunen har …«) rather
# than print its answer label: the coordinator and the three forums.
IN_WORDS = {"koordinator", "forum_strategisk", "forum_taktisk", "forum_udfoerende"}


def _recommendation_cells():
    nb = nbformat.read(PROJECT / "notebooks" / "00_forside.ipynb", as_version=4)
    return [c for c in nb.cells if c.cell_type == "markdown" and "raad.has(" in c.source]


def test_every_recommendation_cell_is_ranked_and_names_its_answer_and_chapter():
    cells = _recommendation_cells()
    names = []
    for cell in cells:
        # a recommendation on an added question may have a twin without its counts, shown
        # with synthetic data (own.printable)
        m = re.search(r'^% hvis: raad\.has\("(\w+)"\)( and (not )?raad\.joined\("\1"\))?'
                      r'( and (?P<bare>not )?own\.printable\(r, "\1"\))?$', cell.source, re.M)
        name = m.group(1)
        names.append(name)
        assert inline.rank(cell.source) == f'raad.rank("{name}")'
        chapters = set(re.findall(r"\[kapitel %s\]\(#(kap-[a-z]+)\)", cell.source))
        assert chapters == {ANCHORS[advice.CHAPTERS[name]]}, name
        # how its size group (or, where that is not shown, the country) answered, and the
        # country beside it
        for call in ("raad.among", "raad.basis", "raad.country_note"):
            assert (f'{call}("{name}")' in cell.source) != bool(m.group("bare")), (name, call)
        # a recommendation that also takes up another gap (advice.JOINED) counts that gap's
        # question as well, even where its own question's counts are left out
        if m.group(2) and not m.group(3):
            for gap in (g for g, host in advice.JOINED.items() if host == name):
                for call in ("raad.among", "raad.basis", "raad.country_note"):
                    assert f'{call}("{gap}")' in cell.source, (name, gap, call)
        # what the municipality answered: its answer label, or (where the answer is a no or
        # an option not ticked) said in words
        question = advice.TRIGGERS[name][0]
        if name in IN_WORDS:
            assert "Kommunen har" in cell.source and "r.own(" not in cell.source, name
        else:
            assert f'r.own("{question}")' in cell.source, name
    # (an opinion of the municipality's leaders is never a gap: no cell could show)
    assert sorted(set(names)) == sorted(set(advice.TRIGGERS) - advice.OPINION)


# --- ranked cells in the assembler ---------------------------------------------------------

def _md(text: str, rank: float | None = None, left_out: bool = False):
    cell = nbformat.v4.new_markdown_cell("" if left_out else text)
    if rank is not None:
        cell.metadata["rapport"] = {"rang": rank}
    return cell


def test_the_assembler_sorts_each_run_of_ranked_cells_and_nothing_else():
    cells = [_md("Indledning"), _md("C", 3.0), _md("", left_out=True), _md("A", 1.0),
             _md("B", 2.0), _md("Mellem"), _md("E", 2.0), _md("D", 1.0)]

    assert [c.source for c in ranked_cells(cells)] == [
        "Indledning", "A", "B", "C", "", "Mellem", "D", "E"]


def test_equal_ranks_keep_the_notebook_order():
    cells = [_md("X", 1.0), _md("Y", 1.0), _md("Z", 0.0)]
    assert [c.source for c in ranked_cells(cells)] == ["Z", "X", "Y"]


def test_rank_line_is_read_among_the_opening_comments_only():
    assert inline.rank('% hvis: a\n% rang: raad.rank("x")\nTekst') == 'raad.rank("x")'
    assert inline.rank("Tekst\n% rang: 1") is None
    assert inline.resolve('% hvis: a\n% rang: 2\n1. Tekst', {}) == "1. Tekst"


@pytest.mark.e2e
def test_ranked_cells_come_out_of_the_real_executor_in_rank_order(tmp_path):
    from analysis.render.execute import WarmKernel

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    params = nbformat.v4.new_code_cell("orden = []")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_markdown_cell("Anbefalinger:")]
    for name in ("a", "b", "c"):
        nb.cells.append(nbformat.v4.new_markdown_cell(
            f'% hvis: "{name}" in orden\n% rang: orden.index("{name}")\n1. Punkt {name}.'))
    nb.cells.append(nbformat.v4.new_markdown_cell("Slut."))
    path = tmp_path / "anbefalinger.ipynb"
    nbformat.write(nb, path)

    with WarmKernel(tmp_path) as kernel:
        first = assemble([kernel.run(path, {"orden": ["c", "a"]})]).body
        second = assemble([kernel.run(path, {"orden": ["b", "c", "a"]})]).body

    assert re.findall(r"Punkt (\w)", first) == ["c", "a"]
    assert re.findall(r"Punkt (\w)", second) == ["b", "c", "a"]
    assert first.index("Anbefalinger:") < first.index("Punkt c") < first.index("Slut.")


# The coordinator's placement (chapter 5): a coordinator in a fagforvaltning is a gap only where
# the municipality has no fixed internal cross-disciplinary forum, whatever most of the group do.
FAGFORVALTNING, BORGMESTERKONTOR = 2, 1


def test_placement_in_a_fagforvaltning_is_a_gap_only_without_an_internal_forum():
    rows = {"101": {"koordinator_placering": FAGFORVALTNING},
            "102": {}, "103": {}, "104": {}, "105": {}}
    assert not advice.advice(_report(rows, "101")).has("placering")      # has the forum
    rows["101"]["internt_forum"] = NEJ
    raad = advice.advice(_report(rows, "101"))
    assert raad.has("placering") and raad.has("internt_forum")
    # ... also where most of the group have the coordinator in a fagforvaltning too
    most = {code: {"koordinator_placering": FAGFORVALTNING} for code in rows}
    most["101"]["internt_forum"] = NEJ
    assert advice.advice(_report(most, "101")).has("placering")
    # elsewhere than a fagforvaltning, never a gap
    rows["101"]["koordinator_placering"] = 3
    assert not advice.advice(_report(rows, "101")).has("placering")


def test_the_ranking_rule_names_the_group_and_its_count():
    """The front matter's cells state the order (the words are in the notebook): they name
    the size group and the number of its municipalities that answered, or the country."""
    rows = {"101": {"har_koordinator": NEJ, "tillid": UENIG}, "102": {}, "103": {}}
    raad = advice.advice(_report(rows, "101"))
    assert raad.count == 2 and raad.group_ranked and not raad.partly_country
    assert raad.group_n == 3
    one = advice.advice(_report({"101": {"tillid": UENIG}, "102": {}}, "101"))
    assert one.count == 1 and one.group_n == 2
    assert advice.advice(_report({"101": {}, "102": {}}, "101")).none


def test_placement_and_the_missing_forum_share_one_recommendation():
    """A coordinator in a fagforvaltning without the internal forum: two gaps of the overview,
    one recommendation (advice.JOINED), both rows pointing to its number."""
    rows = {"101": {"koordinator_placering": FAGFORVALTNING, "internt_forum": NEJ,
                    "tillid": UENIG},
            "102": {}, "103": {}, "104": {}, "105": {}}
    raad = advice.advice(_report(rows, "101"))
    assert raad.triggered == {"placering", "internt_forum", "tillid"}
    assert raad.joined("placering") and raad.joined("internt_forum")
    assert not raad.joined("tillid")
    assert raad.count == 2 and "placering" not in raad.order
    assert raad.rank("placering") == raad.rank("internt_forum")
    # without the fagforvaltning, the missing forum is a recommendation of its own
    rows["101"]["koordinator_placering"] = BORGMESTERKONTOR
    alone = advice.advice(_report(rows, "101"))
    assert alone.triggered == {"internt_forum", "tillid"} and not alone.joined("internt_forum")
    assert alone.count == 2


def test_satisfaction_rows_count_the_group_giving_the_own_answer_band():
    """Dissatisfied (1-2), neither (3) and satisfied (4-5) are counted apart: of the five,
    two are dissatisfied like Aby (its own answer, 2, and 103's 1); 102's neither is not."""
    from analysis.report.content import own
    could = "ledelse_kunne_prioritere_hoejere"
    rows = {"101": {"tilfreds_adm_ledelse": 2, could: 4}, "102": {"tilfreds_adm_ledelse": 3},
            "103": {"tilfreds_adm_ledelse": 1}, "104": {}, "105": {}}
    for answers in rows.values():
        answers.setdefault(could, 2)
    report = _report(rows, "101")
    assert own.opinion_band(report, "adm_prioritering") == (2, 5)
    assert own.relative_verdict(report, "adm_prioritering") == \
        own.relative_label(own.MINORITY_LABEL, 2, 5)
    # dissatisfied and agreeing that the leaders could prioritise higher: the pointer
    assert own.dissatisfied_yet_could(report)
    rows["101"][could] = 2
    assert not own.dissatisfied_yet_could(_report(rows, "101"))
    # satisfied like three of the five (104, 105 and itself)
    rows["101"]["tilfreds_adm_ledelse"] = 5
    assert own.opinion_band(_report(rows, "101"), "adm_prioritering") == (3, 5)
