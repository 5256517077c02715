"""Our HTML in a real headless Chromium: the batch's pages, and the self-check inside a notebook
rendered by nbconvert (with JupyterLab's and nbconvert's own CSS around it). They render, with
their colours, load nothing from the network, and keep their layout: the feedback is wide and
left-aligned, nothing overflows a phone's 375 px, and nothing around our output is restyled.

Geometry is measured in the browser (:mod:`tests.grader.chromium`); screenshots are decoded with
zlib and numpy (no imaging library needed). Chromium is a Debian package (``chromium``, installed
by ``.ci/run``); without it these tests are skipped.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from grader.batch.outputs import write_student
from grader.batch.summary import HISTOGRAM_COLOUR, STATUS_COLOURS, write_summary
from grader.report.values import GradeReport
from tests.grader.chromium import measure, needs_chromium, screenshot_png
from tests.grader.test_render import two_parts
from tests.grader.test_summary import SEED_MODEL, class_reports
from tests.hlm import CONFIG

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WINDOW = (1280, 2000)
REVEALING = dataclasses.replace(CONFIG, reveal_expected=True)


@pytest.fixture
def pages(tmp_path: Path, hsb: pd.DataFrame) -> Path:
    """A class's summary and feedback pages, the feedback revealing the model's equations."""
    reports = class_reports()
    write_summary(tmp_path, reports, config=REVEALING, title="HLM", hidden_seed=7)
    for student, report in reports:
        write_student(tmp_path / student, report, config=REVEALING, data=hsb)
    return tmp_path


def test_pages_load_nothing_from_outside(pages: Path) -> None:
    for page in [pages / "summary.html", *pages.glob("*/feedback.html")]:
        text = page.read_text(encoding="utf-8")
        # MathML's namespace is a name, never fetched; anything else would be a request.
        text = text.replace('xmlns="http://www.w3.org/1998/Math/MathML"', "")
        assert not re.search(r"(?i)https?:|//[a-z0-9.-]+\.[a-z]{2,}/", text), page
        assert not re.search(r"(?i)<(script|link|iframe|img|object|embed)\b", text), page
        assert not re.search(r"(?i)url\(|@import", text), page
        for target in re.findall(r'(?i)(?:src|href)="([^"]*)"', text):
            assert re.fullmatch(r"[\w.-]+/feedback\.html", target), (page, target)


def test_feedback_shows_the_model_s_equations_in_mathml(pages: Path) -> None:
    text = (pages / "alice" / "feedback.html").read_text(encoding="utf-8")
    assert text.count("<math") == 1 and "<mtable" in text and "minority" in text
    assert SEED_MODEL["formula"] in text


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_summary_renders_with_its_charts_in_chromium(pages: Path, tmp_path: Path) -> None:
    image = screenshot(pages / "summary.html", tmp_path)
    assert (image < 250).any(axis=2).mean() > 0.02  # not a blank page
    for colour in ("passed", "failed", "missing", "partial"):
        assert pixels(image, STATUS_COLOURS[colour]) > 500, colour
    assert pixels(image, HISTOGRAM_COLOUR) > 5000  # the histogram's bars
    # A part's bar with passed and failed students: green drawn left of red, in proportion.
    green, red = match(image, STATUS_COLOURS["passed"]), match(image, STATUS_COLOURS["failed"])
    both = np.nonzero((green.sum(axis=1) > 100) & (red.sum(axis=1) > 50))[0]
    assert len(both) > 4, "no bar holds both passed and failed students"
    row = both[4]  # inside the first such bar, the ICC's: 3 passed, 2 failed, 1 missing
    greens, reds = np.nonzero(green[row])[0], np.nonzero(red[row])[0]
    assert greens.max() < reds.min()
    assert len(greens) == pytest.approx(1.5 * len(reds), rel=0.1)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_feedback_renders_in_chromium(pages: Path, tmp_path: Path) -> None:
    image = screenshot(pages / "dave" / "feedback.html", tmp_path)
    assert (image < 250).any(axis=2).mean() > 0.01
    # Status symbols and titles are coloured: passed green, failed red.
    assert pixels(image, "#1a7f37", tolerance=40) > 50
    assert pixels(image, "#cf222e", tolerance=40) > 50


def screenshot(page: Path, tmp: Path) -> np.ndarray:
    """The page as Chromium draws it, as an RGB array (height, width, 3)."""
    assert CHROMIUM is not None
    png = tmp / f"{page.parent.name}-{page.stem}.png"
    profile = tmp / f"profile-{page.parent.name}-{page.stem}"
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", f"--screenshot={png}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
        page.resolve().as_uri(),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert png.is_file(), done.stderr[-2000:]
    image = read_png(png)
    assert image.shape == (WINDOW[1], WINDOW[0], 3)
    return image


def match(image: np.ndarray, colour: str, tolerance: int = 8) -> np.ndarray:
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    return np.asarray(np.abs(image.astype(int) - rgb).max(axis=-1) <= tolerance)


def pixels(image: np.ndarray, colour: str, tolerance: int = 8) -> int:
    return int(match(image, colour, tolerance).sum())


def read_png(path: Path) -> np.ndarray:
    """Decode an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes) to RGB."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, []
    while position < len(data):
        (size,) = struct.unpack(">I", data[position : position + 4])
        kind, body = data[position + 4 : position + 8], data[position + 8 : position + 8 + size]
        position += 12 + size
        if kind == b"IHDR":
            width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
    assert depth == 8 and colour_type in (2, 6) and interlace == 0
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows = np.empty((height, stride), dtype=np.uint8)
    previous = np.zeros(stride, dtype=np.int64)
    for y in range(height):
        start = y * (stride + 1)
        line = np.frombuffer(raw, np.uint8, stride, start + 1).astype(np.int64)
        previous = unfilter(raw[start], line, previous, channels)
        rows[y] = previous
    return rows.reshape(height, width, channels)[:, :, :3]


