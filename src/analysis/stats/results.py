"""The analysis: computed once per dataset, then shared by the national and municipal reports.

``setup(kommune, data_dir)`` is what every chapter notebook calls first. It returns a
``Report``: the national results (cached in the process, so a kernel that renders many reports
loads, hashes and analyses the data once per data version, see ``_fingerprint``) and, for a
municipal report, that municipality's facts and answers.
"""

from __future__ import annotations

import functools
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from analysis.stats import disclosure
from analysis.core import paths
from analysis.core.settings import LARGE_THRESHOLD
from analysis.inputs.codebook import Question
from analysis.stats.estimate import Share, share
from analysis.core.hashing import file_digest
from analysis.inputs.dataset import ORIGINS, Dataset, load_dataset
from analysis.inputs.municipalities import resolve
from analysis.inputs.official_names import official_name

T = TypeVar("T")



def size_group(residents: pd.Series) -> pd.Series:
    """``small`` under 4000 residents in helhedsplan areas, ``large`` from 4000."""
    return pd.Series(np.where(residents >= LARGE_THRESHOLD, "large", "small"),
                     index=residents.index)


@dataclass(frozen=True)
class National:
    dataset: Dataset
    register: pd.DataFrame       # register + kommuner + size_group
    respondents: pd.DataFrame    # completed answers + register facts
    plan: disclosure.Plan
    _shares: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _valid: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _municipalities: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _distributions: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _derived: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def codebook(self):
        return self.dataset.codebook

    def question(self, question_id: str) -> Question:
        return self.dataset.codebook[question_id]

    def valid(self, question_id: str, frame: pd.DataFrame | None = None) -> pd.DataFrame:
        """Respondents with a real answer (not missing, not "Ved ikke") to the question.

        The respondents' rows are selected once per question (a report asks some forty times);
        each caller gets its own shallow copy, so a column it adds stays its own."""
        if frame is None:
            known = self._valid.get(question_id)
            if known is None:
                known = self._valid[question_id] = self._select_valid(question_id,
                                                                       self.respondents)
            return known.copy(deep=False)
        return self._select_valid(question_id, frame)

    def once(self, key: tuple, compute: Callable[[], T]) -> T:
        """A value that depends on the national results alone, computed the first time it is
        asked for (every municipal edition asks again). ``key`` names the value and everything
        else it depends on; callers only read what they get."""
        if key not in self._derived:
            self._derived[key] = compute()
        return self._derived[key]

    def in_size_group(self, size: str) -> pd.DataFrame:
        """The respondents of one size group (``small``/``large``)."""
        return self.once(("in_size_group", size),
                         lambda: self.respondents[self.respondents["size_group"] == size])

    def _select_valid(self, question_id: str, frame: pd.DataFrame) -> pd.DataFrame:
        q = self.question(question_id)
        if q.type == "multiple":
            return frame[frame[list(q.options)].notna().all(axis=1)]
        return frame[frame[question_id].isin(list(q.answers))]

    def share(self, question_id: str, group: str, *, size: str | None = None) -> Share:
        """Share of valid answers in the codebook group ``group`` (e.g. ``fuldtid_eller_mere``),
        nationally or within a size group, with a finite-population-corrected interval.

        Every report asks for the same national shares; the national results never change
        (a new data version is a new ``National``), so each is computed once and kept."""
        key = (question_id, group, size)
        known = self._shares.get(key)
        if known is None:
            known = self._shares[key] = self._share(question_id, group, size)
        return known

    def _share(self, question_id: str, group: str, size: str | None) -> Share:
        frame = self.valid(question_id)
        population = len(self.register)
        if size is not None:
            frame = frame[frame["size_group"] == size]
            population = int((self.register["size_group"] == size).sum())
        codes = list(self.question(question_id).groups[group])
        return share(int(frame[question_id].isin(codes).sum()), len(frame), population)

    def group_share(self, question_id: str, group: str, size: str) -> Share | None:
        """Like ``share`` within a size group, or None where the disclosure plan suppresses
        that group for the question (every printed size-group number goes through here)."""
        if not self.plan.is_shown(question_id, "size_group", size):
            return None
        return self.share(question_id, group, size=size)

    def option_share(self, column: str, frame: pd.DataFrame | None = None, *,
                     size: str | None = None) -> Share:
        """Share choosing one option of a multiple-choice question, among ``frame``'s
        respondents, or nationally or within a size group (each computed once, as
        :meth:`share`)."""
        if frame is not None:
            return self._option_share(column, frame)
        key = ("option", column, size)
        known = self._shares.get(key)
        if known is None:
            frame = None if size is None else \
                self.respondents[self.respondents["size_group"] == size]
            known = self._shares[key] = self._option_share(column, frame)
        return known

    def _option_share(self, column: str, frame: pd.DataFrame | None) -> Share:
        q = next(q for q in self.codebook.questions.values() if column in q.options)
        valid = self.valid(q.id, frame)
        return share(int((valid[column] == 1).sum()), len(valid), len(self.register))

    def distribution(self, question_id: str, by: str | None = None) -> pd.DataFrame:
        """Counts per answer label (in scale order), overall or per group of ``by``: counted
        once per question and grouping (a report asks a dozen times), a copy for each caller."""
        key = (question_id, by)
        if key not in self._distributions:
            self._distributions[key] = self._distribution(question_id, by)
        return self._distributions[key].copy()

    def _distribution(self, question_id: str, by: str | None) -> pd.DataFrame:
        q = self.question(question_id)
        frame = self.valid(question_id)
        labels = pd.Categorical(frame[question_id].map(q.answers),
                                categories=list(q.answers.values()), ordered=True)
        if by is None:
            counts = pd.Series(labels).value_counts(sort=False)
            return counts.rename("antal").to_frame()
        table = pd.crosstab(pd.Series(labels, index=frame.index, name="svar"), frame[by],
                            dropna=False)
        return table.reindex(list(q.answers.values()), fill_value=0)

    def register_share(self, column: str, *, size: str | None = None) -> Share:
        frame = self.register if size is None else \
            self.register[self.register["size_group"] == size]
        return share(int((frame[column] == 1).sum()), len(frame), len(frame))


