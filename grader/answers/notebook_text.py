"""The notebook's text as a value: every cell's source and the text its code printed.

Answers do not only stand in variables: students write equations in Markdown, print the combined
model, list effects as bullets. The grader reads that text with its own bounded scanners, so it
needs the text itself, from one of two places:

* ``hlm-grader check`` and ``grade``: the notebook the grader just ran (fresh outputs, see
  :func:`from_notebook`);
* nbgrader's test cells: the submitted ``.ipynb`` (its stored outputs, what the student saw), sent
  to the judging process as JSON and validated there like any untrusted input
  (:func:`parse_notebook_text`).

Every text is capped per cell and in total; a cut is said in ``notes``, never an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

CellKind = Literal["code", "markdown", "raw"]
Origin = Literal["fresh", "stored"]

MAX_CELLS = 1000
MAX_SOURCE_CHARS = 50_000  # per cell: a long essay fits, a 10 MB paste does not
MAX_OUTPUT_CHARS = 20_000  # per cell: printed answers are short; tables and logs are cut
MAX_TOTAL_CHARS = 1_500_000
MAX_NOTES = 5
#: Output formats read as text (an HTML table or an image says nothing the grader reads).
TEXT_MIMES = ("text/plain", "text/markdown", "text/latex")
_KINDS: frozenset[str] = frozenset({"code", "markdown", "raw"})


@dataclass(frozen=True, slots=True)
class NotebookCell:
    """One cell: its 0-based position among all cells, its kind, its source and printed text."""

    index: int
    kind: CellKind
    source: str
    output: str = ""

    @property
    def number(self) -> int:
        """The cell's number as a student counts it (1-based, every cell counted)."""
        return self.index + 1


@dataclass(frozen=True, slots=True)
class NotebookText:
    """The text of a notebook's cells, capped; empty when the grader had no notebook to read.

    Attributes:
        cells: every cell kept, in order.
        origin: ``fresh`` (outputs of the grader's own run) or ``stored`` (saved in the file).
        notes: what was cut, in sentences.
    """

    cells: tuple[NotebookCell, ...] = ()
    origin: Origin = "fresh"
    notes: tuple[str, ...] = ()

    @property
    def markdown(self) -> tuple[NotebookCell, ...]:
        return tuple(c for c in self.cells if c.kind == "markdown")

    @property
    def code(self) -> tuple[NotebookCell, ...]:
        return tuple(c for c in self.cells if c.kind == "code")

    def to_json(self) -> dict[str, Any]:
        """The JSON form :func:`parse_notebook_text` reads back."""
        cells = [[c.index, c.kind, c.source, c.output] for c in self.cells]
        return {"origin": self.origin, "cells": cells, "notes": list(self.notes)}


def from_notebook(notebook: Mapping[str, Any], *, origin: Origin = "fresh") -> NotebookText:
    """The text of an nbformat-4 notebook (a ``NotebookNode`` or the file's parsed JSON).

    Sources may be strings or lists of strings (as saved); outputs are read as text: streams
    (stdout only: warnings on stderr are not answers), and ``text/plain``, ``text/markdown``
    and ``text/latex`` of results and displays.
    """
    raw_cells = notebook.get("cells")
    cells = list(raw_cells)[:MAX_CELLS] if isinstance(raw_cells, list) else []
    out: list[NotebookCell] = []
    budget = _Budget()
    for index, cell in enumerate(cells):
        if not isinstance(cell, Mapping) or cell.get("cell_type") not in _KINDS:
            continue
        kind: CellKind = cell["cell_type"]
        source = budget.take(_text(cell.get("source")), MAX_SOURCE_CHARS, index, "source")
        output = ""
        if kind == "code":
            output = budget.take(
                output_text(cell.get("outputs")), MAX_OUTPUT_CHARS, index, "output"
            )
        out.append(NotebookCell(index, kind, source, output))
    notes = budget.notes
    if isinstance(raw_cells, list) and len(raw_cells) > MAX_CELLS:
        notes.append(f"Only the first {MAX_CELLS} cells of the notebook were read.")
    return NotebookText(tuple(out), origin, tuple(notes))


def output_text(outputs: object) -> str:
    """The text of one code cell's outputs, in order, as one string (uncapped)."""
    if not isinstance(outputs, list):
        return ""
    parts: list[str] = []
    for output in outputs[:200]:
        if not isinstance(output, Mapping):
            continue
        kind = output.get("output_type")
        if kind == "stream" and output.get("name") == "stdout":
            parts.append(_text(output.get("text")))
        elif kind in {"execute_result", "display_data"}:
            data = output.get("data")
            if isinstance(data, Mapping):
                parts += [_text(data.get(m)) for m in TEXT_MIMES if m in data]
    return "".join(p if p.endswith("\n") else p + "\n" for p in parts if p)


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(v for v in value[:100_000] if isinstance(v, str))
    return ""


class _Budget:
    """The total characters still allowed, and the notes on what was cut."""

    def __init__(self) -> None:
        self.left = MAX_TOTAL_CHARS
        self.notes: list[str] = []
        self.cut = 0

    def take(self, text: str, cap: int, index: int, what: str) -> str:
        keep = min(cap, self.left)
        if len(text) > keep:
            self.cut += 1
            if self.cut > MAX_NOTES:
                self.notes[MAX_NOTES:] = [f"{self.cut - MAX_NOTES} more cells were cut too."]
                self.left -= min(len(text), keep)
                return text[:keep]
            where = f"cell {index + 1}'s {what}"
            self.notes.append(
                f"Only the first {keep:,} characters of {where} were read (it has {len(text):,})."
                if keep
                else f"{where[0].upper()}{where[1:]} was not read: the notebook's text is too long."
            )
            text = text[:keep]
        self.left -= len(text)
        return text


def parse_notebook_text(value: object) -> NotebookText:
    """Validate the notebook text of an answers file (untrusted JSON); anything odd is dropped.

    The caps of :func:`from_notebook` are applied again: the file may have been written by
    anyone.
    """
    if not isinstance(value, dict):
        return NotebookText()
    origin: Origin = "stored" if value.get("origin") == "stored" else "fresh"
    raw = value.get("cells")
    rows = raw[:MAX_CELLS] if isinstance(raw, list) else []
    cells: list[dict[str, Any]] = []
    for row in rows:
        if (
            isinstance(row, list)
            and len(row) == 4
            and type(row[0]) is int
            and 0 <= row[0] < 100_000
            and row[1] in _KINDS
            and isinstance(row[2], str)
            and isinstance(row[3], str)
        ):
            outputs = [{"output_type": "stream", "name": "stdout", "text": row[3]}]
            cells.append({"cell_type": row[1], "source": row[2], "outputs": outputs, "i": row[0]})
    text = from_notebook({"cells": cells}, origin=origin)
    fixed = tuple(NotebookCell(cells[c.index]["i"], c.kind, c.source, c.output) for c in text.cells)
    said = value.get("notes")
    notes = [n[:300] for n in said[:20] if isinstance(n, str)] if isinstance(said, list) else []
    return NotebookText(fixed, origin, (*notes, *text.notes))
