"""The batch's HTML pages in a real headless Chromium: they render, with their charts' colours, and
load nothing from the network.

The screenshots are decoded with zlib and numpy (no imaging library needed). Chromium is a Debian
package (``chromium``, installed by ``.ci/run``); without it the rendering test is skipped.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from grader.assignment.config import GradingConfig
from grader.batch.outputs import write_student
from grader.batch.summary import HISTOGRAM_COLOUR, STATUS_COLOURS, write_summary
from tests.grader.test_summary import SEED_MODEL, class_reports

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WINDOW = (1280, 2000)
REVEALING = GradingConfig(reveal_expected=True)


@pytest.fixture
def pages(tmp_path: Path, hsb: pd.DataFrame) -> Path:
    """A class's summary and feedback pages, the feedback revealing the model's equations."""
    reports = class_reports()
    write_summary(tmp_path, reports, config=REVEALING, hidden_seed=7)
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
