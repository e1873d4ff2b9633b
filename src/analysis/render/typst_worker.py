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


def main() -> None:
    out = sys.stdout.buffer
    for line in sys.stdin.buffer:
        request = json.loads(line)
        try:
            status = b"0"
            payload = typst.compile(request["main"], root=request["root"],
                                    font_paths=[request["fonts"]], ignore_system_fonts=True,
                                    timestamp=request["timestamp"],
                                    **_standards(request.get("standards")))
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
