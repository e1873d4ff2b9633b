"""Colour contrast as WCAG 2 measures it, and the text colour that reads best on a colour."""

from __future__ import annotations

import matplotlib.colors

# The figures' text: dark ink, or white where that reads better on a bar or box.
TEXT = "#222222"


def _relative_luminance(hex_color: str) -> float:
    """WCAG 2 relative luminance of a colour (``#rrggbb`` or a matplotlib name)."""
    def linear(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(v) for v in matplotlib.colors.to_rgb(hex_color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(color_a: str, color_b: str) -> float:
    """WCAG 2 contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    light, dark = sorted((_relative_luminance(color_a), _relative_luminance(color_b)),
                         reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_color(hex_color: str) -> str:
    """White or dark text on a bar of ``hex_color``: whichever has the higher WCAG contrast."""
    return max(("white", TEXT), key=lambda text: contrast_ratio(hex_color, text))
