"""The survey questions the report itself uses, as data: one row per question.

The report's text, figures and recommendations ask the codebook for these question ids, for
the named answer groups (``groups:``) and, for the multiple-choice question, for the option
columns. The table below is the one place that says so: ``rapport validate`` checks a codebook
against it and lists every question that is missing or does not fit, and ``rapport codebook``
prints it at the top of a draft so a researcher knows which variables to map.

Fields
------
id : the question id in the codebook (a variable of the export is mapped to it with
    ``column:``).
chapter : the chapter whose text is built on the question (the ``chapter:`` of the shipped
    codebook).
also : the other parts of the report that use it.
type : ``single`` (``ordinal`` also fits: a scale is a single choice), ``ordinal`` (the answers
    are read as a scale, low to high: stacked bars, rank tests) or ``multiple``.
groups : the answer groups the report counts by name (e.g. ``enig`` = the codes that agree).
options : for ``multiple``: the option columns the report reads.
codes : answer codes the report names by number (recommendations that a code triggers, the
    four steps of the *samarbejdstrappe*); they must be answers in the codebook.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RequiredQuestion:
    id: str
    chapter: int
    type: str
    groups: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    codes: tuple[int, ...] = ()
    also: tuple[str, ...] = ()

    def accepts(self, question_type: str) -> bool:
        """True if a codebook question of ``question_type`` can serve the report here."""
        if self.type == "single":
            return question_type in ("single", "ordinal")
        return question_type == self.type

    @property
    def where(self) -> str:
        """E.g. ``chapter 1 (also the summary, the appendix)``."""
        also = f" (also {', '.join(self.also)})" if self.also else ""
        return f"chapter {self.chapter}{also}"

    @property
    def needs(self) -> str:
        """What the question must be, in one phrase: type, groups, options, codes."""
        parts = [f"type {self.type}" + (" (or ordinal)" if self.type == "single" else "")]
        if self.groups:
            parts.append("answer groups " + ", ".join(self.groups))
        if self.options:
            parts.append("option columns " + ", ".join(self.options))
        if self.codes:
            parts.append("answer codes " + ", ".join(str(c) for c in self.codes))
        return "; ".join(parts)


SUMMARY, APPENDIX, RECOMMENDATIONS = "the summary", "the appendix", "the recommendations"
AGREE_CODES = (1, 2, 3)  # the answers below "agree" that trigger a recommendation

REQUIRED_QUESTIONS: tuple[RequiredQuestion, ...] = (
    RequiredQuestion("har_koordinator", 1, "single", ("ja", "nej"), codes=(2,),
                     also=(SUMMARY, APPENDIX, RECOMMENDATIONS)),
    RequiredQuestion("koordinator_placering", 5, "single", ("borgmesterkontor", "fagforvaltning"),
                     also=(SUMMARY, APPENDIX)),
    RequiredQuestion("tid_koordinering", 1, "ordinal",
                     ("halvtid_eller_mindre", "fuldtid_eller_mere"), also=(SUMMARY, APPENDIX)),
    RequiredQuestion("tilfreds_adm_ledelse", 1, "ordinal", ("tilfreds",),
                     also=("chapter 6", SUMMARY)),
    RequiredQuestion("tilfreds_pol_ledelse", 6, "ordinal", ("tilfreds",)),
    RequiredQuestion("ledelse_kunne_prioritere_hoejere", 6, "ordinal", ("enig",),
                     also=(SUMMARY, APPENDIX)),
    RequiredQuestion("trin_boligorganisation", 2, "ordinal", ("nederste_trin", "oeverste_trin"),
                     codes=(1, 2, 3, 4), also=("chapter 3", "chapter 4", RECOMMENDATIONS)),
    RequiredQuestion("trin_helhedsplan", 2, "ordinal", ("nederste_trin", "oeverste_trin"),
                     codes=(1, 2, 3, 4), also=(RECOMMENDATIONS,)),
    RequiredQuestion("faelles_maal", 3, "ordinal", ("enig",), codes=AGREE_CODES,
                     also=(RECOMMENDATIONS,)),
    RequiredQuestion("tillid", 3, "ordinal", ("enig",), codes=AGREE_CODES,
                     also=(RECOMMENDATIONS,)),
    RequiredQuestion("forum", 4, "multiple",
                     options=("forum_strategisk", "forum_taktisk", "forum_udfoerende"),
                     also=(RECOMMENDATIONS,)),
    RequiredQuestion("internt_forum", 5, "single", ("ja",), codes=(2,),
                     also=(RECOMMENDATIONS,)),
    RequiredQuestion("vidensdeling", 5, "ordinal", ("enig", "uenig"), codes=AGREE_CODES,
                     also=(RECOMMENDATIONS,)),
    RequiredQuestion("ledelse_kommunikerer_maal", 6, "ordinal", ("enig", "uenig"), codes=AGREE_CODES,
                     also=(RECOMMENDATIONS,)),
    RequiredQuestion("medarbejdere_snitflader", 6, "ordinal", ("enig",), codes=AGREE_CODES,
                     also=(RECOMMENDATIONS,)),
    RequiredQuestion("metodefrihed", 6, "ordinal", ("enig",), codes=AGREE_CODES,
                     also=(RECOMMENDATIONS,)),
)
BY_ID: dict[str, RequiredQuestion] = {q.id: q for q in REQUIRED_QUESTIONS}
