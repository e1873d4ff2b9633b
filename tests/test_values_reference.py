"""docs/values.md is what the code gives (``python -m devtools.values_reference``), every value
of the content says what it means and what it counts, and ``help()`` and a share's repr say
the same."""

import dataclasses
import importlib
import inspect
import pkgutil
import pydoc

import pytest

from analysis.report import content
from analysis.report.content import ch1, themes
from analysis.report.content.values import help_text, members
from analysis.report.notebook import setup
from analysis.report.present import Quote
from analysis.stats.estimate import Comparison
from shipped_inputs import DATA
from devtools import values_reference


def content_classes() -> list[type]:
    """The content's value classes (a kind of output the notebook shows, such as a
    constructed quote, a :class:`~analysis.report.present.Quote`, is not a value)."""
    found = []
    for module in pkgutil.iter_modules(content.__path__):
        loaded = importlib.import_module(f"{content.__name__}.{module.name}")
        found += [cls for cls in vars(loaded).values()
                  if inspect.isclass(cls) and dataclasses.is_dataclass(cls)
                  and cls.__module__ == loaded.__name__ and not issubclass(cls, Quote)]
    return found


def test_the_committed_reference_is_what_the_code_gives():
    committed = values_reference.TARGET.read_text(encoding="utf-8")

    assert committed == values_reference.render(), (
        f"docs/values.md is out of date: run {values_reference.COMMAND} and commit it")


@pytest.mark.parametrize("cls", content_classes(), ids=lambda cls: cls.__name__)
def test_every_value_says_what_it_means_and_counts(cls):
    missing = [f"{m.name}: no description" for m in members(cls) if not m.doc]
    missing += [f"{f.name}: no base (what it counts)" for f in dataclasses.fields(cls)
                if not f.metadata.get("base")]

    assert not missing, f"{cls.__name__}: give each field value(doc, base) and each " \
                        f"property a docstring: {missing}"
    assert "_docstring" in cls.__dict__, f"{cls.__name__} needs @described above @dataclass"


def test_the_reference_knows_every_member_of_a_comparison():
    fields = [f.name for f in dataclasses.fields(Comparison)]
    properties = [name for name, attr in vars(Comparison).items() if isinstance(attr, property)]

    assert list(values_reference.COMPARISON) == fields + properties


def _spaced(text: str) -> str:
    """Danish numbers hold no-break spaces (``90 %``); lines as plain spaces."""
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


@pytest.fixture(scope="module")
def koege():
    return setup(kommune="Køge", data_dir=DATA, k=5)


def test_a_share_names_its_base_in_repr_and_help(koege):
    mayor = themes.internal(koege).mayor

    summary = ("20 af 37 kommuner med en koordinator og et gyldigt svar om dens placering: "
               "54 % (44 i alt)")
    assert _spaced(repr(mayor)) == f"Stat({summary})"
    assert summary in _spaced(pydoc.render_doc(mayor, renderer=pydoc.plaintext))


def test_help_on_a_value_lists_what_each_means_counts_and_is(koege):
    text = _spaced(pydoc.render_doc(ch1.coordination(koege), renderer=pydoc.plaintext))

    assert "Municipalities with one or more coordinators. Counts: kommuner med et gyldigt " \
           "svar på, om de har en koordinator." in text
    assert "Here: 37 af 41 = 90 %" in text
    assert help_text(ch1.Coordination).splitlines()[0] in \
        pydoc.render_doc(ch1.Coordination, renderer=pydoc.plaintext)


def test_own_in_names_the_groups_of_a_question_it_does_not_know(koege):
    with pytest.raises(KeyError, match="its groups: enig, uenig"):
        koege.own_in("tillid", "enige")
