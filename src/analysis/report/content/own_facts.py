"""The municipality's facts from the registers beside its size group and the whole country
(:func:`facts`): its helhedsplaner, the residents of their areas and its forms of
co-financing. The registers cover every municipality with a helhedsplan, so no figure is
suppressed."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.report import danish
from analysis.report.content.common import Stat
from analysis.report.content.own_answers import BASE_OWN, _with_n, group_heading
from analysis.report.content.values import described, value
from analysis.report.notebook import NotebookReport as Report
from analysis.report.present import Table

# The bases of the values below (what they count): the register of helhedsplaner, and its
# municipalities in the size group.
BASE_REGISTER = "helhedsplansregistret"
BASE_REGISTER_GROUP = "kommuner med en helhedsplan i størrelsesgruppen"


# The co-financing forms, as the register names them (kept with chapter 1's figure).
def _co_financing_labels() -> dict[str, str]:
    from analysis.report.content.ch1_figures import CO_FINANCING_LABELS
    return CO_FINANCING_LABELS


@described
@dataclass(frozen=True)
class Facts:
    """The municipality's facts from the registers beside its size group and the country."""

    table: Table | None = value("The facts table: the municipality, the median or share of its "
                                "size group and of the whole country, each group with its N.",
                                "kommuner med en helhedsplan", example="(tabellen)")
    plans: int = value("The municipality's helhedsplaner.", BASE_REGISTER, default=0)
    residents: int = value("Residents of the areas its helhedsplaner cover.",
                           BASE_REGISTER, default=0)
    group_n: int = value("Municipalities with a helhedsplan in its size group.",
                         BASE_REGISTER_GROUP, default=0)
    group_median: int = value("The median residents of its size group's areas.",
                              BASE_REGISTER_GROUP, default=0)
    fewer: int = value("Municipalities of its size group with fewer residents in their areas.",
                       BASE_REGISTER_GROUP, default=0)
    same: int = value("Other municipalities of its size group with as many residents in their "
                      "areas.", BASE_REGISTER_GROUP, default=0)
    forms: int = value("How many of the forms of co-financing it uses.",
                       BASE_REGISTER, default=0)
    form_names: tuple[str, ...] = value("The forms of co-financing it uses, lower case.",
                                        BASE_REGISTER, default=())
    group_forms: int = value("The median number of forms its size group uses.",
                             BASE_REGISTER_GROUP, default=0)
    size: str = value("Its size group, ``small`` or ``large``.", BASE_REGISTER,
                      default="")
    group_answered: int = value("Municipalities of its size group that completed the "
                                "questionnaire (this one included, if it did).",
                                "kommuner i størrelsesgruppen med en fuldført besvarelse",
                                default=0)
    started: bool = value("It began the questionnaire but did not complete it (a response "
                          "left out of the analysis).", "påbegyndte, ufuldstændige besvarelser",
                          default=False)

    country_time: Stat | None = value("The whole country's share spending more than a "
                                      "half-time post on coordination, as the overview counts "
                                      "it (None where the municipality did not answer the "
                                      "question).",
                                      "kommunerne i hele landet med et gyldigt svar",
                                      default=None)
    own_time: str = value("The municipality's own answer on the weekly coordination time, "
                          "lower case, quoted ('' where it gave none).", BASE_OWN,
                          default="")
    synthetic: bool = value("The registers are synthetic example data.", "datasættet",
                            default=False)
    case: bool = value("It was one of the study's case municipalities (its interviews are "
                       "the 2015 study's).", "casekommunerne i data/reference/published_2015.yaml",
                       default=False)

    @property
    def small_end(self) -> bool:
        """By the residents of its areas it is in the small end of its size group
        (:attr:`position_words`)."""
        return self.group_n > 0 and self.position_words == "i den lille ende af gruppen"

    @property
    def large_end(self) -> bool:
        """By the residents of its areas it is in the large end of its size group."""
        return self.group_n > 0 and self.position_words == "i den store ende af gruppen"

    @property
    def middle(self) -> bool:
        """By the residents of its areas it is in the middle of its size group."""
        return self.group_n > 0 and not self.small_end and not self.large_end

    @property
    def below_median(self) -> bool:
        """Fewer residents in its areas than the median of its size group."""
        return self.residents < self.group_median

    @property
    def one_small_plan(self) -> bool:
        """One helhedsplan, and few residents in its areas (the smaller size group): the
        situation the constructed examples of chapters 4 and 5 describe."""
        return self.plans == 1 and self.size == "small"

    @property
    def plans_words(self) -> str:
        """``én helhedsplan``, ``to helhedsplaner``."""
        noun = "helhedsplan" if self.plans == 1 else "helhedsplaner"
        return f"{danish.count_word(self.plans)} {noun}"

    @property
    def group_words(self) -> str:
        """``kommuner med under 4.000 beboere i helhedsplansområderne``."""
        return danish.SIZE_GROUP_LONG[self.size]

    @property
    def forms_words(self) -> str:
        """``én form, medarbejderressourcer`` or ``to former: medarbejderressourcer og lokaler
        og faciliteter``."""
        n = len(self.form_names)
        if n == 0:
            return "ingen af formerne"
        if n == 1:
            return f"én form, {self.form_names[0]}"
        return f"{danish.count_word(n)} former: {danish.enumerate_words(list(self.form_names))}"

    @property
    def uses_staff(self) -> bool:
        """Staff resources (medarbejderressourcer) are among the forms of co-financing it uses
        (the form the 2015 interviews found creates the most ownership)."""
        label = _co_financing_labels()["medfin_medarbejderressourcer"].lower()
        return label in self.form_names

    @property
    def group_forms_words(self) -> str:
        """The forms the middle municipality of the size group uses: ``to former``."""
        return f"{danish.count_word(self.group_forms)} " + (
            "form" if self.group_forms == 1 else "former")

    @property
    def group_definite(self) -> str:
        """``kommunerne med under 4.000 beboere i helhedsplansområderne``."""
        return danish.SIZE_GROUP_DEFINITE[self.size]

    @property
    def near_other(self) -> bool:
        """It lies at the end of its size group nearest the other group (the small end of the
        large group, the large end of the small group)."""
        return (self.size == "large" and self.small_end) or \
            (self.size == "small" and self.large_end)

    @property
    def compare_country(self) -> bool:
        """It lies at the end of its size group nearest the other group, and its own
        coordination time and the whole country's can both be shown: a sentence sets its time
        beside the whole country's, where municipalities of both sizes are counted."""
        return self.near_other and bool(self.own_time) and self.country_time is not None

    @property
    def fewest(self) -> bool:
        """No municipality of its size group has as few residents in its areas."""
        return self.group_n > 1 and self.fewer == 0 and self.same == 0

    @property
    def most(self) -> bool:
        """No municipality of its size group has as many residents in its areas."""
        return self.group_n > 1 and self.more == 0 and self.same == 0

    @property
    def position_words(self) -> str:
        """Where its residents place it in its size group: ``i den lille ende af gruppen``,
        ``i den store ende af gruppen`` or ``midt i gruppen`` (a third of the group on either
        side counts as an end)."""
        more = self.group_n - 1 - self.fewer - self.same
        if self.fewer * 3 < self.group_n and self.fewer < more:
            return "i den lille ende af gruppen"
        if more * 3 < self.group_n and more < self.fewer:
            return "i den store ende af gruppen"
        return "midt i gruppen"

    @property
    def more(self) -> int:
        """Municipalities of its size group with more residents in their areas."""
        return self.group_n - 1 - self.fewer - self.same

    @property
    def rank_words(self) -> str:
        """Its place in its size group by the residents of its areas, counted (after a
        sentence that names them): ``tre af gruppens 28 kommuner har færre, og 24 har flere``
        (``…, 22 har flere, og to har lige så mange`` where others have as many)."""
        if self.group_n == 0:                   # the national report: no group
            return ""
        fewer = danish.count_word(self.fewer)
        more = danish.count_word(self.more)
        text = f"{fewer} af gruppens {danish.integer(self.group_n)} kommuner har færre"
        if self.same:
            return (f"{text}, {more} har flere, og {danish.count_word(self.same)} har lige "
                    f"så mange")
        return f"{text}, og {more} har flere"

    @property
    def not_answered(self) -> int:
        """Municipalities of its size group that did not complete the questionnaire."""
        return self.group_n - self.group_answered

    @property
    def forms_comparison(self) -> str:
        """Its forms of co-financing against the group's median: ``færre former for
        medfinansiering end``, ``flere … end`` or ``lige så mange … som``."""
        return danish.compare(self.forms, self.group_forms,
                              "flere former for medfinansiering end",
                              "færre former for medfinansiering end",
                              "lige så mange former for medfinansiering som")

    @property
    def median_comparison(self) -> str:
        """Its residents against the group's median: ``færre end``, ``flere end`` or ``lige så
        mange som``."""
        return danish.compare(self.residents, self.group_median, "flere end", "færre end",
                              "lige så mange som")


