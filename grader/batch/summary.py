"""The class's view of a batch: the grade files (:mod:`grader.batch.exports`) and ``summary.html``.

The page needs no network and no JavaScript: its charts are inline SVG drawn here, its style is
inline and scoped to the page's own class, and its only links are relative ones to each student's
``feedback.html``. It reads on a phone: charts shrink to the width, wide tables scroll in their
own box. Every value that could come from a student (model formulas, notebook names, error text)
is escaped.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from html import escape
from pathlib import Path
from urllib.parse import quote

from grader.assignment.config import GradingConfig
from grader.batch.exports import CANVAS, GRADES, MOODLE, canvas_csv, grades_csv, moodle_csv
from grader.batch.outputs import FEEDBACK, atomic_write
from grader.batch.progress import tally
from grader.report.html import page, scoped
from grader.report.values import GradeReport

Reports = Sequence[tuple[str, GradeReport]]
SUMMARY = "summary.html"
STATUS_COLOURS = {"passed": "#1a7f37", "partial": "#d4a72c", "failed": "#cf222e",
                  "missing": "#8250df", "error": "#6e7781"}  # fmt: skip
HISTOGRAM_COLOUR = "#0969da"
BINS = 10
TOP_MISTAKES = 15
CARRIED = "carried_forward"
MISTAKES = {
    "missing": "no answer found", "invalid": "answer of the wrong kind", "wrong": "wrong value",
    "nan": "value is NaN", "percent": "given as a percentage", "no_final": "no final model",
    "icc_inverted": "ICC inverted: σ² / (τ00 + σ²)", "icc_reml": "ICC from the REML fit",
    "aic_sign": "AIC change with the wrong sign", "aic_reml": "AIC of REML fits",
    "variance_sign": "variance change with the wrong sign", "reml": "final model fitted by REML",
    "short_of_optimum": "fit stopped short of the optimum", "rules": "model breaks the rules",
    "unusable_model": "model the grader cannot read", "wrong_data": "model fitted on other data",
    "typed_in": "typed in: the real file's answer on the hidden copy",
}  # fmt: skip


def write_summary(
    out: Path,
    reports: Reports,
    *,
    config: GradingConfig,
    title: str,
    hidden_seed: int | None = None,
) -> None:
    """Write the grade files and ``summary.html`` for ``reports`` (student id, report) into ``out``;
    ``title`` (the assignment's) names the gradebook column of the Canvas and Moodle files."""
    atomic_write(out / GRADES, grades_csv(reports, config))
    atomic_write(out / CANVAS, canvas_csv(reports, config, assignment=title))
    atomic_write(out / MOODLE, moodle_csv(reports, assignment=title))
    atomic_write(out / SUMMARY, summary_html(reports, config=config, hidden_seed=hidden_seed))


def summary_html(reports: Reports, *, config: GradingConfig, hidden_seed: int | None = None) -> str:
    """The class summary page: scores, pass rates, common mistakes and the models chosen."""
    body = "".join((
        _overview(reports, config, hidden_seed),
        _section("Scores", _histogram([r.score for _, r in reports], config.max_score)),
        _section("Parts", _part_table(reports, config)),
        _section("Most common mistakes", _mistake_table(reports, config)),
        _section("Final models chosen", _model_table(reports)),
        _section("Students", _student_table(reports)),
    ))  # fmt: skip
    return page("Class summary", f'<div class="hlm-summary"><style>{_CSS}</style>{body}</div>')


_CSS = scoped((
    ("", "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:15px;"
         "line-height:1.45;color:#1b1f24;max-width:72rem;overflow-wrap:break-word"),
    (" *", "box-sizing:border-box"),
    (" h1", "font-size:1.6rem;margin:0 0 .5rem"),
    (" h2", "font-size:1.25rem;margin:1.5rem 0 .5rem"),
    (" .wide", "overflow-x:auto;max-width:100%"),
    (" table", "border-collapse:collapse;width:100%"),
    (" td, th", "border-bottom:1px solid #d0d7de;padding:.4rem .5rem;text-align:left;"
                "vertical-align:middle"),
    (" th", "background:#f6f8fa"),
    (" td.n", "text-align:right;white-space:nowrap"),
    (" svg", "max-width:100%;height:auto"),
    (" .stats", "display:flex;gap:.75rem 2rem;flex-wrap:wrap;margin:1rem 0"),
    (" .stat b", "display:block;font-size:1.6rem"),
    (" .hidden", "background:#ddf4ff;border-left:4px solid #0969da;padding:.5rem 1rem"),
    (" .error", "color:#cf222e"),
    (" .legend span", "display:inline-block;margin-right:1rem"),
    (" .legend i", "display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;"
                   "vertical-align:middle"),
    (" code", "font-size:.9em"),
), scope=".hlm-summary")  # fmt: skip


def _section(title: str, content: str) -> str:
    return f"<h2>{escape(title)}</h2>{content}"


def _overview(reports: Reports, config: GradingConfig, hidden_seed: int | None) -> str:
    scores = [r.score for _, r in reports]
    counts = tally(r for _, r in reports)
    stats = {
        "students": str(len(reports)),
        "mean": f"{statistics.fmean(scores):.1f}" if scores else "–",
        "median": f"{statistics.median(scores):g}" if scores else "–",
        "full marks": str(counts["passed"]),
        "could not be graded": str(counts["ungraded"]),
    }
    cells = "".join(f'<div class="stat"><b>{v}</b>{escape(k)}</div>' for k, v in stats.items())
    hidden = ""
    if hidden_seed is not None:
        said = config.say("batch.summary_hidden", seed=hidden_seed)
        hidden = f'<p class="hidden">{escape(said)}</p>'
    return (
        f"<h1>Class summary</h1><p>Scores out of {config.max_score:g}.</p>"
        f'<div class="stats">{cells}</div>{hidden}'
    )


def _histogram(scores: list[float], max_score: float, width: int = 640, height: int = 240) -> str:
    """An SVG bar chart of the scores in :data:`BINS` equal bins from 0 to ``max_score``."""
    step = (max_score or 1) / BINS
    counts = [0] * BINS
    for score in scores:
        counts[min(int(score / step), BINS - 1)] += 1
    left, bottom, top = 40, 40, 20
    plot_h, bar_w = height - bottom - top, (width - left - 10) / BINS
    tallest = max(counts) or 1
    bars = []
    for i, count in enumerate(counts):
        h = plot_h * count / tallest
        x, y = left + i * bar_w, top + plot_h - h
        label = f"{i * step:g}–{(i + 1) * step:g}"
        bars.append(
            f'<rect x="{x + 2:.1f}" y="{y:.1f}" width="{bar_w - 4:.1f}" height="{h:.1f}" '
            f'fill="{HISTOGRAM_COLOUR}"><title>{label}: {count}</title></rect>'
            f'<text x="{x + bar_w / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">{count or ""}</text>'
            f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle">{label}</text>'
        )  # fmt: skip
    axis = (f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
            f'stroke="#57606a"/><text x="{width / 2}" y="{height - 4}" text-anchor="middle">'
            f"score (number of students above each bar)</text>")  # fmt: skip
    return (
        f'<svg role="img" aria-label="Histogram of scores" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-size="12" fill="#1b1f24">{"".join(bars)}{axis}</svg>'
    )


def _part_table(reports: Reports, config: GradingConfig) -> str:
    rows = []
    for part in config.parts:
        results = [p for _, r in reports for p in r.parts if p.id == part.id]
        statuses: Counter[str] = Counter(p.status for p in results)
        passed = statuses["passed"] / len(results) if results else 0.0
        mean = statistics.fmean(p.score for p in results) if results else 0.0
        rows.append(
            f"<tr><td>{escape(part.title)}</td><td class='n'>{part.points:g}</td>"
            f"<td>{_stacked_bar(statuses, len(results))}</td><td class='n'>{passed:.0%}</td>"
            f"<td class='n'>{mean:.1f}</td></tr>"
        )
    legend = "".join(
        f'<span><i style="background:{c}"></i>{s}</span>' for s, c in STATUS_COLOURS.items()
    )
    headers = ("Part", "Points", "Students by outcome", "Passed", "Mean score")
    return f'<p class="legend">{legend}</p>' + _table(headers, "".join(rows))


def _stacked_bar(statuses: Counter[str], total: int, width: int = 320, height: int = 18) -> str:
    x, rects = 0.0, []
    for status, colour in STATUS_COLOURS.items():
        w = width * statuses[status] / total if total else 0.0
        if w:
            rects.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" '
                         f'fill="{colour}"><title>{status}: {statuses[status]}</title></rect>')  # fmt: skip
        x += w
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<rect width="{width}" height="{height}" fill="#eaeef2"/>{"".join(rects)}</svg>'
    )


