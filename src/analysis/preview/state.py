"""What the preview server shows, handed from the render loop to the server's threads: the
page, its token, the PDF beside it and the state of the last render."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Shown:
    """One state of the preview. ``token`` is new with every state; an open page reloads when
    the server's token is not its own. ``status`` is what ``/status`` answers (JSON)."""

    token: str
    page: bytes
    pdf: Path | None = None
    status: dict = field(default_factory=dict)


class Board:
    """The current :class:`Shown`, replaced by the render loop and read by the server; those
    waiting for a new one (``/events``) are woken when it is replaced or the board closes."""

    def __init__(self, first: Shown):
        self._shown, self._closed = first, False
        self._changed = threading.Condition()

    def current(self) -> Shown:
        with self._changed:
            return self._shown

    def show(self, shown: Shown) -> None:
        with self._changed:
            self._shown = shown
            self._changed.notify_all()

    def wait_past(self, token: str | None, timeout: float) -> Shown | None:
        """The current state as soon as its token is not ``token`` (at once when it is not),
        the same state after ``timeout`` seconds without a change, None once closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._shown.token != token,
                                   timeout=timeout)
            return None if self._closed else self._shown

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    @property
    def closed(self) -> bool:
        with self._changed:
            return self._closed
