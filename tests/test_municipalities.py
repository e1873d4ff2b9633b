import pandas as pd
import pytest

from analysis.inputs.municipalities import Lookup, resolve
from analysis.core.paths import report_dir, slug
from analysis.core.problems import InputError

KOMMUNER = pd.DataFrame({"kommunekode": ["259", "101", "492", "810"],
                         "kommunenavn": ["Køge", "København", "Ærø", "Brønderslev"]})


@pytest.mark.parametrize("query", ["Køge", "koege", "KØGE", "koge", "259", " køge ", "0259",
                                   "259 Køge", "Køge Kommune", "koege kommune"])
def test_resolve_name_or_code(query):
    assert resolve(query, KOMMUNER) == "259"


def test_the_import_and_the_command_line_find_a_municipality_alike():
    lookup = Lookup.of(KOMMUNER)

    assert [lookup.find(q) for q in ("Ærø", "aeroe", "Aero Kommune", "492")] == ["492"] * 4
    assert lookup.find("Atlantis") is None and lookup.find("999") is None


def test_unknown_name_suggests_closest():
    with pytest.raises(InputError) as err:
        resolve("Brønderslv", KOMMUNER)
    assert "did you mean: Brønderslev" in str(err.value)


def test_slug_and_folder():
    assert slug("Ærø") == "aeroe"
    assert slug("Høje-Taastrup") == "hoeje-taastrup"
    assert report_dir(__import__("pathlib").Path("out"), "259", "Køge").as_posix() == \
        "out/kommuner/259-koege"


@pytest.mark.parametrize("query", ["Køgee", "Koegee", "Brønderslv"])
def test_suggestions_name_each_municipality_once(query):
    with pytest.raises(InputError) as err:
        resolve(query, KOMMUNER)
    hint = str(err.value).split("did you mean: ", 1)[1].rstrip("?")
    names = [n.strip() for n in hint.split(",")]
    assert names and len(names) == len(set(names)), hint
