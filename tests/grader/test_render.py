"""Every rendering of a report: what students wrote is shown, never interpreted; each medium draws
the feedback's marks its own way; the terminal uses its width; the HTML restyles nothing around it.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from grader.answers.submission import parse_answers
from grader.assignment import load_config
from grader.judge.engine import judge
from grader.report.cell import part_score
from grader.report.gradescope import to_gradescope_json
from grader.report.html import STYLE, report_html
from grader.report.json import to_json
from grader.report.markup import Span, spans, split_checked
from grader.report.text import WIDE, print_report, report_renderable
from grader.report.values import GradeReport, PartResult
from tests.grader.helpers import SEED_UNCONDITIONAL, answers_file, num
from tests.hlm import HLM, MESSAGES

REPO = Path(__file__).resolve().parents[2]
CHECKED = (
    "Checked `icc` against τ00 / (τ00 + σ²) of the unconditional model `mathach ~ 1` with a "
    "random school intercept, to within ±0.0015."
)
PASSED = f"{CHECKED} `icc` = 0.1793 agrees with the reference to within ±0.0015."
INVERTED = (
    f"{CHECKED} `icc` = 0.8207 looks like the share of the variance that lies *within* schools."
)


def report_quoting(text: str) -> GradeReport:
    feedback = f"`icc` holds a string ({text!r}) where a number was expected."
    part = PartResult("icc", "Unconditional model and ICC", 0, 10, "failed", feedback)
    return GradeReport(notebook=f"{text}.ipynb", parts=(part,), error=f"Cell 1 raised {text}")


def two_parts() -> GradeReport:
    return GradeReport(
        "seed.ipynb",
        (
            PartResult("icc", "Unconditional model and ICC", 10, 10, "passed", PASSED, "icc"),
            PartResult(
                "forecast",
                "Forecast for the given student",
                0,
                10,
                "failed",
                "Checked `forecast` against the fixed part of your final model at the "
                "given student's profile (random effects set to 0), to within ±0.01. "
                "`forecast` = 9.1234 is not the fixed part of your final model at the "
                "given profile.",
                "forecast",
            ),
        ),
        notes=("`final` was not set; graded your fitted model `final_model_results`.",),
    )


def printed(report: GradeReport, width: int) -> list[str]:
    out = io.StringIO()
    print_report(report, out, width=width)
    return out.getvalue().splitlines()


# --- student text is data ----------------------------------------------------------------------


def test_rich_markup_in_student_text_is_printed_verbatim() -> None:
    # Was: rich.errors.MarkupError, a traceback out of `hlm-grader check`.
    for width in (80, 200):
        text = "\n".join(printed(report_quoting("[/bold] [/]"), width))
        assert text.count("[/bold] [/]") == 3


def test_markup_in_feedback_cannot_restyle_or_hide_text() -> None:
    assert any(
        "[red]10 / 10[/red]" in line for line in printed(report_quoting("[red]10 / 10[/red]"), 80)
    )
    html = report_html(report_quoting("<script>alert(1)</script>"))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_lone_surrogates_from_a_non_utf8_file_name_can_be_printed_and_saved() -> None:
    # Was: UnicodeEncodeError from `hlm-grader check --json hlm-\xe9.ipynb` in a UTF-8 locale.
    report = report_quoting("hlm-\udce9l\udce8ve")
    strict = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    print_report(report, strict)
    strict.flush()
    assert "hlm-?l?ve" in to_json(report)
    to_json(report).encode("utf-8")
    report_html(report).encode("utf-8")


# --- the marks of feedback text ----------------------------------------------------------------


def test_code_and_emphasis_are_read_and_formulas_are_left_alone() -> None:
    assert spans("the share *within* schools") == [
        Span("text", "the share "), Span("em", "within"), Span("text", " schools")
    ]  # fmt: skip
    assert spans("`icc` = 1") == [Span("code", "icc"), Span("text", " = 1")]
    for formula in ("mathach ~ ses*meanses*female", "2 * x * y", "a ** b", "`unclosed", "*open"):
        assert spans(formula) == [Span("text", formula)], formula


def test_reading_marks_stays_fast_on_hostile_text() -> None:
    started = time.perf_counter()
    for text in ("*a " * 50_000, "`" * 100_000, "*" * 100_000, "x*" * 50_000):
        assert "".join(s.text for s in spans(text))  # nothing lost
    assert time.perf_counter() - started < 2.0


def test_every_what_was_checked_message_is_recognised_as_one_sentence() -> None:
    # The terminal leaves this sentence out of passing rows; each template must split whole.
    keys = [k for k in MESSAGES.templates if k.split(".")[-1].startswith("checked")]
    assert len(keys) >= 9
    for key in keys:
        checked, rest = split_checked(MESSAGES.templates[key])
        assert checked == MESSAGES.templates[key] and rest == "", key
    assert split_checked(PASSED) == (
        CHECKED,
        "`icc` = 0.1793 agrees with the reference to within ±0.0015.",
    )
    assert split_checked("No answer found: put it in `icc`.") == (
        "",
        "No answer found: put it in `icc`.",
    )


def test_html_draws_code_and_emphasis_and_never_shows_the_marks() -> None:
    report = GradeReport("a.ipynb", (PartResult("icc", "ICC", 0, 10, "failed", INVERTED),))
    html = report_html(report)
    assert "<code>icc</code>" in html and "<em>within</em>" in html
    assert "*within*" not in html and "`icc`" not in html


def test_a_colour_terminal_draws_the_marks_and_plain_output_keeps_code_visible() -> None:
    report = GradeReport("a.ipynb", (PartResult("icc", "ICC", 0, 10, "failed", INVERTED),))
    colour = io.StringIO()
    Console(file=colour, width=80, force_terminal=True, color_system="standard").print(
        report_renderable(report, width=80, colour=True)
    )
    shown = re.sub(r"\x1b\[[0-9;]*m", "", colour.getvalue())
    assert "\x1b[3m" in colour.getvalue()  # italic
    assert "`icc`" not in shown and "*within*" not in shown and "icc = 0.8207" in shown
    plain = "\n".join(printed(report, 80))
    assert "`icc` = 0.8207" in plain and "*within*" not in plain and " within " in plain


# --- the terminal, at any width ----------------------------------------------------------------


@pytest.mark.parametrize("width", [40, 60, 80])
def test_a_narrow_terminal_stacks_each_part_with_its_feedback_beneath(width: int) -> None:
    lines = printed(two_parts(), width)
    assert max(len(line) for line in lines) <= width
    assert not any(c in "".join(lines) for c in "│┃┏━")  # no table borders to wrap into
    heading = next(line for line in lines if "Forecast for the given student" in line)
    assert heading.rstrip().endswith("0 / 10")
    below = lines[lines.index(heading) + 1]
    assert below.startswith("  Checked `forecast` against")  # indented under its part


def test_a_wide_terminal_is_a_table_that_uses_its_width() -> None:
    lines = printed(two_parts(), 200)
    header = next(line for line in lines if "Feedback" in line)
    assert re.match(r"\s*Part\s+Score\s+Feedback", header)
    assert max(len(line.rstrip()) for line in lines) > 150  # the feedback column takes the room
    failing = " ".join(line for line in lines if "forecast" in line.lower())
    assert "Checked `forecast` against the fixed part" in failing
    assert max(len(line) for line in printed(two_parts(), WIDE)) <= WIDE


@pytest.mark.parametrize("width", [80, 200])
def test_a_passing_part_shows_its_verdict_and_a_failing_one_what_was_checked(width: int) -> None:
    text = "\n".join(printed(two_parts(), width))
    assert "agrees with the reference" in text
    assert "Checked `icc` against" not in text  # the passing row's sentence, left out
    assert "Checked `forecast` against" in text and "9.1234" in text


def test_json_and_html_keep_what_was_checked_for_every_part() -> None:
    report = two_parts()
    doc = json.loads(to_json(report))
    assert doc["parts"][0]["feedback"] == PASSED
    html = report_html(report)
    assert 'class="hlm-checked"' in html and "τ00 / (τ00 + σ²)" in html


@pytest.mark.parametrize("columns", [80, 200])
def test_the_cli_lays_out_for_the_columns_it_is_given(tmp_path: Path, columns: int) -> None:
    # A real run of `hlm-grader check` with COLUMNS set, as a shell would (stdout is a pipe).
    notebook = tmp_path / "hlm.ipynb"
    notebook.write_text("this is not a notebook", encoding="utf-8")
    env = {**os.environ, "COLUMNS": str(columns), "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "grader.cli", "check", str(notebook)], env=env,
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 2, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    words = " ".join(done.stdout.split())  # the long path may wrap anywhere
    assert "is not valid JSON" in words and "Total: 0 / 100" in words
    table = any(re.match(r"\s*Part\s+Score\s+Feedback", line) for line in lines)
    assert table is (columns >= WIDE)
    if columns >= WIDE:
        assert max(len(line.rstrip()) for line in lines) > 120


# --- HTML that lives in other people's pages ---------------------------------------------------


def test_every_style_rule_is_scoped_to_the_report() -> None:
    selectors = [s.strip() for rule in re.findall(r"([^{}]+)\{", STYLE) for s in rule.split(",")]
    assert selectors and all(s.startswith(".hlm-report.hlm-report") for s in selectors), selectors
    fragment = GradeReport("a", two_parts().parts)._repr_html_()
    assert "<table" not in fragment and "<html" not in fragment and "rem" not in STYLE


def test_the_fragment_keeps_student_dollars_away_from_mathjax() -> None:
    fragment = report_quoting("$x$ costs $5")._repr_html_()
    assert 'class="hlm-report tex2jax_ignore mathjax_ignore"' in fragment


def test_the_page_loads_nothing_and_fits_a_phone() -> None:
    page = report_html(two_parts())
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert not re.search(r"(?i)<(script|link|img)\b|https?:|@import|url\(", page)


# --- the self-check's promise ------------------------------------------------------------------


def test_no_rendering_shows_the_expected_icc(hsb) -> None:
    # Inverted ICC, 0.8207 = 1 - 0.1793 (lme4's ML ICC): the renderings must not hand over 0.179.
    config = load_config()
    answers = answers_file({"icc": num(0.8207)}, {"unconditional": SEED_UNCONDITIONAL})
    parts, notes = judge(parse_answers(answers), assignment=HLM.with_grading(config), data=hsb)
    report = GradeReport("hlm.ipynb", tuple(parts), notes=tuple(notes))
    icc = report.part("icc")
    assert icc.score == 0 and "icc_inverted" in icc.mistakes
    shown = [
        "\n".join(printed(report, 80)), "\n".join(printed(report, 200)), to_json(report),
        report_html(report), to_gradescope_json(report),
        part_score("icc", icc.to_dict(), None)._repr_html_(),
    ]  # fmt: skip
    for text in shown:
        assert "0.8207" in text and not re.search(r"0\.179|0\.18\b", text)
        assert "1 - 0.8207" not in text and "1 − " not in text