def _time_against_country(report: Report) -> dict:
    """The municipality's own coordination time and the whole country's share spending more
    than a half-time post (for a municipality that answered)."""
    from analysis.report.content import advice as rules
    m = report.municipality
    if not m.answered:
        return {}
    column = rules.TRIGGERS["tid"][0]
    q = report.national.question(column)
    code = m.answer(column)
    if code is None or code not in q.answers or "ved ikke" in q.answers[code].lower():
        return {}
    country = rules._country(report, *rules.TRIGGERS["tid"])
    return {"own_time": danish.quoted(q.answers[code].lower()),
            "country_time": country if country is not None and country.n > 0 else None}


def _median(values: pd.Series) -> str:
    return danish.integer(danish.whole(values.median()))


def facts(report: Report) -> Facts:
    """The facts of the registers for the municipality's own section (empty for the national
    report). The registers cover every municipality with a helhedsplan, so no figure is
    suppressed; only fixed groups are shown."""
    m = report.municipality
    if m is None:
        return Facts(None)
    reg = report.national.register
    group = reg[reg["size_group"] == m.size_group]
    labels = _co_financing_labels()
    f = m.facts
    own_forms = int(sum(int(f[col] == 1) for col in labels))
    rows = [
        ("Helhedsplaner (antal)", danish.integer(int(f["antal_helhedsplaner"])),
         _median(group["antal_helhedsplaner"]), _median(reg["antal_helhedsplaner"])),
        ("Beboere i områderne med helhedsplan", danish.integer(int(f["beboere_i_omraader"])),
         _median(group["beboere_i_omraader"]), _median(reg["beboere_i_omraader"])),
        ("Indbyggere i kommunen (2015)", danish.integer(m.population),
         _median(group["folketal_2015"]), _median(reg["folketal_2015"])),
    ]
    for col, label in labels.items():
        rows.append((f"Medfinansiering: {label.lower()}", "Ja" if f[col] == 1 else "Nej",
                     danish.percent(float((group[col] == 1).mean())),
                     danish.percent(float((reg[col] == 1).mean()))))
    rows.append(("Former for medfinansiering (antal)", danish.integer(own_forms),
                 _median(sum((group[c] == 1).astype(int) for c in labels)),
                 _median(sum((reg[c] == 1).astype(int) for c in labels))))
    rows = [(label, own, country, in_group) for label, own, in_group, country in rows]
    columns = ["", m.title, _with_n(danish.COUNTRY, len(reg)),
               _with_n(group_heading(m.size_group), len(group))]
    note = ("For grupperne viser tabellen medianen (halvdelen af kommunerne ligger under, "
            "halvdelen over), og for "
            "medfinansieringen andelen af kommunerne, der bruger formen. N er antallet af "
            "kommuner med helhedsplaner i gruppen.")
    table = Table.from_frame(pd.DataFrame(rows, columns=columns), ident="noegletal",
                             caption="",
                             source="Kilde: " + danish.register_source(report.synthetic,
                                                                       population=True) + ".",
                             notes=(note,))
    residents = int(f["beboere_i_omraader"])
    nat = report.national
    answering = set(nat.respondents["kommunekode"].astype(str))
    incomplete = set(nat.dataset.survey.incomplete[nat.codebook.kommune_column].astype(str))
    return Facts(table=table, plans=int(f["antal_helhedsplaner"]), residents=residents,
                 group_n=len(group),
                 group_median=danish.whole(group["beboere_i_omraader"].median()),
                 fewer=int((group["beboere_i_omraader"] < residents).sum()),
                 same=int((group["beboere_i_omraader"] == residents).sum()) - 1, forms=own_forms,
                 form_names=tuple(label.lower() for col, label in labels.items()
                                  if f[col] == 1),
                 group_forms=danish.whole(sum((group[c] == 1).astype(int)
                                              for c in labels).median()),
                 size=m.size_group,
                 group_answered=int(group["kommunekode"].astype(str).isin(answering).sum()),
                 started=not m.answered and str(m.code) in incomplete,
                 synthetic=report.synthetic, **_time_against_country(report),
                 case=m.name in {str(c) for c in nat.dataset.published.get(
                     "population", {}).get("casekommuner", [])})
