"""The class's files from hand-made reports (no kernel): grades.csv, the Canvas and Moodle imports,
and summary.html: counts, rates, escaping."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from grader.batch.exports import canvas_csv, grades_csv, moodle_csv, number
from grader.batch.summary import summary_html, write_summary
from grader.report.values import GradeReport, PartResult
from tests.hlm import HLM

CONFIG = HLM.grading
#: The gradebook column: the assignment's title.
ASSIGNMENT = HLM.title
SEED_MODEL = {
    "formula": "mathach ~ ses + meanses + pracad + minority + female",
    "re_formula": "~minority",
    "method": "ML",
}
TABLE_45 = {
    "formula": "mathach ~ meanses + sector + cses + cses:meanses + cses:sector",
    "re_formula": "~cses",
    "method": "ML",
}


def report(
    name: str,
    statuses: dict[str, str] | None = None,
    *,
    mistakes: dict[str, tuple[str, ...]] | None = None,
    model: dict[str, str] | None = None,
    error: str | None = None,
) -> GradeReport:
    """A report in which every part passed except those named in ``statuses``."""
    statuses, mistakes = statuses or {}, mistakes or {}
    parts = []
    for part in CONFIG.parts:
        status = statuses.get(part.id, "passed")
        score = {"passed": part.points, "partial": part.points / 2}.get(status, 0.0)
        parts.append(PartResult(part.id, part.title, score, part.points, status,  # type: ignore[arg-type]
                                f"Feedback on {part.id}.", mistakes=mistakes.get(part.id, ())))  # fmt: skip
    return GradeReport(name, tuple(parts), error=error, meta={"final_model": model})


def class_reports() -> list[tuple[str, GradeReport]]:
    """Six students: two full marks, two classic mistakes, one partial, one that did not run."""
    missing = {p.id: "missing" for p in CONFIG.parts}
    hostile = {**SEED_MODEL, "formula": "mathach ~ <script>alert(1)</script>"}
    inverted = {"icc": ("icc_inverted",)}
    short = {**inverted, "final_model": ("short_of_optimum",)}
    dave = {"icc": "failed", "final_model": "partial"}
    reml = {"aic_change": ("aic_reml",)}
    crashed = "=The kernel died while running cell 1."
    return [
        ("alice", report("alice.ipynb", model=SEED_MODEL)),
        ("bob", report("bob.ipynb", model=TABLE_45)),
        ("carol", report("carol.ipynb", {"icc": "failed"}, mistakes=inverted, model=SEED_MODEL)),
        ("dave", report("dave.ipynb", dave, mistakes=short, model=SEED_MODEL)),
        ("erin", report("erin.ipynb", {"aic_change": "failed"}, mistakes=reml, model=hostile)),
        ("frank", report("frank.ipynb", missing, mistakes=_all(missing), error=crashed)),
    ]


def _all(statuses: dict[str, str]) -> dict[str, tuple[str, ...]]:
    return {part: (status,) for part, status in statuses.items()}


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_grades_csv_has_one_row_per_student_with_each_part_total_and_error() -> None:
    table = rows(grades_csv(class_reports(), CONFIG))
    assert list(table[0]) == ["student", *(p.id for p in CONFIG.parts), "total", "error"]
    by_student = {row["student"]: row for row in table}
    assert [row["student"] for row in table] == ["alice", "bob", "carol", "dave", "erin", "frank"]
    assert by_student["alice"]["total"] == "100" and by_student["alice"]["error"] == ""
    assert by_student["carol"]["icc"] == "0" and by_student["carol"]["total"] == "90"
    assert by_student["dave"]["final_model"] == "7.5" and by_student["dave"]["total"] == "82.5"
    assert by_student["frank"]["total"] == "0"


def test_grades_csv_never_starts_a_cell_with_a_spreadsheet_formula() -> None:
    frank = rows(grades_csv(class_reports(), CONFIG))[-1]
    assert frank["error"] == "'=The kernel died while running cell 1."


def test_summary_shows_pass_rates_mistakes_and_models_with_counts() -> None:
    page = summary_html(class_reports(), config=CONFIG)
    icc_row = _row(page, "Unconditional model and ICC")
    assert ">50%<" in icc_row  # alice, bob and erin passed; carol, dave and frank did not
    assert _row(page, "Change in AIC").count(">67%<") == 1
    inverted = _row(page, "ICC inverted")
    assert ">2<" in inverted and ">33%<" in inverted
    assert ">1<" in _row(page, "fit stopped short of the optimum")
    seed = _row(page, "mathach ~ ses + meanses + pracad + minority + female")
    assert ">3<" in seed  # alice, carol and dave; erin's formula differs
    assert ">1<" in _row(page, "mathach ~ meanses + sector + cses")
    assert ">1<" in _row(page, "(no final model found)")


def test_summary_histogram_counts_every_student_once() -> None:
    page = summary_html(class_reports(), config=CONFIG)
    svg = re.search(r'<svg role="img" aria-label="Histogram of scores".*?</svg>', page, re.S)
    assert svg is not None
    counts = [int(n) for n in re.findall(r"<title>[^<]*: (\d+)</title>", svg.group(0))]
    assert len(counts) == 10 and sum(counts) == 6
    assert counts[0] == 1 and counts[8] == 1 and counts[9] == 4  # 0; 82.5; 90 x2 and 100 x2


def test_summary_escapes_what_students_wrote() -> None:
    page = summary_html(class_reports(), config=CONFIG)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_summary_mentions_hidden_data_and_links_to_feedback(tmp_path: Path) -> None:
    write_summary(tmp_path, class_reports(), config=CONFIG, title=ASSIGNMENT, hidden_seed=1234)
    page = (tmp_path / "summary.html").read_text(encoding="utf-8")
    assert "hidden data" in page and "seed 1234" in page
    assert 'href="alice/feedback.html"' in page
    assert (tmp_path / "grades.csv").read_text(encoding="utf-8").startswith("student,icc,")


def test_an_empty_class_still_gets_a_page() -> None:
    page = summary_html([], config=CONFIG)
    assert "Class summary" in page and "No recognised mistakes" in page


def _row(page: str, text: str) -> str:
    """The table row holding ``text``."""
    for row in re.findall(r"<tr>.*?</tr>", page, re.S):
        if text in row:
            return str(row)
    raise AssertionError(f"no row holds {text!r}")


def test_credit_carried_forward_is_a_footnote_not_a_common_mistake() -> None:
    short = {"final_model": ("short_of_optimum",), "forecast": ("carried_forward",),
             "aic_change": ("carried_forward",)}  # fmt: skip
    reports = [("ann", report("ann.ipynb", {"final_model": "partial"}, mistakes=short)),
               ("ben", report("ben.ipynb"))]  # fmt: skip
    html = summary_html(reports, config=CONFIG)
    assert "fit stopped short of the optimum" in html
    assert "<code>carried_forward</code>" not in html
    assert "1 student earned credit carried forward from their own fit" in html


# --- counting a class ----------------------------------------------------------------------------


def _tiles(page: str) -> dict[str, str]:
    return {k: v for v, k in re.findall(r'<div class="stat"><b>([^<]*)</b>([^<]*)</div>', page)}


def test_a_student_graded_despite_an_interrupted_loop_counts_as_graded_with_full_marks() -> None:
    # Gina's looping cell was stopped at its limit after every answer was set: 100 points.
    gina = report("gina.ipynb", error="Cell 9 ran longer than 300 s and was interrupted.")
    tiles = _tiles(summary_html([*class_reports(), ("gina", gina)], config=CONFIG))
    assert tiles["full marks"] == "3"  # alice, bob, gina
    assert tiles["could not be graded"] == "1"  # frank only: nothing of his could be read


# --- exports a gradebook imports as they are ----------------------------------------------------


def test_canvas_import_has_its_header_points_possible_and_students_by_login() -> None:
    table = list(
        csv.reader(io.StringIO(canvas_csv(class_reports(), CONFIG, assignment=ASSIGNMENT)))
    )
    header, points, *students = table
    # Canvas's importer: Student, ID, then SIS User ID and SIS Login ID, then Section, then
    # one column per assignment; a row starting "Points Possible" gives each one's points.
    assert header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert len(header) == 6 and header[5] == ASSIGNMENT
    assert points == ["Points Possible", "", "", "", "", "100"]
    by_login = {row[3]: row for row in students}
    assert list(by_login) == ["alice", "bob", "carol", "dave", "erin", "frank"]
    assert by_login["dave"][5] == "82.5" and by_login["frank"][5] == "0"
    assert all(row[1] == "" and row[0] == row[3] for row in students)  # no Canvas ID invented


def test_moodle_import_maps_a_username_a_grade_and_feedback() -> None:
    rows_ = list(csv.DictReader(io.StringIO(moodle_csv(class_reports(), assignment=ASSIGNMENT))))
    assert list(rows_[0]) == ["Username", ASSIGNMENT, "Feedback"]
    dave = next(r for r in rows_ if r["Username"] == "dave")
    assert float(dave[ASSIGNMENT]) == 82.5
    assert dave["Feedback"].startswith("Total 82.5/100.")
    assert "Final model: requirements and fit 7.5/15" in dave["Feedback"]
    frank = next(r for r in rows_ if r["Username"] == "frank")
    assert "Problem: =The kernel died" in frank["Feedback"]  # inside the text, not a formula


def test_export_cells_never_start_a_formula_and_scores_are_plain_decimals() -> None:
    reports = [
        ("=cmd|' /C calc'!A0", report("x.ipynb")),
        ("ann", report("ann.ipynb", {"icc": "partial"})),
    ]
    for text in (
        canvas_csv(reports, CONFIG, assignment=ASSIGNMENT),
        moodle_csv(reports, assignment=ASSIGNMENT),
        grades_csv(reports, CONFIG),
    ):
        for row in csv.reader(io.StringIO(text)):
            assert all(cell[:1] not in "=+-@" or cell == "" for cell in row), row
    assert [number(x) for x in (95.0, 82.5, 10 / 3, 0.0, 1e-5)] == [
        "95",
        "82.5",
        "3.3333",
        "0",
        "0",
    ]


def test_the_batch_writes_the_exports_beside_grades_csv(tmp_path: Path) -> None:
    write_summary(tmp_path, class_reports(), config=CONFIG, title=ASSIGNMENT)
    for name in ("grades.csv", "grades-canvas.csv", "grades-moodle.csv", "summary.html"):
        assert (tmp_path / name).is_file(), name
