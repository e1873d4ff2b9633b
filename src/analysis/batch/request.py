"""What one ``rapport render`` asks for, made once by the command line and read by the batch.

The batch and the manifest's cache keys see this request, never the command line's parser, so
what a render depends on is written here and nowhere else. Standard library only: the
"nothing changed" check reads it before anything heavy is imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analysis.core.problems import InputError, Problem

FORMATS = ("html", "pdf")
ENGINES = ("auto", "pandoc", "quarto")
DEFAULT_TIMEOUT = 600.0
DEFAULT_WEBSERVER_URL = "/kommuner"


@dataclass(frozen=True)
class RenderRequest:
    """The reports to render and how.

    ``all_reports``: the national report and every municipality in the helhedsplan register;
    ``kommuner``: municipalities by name or kommunekode as the user typed them (with neither,
    the national report alone); ``workers``: local worker processes; ``scheduler``: a Dask
    scheduler's address, which replaces the local workers; ``k``: the disclosure threshold
    (None: ``$RAPPORT_K`` or the default); ``timeout``: seconds allowed per report; ``public``:
    municipal reports are published openly instead of sealed; ``webserver`` and
    ``webserver_url``: also write web-server access rules for sealed packages.
    """

    data_dir: Path
    out_dir: Path
    all_reports: bool = False
    kommuner: tuple[str, ...] = ()
    formats: tuple[str, ...] = FORMATS
    engine: str = "auto"
    workers: int = 1
    scheduler: str | None = None
    force: bool = False
    k: int | None = None
    timeout: float | None = DEFAULT_TIMEOUT
    public: bool = False
    webserver: str | None = None
    webserver_url: str = DEFAULT_WEBSERVER_URL

    @property
    def national(self) -> bool:
        """Whether the national report is among the reports asked for."""
        return self.all_reports or not self.kommuner

    @property
    def one_kernel(self) -> bool:
        """Whether the reports are rendered in this process with one kernel (no cluster, and
        one report or one worker), so the kernel can boot while the data are loaded."""
        return not self.scheduler and (
            (not self.all_reports and len(self.kommuner) <= 1) or self.workers <= 1)


def parse_formats(text: str) -> tuple[str, ...]:
    """``"html,pdf"`` -> ``("html", "pdf")``; anything but html and pdf is an input error."""
    formats = tuple(f.strip() for f in text.split(",") if f.strip())
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise InputError([Problem("--format", None, None, ",".join(bad) or text,
                                  "html and/or pdf")])
    return formats
