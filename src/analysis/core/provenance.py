"""How a report was made: one record for ``provenance.json`` and the manifest.

The notebooks fill in what the analysis knows (inputs and their hashes, code version and commit,
parameters, the render date, suppressed cells); the renderer adds what only it knows (notebook
hashes, engine, formats). The report's ``provenance.json`` is the record, and the manifest keeps
each report's fingerprint and commit, so both say the same; the printed colophon is for readers
and names the data's origin and the date, not files or hashes. Standard library only, like the
manifest.
"""

from __future__ import annotations

import functools
import json
import subprocess
from dataclasses import dataclass, field, replace
from typing import Any

from analysis.core.hashing import digest
from analysis.core.settings import PROJECT_ROOT

UNKNOWN_COMMIT = "ukendt"
CHANGED = "+ændringer"


@functools.lru_cache(maxsize=1)
def code_commit() -> str:
    """The git commit of the code (with ``+ændringer`` if the tree has changes), or ``ukendt``."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=PROJECT_ROOT,
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src", "notebooks"],
                               cwd=PROJECT_ROOT, capture_output=True, text=True,
                               check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return UNKNOWN_COMMIT
    return commit + (CHANGED if dirty else "")


def fingerprint(inputs: dict[str, str]) -> str:
    """One hash over every input file's hash (path and hash, in path order)."""
    return digest("".join(f"{path}={sha}\n" for path, sha in sorted(inputs.items())))


@dataclass(frozen=True)
class Provenance:
    report: str                        # "national" or "<kode> <navn>"
    inputs: dict[str, str]             # input file (relative to the data folder) -> sha256
    version: str
    commit: str
    parameters: dict[str, Any]         # kommune, k, synthetic
    rendered: str                      # the render date as the report prints it
    suppressed: list[dict] = field(default_factory=list)
    # known only after rendering
    notebooks: dict[str, str] = field(default_factory=dict)
    engine: str | None = None
    formats: tuple[str, ...] = ()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.inputs)

    def built(self, *, notebooks: dict[str, str], engine: str,
              formats: tuple[str, ...]) -> Provenance:
        """The record with what the renderer adds."""
        return replace(self, notebooks=dict(notebooks), engine=engine, formats=tuple(formats))

    def record(self) -> dict[str, Any]:
        """The record as ``provenance.json`` holds it."""
        out: dict[str, Any] = {
            "report": self.report, "inputs": dict(self.inputs),
            "code": {"version": self.version, "commit": self.commit},
            "parameters": dict(self.parameters), "rendered": self.rendered,
            "suppressed": list(self.suppressed), "fingerprint": self.fingerprint}
        if self.engine is not None:
            out |= {"notebooks": dict(self.notebooks), "engine": self.engine,
                    "formats": list(self.formats)}
        return out

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Provenance:
        code = record.get("code", {})
        return cls(report=record["report"], inputs=dict(record["inputs"]),
                   version=code.get("version", ""), commit=code.get("commit", UNKNOWN_COMMIT),
                   parameters=dict(record.get("parameters", {})),
                   rendered=record.get("rendered", ""),
                   suppressed=list(record.get("suppressed", [])),
                   notebooks=dict(record.get("notebooks", {})), engine=record.get("engine"),
                   formats=tuple(record.get("formats", ())))

    def to_json(self) -> str:
        return json.dumps(self.record(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    def manifest_fields(self) -> dict[str, str]:
        """What the manifest keeps of a rendered report's record."""
        return {"fingerprint": self.fingerprint, "commit": self.commit, "version": self.version}