def _mistake_table(reports: Reports, config: GradingConfig) -> str:
    titles = {p.id: p.title for p in config.parts}
    codes = [(p.id, c) for _, r in reports for p in r.parts for c in dict.fromkeys(p.mistakes)]
    # Credit carried forward is a consequence of a fit that stopped short, not a mistake of its own.
    counts = Counter(k for k in codes if k[1] != CARRIED)
    carried = len({name for name, r in reports for p in r.parts if CARRIED in p.mistakes})
    footnote = (f"<p>{carried} student{'s' * (carried != 1)} earned credit carried forward from "
                "their own fit, which stopped short of the optimum.</p>") if carried else ""  # fmt: skip
    if not counts:
        return "<p>No recognised mistakes.</p>" + footnote
    rows = "".join(
        f"<tr><td>{escape(MISTAKES.get(code, code.replace('_', ' ')))} <code>{escape(code)}</code>"
        f"</td><td>{escape(titles.get(part, part))}</td><td class='n'>{n}</td>"
        f"<td class='n'>{n / len(reports):.0%}</td></tr>"
        for (part, code), n in counts.most_common(TOP_MISTAKES)
    )
    return _table(("Mistake", "Part", "Students", "Share"), rows) + footnote


def _model_table(reports: Reports) -> str:
    chosen: dict[tuple[str, str, str], list[float]] = {}
    for _, report in reports:
        model = report.meta.get("final_model") or {}
        key = (str(model.get("formula") or "(no final model found)"),
               str(model.get("re_formula") or ""), str(model.get("method") or ""))  # fmt: skip
        chosen.setdefault(key, []).append(report.score)
    rows = "".join(
        f"<tr><td><code>{escape(formula)}</code></td><td><code>{escape(random)}</code></td>"
        f"<td>{escape(method)}</td><td class='n'>{len(scores)}</td>"
        f"<td class='n'>{statistics.fmean(scores):.1f}</td></tr>"
        for (formula, random, method), scores in sorted(chosen.items(), key=lambda kv: -len(kv[1]))
    )
    return _table(("Model", "Random part", "Fitted by", "Students", "Mean score"), rows)


def _student_table(reports: Reports) -> str:
    rows = "".join(
        f'<tr><td><a href="{quote(student)}/{FEEDBACK}">{escape(student)}</a></td>'
        f"<td class='n'>{report.score:g} / {report.max_score:g}</td>"
        f"<td class='error'>{escape(report.error or '')}</td></tr>"
        for student, report in reports
    )
    return _table(("Student", "Score", "Problem"), rows)


def _table(headers: Sequence[str], rows: str) -> str:
    """A table in its own scrolling box, so a narrow screen scrolls the table, not the page."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    return (
        f'<div class="wide"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
        "</div>"
    )
