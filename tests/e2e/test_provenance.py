"""One provenance record: provenance.json and the manifest say the same, and the printed
colophon leaves the machine's record (files, hashes, commit) to them."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

PROJECT = Path(__file__).resolve().parents[2]


def _sha(path: Path) -> str:
    h = hashlib.sha256()
    if path.is_dir():
        for member in sorted(p for p in path.rglob("*") if p.is_file()):
            h.update(member.relative_to(path).as_posix().encode())
            h.update(member.read_bytes())
    else:
        h.update(path.read_bytes())
    return h.hexdigest()


def test_colophon_provenance_and_manifest_agree(reports):
    national = reports["national"]
    record = json.loads((national.folder / "provenance.json").read_text(encoding="utf-8"))
    data = PROJECT / "data"
    # every input's hash is the hash of the file in data/, computed here independently
    assert record["inputs"] and all(_sha(data / rel) == sha for rel, sha in record["inputs"].items())
    expected = hashlib.sha256("".join(f"{rel}={sha}\n" for rel, sha in
                                      sorted(record["inputs"].items())).encode()).hexdigest()
    assert record["fingerprint"] == expected
    assert record["engine"] == "pandoc" and record["notebooks"]
    # the colophon is a publisher's: no fingerprint, commit, input file or provenance.json in
    # it (they are in provenance.json, which goes with the report)
    page = national.html.read_text(encoding="utf-8")
    assert 'id="kolofon"' in page
    colophon = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.partition('id="kolofon"')[2]))
    colophon = colophon.replace("\u00ad", "")       # soft hyphens of the listed compounds
    assert "Ny udgave på grundlag af CFBU og KL (2015)" in colophon
    assert expected[:12] not in colophon and "provenance.json" not in colophon
    commit = record["code"]["commit"].split("+")[0]
    assert not re.fullmatch(r"[0-9a-f]{7,40}", commit) or commit not in colophon
    assert not any(Path(rel).name in colophon for rel in record["inputs"])
    # the manifest keeps the same
    manifest = json.loads((national.folder.parent / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["reports"]["national"]["provenance"]
    assert entry == {"fingerprint": expected, "commit": record["code"]["commit"],
                     "version": record["code"]["version"]}
