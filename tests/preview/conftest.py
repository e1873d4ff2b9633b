"""The preview tests' fixtures (the helpers are in ``running_preview``)."""

from __future__ import annotations

import pytest

from running_preview import start_preview


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """One preview of Køge for the tests of a module."""
    running = start_preview(tmp_path_factory.mktemp("preview"))
    yield running
    running.kill()
