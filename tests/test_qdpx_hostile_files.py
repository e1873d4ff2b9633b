"""Hostile REFI-QDA files (zip slip, absolute paths, too many or huge members, zip bombs,
XML entities, not a zip): each is refused in one clear line."""

from pathlib import Path

import pytest

from qdpx_builders import qde_text, write, refusal_of, write_refs


@pytest.fixture
def refs(tmp_path: Path) -> dict[str, Path]:
    return write_refs(tmp_path)


# ----------------------------------------------------------------------------- hostile files


def test_zip_slip_member_is_rejected(refs, tmp_path):
    qdpx = write(tmp_path / "p.qdpx", {"project.qde": qde_text(), "../evil.txt": "x"})

    message = refusal_of(qdpx, refs)

    assert "'../evil.txt'" in message and "no '..'" in message
    assert not (tmp_path.parent / "evil.txt").exists()


def test_absolute_member_path_is_rejected(refs, tmp_path):
    qdpx = write(tmp_path / "p.qdpx", {"project.qde": qde_text(), "/etc/cron.d/evil": "x"})

    assert "'/etc/cron.d/evil'" in refusal_of(qdpx, refs)


def test_archive_with_too_many_members_is_rejected(refs, tmp_path):
    members = {f"sources/{i}.txt": "" for i in range(10_001)}
    qdpx = write(tmp_path / "p.qdpx", {"project.qde": qde_text(), **members})

    assert "10002 members" in refusal_of(qdpx, refs)


def test_member_with_huge_declared_size_is_rejected(refs, tmp_path):
    qdpx = write(tmp_path / "p.qdpx", {"project.qde": qde_text()})
    data = bytearray(qdpx.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 24:central + 28] = (3 * 2**30).to_bytes(4, "little")  # uncompressed size
    qdpx.write_bytes(bytes(data))

    assert "uncompressed" in refusal_of(qdpx, refs)


def test_highly_compressed_member_is_rejected_as_a_bomb(refs, tmp_path):
    qdpx = write(tmp_path / "p.qdpx", {"project.qde": qde_text(),
                                       "sources/t1.txt": b"\0" * (2 * 2**20)})

    assert "compression ratio" in refusal_of(qdpx, refs)


def test_xxe_doctype_is_rejected(refs, tmp_path):
    qde = tmp_path / "p.qde"
    qde.write_text('<?xml version="1.0"?>\n<!DOCTYPE Project SYSTEM "file:///etc/passwd">\n'
                   '<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>', encoding="utf-8")

    message = refusal_of(qde, refs)

    assert "DOCTYPE" in message and "root:" not in message


def test_doctype_in_an_encoding_expat_does_not_read_is_rejected(refs, tmp_path):
    qde = tmp_path / "p.qde"
    qde.write_bytes(b'<?xml version="1.0" encoding="windows-1252"?>\n'
                    b'<!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                    b'<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>')

    message = refusal_of(qde, refs)

    assert "DOCTYPE" in message and "root:" not in message


def test_billion_laughs_in_a_qdpx_is_rejected(refs, tmp_path):
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY l0 "lol">{entities}]>'
           '<Project xmlns="urn:QDA-XML:project:1.0" name="&l9;"/>')
    qdpx = write(tmp_path / "p.qdpx", {"project.qde": xml})

    assert "DOCTYPE" in refusal_of(qdpx, refs)


def test_file_named_qdpx_that_is_not_a_zip_is_rejected(refs, tmp_path):
    qdpx = tmp_path / "p.qdpx"
    qdpx.write_text(qde_text(), encoding="utf-8")

    assert "a zip archive" in refusal_of(qdpx, refs)
