"""Each student's files in a batch's output folder, written so that a crash never leaves half of one.

``feedback.html`` and ``results.json`` are written first and ``report.json`` last, each through a
temporary file renamed into place: a student folder with a ``report.json`` is finished, and a run
that resumes skips exactly those.
"""

from __future__ import annotations

import html
import json
import os
import secrets
from pathlib import Path

import pandas as pd

from grader.assignment.config import GradingConfig
from grader.report.gradescope import to_gradescope_json
from grader.report.render import to_html
from grader.report.values import GradeReport, PartResult

REPORT, FEEDBACK, RESULTS = "report.json", "feedback.html", "results.json"


def write_student(
    folder: Path, report: GradeReport, *, config: GradingConfig, data: pd.DataFrame | None = None
) -> None:
    """Write a student's ``feedback.html``, ``results.json`` and, last, ``report.json``.

    ``data`` (the data the run graded on) adds the equations of the student's own model to the
    feedback, where the config reveals expected answers.
    """
    folder.mkdir(parents=True, exist_ok=True)
    extra = (
        model_equations_html(report, data) if config.reveal_expected and data is not None else ""
    )
    atomic_write(folder / FEEDBACK, to_html(report, extra_html=extra))
    atomic_write(folder / RESULTS, to_gradescope_json(report))
    atomic_write(folder / REPORT, report_to_json(report))


def model_equations_html(report: GradeReport, data: pd.DataFrame) -> str:
    """The level-1, level-2 and combined equations of the student's final model, in MathML."""
    from reference.equations.model import model_equations
    from reference.errors import HLMReferenceError
    from reference.model.spec import make_spec, parse_spec

    model = report.meta.get("final_model") or {}
    if not model.get("formula"):
        return ""
    try:
        spec = make_spec(str(model["formula"]), str(model.get("re_formula") or "1"))
        mathml = model_equations(parse_spec(spec, data, require_final=False)).mathml()
    except (HLMReferenceError, ValueError, KeyError):
        return ""  # a model the grader cannot read has no equations to show
    formula = html.escape(f"{spec.formula}, random part {spec.re_formula}")
    return f"<h2>The equations of your model</h2><p><code>{formula}</code></p>{mathml}"


def report_to_json(report: GradeReport) -> str:
    """``report.json``: the report's dict plus what a class summary needs (meta, elapsed)."""
    doc = {**report.to_dict(), "elapsed": report.elapsed, "meta": report.meta}
    return json.dumps(doc, indent=2, allow_nan=False)


def report_from_json(text: str) -> GradeReport:
    """Read back a ``report.json`` written by :func:`report_to_json`.

    Raises:
        ValueError: the text is not such a report.
    """
    raw = json.loads(text)
    if not isinstance(raw, dict) or not isinstance(raw.get("parts"), list):
        raise ValueError("not a grade report")
    try:
        parts = tuple(PartResult.from_dict(p) for p in raw["parts"])
        return GradeReport(
            notebook=str(raw["notebook"]), parts=parts, error=raw.get("error"),
            notes=tuple(raw.get("notes") or ()), sandboxed=raw.get("sandboxed"),
            elapsed=raw.get("elapsed"), meta=dict(raw.get("meta") or {}),
        )  # fmt: skip
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"not a grade report ({exc})") from None


def read_report(folder: Path) -> GradeReport | None:
    """The finished report in a student's folder, or None (not there, or unreadable)."""
    try:
        return report_from_json((folder / REPORT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write ``path`` whole or not at all (a temporary file renamed over it).

    The file gets the mode any new file gets (0o666 less the umask, e.g. 0o644 or 0o664), so a
    teaching assistant in the instructor's group can read the reports; a ``mkstemp`` file would
    be 0o600.
    """
    # A lone surrogate from a student's string must not abort the write: it becomes U+FFFD.
    data = content.encode("utf-8", "replace") if isinstance(content, str) else content
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    handle = os.open(temporary, flags | getattr(os, "O_BINARY", 0), 0o666)  # the umask applies
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
