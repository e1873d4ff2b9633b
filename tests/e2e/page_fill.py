"""How full each page of a PDF is, and a contact sheet of its pages.

A page's *fill* is the share of its type area (between the running header and the page number,
inside the side margins) whose pixel rows hold any ink, measured on a 30 dpi greyscale rendering
by poppler's ``pdftoppm``. A page far under the report's median page (under half of it) is
*sparse*: a figure, a quote or a few lines alone on a page. The cover and the last page are not
counted: the cover is designed, and the last page ends where the text ends.

Run as a script to measure PDFs from the command line::

    python tests/e2e/page_fill.py rapport.pdf [more.pdf ...]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

DPI = 30
INK = 200                      # a grey value under this is ink (0 black, 255 white)
TYPE_AREA_Y = (0.09, 0.93)     # of the page's height: under the running header, over the folio
TYPE_AREA_X = (0.08, 0.92)     # of the page's width
SPARSE = 0.5                   # a page under this share of the median page is sparse


def _pages(pdf: Path, folder: Path, *, dpi: int, gray: bool,
           password: str | None = None) -> list[Path]:
    argv = ["pdftoppm", "-r", str(dpi)]
    argv += ["-gray"] if gray else ["-png"]
    if password:
        argv += ["-upw", password]
    subprocess.run([*argv, str(pdf), str(folder / "p")], check=True, capture_output=True)
    return sorted(folder.glob("p-*.*"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def _pgm(path: Path) -> tuple[int, int, bytes]:
    """Width, height and pixels of a binary 8-bit PGM as pdftoppm writes it."""
    data = path.read_bytes()
    magic, size, _maxval, pixels = data.split(b"\n", 3)
    if magic != b"P5":
        raise ValueError(f"{path}: not a binary PGM")
    width, height = map(int, size.split())
    return width, height, pixels


def page_fills(pdf: Path, password: str | None = None) -> list[float]:
    """The fill of every page of ``pdf``, in page order."""
    with tempfile.TemporaryDirectory(prefix="page-fill-") as tmp:
        fills = []
        for page in _pages(Path(pdf), Path(tmp), dpi=DPI, gray=True, password=password):
            width, height, pixels = _pgm(page)
            top, bottom = int(height * TYPE_AREA_Y[0]), int(height * TYPE_AREA_Y[1])
            left, right = int(width * TYPE_AREA_X[0]), int(width * TYPE_AREA_X[1])
            inked = sum(1 for y in range(top, bottom)
                        if min(pixels[y * width + left:y * width + right]) < INK)
            fills.append(inked / (bottom - top))
    return fills


def median_fill(fills: Sequence[float]) -> float:
    """The report's median page (the upper one of an even count, as the measure was defined)."""
    return sorted(fills)[len(fills) // 2]


def sparse_pages(fills: Sequence[float]) -> list[int]:
    """Page numbers (1-based) under half the median page, the cover and last page excepted."""
    median = median_fill(fills)
    return [i + 1 for i, fill in enumerate(fills)
            if 0 < i < len(fills) - 1 and fill < SPARSE * median]


def describe(fills: Sequence[float]) -> str:
    """One line per measure, as the command line prints it."""
    sparse = sparse_pages(fills)
    return (f"pages {len(fills)} median {median_fill(fills):.2f} mean "
            f"{statistics.fmean(fills):.2f} fill "
            + " ".join(f"p{i + 1}:{v:.2f}" for i, v in enumerate(fills))
            + f"\nsparse {len(sparse)} {sparse}")


def contact_sheet(pdfs: Mapping[str, Path], out: Path, *, dpi: int = 24, columns: int = 8,
                  fills: Mapping[str, Sequence[float]] | None = None) -> Path:
    """One PNG of every page of every PDF in ``pdfs`` (``label → path``): one block of rows
    per report, each page with its number (and its fill, when given); sparse pages framed red."""
    from PIL import Image, ImageDraw

    gap, label_h = 6, 16
    blocks = []
    with tempfile.TemporaryDirectory(prefix="contact-sheet-") as tmp:
        for label, pdf in pdfs.items():
            folder = Path(tmp) / label
            folder.mkdir()
            images = [Image.open(p).convert("RGB")
                      for p in _pages(Path(pdf), folder, dpi=dpi, gray=False)]
            blocks.append((label, images, list(fills.get(label, [])) if fills else []))
        cell_w = max(im.width for _, images, _ in blocks for im in images)
        cell_h = max(im.height for _, images, _ in blocks for im in images)
        width = columns * (cell_w + gap) + gap
        height = sum(label_h + gap + -(-len(images) // columns) * (cell_h + label_h + gap)
                     for _, images, _ in blocks) + gap
        sheet = Image.new("RGB", (width, height), "white")
        draw = ImageDraw.Draw(sheet)
        y = gap
        for label, images, page_fill in blocks:
            draw.text((gap, y), label, fill="black")
            y += label_h + gap
            sparse = set(sparse_pages(page_fill)) if page_fill else set()
            for i, image in enumerate(images):
                row, col = divmod(i, columns)
                x0 = gap + col * (cell_w + gap)
                y0 = y + row * (cell_h + label_h + gap)
                sheet.paste(image, (x0, y0))
                frame = "red" if i + 1 in sparse else (150, 150, 150)
                draw.rectangle([x0 - 1, y0 - 1, x0 + image.width, y0 + image.height],
                               outline=frame, width=2 if i + 1 in sparse else 1)
                text = f"{i + 1}" + (f"  {page_fill[i]:.2f}" if page_fill else "")
                draw.text((x0, y0 + image.height + 2), text, fill=frame)
            y += -(-len(images) // columns) * (cell_h + label_h + gap)
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out)
    return out


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(name)
        print(describe(page_fills(Path(name))))
