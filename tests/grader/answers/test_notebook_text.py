"""The notebook's text as a value: what is read from cells and outputs, and the caps."""

from __future__ import annotations

import json
import time
from pathlib import Path

import nbformat

from grader.answers import notebook_text as nt
from grader.answers.notebook_text import from_notebook, output_text, parse_notebook_text
from grader.answers.submission import parse_answers
from grader.notebook.source import find_notebook, notebook_text, with_notebook_text
from tests.grader.helpers import answers_file


def test_sources_and_the_text_outputs_are_read_stderr_and_images_are_not():
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": ["## Final model\n", "We keep `m2`."]},
            {
                "cell_type": "code",
                "source": "print('ICC: 0.1793')",
                "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": "ICC: 0.1793\n"},
                    {"output_type": "stream", "name": "stderr", "text": "ConvergenceWarning\n"},
                    {"output_type": "display_data", "data": {"image/png": "AAAA"}},
                    {
                        "output_type": "execute_result",
                        "data": {"text/plain": "Eq(y, b)", "text/latex": "$y = b$",
                                 "text/html": "<b>no</b>"},
                    },
                ],
            },
        ]
    }  # fmt: skip
    text = from_notebook(nb)
    assert [c.kind for c in text.cells] == ["markdown", "code"]
    assert text.cells[0].source == "## Final model\nWe keep `m2`."
    assert text.cells[1].output == "ICC: 0.1793\nEq(y, b)\n$y = b$\n"
    assert text.cells[1].number == 2


def test_a_ten_megabyte_markdown_cell_is_cut_with_a_note_in_bounded_time():
    huge = "$" * 10_000_000
    started = time.monotonic()
    text = from_notebook({"cells": [{"cell_type": "markdown", "source": huge}]})
    assert time.monotonic() - started < 1
    assert len(text.cells[0].source) == nt.MAX_SOURCE_CHARS
    assert "first 50,000 characters of cell 1's source" in text.notes[0]


def test_the_total_is_capped_across_cells():
    cell = {"cell_type": "markdown", "source": "x" * nt.MAX_SOURCE_CHARS}
    text = from_notebook({"cells": [cell] * 40})
    assert sum(len(c.source) for c in text.cells) == nt.MAX_TOTAL_CHARS
    assert any("too long" in n for n in text.notes)


def test_output_text_ignores_what_is_not_an_output():
    assert output_text("not a list") == ""
    assert (
        output_text([1, None, {"output_type": "stream", "name": "stdout", "text": ["a", 2]}])
        == "a\n"
    )


def test_the_json_form_round_trips_and_forged_rows_are_dropped():
    text = from_notebook({"cells": [{"cell_type": "code", "source": "x", "outputs": [
        {"output_type": "stream", "name": "stdout", "text": "ICC: 0.18\n"}]}]}, origin="stored")  # fmt: skip
    assert parse_notebook_text(text.to_json()) == text
    forged = {"origin": "stored", "cells": [[0, "code", "x", "y"], [True, "code", "a", "b"],
              ["1", "markdown", "a", ""], [2, "python", "a", ""], [3, "raw", 5, ""], "junk"],
              "notes": ["n" * 1000, 7]}  # fmt: skip
    parsed = parse_notebook_text(forged)
    assert [c.index for c in parsed.cells] == [0]
    assert parsed.notes == ("n" * 300,)
    assert parse_notebook_text(["not", "a", "dict"]).cells == ()


def test_the_caps_apply_again_to_text_read_from_an_answers_file():
    forged = {"cells": [[0, "markdown", "x" * 200_000, ""]]}
    assert len(parse_notebook_text(forged).cells[0].source) == nt.MAX_SOURCE_CHARS


def test_the_answers_file_carries_the_notebook_text():
    doc = json.loads(answers_file({"icc": {"type": "number", "value": 0.18}}))
    doc["notebook"] = {"origin": "stored", "cells": [[3, "markdown", "ICC: 0.18", ""]]}
    submission = parse_answers(json.dumps(doc).encode())
    assert submission.notebook.origin == "stored"
    assert submission.notebook.cells[0].number == 4


def _write(path: Path, cells: list[nbformat.NotebookNode]) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    nbformat.write(nb, path)
    return path


def test_the_nbgrader_path_reads_the_notebook_beside_the_kernel(tmp_path):
    cell = nbformat.v4.new_code_cell("print('ICC: 0.1793')")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ICC: 0.1793\n")]
    _write(tmp_path / "hlm.ipynb", [nbformat.v4.new_markdown_cell("## Final model"), cell])
    raw = with_notebook_text(answers_file(), {}, tmp_path)
    text = parse_answers(raw).notebook
    assert text.origin == "stored"
    assert text.cells[1].output == "ICC: 0.1793\n"


def test_of_several_notebooks_the_one_the_kernel_ran_is_read(tmp_path):
    ours = _write(tmp_path / "b.ipynb", [nbformat.v4.new_code_cell("icc = 0.18")])
    _write(tmp_path / "a.ipynb", [nbformat.v4.new_code_cell("other = 1")])
    assert find_notebook(tmp_path, ["import x", "icc = 0.18"]) == ours
    assert find_notebook(tmp_path / "nothing-here") is None


def test_an_unreadable_or_huge_notebook_adds_nothing(tmp_path):
    (tmp_path / "hlm.ipynb").write_text("{not json", encoding="utf-8")
    assert notebook_text(tmp_path) is None
    assert with_notebook_text(b"not json", {}, tmp_path) == b"not json"


def test_a_notebook_text_too_long_for_the_answers_file_drops_outputs_first(tmp_path):
    cells = []
    for _ in range(120):
        cell = nbformat.v4.new_code_cell("print(x)")
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="é" * 19_000)]
        cells.append(cell)
    _write(tmp_path / "hlm.ipynb", [nbformat.v4.new_markdown_cell("## Text"), *cells])
    doc = notebook_text(tmp_path)
    assert doc is not None and len(json.dumps(doc).encode()) <= 2_000_000
    parsed = parse_notebook_text(doc)
    assert parsed.cells[0].source == "## Text" and parsed.cells[1].output == ""
    assert any("Printed outputs were not read" in n for n in parsed.notes)
