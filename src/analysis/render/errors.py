"""The one error the rendering package raises."""

from __future__ import annotations


class RenderError(Exception):
    """A report could not be assembled or rendered; the message says why in one line."""