def _valid(respondents: pd.DataFrame, q: Question) -> pd.DataFrame:
    """The respondents with a valid answer to ``q`` (every option answered, for a question
    with several options)."""
    if q.type == "multiple":
        return respondents[respondents[list(q.options)].notna().all(axis=1)]
    return respondents[respondents[q.id].isin(list(q.answers))]


def _group_sizes(respondents: pd.DataFrame, national_questions: dict[str, Question]
                 ) -> dict[tuple[str, str], pd.Series]:
    sizes: dict[tuple[str, str], pd.Series] = {}
    for q in national_questions.values():
        valid = _valid(respondents, q)
        for partition in disclosure.PARTITIONS:
            groups = respondents[partition].dropna().unique()
            sizes[(q.id, partition)] = valid[partition].value_counts().reindex(
                sorted(groups), fill_value=0)
    return sizes


def _unanimous(respondents: pd.DataFrame, national_questions: dict[str, Question]
               ) -> dict[tuple[str, str], frozenset[str]]:
    """The groups in which every valid answer to a question but at most one is the same: one
    answer given by all or all but one, or, for a question with several options, an option
    that all, all but one, one or none of the group chose. A member of such a group knows its
    own answer; where it is the one that differs, the group's figure gives every other
    member's answer."""
    out: dict[tuple[str, str], frozenset[str]] = {}
    for q in national_questions.values():
        columns = list(q.options) if q.type == "multiple" else [q.id]
        valid = _valid(respondents, q)
        for partition in disclosure.PARTITIONS:
            alike = set()
            for group, answers in valid.groupby(partition)[columns]:
                n = len(answers)
                # the largest number of members that share one answer (of one option)
                shared = max(answers[c].value_counts().max() for c in columns)
                if shared >= n - 1:
                    alike.add(str(group))
            out[(q.id, partition)] = frozenset(alike)
    return out


def build_national(dataset: Dataset, k: int) -> National:
    kommuner = dataset.kommuner
    register = dataset.register.merge(kommuner, on="kommunekode", how="left")
    register["size_group"] = size_group(register["beboere_i_omraader"])
    respondents = dataset.survey.answers.merge(register, on="kommunekode", how="left")
    questions = dataset.codebook.questions
    plan = disclosure.make_plan(_group_sizes(respondents, questions), k,
                                _unanimous(respondents, questions),
                                {q.id: tuple(q.asked_if) for q in questions.values()})
    return National(dataset=dataset, register=register, respondents=respondents, plan=plan)


# Every notebook of a report calls ``setup``, so a warm kernel asks for the data's fingerprint
# eight times per report. A file's digest is reused while its stat signature is unchanged:
# inode, size, modification and change time in nanoseconds. Writing to a file or replacing it
# changes its change time, which no user-space tool can set back (a modification time can be:
# ``touch -d``, ``cp -p``, ``rsync -t``), so a changed file is always hashed again. On a file
# system with coarse timestamps a write in the same tick as the hash would leave the signature
# unchanged, so a digest taken less than ``RACY_NS`` after the file's last change is not
# reused (git treats its "racily clean" index entries the same way).
RACY_NS = 3_000_000_000
_DIGESTS: dict[str, tuple[tuple[int, int, int, int], str]] = {}


