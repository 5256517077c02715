"""Kept for notebooks released before the layout change: their hidden test cells run
``from grader.nbgrader_cell import grade``. The code lives in :mod:`grader.notebook.nbgrader_cell`."""

from __future__ import annotations

from grader.notebook.nbgrader_cell import grade

__all__ = ["grade"]
