"""Builders of notebook text and submissions, so reading can be tested without a kernel."""

from __future__ import annotations

import dataclasses
from typing import Any

from grader.answers.notebook_text import NotebookCell, NotebookText
from grader.answers.submission import Submission, parse_answers
from tests.grader.helpers import answers_file


def md(source: str) -> tuple[str, str, str]:
    return ("markdown", source, "")


def code(source: str, output: str = "") -> tuple[str, str, str]:
    return ("code", source, output)


def text(*cells: tuple[str, str, str]) -> NotebookText:
    """A notebook's text from (kind, source, output) cells, numbered from 1 like Jupyter's."""
    return NotebookText(
        tuple(
            NotebookCell(i, kind, source, output) for i, (kind, source, output) in enumerate(cells)
        )  # type: ignore[arg-type]
    )


def submission(
    *cells: tuple[str, str, str],
    answers: dict[str, Any] | None = None,
    models: dict[str, Any] | None = None,
    scalars: dict[str, float] | None = None,
    values: dict[str, Any] | None = None,
) -> Submission:
    """A validated submission (through the answers file's parser) with the given notebook text."""
    raw = answers_file(answers, models, scalars)
    if values:
        import json

        doc = json.loads(raw)
        doc["values"] = values
        raw = json.dumps(doc).encode()
    return dataclasses.replace(parse_answers(raw), notebook=text(*cells))


def string(value: str) -> dict[str, Any]:
    return {"type": "string", "value": value}
