"""Reading the answers a notebook emitted: untrusted JSON in, validated values out.

The extraction step (:mod:`grader.kernel.extract`) runs in the student's kernel, so its file is
treated as hostile: size-capped, parsed with the standard library only, and every field type-checked.
A wrong or unreadable answer becomes an :class:`Invalid` value (graded as invalid), never an exception;
only a file that is not valid answer JSON at all raises :class:`AnswerError`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from grader.answers.encoded import Encoded, Invalid, number_of
from grader.answers.models import StudentModel, to_model
from grader.answers.notebook_text import NotebookText, parse_notebook_text
from grader.errors import AnswerError

MAX_ANSWER_BYTES = 8_000_000  # the models' design columns take up to 3 MB


@dataclass(frozen=True, slots=True)
class Submission:
    """Everything read from one notebook's answers file."""

    answers: dict[str, Encoded] = field(default_factory=dict)
    models: dict[str, StudentModel | Invalid] = field(default_factory=dict)
    scalars: dict[str, float] = field(default_factory=dict)
    values: dict[str, Encoded] = field(default_factory=dict)
    notebook: NotebookText = field(default_factory=NotebookText)
    assignment: str | None = None  # the assignment the answers say they are for


def parse_answers(raw: bytes) -> Submission:
    """Validate the extraction file's bytes.

    Raises:
        AnswerError: the bytes are too large, not JSON, or not the extraction's format.
    """
    if len(raw) > MAX_ANSWER_BYTES:
        raise AnswerError(
            f"the answers take {len(raw):,} bytes, more than the {MAX_ANSWER_BYTES:,} allowed; "
            "keep answers to numbers, short lists and equations."
        )
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise AnswerError(
            "the file the grader's last cell wrote is not valid JSON (did code in the notebook "
            "change json or the answers while they were saved?)."
        ) from None
    if not isinstance(data, dict) or data.get("version") != 1:
        raise AnswerError("the answers file has an unknown format.")
    pool = data.get("columns") if isinstance(data.get("columns"), dict) else {}
    return Submission(
        answers=_encoded_dict(data.get("answers")),
        models={k: to_model(k, v, pool) for k, v in _encoded_dict(data.get("models")).items()},
        scalars=_finite_scalars(_encoded_dict(data.get("scalars"))),
        values=_encoded_dict(data.get("values")),
        notebook=parse_notebook_text(data.get("notebook")),
        assignment=_short_text(data.get("assignment")),
    )


def _short_text(value: object) -> str | None:
    return value[:200] if isinstance(value, str) else None


def _finite_scalars(encoded: dict[str, Encoded]) -> dict[str, float]:
    out = {}
    for name, enc in encoded.items():
        value = number_of(enc)
        if isinstance(value, float) and math.isfinite(value):
            out[name] = value
    return out


def _reject_constant(name: str) -> float:
    raise ValueError(name)


def _encoded_dict(value: object) -> dict[str, Encoded]:
    if not isinstance(value, dict):
        return {}
    return {str(k)[:100]: v for k, v in value.items() if isinstance(v, dict)}
