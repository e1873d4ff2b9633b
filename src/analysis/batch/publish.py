"""The batch's record: the manifest's entries and the public download page made from it.

The manifest and the download page grow with the batch, so rewriting both after every report
would cost O(N) per report and O(N²) over a batch. :class:`Publisher` rewrites them at most
every :data:`PUBLISH_EVERY` seconds while reports finish, and at the end; a killed run loses at
most that much of its record, and the next run renders those reports again.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from analysis.batch import manifest as mf
from analysis.batch.jobs import Job, Outcome
from analysis.core.files import atomic_write

PUBLISH_EVERY = 1.0


def index_html(manifest: dict, out_dir: Path) -> str:
    """The download page: the national report and the municipal reports that are public, with
    links to the files each has."""
    from analysis.inputs.official_names import official_name
    from analysis.report.danish import sort_key
    from analysis.delivery.pages import DownloadRow, download_page

    public = {key: entry for key, entry in manifest["reports"].items()
              if key == "national" or entry.get("offentlig")}
    entries = sorted(public.items(),
                     key=lambda kv: (kv[0] != "national", sort_key(kv[1].get("name") or "")))
    rows = []
    for key, entry in entries:
        folder = entry.get("folder", "")
        links = tuple((kind, f"{folder}/{file}") for kind, file in
                      (("html", "rapport.html"), ("pdf", "rapport.pdf"), ("xlsx", "tabeller.xlsx"))
                      if (out_dir / folder / file).exists())
        rows.append(DownloadRow(national=key == "national",
                                name=official_name(entry.get("name") or ""), links=links,
                                status=entry.get("status", ""), error=entry.get("error") or ""))
    return download_page(rows, confidential=len(manifest["reports"]) > len(public))


def manifest_entry(job: Job, outcome: Outcome, key: str | None) -> dict:
    """What the manifest records of one report's run (``key``: its input key)."""
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    return {"name": job.name, "kommune": job.kommune, "status": outcome.status,
            "folder": job.target.relative_to(job.out_dir).as_posix(),
            "input_key": key if outcome.status == "rendered" else None,
            "seconds": {k: round(v, 3) for k, v in outcome.seconds.items()},
            "error": outcome.error, "notebook": outcome.notebook, "cell": outcome.cell,
            "finished": now, "provenance": outcome.provenance, "offentlig": job.offentlig,
            "sealed_with": getattr(job.delivery, "key_id", None)}


def publish(out_dir: Path, manifest: dict) -> None:
    """Write the manifest, then the download page made from it (each atomically)."""
    mf.write(out_dir, manifest)
    atomic_write(out_dir / mf.INDEX, index_html(manifest, out_dir).encode("utf-8"))


class Publisher:
    """The batch's record: each finished report's entry goes into ``manifest``, which is
    published (manifest and download page) at most every :data:`PUBLISH_EVERY` seconds while
    reports finish, and whenever :meth:`flush` is called."""

    def __init__(self, out_dir: Path, manifest: dict):
        self.out_dir, self.manifest = out_dir, manifest
        self._at, self._behind = time.monotonic(), False

    def record(self, key: str, entry: dict) -> None:
        self.manifest["reports"][key] = entry
        self._behind = True
        if time.monotonic() - self._at >= PUBLISH_EVERY:
            self.flush()

    def flush(self, *, always: bool = True) -> None:
        """Publish now; with ``always=False`` only if an entry is not yet published."""
        if always or self._behind:
            publish(self.out_dir, self.manifest)
            self._at, self._behind = time.monotonic(), False
