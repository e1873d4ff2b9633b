"""The one way the project hashes: SHA-256, as hex, of bytes, files, folders and JSON."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def digest(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def file_digest(path: Path) -> str:
    """A file's hash; a folder's hash covers each file's relative path and bytes, in order."""
    path = Path(path)
    h = hashlib.sha256()
    if path.is_dir():
        for member in sorted(p for p in path.rglob("*") if p.is_file()):
            h.update(member.relative_to(path).as_posix().encode())
            h.update(member.read_bytes())
    else:
        h.update(path.read_bytes())
    return h.hexdigest()


def tree_digests(root: Path, pattern: str = "**/*") -> dict[str, str]:
    """The hash of every file below ``root`` matching ``pattern``, by relative path."""
    return {p.relative_to(root).as_posix(): file_digest(p)
            for p in sorted(root.glob(pattern)) if p.is_file() and "__pycache__" not in p.parts}


def json_digest(payload: object) -> str:
    """The hash of a JSON-serialisable value, independent of dict order."""
    return digest(json.dumps(payload, sort_keys=True))


def short_id(text: str, length: int = 10) -> str:
    """A short stable identifier derived from text (not a security measure)."""
    return digest(text)[:length]
