"""Reading a submitted notebook: everything that can be wrong with the file itself.

A file we cannot run is a :class:`~grader.errors.NotebookError` with one sentence saying what was
found and what to do. A notebook we *can* run but that looks odd (no cells, another kernel) is
not an error: :func:`notebook_notes` describes it and the run goes ahead with Python 3.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import nbformat

from grader.errors import NotebookError

MB = 1000**2
DEFAULT_MAX_BYTES = 20 * MB
RUN_KERNEL = "python3"
_CELL_TYPES = {"code", "markdown", "raw"}


def read_notebook(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> nbformat.NotebookNode:
    """Read and check a notebook file without changing it.

    Args:
        path: The submitted ``.ipynb`` file.
        max_bytes: Largest file accepted. Stored outputs count, although they are never run.

    Returns:
        The notebook in format 4, with each cell's source as one string.

    Raises:
        NotebookError: The file is missing, too large, not UTF-8 JSON, not a notebook, of
            format 3 or older, or has a malformed cell.
    """
    data = _parse_json(path, _read_text(path, max_bytes))
    _check_version(path, data)
    cells = data["cells"]
    for number, cell in enumerate(cells, start=1):
        _check_cell(path, number, cell)
    notebook = nbformat.from_dict(_with_metadata(data))
    for cell in notebook.cells:
        cell.source = _source_text(cell.source)
    return notebook


def _with_metadata(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with a metadata object on the notebook and every cell, as Jupyter writes them.

    A hand-made or tool-made file may lack them (or hold something else); running needs them.
    """

    def fixed(item: dict[str, Any]) -> dict[str, Any]:
        return item if isinstance(item.get("metadata"), dict) else {**item, "metadata": {}}

    return {**fixed(data), "cells": [fixed(cell) for cell in data["cells"]]}


def _read_text(path: Path, max_bytes: int) -> str:
    _check_is_file(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise NotebookError(
            f"{path} cannot be read ({exc.strerror}); check its permissions."
        ) from exc
    if len(raw) > max_bytes:
        raise NotebookError(
            f"{path} is {path.stat().st_size / MB:.1f} MB, more than the {max_bytes / MB:g} MB a "
            "notebook may have; clear its outputs (Kernel > Restart & Clear Output), save and "
            "resubmit."
        )
    if not raw.strip():
        raise NotebookError(
            f"{path} is empty; the upload may have failed, so resubmit the notebook."
        )
    try:
        if b"\x00" not in raw:
            return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    raise NotebookError(
        f"{path} is not a text file (it looks binary or is not UTF-8); submit the .ipynb file "
        "saved by Jupyter, not an export or an archive."
    )


def _check_is_file(path: Path) -> None:
    if path.is_file():
        return
    if not path.exists():
        found = "does not exist; check the path of the submission"
    elif path.is_dir():
        found = "is a directory, not a notebook file; pass the .ipynb file itself"
    else:
        found = "is not a regular file; pass the .ipynb file itself"
    raise NotebookError(f"{path} {found}.")


def _parse_json(path: Path, text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(
            f"{path} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); it "
            "may be truncated or edited by hand, so open and re-save it in Jupyter."
        ) from exc
    if not isinstance(data, dict) or not ("cells" in data or "worksheets" in data):
        raise NotebookError(
            f"{path} is JSON but not a Jupyter notebook (it has no cells); submit the .ipynb file "
            "saved by Jupyter."
        )
    return data


def _check_version(path: Path, data: dict[str, Any]) -> None:
    version = data.get("nbformat")
    if "worksheets" in data or (isinstance(version, int) and version < 4):
        old = version if isinstance(version, int) else 3
        raise NotebookError(
            f"{path} uses notebook format {old}, which is too old to run; open it and re-save "
            "it in a current Jupyter (format 4)."
        )
    if version != 4 or not isinstance(data.get("cells"), list):
        raise NotebookError(
            f"{path} declares notebook format {version!r} where format 4 with a list of cells was "
            "expected; open and re-save it in a current Jupyter."
        )


def _check_cell(path: Path, number: int, cell: Any) -> None:
    ok = (
        isinstance(cell, dict)
        and isinstance(cell.get("cell_type"), str)
        and cell["cell_type"] in _CELL_TYPES
        and (isinstance(cell.get("source"), str) or _is_list_of_str(cell.get("source")))
    )
    if not ok:
        raise NotebookError(
            f"{path} has a malformed cell {number} (a cell needs a cell_type of code, markdown or "
            "raw and a text source); open and re-save it in Jupyter."
        )


def _is_list_of_str(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(line, str) for line in value)


def _source_text(source: str | list[str]) -> str:
    return source if isinstance(source, str) else "".join(source)


def strip_outputs(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``notebook`` with no stored outputs or execution counts, forced to Python 3.

    What a student's saved outputs show is never evidence: only a fresh run counts.
    """
    stripped = copy.deepcopy(notebook)
    for cell in stripped.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    stripped.metadata["kernelspec"] = nbformat.from_dict(
        {"name": RUN_KERNEL, "display_name": "Python 3", "language": "python"}
    )
    return stripped


def notebook_notes(notebook: nbformat.NotebookNode) -> tuple[str, ...]:
    """Sentences about a runnable but unusual notebook (empty, or written for another kernel)."""
    notes: list[str] = []
    if not notebook.cells:
        notes.append("The notebook has no cells, so there is nothing to run.")
    elif not any(cell.cell_type == "code" for cell in notebook.cells):
        notes.append("The notebook has no code cells, so there is nothing to run.")
    kernel_note = _kernel_note(notebook.metadata.get("kernelspec"))
    if kernel_note:
        notes.append(kernel_note)
    return tuple(notes)


def _kernel_note(kernelspec: Any) -> str | None:
    if not isinstance(kernelspec, dict) or not kernelspec.get("name"):
        return "The notebook names no kernel; it was run with Python 3."
    name = str(kernelspec["name"])
    language = str(kernelspec.get("language") or "")
    if name == RUN_KERNEL:
        return None
    if language and language.lower() != "python":
        return (
            f"The notebook was written for the {language} kernel {name!r} but was run with "
            "Python 3, so its cells will likely fail."
        )
    return f"The notebook asks for the kernel {name!r}; it was run with Python 3."
