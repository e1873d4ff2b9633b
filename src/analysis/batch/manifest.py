"""What is rendered and whether it is up to date: the manifest, input keys, the outputs lock.

This module imports only the standard library, so ``rapport render`` can decide that nothing
changed (file hashes against the manifest) without importing pandas or starting a kernel.

* ``outputs/manifest.json`` holds one entry per report and is rewritten atomically (a
  temporary file renamed over it) each time a report completes, so a killed batch keeps every
  report it finished.
* ``outputs/.lock`` is held (``flock``) by the run that writes into ``outputs/``; a second run
  on the same folder waits for it, saying so, so neither loses the other's reports.
* ``outputs/.staging/`` holds reports being written; whatever is in it when a run takes the
  lock was left by a run that died, and is removed.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import __version__
from analysis.core import paths, settings
from analysis.core.files import atomic_write
from analysis.core.hashing import file_digest, json_digest, tree_digests

if TYPE_CHECKING:
    from analysis.batch.request import RenderRequest

MANIFEST = "manifest.json"
INDEX = "index.html"
LOCK = ".lock"
MAX_PLANS = 32


# ---------------------------------------------------------------- hashes and keys

def hash_tree(root: Path, pattern: str = "**/*") -> dict[str, str]:
    """SHA-256 of every file under ``root`` (``__pycache__`` left out), by relative path."""
    return tree_digests(root, pattern)


def notebook_paths() -> list[Path]:
    return sorted(paths.notebooks_dir().glob("[0-9][0-9]_*.ipynb"))


def notebook_hashes() -> dict[str, str]:
    return {nb.name: file_digest(nb) for nb in notebook_paths()}


def code_hashes() -> dict[str, str]:
    return hash_tree(paths.PROJECT_ROOT / "src" / "analysis")


def input_key(kommune: str | None, k: int | None, formats: tuple[str, ...], engine: str,
              code: dict[str, str], data: dict[str, str], notebooks: dict[str, str], *,
              offentlig: bool = False, webserver: object = None) -> str:
    """A hash of everything a report depends on: data, notebooks, code, parameters and how it
    is delivered (which passphrase sealed it is checked against the manifest separately)."""
    payload = {"data": data, "code": code, "notebooks": notebooks,
               "parameters": {"kommune": kommune, "k": k, "formats": list(formats),
                              "engine": engine, "RAPPORT_K": settings.k_setting(),
                              "offentlig": bool(offentlig),
                              "webserver": None if webserver is None else str(webserver)},
               "version": __version__}
    return json_digest(payload)


def request_key(request: RenderRequest, data: dict[str, str]) -> str:
    """Which reports a request asks for depends only on these (and the data)."""
    payload = {"all": bool(request.all_reports), "kommune": [str(q) for q in request.kommuner],
               "data": data}
    return json_digest(payload)


# ---------------------------------------------------------------- the manifest file

def read(out_dir: Path) -> dict:
    """The manifest, or an empty one when there is none (or it cannot be read)."""
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"reports": {}}
    if not isinstance(manifest, dict) or not isinstance(manifest.get("reports"), dict):
        return {"reports": {}}
    return manifest


def write(out_dir: Path, manifest: dict) -> None:
    manifest["version"] = __version__
    atomic_write(out_dir / MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=2,
                                                 sort_keys=True) + "\n").encode("utf-8"),
                 durable=True)


def remember_plan(manifest: dict, request: str, keys: list[str]) -> None:
    """Record which reports a request meant, so a re-run can check them without the data."""
    plans = manifest.setdefault("plans", {})
    plans.pop(request, None)
    plans[request] = list(keys)
    while len(plans) > MAX_PLANS:
        plans.pop(next(iter(plans)))


# ---------------------------------------------------------------- one run at a time

class OutputsLock:
    """An exclusive ``flock`` on ``outputs/.lock`` for as long as a run writes into outputs/.

    The lock dies with its process, so a killed run never leaves the folder locked.
    """

    def __init__(self, out_dir: Path, wait: bool = True):
        self.out_dir, self.wait, self._fd = out_dir, wait, None

    def __enter__(self) -> OutputsLock:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        path = self.out_dir / LOCK
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "unknown"
            if not self.wait:
                os.close(fd)
                raise Busy(self.out_dir, holder) from None
            print(f"Another rapport run (process {holder}) is writing into {self.out_dir}; "
                  "waiting for it to finish.", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class Busy(Exception):
    def __init__(self, out_dir: Path, holder: str):
        super().__init__(f"another rapport run (process {holder}) is writing into {out_dir}")


def remove_leftovers(out_dir: Path) -> list[Path]:
    """Remove what runs that died left behind; call it holding the lock.

    Staging folders go. A report a run was replacing when it died (``.old-<name>-<pid>`` next
    to where it belongs) is put back if the new one never arrived, else removed.
    """
    removed = []
    staging = paths.staging_dir(out_dir)
    if staging.is_dir():
        for entry in staging.iterdir():
            shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink()
            removed.append(entry)
        staging.rmdir()
    for parent in (out_dir, out_dir / "kommuner"):
        if not parent.is_dir():
            continue
        for old in parent.glob(".old-*"):
            name = old.name[len(".old-"):].rsplit("-", 1)[0]
            target = parent / name
            if not target.exists():
                os.replace(old, target)
            else:
                shutil.rmtree(old, ignore_errors=True)
            removed.append(old)
    return removed


# ---------------------------------------------------------------- nothing changed?

def _engine(choice: str) -> str | None:
    have_quarto = shutil.which("quarto") is not None
    if choice == "auto":
        return "quarto" if have_quarto else "pandoc"
    if choice == "quarto" and not have_quarto:
        return None   # the full path reports the error
    return choice


def unchanged(request: RenderRequest) -> list[str] | None:
    """The reports ``request`` asks for, if every one is rendered and up to date; else None.

    Decided from the hashes of the data, notebooks and code and the manifest alone. None means
    "do the full run" (which also reports any problem with the arguments or the data).
    """
    out_dir, formats = request.out_dir, request.formats
    if request.force or not (out_dir / INDEX).is_file():
        return None
    engine = _engine(request.engine)
    if engine is None:
        return None
    manifest = read(out_dir)
    if manifest.get("version") != __version__:
        return None
    data = hash_tree(request.data_dir)
    keys = manifest.get("plans", {}).get(request_key(request, data))
    if not keys:
        return None
    code, notebooks = code_hashes(), notebook_hashes()
    public = request.public
    if request.webserver is not None:
        return None          # access rules: let the full run decide
    if not public and any(key != "national" for key in keys) \
            and manifest.get("keys") != keys_hash():
        return None          # the passphrases changed: seal again
    for key in keys:
        entry = manifest["reports"].get(key)
        if not entry or entry.get("status") != "rendered" or not entry.get("folder"):
            return None
        kommune = None if key == "national" else key
        offentlig = public and kommune is not None
        if entry.get("input_key") != input_key(kommune, request.k, formats, engine, code, data,
                                               notebooks, offentlig=offentlig):
            return None
        sealed = kommune is not None and not public
        if not complete(out_dir / entry["folder"], formats, engine, sealed=sealed):
            return None
    return list(keys)


def complete(folder: Path, formats: tuple[str, ...], engine: str, *,
             sealed: bool = False) -> bool:
    """Whether a report folder still holds the files its run wrote (none deleted by hand).

    A sealed package holds only its sealed pages (the tables and provenance are inside)."""
    if engine != "pandoc":      # Quarto's layout is its own; the folder must be there
        return folder.is_dir()
    names = [f"rapport.{f}" for f in formats]
    if not sealed:
        names += ["tabeller.xlsx", "provenance.json"]
    return all((folder / name).is_file() for name in names)


def keys_hash() -> str | None:
    """The hash of the passphrase file (None when there is none): a changed file means the
    municipal packages must be sealed again."""
    try:
        return file_digest(settings.keys_file())
    except OSError:
        return None