def _signature(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _digest(path: Path) -> str:
    """``file_digest(path)``, reused while the file's stat signature is unchanged."""
    key = str(path)
    signature = _signature(path.stat())
    known = _DIGESTS.get(key)
    if known is not None and known[0] == signature:
        return known[1]
    hashed_at = time.time_ns()
    value = file_digest(path)
    if _signature(path.stat()) == signature and hashed_at - signature[3] > RACY_NS:
        _DIGESTS[key] = (signature, value)
    else:
        _DIGESTS.pop(key, None)
    return value


def _fingerprint(data_dir: Path) -> tuple[tuple[str, str], ...]:
    """Every data file's relative path and SHA-256 (see ``_digest`` for when a digest is
    reused); a file added, removed or changed gives another fingerprint."""
    files = [p for p in sorted(data_dir.rglob("*")) if p.is_file()]
    return tuple((p.relative_to(data_dir).as_posix(), _digest(p)) for p in files)


@functools.lru_cache(maxsize=4)
def _national_cached(data_dir: str, fingerprint: tuple, k: int) -> National:
    return build_national(load_dataset(Path(data_dir)), k)


def national(data_dir: Path | None = None, k: int | None = None) -> National:
    """The national results for ``data_dir``, computed once per process and data version."""
    data_dir = Path(data_dir) if data_dir is not None else paths.default_data_dir()
    data_dir = data_dir.resolve()
    return _national_cached(str(data_dir), _fingerprint(data_dir), disclosure.threshold(k))


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    region: str
    population: int
    facts: pd.Series            # register row merged with kommuner
    answers: pd.Series | None   # this municipality's completed response, or None

    @property
    def title(self) -> str:
        """The municipality's name as Danish prose uses it: ``Københavns Kommune``."""
        return official_name(self.name)

    @property
    def size_group(self) -> str:
        return str(self.facts["size_group"])

    @property
    def answered(self) -> bool:
        return self.answers is not None

    def answer(self, question_id: str) -> int | None:
        """This municipality's valid answer code, or None (not answered / missing code)."""
        if self.answers is None:
            return None
        value = self.answers.get(question_id)
        return None if value is None or pd.isna(value) else int(value)


@dataclass(frozen=True)
class Report:
    national: National
    municipality: Municipality | None

    @property
    def is_national(self) -> bool:
        return self.municipality is None

    @property
    def about(self) -> dict:
        return self.national.dataset.about

    @property
    def origin(self) -> str:
        """What ``data/dataset.yaml`` says the data are: ``calibrated`` (synthetic example data
        built to reproduce the 2015 report's published figures), ``synthetic`` or ``real``
        (its key ``origin``, which the loader requires; without a ``dataset.yaml`` at all, the
        data are taken as real)."""
        about = self.about
        if about.get("origin") in ORIGINS:
            return str(about["origin"])
        if not about.get("synthetic", False):
            return "real"
        return "calibrated" if about.get("calibrated", True) else "synthetic"

    @property
    def synthetic(self) -> bool:
        """The data are synthetic (``origin`` is ``calibrated`` or ``synthetic``)."""
        return self.origin != "real"

    @property
    def synthetic_uncalibrated(self) -> bool:
        """The data are synthetic and were not built to reproduce the 2015 report (``origin:
        synthetic``), e.g. a fictitious scale dataset."""
        return self.origin == "synthetic"

    @property
    def reproduces_2015(self) -> bool:
        """The data reproduce every count the 2015 report published (checked, whatever
        ``dataset.yaml`` says)."""
        from analysis.stats.published import reproduces_2015
        return reproduces_2015(self.national)

    @property
    def calibrated(self) -> bool:
        """The data are the calibrated example data: ``dataset.yaml`` says so (``origin:
        calibrated``) and the data do reproduce the 2015 report's published counts. A report
        may say that its numbers reproduce 2015's only when this is true."""
        return self.origin == "calibrated" and self.reproduces_2015

    @property
    def calibration_lost(self) -> bool:
        """``dataset.yaml`` says the data are calibrated, but they no longer reproduce the 2015
        report's counts (new answers dropped in under the old ``dataset.yaml``)."""
        return self.origin == "calibrated" and not self.reproduces_2015


def municipality(nat: National, query: str) -> Municipality:
    """The municipality ``query`` names, as every notebook of its report asks for it (made
    once per data version and query)."""
    known = nat._municipalities.get(query)
    if known is None:
        known = nat._municipalities[query] = _municipality(nat, query)
    return known


def _municipality(nat: National, query: str) -> Municipality:
    code = resolve(query, nat.dataset.kommuner)
    row = nat.register[nat.register["kommunekode"] == code]
    if row.empty:
        kommuner = nat.dataset.kommuner.set_index("kommunekode")
        from analysis.core.problems import InputError, Problem
        raise InputError([Problem("--kommune", None, None, query,
                                  f"a municipality in the helhedsplan register "
                                  f"({kommuner.at[code, 'kommunenavn']} has no helhedsplan)")])
    facts = row.iloc[0]
    answers = nat.respondents[nat.respondents["kommunekode"] == code]
    return Municipality(code=code, name=str(facts["kommunenavn"]), region=str(facts["region"]),
                        population=int(facts["folketal_2015"]), facts=facts,
                        answers=None if answers.empty else answers.iloc[0])


def setup(kommune: str | None = None, data_dir: str | Path | None = None,
          k: int | None = None) -> Report:
    """The report context every chapter notebook starts from."""
    nat = national(Path(data_dir) if data_dir else None, k)
    return Report(national=nat, municipality=None if kommune in (None, "") else
                  municipality(nat, str(kommune)))
