"""Reading submissions: every malformed file is one clear NotebookError, odd notebooks are notes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from grader.errors import NotebookError
from grader.run.notebook_file import notebook_notes, read_notebook, strip_outputs

PYTHON3 = {"name": "python3", "display_name": "Python 3", "language": "python"}


def write(tmp_path: Path, content: str | bytes, name: str = "submission.ipynb") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def notebook_file(tmp_path: Path, *cells: nbformat.NotebookNode, **metadata: object) -> Path:
    notebook = new_notebook(cells=list(cells), metadata=metadata or {"kernelspec": PYTHON3})
    path = tmp_path / "submission.ipynb"
    nbformat.write(notebook, path)
    return path


def test_a_notebook_is_read_with_joined_sources(tmp_path: Path) -> None:
    raw = new_notebook(cells=[new_code_cell("x = 1\ny = 2")], metadata={"kernelspec": PYTHON3})
    path = write(tmp_path, nbformat.writes(raw))  # nbformat stores sources as lists of lines
    assert '"x = 1\\n",' in path.read_text()
    notebook = read_notebook(path)
    assert notebook.cells[0].source == "x = 1\ny = 2"
    assert notebook_notes(notebook) == ()


def test_reading_leaves_the_file_byte_for_byte_unchanged(tmp_path: Path) -> None:
    cell = new_code_cell("print(1)", outputs=[new_output("stream", name="stdout", text="1\n")])
    path = notebook_file(tmp_path, cell)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    strip_outputs(read_notebook(path))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_strip_outputs_clears_outputs_and_counts_on_a_copy(tmp_path: Path) -> None:
    cell = new_code_cell("1", execution_count=7, outputs=[new_output("execute_result", data={})])
    notebook = read_notebook(
        notebook_file(tmp_path, cell, kernelspec={"name": "ir", "display_name": "R"})
    )
    stripped = strip_outputs(notebook)
    assert stripped.cells[0].outputs == [] and stripped.cells[0].execution_count is None
    assert stripped.metadata.kernelspec.name == "python3"
    assert notebook.cells[0].execution_count == 7  # the original object is untouched


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotebookError, match=r"does not exist; check the path"):
        read_notebook(tmp_path / "nowhere.ipynb")


def test_a_directory(tmp_path: Path) -> None:
    with pytest.raises(NotebookError, match=r"is a directory, not a notebook file"):
        read_notebook(tmp_path)


def test_a_file_over_the_size_cap(tmp_path: Path) -> None:
    path = notebook_file(tmp_path, new_code_cell("x = '" + "a" * 5000 + "'"))
    with pytest.raises(NotebookError, match=r"MB a notebook may have; clear its outputs"):
        read_notebook(path, max_bytes=1000)


def test_an_empty_file(tmp_path: Path) -> None:
    with pytest.raises(NotebookError, match=r"is empty; the upload may have failed"):
        read_notebook(write(tmp_path, b""))


def test_truncated_json(tmp_path: Path) -> None:
    text = nbformat.writes(new_notebook(cells=[new_code_cell("x = 1")]))
    with pytest.raises(NotebookError, match=r"is not valid JSON \(.* at line \d+, column \d+\)"):
        read_notebook(write(tmp_path, text[: len(text) // 2]))


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04\x14\x00\x00\x00\x08\x00", b'{"cells": []}\x00', "é".encode("latin-1") * 5],
    ids=["zip", "nul-byte", "latin-1"],
)
def test_binary_or_non_utf8_content(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(
        NotebookError, match=r"is not a text file \(it looks binary or is not UTF-8\)"
    ):
        read_notebook(write(tmp_path, content))


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    text = nbformat.writes(new_notebook(cells=[new_code_cell("x = 'é'")]))
    assert (
        read_notebook(write(tmp_path, b"\xef\xbb\xbf" + text.encode())).cells[0].source == "x = 'é'"
    )


@pytest.mark.parametrize("content", ['{"a": 1}', "[1, 2]", '"text"'], ids=["dict", "list", "str"])
def test_json_that_is_not_a_notebook(tmp_path: Path, content: str) -> None:
    with pytest.raises(NotebookError, match=r"is JSON but not a Jupyter notebook"):
        read_notebook(write(tmp_path, content))


def test_nbformat_3_asks_for_a_resave(tmp_path: Path) -> None:
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": []}]}
    with pytest.raises(NotebookError, match=r"format 3, which is too old.*re-save it in a current"):
        read_notebook(write(tmp_path, json.dumps(v3)))


def test_an_unknown_future_format(tmp_path: Path) -> None:
    with pytest.raises(NotebookError, match=r"declares notebook format 5 where format 4"):
        read_notebook(write(tmp_path, json.dumps({"nbformat": 5, "cells": []})))


@pytest.mark.parametrize(
    "cell",
    [{"cell_type": "code"}, {"cell_type": "code", "source": 3}, {"source": "x"}, "x = 1"],
    ids=["no-source", "number-source", "no-type", "not-a-dict"],
)
def test_a_malformed_cell(tmp_path: Path, cell: object) -> None:
    data = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell]}
    with pytest.raises(NotebookError, match=r"has a malformed cell 1"):
        read_notebook(write(tmp_path, json.dumps(data)))


def test_zero_cells_is_a_note_not_an_error(tmp_path: Path) -> None:
    notebook = read_notebook(notebook_file(tmp_path))
    assert notebook_notes(notebook) == ("The notebook has no cells, so there is nothing to run.",)


def test_only_markdown_is_a_note(tmp_path: Path) -> None:
    notebook = read_notebook(notebook_file(tmp_path, new_markdown_cell("# answers")))
    assert notebook_notes(notebook) == (
        "The notebook has no code cells, so there is nothing to run.",
    )


def test_no_kernelspec_is_noted(tmp_path: Path) -> None:
    notebook = read_notebook(
        notebook_file(tmp_path, new_code_cell("1"), language_info={"name": "python"})
    )
    assert notebook_notes(notebook) == ("The notebook names no kernel; it was run with Python 3.",)


def test_another_python_kernel_is_noted(tmp_path: Path) -> None:
    spec = {"name": "conda-env-stats-py", "display_name": "stats", "language": "python"}
    notebook = read_notebook(notebook_file(tmp_path, new_code_cell("1"), kernelspec=spec))
    assert notebook_notes(notebook) == (
        "The notebook asks for the kernel 'conda-env-stats-py'; it was run with Python 3.",
    )


def test_a_kernel_for_another_language_is_noted(tmp_path: Path) -> None:
    spec = {"name": "ir", "display_name": "R", "language": "R"}
    notebook = read_notebook(notebook_file(tmp_path, new_code_cell("1"), kernelspec=spec))
    (note,) = notebook_notes(notebook)
    assert note.startswith("The notebook was written for the R kernel 'ir' but was run with Python")


@pytest.mark.parametrize(
    "doc",
    [
        {"cells": [{"cell_type": "code", "source": "x = 1"}], "nbformat": 4},
        {"cells": [{"cell_type": "code", "source": "x = 1", "metadata": [1]}], "nbformat": 4,
         "metadata": "not an object"},
    ],
)  # fmt: skip
def test_missing_or_odd_metadata_is_filled_in_so_the_notebook_can_run(
    tmp_path: Path, doc: dict[str, object]
) -> None:
    # Was: AttributeError / TypeError from strip_outputs, so hlm-grader check failed internally.
    notebook = read_notebook(write(tmp_path, json.dumps(doc)))
    assert notebook.metadata == {} and notebook.cells[0].metadata == {}
    assert strip_outputs(notebook).metadata["kernelspec"]["name"] == "python3"
    assert notebook_notes(notebook) == ("The notebook names no kernel; it was run with Python 3.",)


@pytest.mark.parametrize("cell_type", [[], {}, ["code"]])
def test_a_cell_type_that_is_not_text_is_a_malformed_cell(
    tmp_path: Path, cell_type: object
) -> None:
    # Was: TypeError (unhashable type) instead of a NotebookError.
    doc = {"cells": [{"cell_type": cell_type, "source": ""}], "nbformat": 4}
    with pytest.raises(NotebookError, match="malformed cell 1"):
        read_notebook(write(tmp_path, json.dumps(doc)))
