"""Compiles typst documents to PDF for the process that started it (see
:func:`analysis.render.pandoc_typst.compile_typst`), one request per line on stdin.

Run as a script, not as a module of the package, so that it imports nothing but typst. A
request is a JSON object (``main``, ``root``, ``fonts``, ``timestamp``, ``standards``: the PDF
standards to hold the PDF to, e.g. ``["ua-1", "a-2a"]``); the answer is one
status byte (``0`` the PDF follows, ``1`` a typst error, ``2`` any other error), the length of
what follows as 8 bytes big-endian, and the PDF or the error's message in UTF-8.
"""

import json
import sys

import typst


def _standards(names) -> dict:
    # typst's own default (no standard) unless some are asked for
    return {"pdf_standards": list(names)} if names else {}


# The page flow (report.typ, design.typ) places figures, boxes and panels and fits chapters
# from where the layout before put them; typst gives up after five layouts, and a document
# that has not settled by then can carry page numbers of a layout it did not keep (a page
# number skipped). Such a document is compiled once more with the flow that settles at once
# (`kpb-stabil`: typst's own placement).
UNSETTLED = "did not converge"


def _compile(request: dict, **inputs) -> tuple[bytes, list[str]]:
    pdf, warnings = typst.compile_with_warnings(
        request["main"], root=request["root"], font_paths=[request["fonts"]],
        ignore_system_fonts=True, timestamp=request["timestamp"],
        **({"sys_inputs": inputs} if inputs else {}),
        **_standards(request.get("standards")))
    return pdf, [warning.message for warning in warnings]


def compile_settled(request: dict) -> bytes:
    """The PDF of ``request``, from a layout that settled."""
    pdf, warnings = _compile(request)
    if any(UNSETTLED in message for message in warnings):
        pdf, _ = _compile(request, **{"kpb-stabil": "1"})
    return pdf


def main() -> None:
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        request = json.loads(line)
        try:
            status = b"0"
            payload = compile_settled(request)
        except typst.TypstError as err:
            status = b"1"
            payload = f"{err.message} {err.diagnostic}".strip().encode("utf-8")
        except Exception as err:  # reported to the caller, which raises RenderError
            status = b"2"
            payload = f"{type(err).__name__}: {err}".encode("utf-8")
        out.write(status + len(payload).to_bytes(8, "big") + payload)
        out.flush()


if __name__ == "__main__":
    main()
