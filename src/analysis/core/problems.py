"""Problems found in input data, reported one line each, and the error that carries them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in one input file.

    ``row`` is the 1-based line number in the file as a researcher sees it in a spreadsheet
    (the header is row 1), or None when the problem concerns the whole file or a column.
    """

    file: str
    row: int | None
    column: str | None
    value: object
    expected: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        value = "" if self.value is None else f": value {self.value!r}"
        return f"{', '.join(where)}{value} — expected {self.expected}"


class InputError(Exception):
    """Raised with every problem found, so the CLI can print them all and exit 1."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
