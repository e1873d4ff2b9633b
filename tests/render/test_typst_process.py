"""The PDF's typst process: a reused one gives the bytes a fresh one gives, it is replaced
after a few PDFs, and a typst error is one line about the source."""

from __future__ import annotations

import dataclasses

import pytest

from analysis.render import RenderError, pandoc_typst


@pytest.fixture
def fresh(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pandoc_typst._TYPST.close()
    yield pandoc_typst._TYPST
    pandoc_typst._TYPST.close()


def _pid(process) -> int | None:
    return None if process._proc is None else process._proc.pid


def test_a_reused_typst_process_gives_the_bytes_of_a_fresh_one(fresh, document):
    other = dataclasses.replace(document, body=document.body + "\n\nEt afsnit mere.\n")
    first = pandoc_typst.pdf_bytes(document)            # a fresh process
    pid = _pid(fresh)
    pandoc_typst.pdf_bytes(other)                       # the same process, other document
    again = pandoc_typst.pdf_bytes(document)            # the same process, warm
    assert _pid(fresh) == pid is not None
    assert again == first
    assert pandoc_typst.pdf_bytes(other) != first


def test_the_process_is_replaced_after_a_few_pdfs(fresh, document):
    pids = []
    for _ in range(pandoc_typst.COMPILES_PER_PROCESS + 1):
        pandoc_typst.pdf_bytes(document)
        pids.append(_pid(fresh))
    # closed after the last PDF it may compile, a new one for the next
    assert pids[-2] is None and pids[-1] is not None
    assert len(set(pids[:-2])) == 1


def test_a_typst_error_is_a_render_error(fresh, tmp_path):
    with pytest.raises(RenderError, match="typst failed: unclosed delimiter"):
        pandoc_typst.compile_typst("#let x = (", tmp_path)


# A document whose layout never settles (a counter stepped only while its final value is even)
# unless the compiler asks for the flow that settles at once.
RESTLESS = """#if sys.inputs.at("kpb-stabil", default: none) == none {
  context { if calc.even(counter("uro").final().first()) { counter("uro").step() } }
  [Uroligt.]
} else [Roligt.]
"""


def test_a_document_that_does_not_settle_is_laid_out_again_with_the_settled_flow(tmp_path):
    """typst gives up after five layouts; the worker then compiles the document once more with
    ``kpb-stabil`` set, which report.typ reads to leave placement to typst."""
    import subprocess
    import typst

    from analysis.render import typst_worker
    main = tmp_path / "report.typ"
    main.write_text(RESTLESS, encoding="utf-8")
    _, warnings = typst.compile_with_warnings(str(main), root=str(tmp_path))
    assert any(typst_worker.UNSETTLED in w.message for w in warnings)
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    pdf = typst_worker.compile_settled({"main": str(main), "root": str(tmp_path),
                                        "fonts": str(fonts), "timestamp": 1700000000})
    (tmp_path / "out.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "out.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Roligt." in text and "Uroligt." not in text
