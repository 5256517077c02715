"""Rendering reports whose text came from a student: markup is shown, never interpreted."""

from __future__ import annotations

import io

from grader.report.render import print_report, to_html, to_json
from grader.report.values import GradeReport, PartResult


def report_quoting(text: str) -> GradeReport:
    feedback = f"`icc` holds a string ({text!r}) where a number was expected."
    part = PartResult("icc", "Unconditional model and ICC", 0, 10, "failed", feedback)
    return GradeReport(notebook=f"{text}.ipynb", parts=(part,), error=f"Cell 1 raised {text}")


def test_rich_markup_in_student_text_is_printed_verbatim() -> None:
    # Was: rich.errors.MarkupError, a traceback out of `hlm-grader check`.
    out = io.StringIO()
    print_report(report_quoting("[/bold] [/]"), out)
    assert out.getvalue().count("[/bold] [/]") == 3


def test_markup_in_feedback_cannot_restyle_or_hide_text() -> None:
    out = io.StringIO()
    print_report(report_quoting("[red]10 / 10[/red]"), out)
    assert "[red]10 / 10[/red]" in out.getvalue()


def test_lone_surrogates_from_a_non_utf8_file_name_can_be_printed_and_saved() -> None:
    # Was: UnicodeEncodeError from `hlm-grader check --json hlm-\xe9.ipynb` in a UTF-8 locale.
    report = report_quoting("hlm-\udce9l\udce8ve")
    strict = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    print_report(report, strict)
    strict.flush()
    assert "hlm-?l?ve" in to_json(report)
    to_json(report).encode("utf-8")
    to_html(report).encode("utf-8")
