"""Build the student corpus under tests/corpus/notebooks/ from the cell texts kept in Python.

Run ``python -m tests.corpus.build`` (from the repository root) after changing a submission; the
.ipynb files are committed so instructors can open them, and ``test_build_is_current`` checks that
they are what this script writes. Notebooks are saved without outputs: the grader executes them.

The submissions come from four modules, one per category (see README.md):
:mod:`tests.corpus.template_variants` (the assignment notebook answered with other models or with
mistakes), :mod:`tests.corpus.freeform` and :mod:`tests.corpus.freeform_more` (notebooks in
students' own styles),
:mod:`tests.corpus.api_forms` (every way of fitting the model) and :mod:`tests.corpus.partial`
(genuinely unfinished work, the real seed among them).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from tests.corpus import api_forms, freeform, freeform_more, partial, template_variants
from tests.corpus.cells import Cell

HERE = Path(__file__).resolve().parent
NOTEBOOKS = HERE / "notebooks"

CATEGORIES: dict[str, dict[str, list[Cell]]] = {
    "template": template_variants.SUBMISSIONS,
    "freeform": {**freeform.SUBMISSIONS, **freeform_more.SUBMISSIONS},
    "api": api_forms.SUBMISSIONS,
    "partial": partial.SUBMISSIONS,
}
SUBMISSIONS: dict[str, list[Cell]] = {
    name: cells for group in CATEGORIES.values() for name, cells in group.items()
}
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def notebook(cells: list[Cell]) -> str:
    """A format-4 notebook of ``cells``, as the text Jupyter would save (stable cell ids)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    made = []
    for index, cell in enumerate(cells):
        new = nbformat.v4.new_code_cell if cell.kind == "code" else nbformat.v4.new_markdown_cell
        made.append(new(cell.source, id=f"cell-{index:02d}", metadata=dict(cell.metadata)))
    nb.cells = made
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def category_of(name: str) -> str:
    return next(c for c, group in CATEGORIES.items() if name in group)


def main() -> None:
    NOTEBOOKS.mkdir(exist_ok=True)
    stale = {p.name for p in NOTEBOOKS.glob("*.ipynb")} - {f"{n}.ipynb" for n in SUBMISSIONS}
    for name in sorted(stale):
        (NOTEBOOKS / name).unlink()
    for name, cells in SUBMISSIONS.items():
        (NOTEBOOKS / f"{name}.ipynb").write_text(notebook(cells), encoding="utf-8")
    print(f"wrote {len(SUBMISSIONS)} notebooks to {NOTEBOOKS}", file=sys.stderr)


if __name__ == "__main__":
    main()