def unfilter(kind: int, line: np.ndarray, above: np.ndarray, channels: int) -> np.ndarray:
    """Undo one row's PNG filter (None, Sub, Up, Average, Paeth)."""
    if kind == 0:
        return line
    if kind == 1:  # Sub: a running sum along each channel
        return np.cumsum(line.reshape(-1, channels), axis=0).reshape(-1) % 256
    if kind == 2:
        return (line + above) % 256
    out, b_row = [0] * len(line), above.tolist()
    for i, x in enumerate(line.tolist()):  # Average and Paeth depend on the byte just decoded
        a = out[i - channels] if i >= channels else 0
        b = b_row[i]
        if kind == 3:
            out[i] = (x + (a + b) // 2) & 255
            continue
        c = b_row[i - channels] if i >= channels else 0
        p = a + b - c
        pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
        out[i] = (x + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    return np.array(out, dtype=np.int64)


# --- layout, measured ----------------------------------------------------------------------------

# The feedback paragraphs, our report's box and its container, a Markdown table outside it.
LAYOUT = """
const report = d.querySelector('.hlm-report');
const feedback = all('.hlm-feedback').map(e => ({...box(e), align: style(e, 'text-align')}));
const tables = all('table').filter(t => !t.closest('.hlm-report'));
const cell = tables.length ? tables[0].querySelector('td') : null;
return {page, feedback, report: report && box(report),
        container: report && box(report.parentElement),
        tables: tables.map(t => box(t).width), td: cell && style(cell, 'text-align'),
        maths: all('math').map(m => box(m))};
"""


def check_feedback_layout(found: dict, *, min_width: float) -> None:
    assert found["feedback"], "no feedback found"
    for part in found["feedback"]:
        assert part["align"] == "left"
        assert part["width"] >= min_width, part
    assert found["page"]["scroll"] <= found["page"]["inner"], "the page scrolls sideways"


def class_report() -> GradeReport:
    alice = class_reports()[3][1]  # dave: passed, partial, failed and missing parts
    return GradeReport("this notebook (self-check)", (*two_parts().parts, *alice.parts[1:4]),
                       notes=two_parts().notes)  # fmt: skip


@pytest.fixture(scope="module")
def notebooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A notebook with Markdown tables around a `check()` output, rendered by nbconvert with its
    lab and classic templates; and the same notebook without our output, as the baseline."""
    folder = tmp_path_factory.mktemp("nbconvert")
    table = "| part | points |\n|---|---|\n| icc | 10 |\n| forecast | 10 |"
    output = nbformat.v4.new_output("execute_result", execution_count=1, data={
        "text/html": class_report()._repr_html_(), "text/plain": "<GradeReport>"})  # fmt: skip
    pages = {}
    for name, outputs in (("with", [output]), ("without", [])):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell(table),
                    nbformat.v4.new_code_cell("check()", execution_count=1, outputs=outputs),
                    nbformat.v4.new_markdown_cell(table)]  # fmt: skip
        nbformat.write(nb, folder / f"{name}.ipynb")
        for template in ("lab", "classic"):
            target = f"{name}-{template}"
            done = subprocess.run(
                [sys.executable, "-m", "nbconvert", "--to", "html", "--template", template,
                 "--output", target, str(folder / f"{name}.ipynb")],
                capture_output=True, text=True, timeout=300, check=False,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr[-2000:]
            pages[target] = folder / f"{target}.html"
    return pages


@needs_chromium
@pytest.mark.parametrize("template", ["lab", "classic"])
def test_the_self_check_in_a_rendered_notebook_is_wide_left_aligned_and_restyles_nothing(
    notebooks: dict[str, Path], template: str, tmp_path: Path
) -> None:
    page = notebooks[f"with-{template}"].read_text(encoding="utf-8")
    found = measure(page, LAYOUT, width=1280, tmp=tmp_path)
    baseline = measure(notebooks[f"without-{template}"].read_text(encoding="utf-8"), LAYOUT,
                       width=1280, tmp=tmp_path)  # fmt: skip
    # Wide and left-aligned: Jupyter's own CSS (classic right-aligns every td) leaves it alone,
    # and our CSS leaves Jupyter's alone: the Markdown table's cells align as without us.
    check_feedback_layout(found, min_width=500)
    assert found["td"] == baseline["td"] == {"lab": "start", "classic": "right"}[template]
    # Our output fits its output area; the Markdown tables keep their own width (not stretched).
    assert found["report"]["right"] <= found["container"]["right"] + 1
    assert len(found["tables"]) == 2 and found["tables"] == pytest.approx(baseline["tables"], abs=1)
    assert max(found["tables"]) < 400
    image = screenshot(notebooks[f"with-{template}"], tmp_path)
    assert pixels(image, "#cf222e", tolerance=40) > 50 and pixels(image, "#1a7f37", 40) > 50


@needs_chromium
@pytest.mark.parametrize("width", [375, 1280])
def test_a_feedback_page_reads_on_a_phone_and_on_a_desktop(
    pages: Path, tmp_path: Path, width: int
) -> None:
    page = (pages / "dave" / "feedback.html").read_text(encoding="utf-8")
    found = measure(page, LAYOUT, width=width, tmp=tmp_path)
    check_feedback_layout(found, min_width=250 if width < 500 else 700)
    # The equations of the student's model (MathML) render, inside the page's width.
    assert found["maths"] and all(m["height"] > 20 for m in found["maths"])
    assert all(m["right"] <= width for m in found["maths"])
    shot = screenshot_png(pages / "dave" / "feedback.html", tmp_path / f"feedback-{width}.png",
                          width=width, height=1400)  # fmt: skip
    assert shot.stat().st_size > 10_000


@needs_chromium
def test_the_summary_fits_a_phone(pages: Path, tmp_path: Path) -> None:
    page = (pages / "summary.html").read_text(encoding="utf-8")
    found = measure(page, "return {page, svg: all('svg').map(s => box(s).right)};", width=375,
                    tmp=tmp_path)  # fmt: skip
    assert found["page"]["scroll"] <= 375  # wide tables scroll in their own box
    assert max(found["svg"]) <= 375  # the histogram shrinks to the screen


# A host page styling everything our fragment is made of, as a theme or a course's CSS might,
# placed after our output (like a later cell's output), so that it wins every tie of specificity.
HOSTILE_HOST = (
    "<style>p, li, div, span, td { text-align: right; } ol, ul { padding-left: 6em; "
    "list-style: upper-roman; } .jp-RenderedHTMLCommon.jp-OutputArea-output p, "
    ".jp-RenderedHTMLCommon.jp-OutputArea-output li { text-align: justify; margin: 3em; "
    "padding-left: 3em; } .jp-RenderedHTMLCommon code { color: #ff00ff; }</style>"
)


@needs_chromium
def test_the_self_check_keeps_its_layout_under_a_hostile_host_style(
    notebooks: dict[str, Path], tmp_path: Path
) -> None:
    page = (
        notebooks["with-lab"]
        .read_text(encoding="utf-8")
        .replace("</body>", HOSTILE_HOST + "</body>")
    )
    script = LAYOUT.replace("return {", "const code = d.querySelector('.hlm-report code');"
                            "return {code: style(code, 'color'), markers: all('.hlm-part')"
                            ".map(e => style(e, 'list-style-type')), ")  # fmt: skip
    found = measure(page, script, width=1280, tmp=tmp_path)
    check_feedback_layout(found, min_width=500)
    assert found["code"] != "rgb(255, 0, 255)" and set(found["markers"]) == {"none"}
    first = min(part["left"] for part in found["feedback"])
    assert first - found["report"]["left"] < 40  # no 6em list indent, no 3em paragraph margin
