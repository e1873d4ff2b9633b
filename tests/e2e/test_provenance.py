"""One provenance record: the colophon, provenance.json and the manifest say the same."""

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
    # the colophon prints the same fingerprint and commit
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", national.html.read_text(encoding="utf-8")))
    assert f"fingeraftryk er {expected[:12]}" in text
    assert record["code"]["commit"] in text
    # the manifest keeps the same
    manifest = json.loads((national.folder.parent / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["reports"]["national"]["provenance"]
    assert entry == {"fingerprint": expected, "commit": record["code"]["commit"],
                     "version": record["code"]["version"]}
