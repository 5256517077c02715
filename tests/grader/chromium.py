"""Headless Chromium for layout tests: screenshots, and geometry measured in the real browser.

:func:`measure` loads a page at an exact viewport width and returns what a small script found
there (sizes, alignment, overflow). The page is put in an ``<iframe srcdoc>`` of that width: the
frame's viewport is exactly the width asked for (a headless window cannot be narrower than 500 px),
and a srcdoc frame shares its parent's origin, so the parent's script can read the frame's layout
and write the numbers into the DOM that ``--dump-dom`` prints. Chromium runs offline: every host
name resolves to nothing, so a page that needs the network shows it.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)  # fmt: skip
# Helpers the measuring scripts may use, given the frame's document `d` and window `w`.
_HELPERS = """
const box = e => { const b = e.getBoundingClientRect();
  return {left: b.left, right: b.right, top: b.top, width: b.width, height: b.height}; };
const style = (e, p) => w.getComputedStyle(e).getPropertyValue(p);
const all = s => [...d.querySelectorAll(s)];
const page = {inner: w.innerWidth, scroll: d.documentElement.scrollWidth};
"""


def chromium(*args: str, profile: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def screenshot_png(page: Path, out: Path, *, width: int, height: int) -> Path:
    """``page`` as Chromium draws it in a ``width`` × ``height`` window, saved as ``out``."""
    done = chromium(f"--screenshot={out}", f"--window-size={width},{height}", page.resolve().as_uri(),
                    profile=out.with_suffix(".profile"))  # fmt: skip
    assert out.is_file(), done.stderr[-2000:]
    return out


def measure(page_html: str, script: str, *, width: int, tmp: Path, height: int = 4000) -> Any:
    """Run ``script`` (a JS function body returning JSON-able data) on ``page_html`` laid out
    ``width`` CSS pixels wide; ``d``/``w`` are the page's document/window (see ``_HELPERS``)."""
    frame = html.escape(page_html, quote=True)
    runner = f"""<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" style="width:{width}px;height:{height}px;border:0" srcdoc="{frame}"></iframe>
<script>
document.getElementById('f').addEventListener('load', () => {{
  const d = document.getElementById('f').contentDocument;
  const w = document.getElementById('f').contentWindow;
  let out;
  try {{ {_HELPERS} out = (() => {{ {script} }})(); }} catch (e) {{ out = {{error: String(e)}}; }}
  const pre = document.createElement('pre');
  pre.id = 'hlm-measure';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}});
</script></body></html>"""
    path = tmp / f"measure-{width}-{abs(hash(script)) % 10**8}.html"
    path.write_text(runner, encoding="utf-8")
    done = chromium("--dump-dom", "--window-size=1400,900", path.as_uri(),
                    profile=path.with_suffix(".profile"))  # fmt: skip
    found = re.search(r'<pre id="hlm-measure">(.*?)</pre>', done.stdout, re.DOTALL)
    assert found, done.stderr[-2000:]
    result = json.loads(html.unescape(found.group(1)))
    assert not (isinstance(result, dict) and "error" in result), result
    return result
