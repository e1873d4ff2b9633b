"""Chapter 5's placement table leaves out the placements nobody chose and says so in its note."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.report.content import themes
from analysis.report.notebook import setup


@pytest.fixture(scope="module")
def r():
    return setup()


class _National:
    """The real national results, with other counts for the placement question."""

    def __init__(self, national, counts: dict[str, int]):
        self._national, self._counts = national, counts

    def distribution(self, question_id: str):
        if question_id == "koordinator_placering":
            return pd.DataFrame({"antal": pd.Series(self._counts, dtype="int64")})
        return self._national.distribution(question_id)

    def __getattr__(self, name):
        return getattr(self._national, name)


class _Report:
    def __init__(self, report, counts: dict[str, int]):
        self._report, self.national = report, _National(report.national, counts)

    def __getattr__(self, name):
        return getattr(self._report, name)


def _labels(table) -> list[str]:
    return [row[0] for row in table.rows]


def test_no_row_of_the_shipped_table_counts_zero(r):
    counts = r.national.distribution("koordinator_placering")["antal"]
    table = themes.placement_table(r)
    unchosen = [str(k) for k, v in counts.items() if v == 0]
    assert all(row[1] != "0" for row in table.rows)
    assert _labels(table)[-1] == "I alt"
    if unchosen:
        assert table.notes[-1] == themes.NOTE_UNCHOSEN.format(
            answers=" eller ".join(f"»{label}«" for label in unchosen))


def test_a_placement_nobody_chose_is_named_in_the_note(r):
    table = themes.placement_table(_Report(r, {"Borgmesterkontoret": 12, "En fagforvaltning": 9,
                                               "Andet sted": 0}))
    assert _labels(table) == ["Borgmesterkontoret", "En fagforvaltning", "I alt"]
    assert table.rows[-1][1] == "21"
    assert table.notes == ("Ingen har svaret »Andet sted«.",)


def test_two_placements_nobody_chose(r):
    table = themes.placement_table(_Report(r, {"Borgmesterkontoret": 12, "En fagforvaltning": 0,
                                               "Andet sted": 0}))
    assert _labels(table) == ["Borgmesterkontoret", "I alt"]
    assert table.notes == ("Ingen har svaret »En fagforvaltning« eller »Andet sted«.",)


def test_every_placement_chosen_keeps_every_row_and_adds_no_note(r):
    table = themes.placement_table(_Report(r, {"Borgmesterkontoret": 12, "En fagforvaltning": 9,
                                               "Andet sted": 2}))
    assert _labels(table) == ["Borgmesterkontoret", "En fagforvaltning", "Andet sted", "I alt"]
    assert table.notes == ()
