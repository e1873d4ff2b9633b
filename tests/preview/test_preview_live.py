"""``rapport preview`` end to end: Køge's report served on 127.0.0.1 only and marked as a
preview, a saved edit in the served page and in an open browser page without any action of the
reader, a broken expression shown above the last good render, and Ctrl+C ending it all.

The tests of this module share one preview (in file order: the last one stops it). They edit
the preview's own copy of the notebooks, never the project's.
"""

from __future__ import annotations

import concurrent.futures
import os
import socket
import sys
from pathlib import Path

import pytest

from running_preview import AFTER_SAVE, a_paragraph, a_sentence, text_of

pytestmark = pytest.mark.e2e

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def _listening(port: int) -> list[str]:
    """The local addresses of the sockets listening on ``port`` (from /proc: Linux)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.append(address)
    return found


def test_the_page_is_koeges_report_marked_as_a_preview_on_loopback_only(preview):
    status, page = preview.get("/")
    assert status == 200
    text = text_of(page)
    assert "Forhåndsvisning – ikke til udsendelse" in text
    assert "Køge" in text and "Indholdsfortegnelse" in text and "forhaandsvisning-fejl" not in page
    assert preview.status()["ok"] is True
    if sys.platform.startswith("linux"):
        assert _listening(preview.port) == ["0100007F"], "listens on 127.0.0.1 only"
    assert preview.get("/", host=f"rebinding.example:{preview.port}")[0] == 403


def test_a_saved_sentence_is_in_the_served_page(preview):
    paragraph, sentence = a_paragraph(preview.notebooks), a_sentence()
    paragraph.save(f"{paragraph.text} {sentence}")
    preview.wait_for(lambda page: sentence in text_of(page), AFTER_SAVE,
                     "page with the new sentence")
    assert preview.status()["executed"] == [paragraph.notebook.name], \
        "only the saved notebook is executed again"


def test_a_broken_expression_shows_above_the_last_good_render(preview):
    paragraph, sentence = a_paragraph(preview.notebooks), a_sentence()
    paragraph.save(f"{paragraph.text} {sentence}")
    preview.wait_for(lambda page: sentence in text_of(page), AFTER_SAVE,
                     "page with the new sentence")

    paragraph.save(f"{paragraph.text} {sentence} Her er {{eval}}`r.findes_ikke` en fejl.")
    page = preview.wait_for(lambda page: "forhaandsvisning-fejl" in page, AFTER_SAVE,
                            "error panel")
    panel = text_of(page[page.index('id="forhaandsvisning-fejl"'):page.index("</section>")])
    assert f"{paragraph.notebook.name}, celle {paragraph.index + 1}" in panel
    assert "{eval}`r.findes_ikke`" in panel and "findes_ikke" in panel.split("Fejl")[-1]
    assert "seneste gode gengivelse" in panel
    # the last good render is still there, below the panel
    below = text_of(page[page.index("</section>"):])
    assert sentence in below and "Indholdsfortegnelse" in below
    assert preview.status()["ok"] is False

    paragraph.save(paragraph.text)
    page = preview.wait_for(lambda page: "forhaandsvisning-fejl" not in page, AFTER_SAVE,
                            "page without the error panel")
    assert sentence not in text_of(page)


def test_the_open_page_reloads_itself_after_a_save(preview):
    chromium = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
    if not Path(chromium).is_file():
        pytest.fail("chromium is not installed, and this test needs it: install the Debian "
                    "package 'chromium', or point CHROMIUM at one.", pytrace=False)
    from playwright.sync_api import sync_playwright

    paragraph, sentence = a_paragraph(preview.notebooks), a_sentence()
    elsewhere = []

    def in_browser() -> None:
        # a thread of its own: the sync API refuses a thread whose asyncio loop an
        # earlier test (JupyterLab's) left running
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.on("request", lambda r: elsewhere.append(r.url)
                        if not r.url.startswith((preview.origin + "/", "data:")) else None)
                page.goto(preview.origin + "/", wait_until="load")
                assert page.locator("#forhaandsvisning").inner_text().startswith("Forhåndsvisning")
                page.evaluate("() => window.scrollTo(0, 4000)")
                page.wait_for_timeout(300)            # the event stream is open
                with page.expect_event("load", timeout=AFTER_SAVE * 1000):
                    paragraph.save(f"{paragraph.text} {sentence}")   # the page reloads on its own
                page.wait_for_function("s => document.body.innerText.includes(s)", arg=sentence,
                                       timeout=AFTER_SAVE * 1000)
                # the reader stays where they were (give or take the line added above)
                assert abs(page.evaluate("() => window.scrollY") - 4000) < 200
            finally:
                browser.close()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(in_browser).result()
    paragraph.save(paragraph.text)
    assert not elsewhere, f"requests to other hosts: {elsewhere}"


def _children(pid: int) -> list[int]:
    children = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines()
                          if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            children.append(int(status.parent.name))
    return children


def _running(pid: int) -> bool:
    """Whether the process runs (a zombie left to a container's init has ended)."""
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def test_ctrl_c_shuts_the_kernel_and_the_server_down_cleanly(preview):
    kernels = [pid for pid in _children(preview.process.pid)
               if b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert kernels, "the preview's kernel is its child"
    code = preview.interrupt()
    log = preview.stderr()
    assert code in (0, 130), log
    assert "Traceback" not in log and "KeyboardInterrupt" not in log, log
    assert "Preview stopped" in log.splitlines()[-1]
    assert not [pid for pid in kernels if _running(pid)], "the kernel ended"
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", preview.port), timeout=2).close()
