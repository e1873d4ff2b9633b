"""Writing output files: atomically, with reproducible timestamps."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

# Used where a file format insists on a date and SOURCE_DATE_EPOCH is not set.
DEFAULT_EPOCH = 946_684_800  # 2000-01-01T00:00:00Z


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as an int, or None when unset or not a number."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def fixed_datetime() -> dt.datetime:
    """A naive UTC datetime that is the same on every run (SOURCE_DATE_EPOCH or 2000-01-01)."""
    epoch = source_date_epoch()
    stamp = dt.datetime.fromtimestamp(DEFAULT_EPOCH if epoch is None else epoch, dt.UTC)
    return stamp.replace(tzinfo=None)


def atomic_write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same directory and a rename.

    A reader never sees a half-written file, and a failed write leaves the old file intact.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path
