"""The notebook's own text for the nbgrader path: the submitted ``.ipynb`` beside the kernel.

``hlm-grader check`` reads Markdown and printed outputs from its own run of the notebook. In
nbgrader's test cells the grader is called from inside the running kernel, which has no handle on
its notebook: the file is found in the kernel's working directory (where nbgrader runs it), and
its *stored* outputs — what the student saw — stand for the printed text. The text is added to
the answers JSON the fresh judging process reads, which validates it like any untrusted input
(:func:`grader.answers.notebook_text.parse_notebook_text`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from grader.answers.notebook_text import NotebookText, from_notebook

MAX_NOTEBOOK_BYTES = 20_000_000  # as for a submission (grader.run.notebook_file)
MAX_CANDIDATES = 20
#: The text's share of the answers file (whose cap is grader.answers.submission's 4 MB).
MAX_TEXT_BYTES = 2_000_000


def with_notebook_text(answers: bytes, namespace: Mapping[str, object], folder: Path | None = None
                       ) -> bytes:  # fmt: skip
    """The answers JSON with the notebook's text added (unchanged if no notebook is found)."""
    try:
        doc = json.loads(answers.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return answers  # the judge reports the unreadable answers itself
    if not isinstance(doc, dict):
        return answers
    text = notebook_text(folder or Path.cwd(), _history(namespace))
    if text is None:
        return answers
    doc["notebook"] = text
    return json.dumps(doc, allow_nan=False).encode("utf-8")


def notebook_text(folder: Path, history: Sequence[str] = ()) -> dict[str, object] | None:
    """The JSON form of the notebook's text, capped to fit the answers file; None if none."""
    path = find_notebook(folder, history)
    if path is None:
        return None
    data = _load(path)
    if data is None:
        return None
    text = from_notebook(data, origin="stored")
    for keep_outputs in (True, False):
        doc = _fitted(text, keep_outputs).to_json()
        if len(json.dumps(doc).encode("utf-8")) <= MAX_TEXT_BYTES:
            return doc
    return NotebookText((), "stored", ("The notebook's text is too long to be read.",)).to_json()


def find_notebook(folder: Path, history: Sequence[str] = ()) -> Path | None:
    """The notebook the kernel runs: the only ``.ipynb`` in its folder, or the one whose code
    cells the kernel's history (IPython's ``In``) ran most of."""
    try:
        found = sorted(p for p in folder.glob("*.ipynb") if p.is_file())[:MAX_CANDIDATES]
    except OSError:
        return None
    if len(found) <= 1:
        return found[0] if found else None
    ran = {h.strip() for h in history if isinstance(h, str) and h.strip()}
    scored = [(_overlap(path, ran), _mtime(path), path) for path in found]
    return max(scored, key=lambda s: (s[0], s[1]))[2]


def _history(namespace: Mapping[str, object]) -> list[str]:
    history = namespace.get("In")
    return [h for h in history[-2000:] if isinstance(h, str)] if isinstance(history, list) else []


def _load(path: Path) -> dict[str, object] | None:
    try:
        if path.stat().st_size > MAX_NOTEBOOK_BYTES:
            return None
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _overlap(path: Path, ran: set[str]) -> int:
    data = _load(path)
    cells = data.get("cells") if data is not None else None
    if not isinstance(cells, list):
        return -1
    text = from_notebook({"cells": cells})
    return sum(1 for cell in text.code if cell.source.strip() in ran)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _fitted(text: NotebookText, keep_outputs: bool) -> NotebookText:
    if keep_outputs:
        return text
    from dataclasses import replace

    cells = tuple(replace(c, output="") for c in text.cells)
    note = "Printed outputs were not read: the notebook's text is too long."
    return NotebookText(cells, text.origin, (note, *text.notes))
