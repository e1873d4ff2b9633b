"""Municipalities' official names, as the register and every report print them.

The official name is ``<name> Kommune`` except where the law names the municipality otherwise.
It is reference data about a municipality, like its code, so it lives with the inputs.
"""

from __future__ import annotations

# Municipalities whose official name is not "<name> Kommune".
_EXCEPTIONS = {"København": "Københavns Kommune"}


def official_name(name: str) -> str:
    """``Køge`` -> ``Køge Kommune``; ``København`` -> ``Københavns Kommune``."""
    return _EXCEPTIONS.get(name, f"{name} Kommune")
