"""Which of the report's sources changed since the last look: the chapter notebooks, the data
folder and the templates, found by polling their files' modification times and sizes.

Looking at a few dozen files costs well under a millisecond, so they are looked at twenty
times a second, with no library or operating-system service. Hidden files and folders
(``.ipynb_checkpoints``, an editor's ``.swp``) and backup files (``~``) are not sources and are
left out.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

Stamps = dict[Path, tuple[int, int]]      # file -> (modification time in ns, size)


@dataclass(frozen=True)
class Changes:
    """What changed: the notebooks by path (added, edited or removed), and whether anything in
    the data folder or the templates did."""

    notebooks: frozenset[Path] = field(default_factory=frozenset)
    data: bool = False
    templates: bool = False

    def __bool__(self) -> bool:
        return bool(self.notebooks) or self.data or self.templates

    def describe(self) -> str:
        """``03_x.ipynb``, ``data``, ``templates``, comma-separated (for the terminal)."""
        parts = sorted(p.name for p in self.notebooks)
        parts += [name for name, changed in (("data", self.data), ("templates", self.templates))
                  if changed]
        return ", ".join(parts)


def _ignored(name: str) -> bool:
    return name.startswith((".", "~")) or name.endswith("~")


def stamps(folder: Path, *, pattern: str | None = None, recursive: bool = True) -> Stamps:
    """Every file in ``folder`` (and its subfolders when ``recursive``) matching ``pattern``,
    with its modification time and size; an absent folder has none."""
    found: Stamps = {}
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        if _ignored(entry.name):
            continue
        try:
            if entry.is_dir():
                if recursive:
                    found.update(stamps(Path(entry.path), pattern=pattern))
            elif entry.is_file() and (pattern is None or Path(entry.name).match(pattern)):
                info = entry.stat()
                found[Path(entry.path)] = (info.st_mtime_ns, info.st_size)
        except OSError:            # removed while we looked: the next look sees it gone
            continue
    return found


def _differ(before: Stamps, after: Stamps) -> set[Path]:
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


class Watcher:
    """Polls the notebooks folder (its ``*.ipynb``), the data folder and the templates folder;
    :meth:`poll` says what changed since the previous call (or since it was made)."""

    def __init__(self, notebooks: Path, data: Path, templates: Path):
        self.notebooks, self.data, self.templates = notebooks, data, templates
        self._seen = self._look()

    def _look(self) -> tuple[Stamps, Stamps, Stamps]:
        return (stamps(self.notebooks, pattern="*.ipynb", recursive=False), stamps(self.data),
                stamps(self.templates))

    def poll(self) -> Changes:
        now = self._look()
        notebooks, data, templates = (_differ(a, b) for a, b in zip(self._seen, now))
        self._seen = now
        return Changes(frozenset(notebooks), bool(data), bool(templates))
