"""Kommunerne på banen: the report's analysis and rendering library."""

__version__ = "0.1.0"
