"""The batch's record (manifest and download page) is rewritten at most every
``PUBLISH_EVERY`` seconds while reports finish, not after each one, and never lost at the end."""

import json

from analysis.batch import manifest, publish


def _entry(name: str) -> dict:
    return {"name": name, "kommune": None, "status": "rendered", "folder": name,
            "offentlig": True}


def _published(out) -> dict:
    return json.loads((out / manifest.MANIFEST).read_text("utf-8"))["reports"]


def test_entries_wait_for_the_interval_then_flush_writes_them_all(tmp_path, monkeypatch):
    monkeypatch.setattr(publish, "PUBLISH_EVERY", 3600.0)
    publisher = publish.Publisher(tmp_path, {"reports": {}})

    for name in ("a", "b", "c"):
        publisher.record(name, _entry(name))

    assert not (tmp_path / manifest.MANIFEST).exists()
    publisher.flush(always=False)
    assert set(_published(tmp_path)) == {"a", "b", "c"}
    assert (tmp_path / manifest.INDEX).is_file()


def test_an_entry_past_the_interval_is_published_at_once(tmp_path, monkeypatch):
    monkeypatch.setattr(publish, "PUBLISH_EVERY", 0.0)
    publisher = publish.Publisher(tmp_path, {"reports": {}})

    publisher.record("a", _entry("a"))
    assert set(_published(tmp_path)) == {"a"}
    publisher.record("b", _entry("b"))
    assert set(_published(tmp_path)) == {"a", "b"}


def test_flush_when_nothing_is_behind_leaves_the_files_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(publish, "PUBLISH_EVERY", 3600.0)
    publisher = publish.Publisher(tmp_path, {"reports": {}})
    publisher.record("a", _entry("a"))
    publisher.flush()
    (tmp_path / manifest.MANIFEST).write_text('{"reports": {}}', encoding="utf-8")

    publisher.flush(always=False)

    assert _published(tmp_path) == {}
