"""Give a submission the release's grade cells back before nbgrader checks it, so it is graded.

nbgrader 0.9 restores a deleted grade cell (``OverwriteCells.add_missing_cells``) by putting it
after the cell that preceded it in the release. A notebook that was not started from the release
(a student's own notebook, like the seed student's) has none of those cells, so the lookup fails
(``KeyError: 'answer_icc'``), ``nbgrader autograde`` logs "Removing failed assignment" and the
student is left with 0 in ``grades.csv`` without a word — while ``hlm-grader check`` grades the
same notebook.

:class:`RestoreGradeCells` runs just before ``OverwriteCells`` when autograding (the course's
``nbgrader_config.py`` puts it there) and adds every grade cell of the release the submission
lacks, so nbgrader finds nothing missing:

* test cells go at the end of the notebook, in the release's order, where the release has them:
  they grade the notebook's final state, as ``hlm-grader check`` does;
* a written answer (a manually graded cell) goes after the nearest release cell the submission
  still has, else at the end before the tests. It says it was added back, so it differs from the
  release's "YOUR ANSWER HERE" and waits for a person (the student's own prose is elsewhere in
  their notebook) instead of scoring 0 unread.

Cells are built by nbgrader's own ``missing_cell_transform``, and ``OverwriteCells`` then checks
them as it checks every grade cell (a test cell's source comes from the gradebook). A submission
that has all its grade cells is not touched.
"""

from __future__ import annotations

from typing import Any

from nbconvert.preprocessors import Preprocessor
from nbformat import NotebookNode, from_dict
from traitlets import Bool

NOTICE = (
    "This cell was missing from the submission (the notebook was not started from the released "
    "assignment, or the cell was deleted); hlm-grader added it back so the notebook is graded.\n\n"
)


class RestoreGradeCells(Preprocessor):  # type: ignore[misc]
    """Add the release's grade cells a submission lacks (see the module's docstring)."""

    # nbconvert skips a preprocessor unless it is enabled; nbgrader's own are on by default.
    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[NotebookNode, Any]:
        from nbgrader.api import Gradebook

        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gradebook:
            source = gradebook.find_notebook(info["notebook"], info["assignment"])
            restore_cells(nb, _release_cells(source))
        return nb, resources


def _release_cells(source: Any) -> list[dict[str, Any]]:
    """The release's cells in order, as plain data: name, and for grade cells how to rebuild them."""
    grades = {c.name: c.max_score for c in source.grade_cells}
    solutions = {c.name for c in source.solution_cells}
    return [
        {"name": c.name, "cell": c, "points": grades.get(c.name), "solution": c.name in solutions}
        for c in source.source_cells
    ]


def restore_cells(nb: NotebookNode, release: list[dict[str, Any]]) -> list[str]:
    """Add to ``nb`` the grade cells of ``release`` it lacks; returns their names, in order."""
    present = {_grade_id(c) for c in nb.cells} - {None}
    missing = [r for r in release if r["points"] is not None and r["name"] not in present]
    tests = [r for r in missing if not r["solution"]]
    for entry in (r for r in missing if r["solution"]):
        nb.cells.insert(_written_position(nb, release, entry["name"], present), _build(nb, entry))
        present.add(entry["name"])  # a later written answer goes after this one, not before
    nb.cells.extend(_build(nb, entry) for entry in tests)
    return [r["name"] for r in missing]


def _written_position(
    nb: NotebookNode, release: list[dict[str, Any]], name: str, present: set[str | None]
) -> int:
    """After the nearest earlier release cell the submission has; else before its test cells."""
    names = [r["name"] for r in release]
    for earlier in reversed(names[: names.index(name)]):
        if earlier in present:
            return 1 + next(i for i, c in enumerate(nb.cells) if _grade_id(c) == earlier)
    return len(nb.cells)


def _build(nb: NotebookNode, entry: dict[str, Any]) -> NotebookNode:
    from nbgrader.preprocessors import OverwriteCells

    restorer = OverwriteCells(missing_cell_notification=NOTICE)
    cell = restorer.missing_cell_transform(entry["cell"], entry["points"],
                                           is_solution=entry["solution"])  # fmt: skip
    if entry["cell"].locked:  # the release's text exactly: OverwriteCells then finds it intact
        cell["source"] = entry["cell"].source
    if nb.get("nbformat_minor", 0) >= 5:  # cell ids exist from nbformat 4.5 on
        cell["id"] = f"hlm-restored-{entry['name']}"[:64]
    # Attribute access all the way down, as nbgrader's later steps read cell.metadata.nbgrader.
    return from_dict(cell)  # type: ignore[no-any-return]


def _grade_id(cell: NotebookNode) -> str | None:
    nbgrader = cell.get("metadata", {}).get("nbgrader")
    return nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
