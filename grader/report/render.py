"""Rendering a :class:`~grader.report.values.GradeReport`: a terminal table, JSON, and HTML.

All HTML goes through one small template and escapes every value, since feedback can quote text
that came from a student's notebook.
"""

from __future__ import annotations

import html
import json
import re
from typing import IO

from grader.report.values import GradeReport, PartResult

SYMBOLS = {"passed": "✓", "partial": "◐", "failed": "✗", "missing": "?", "error": "!"}
COLOURS = {"passed": "green", "partial": "yellow", "failed": "red", "missing": "magenta",
           "error": "red"}  # fmt: skip


def to_json(report: GradeReport) -> str:
    return _encodable(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, allow_nan=False))


def _encodable(text: str) -> str:
    """``text`` without lone surrogates, which no UTF-8 file or terminal accepts.

    They come from file names that are not UTF-8 and from a student's strings; left in, printing
    the report fails with UnicodeEncodeError.
    """
    return text.encode("utf-8", "replace").decode("utf-8")


def print_report(report: GradeReport, file: IO[str] | None = None, *, width: int = 110) -> None:
    """A readable table for the terminal (plain text when not a TTY)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    console = Console(file=file, width=width, highlight=False, soft_wrap=False)
    # File names, errors and feedback can quote a student's text: never read it as rich markup.
    console.print(f"[bold]{escape(_encodable(report.notebook))}[/bold]", markup=True)
    if report.error:
        console.print(f"[red]Problem:[/red] {escape(_encodable(report.error))}", markup=True)
    table = Table(show_lines=True, expand=True)
    table.add_column("Part", ratio=2)
    table.add_column("Score", justify="right", ratio=1, no_wrap=True)
    table.add_column("Feedback", ratio=7)
    for part in report.parts:
        table.add_row(
            _title(part), f"{part.score:g} / {part.max_score:g}", Text(_encodable(part.feedback))
        )
    console.print(table)
    console.print(f"[bold]Total: {report.score:g} / {report.max_score:g}[/bold]", markup=True)
    for note in (*report.notes, _sandbox_note(report)):
        if note:
            console.print(f"• {_encodable(note)}", markup=False)


def _title(part: PartResult) -> str:
    colour = COLOURS[part.status]
    return f"[{colour}]{SYMBOLS[part.status]} {html.escape(part.title, quote=False)}[/{colour}]"


def _sandbox_note(report: GradeReport) -> str:
    if report.sandboxed is False:
        return "The notebook ran without a sandbox (bubblewrap is not available here)."
    return ""


_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem;color:#1b1f24;max-width:70rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d0d7de;padding:.5rem;
vertical-align:top;text-align:left}th{background:#f6f8fa}.score{white-space:nowrap;text-align:right}
.passed{color:#1a7f37}.partial{color:#9a6700}.failed,.error{color:#cf222e}.missing{color:#8250df}
.problem{background:#fff1f0;border-left:4px solid #cf222e;padding:.5rem 1rem}
.total{font-size:1.2rem;font-weight:600;margin:1rem 0}
"""


def to_html(report: GradeReport, *, standalone: bool = True, extra_html: str = "") -> str:
    """The report as HTML: a full self-contained page, or a fragment for a notebook.

    ``extra_html`` is appended to the body as is: it must come from the grader (already escaped).
    """
    rows = "".join(_row(p) for p in report.parts)
    problem = f'<p class="problem">{_e(report.error)}</p>' if report.error else ""
    notes = "".join(f"<li>{_e(n)}</li>" for n in (*report.notes, _sandbox_note(report)) if n)
    body = (
        f"<h1>Feedback: {_e(report.notebook)}</h1>{problem}"
        f'<p class="total">Total: {report.score:g} / {report.max_score:g}</p>'
        "<table><thead><tr><th>Part</th><th>Score</th><th>Feedback</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>" + (f"<ul>{notes}</ul>" if notes else "") + extra_html
    )
    if not standalone:
        return f'<div class="hlm-report"><style>{_CSS}</style>{body}</div>'
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Feedback: {_e(report.notebook)}</title><style>{_CSS}</style></head>"
        f"<body>{body}</body></html>"
    )


def _row(part: PartResult) -> str:
    return (
        f'<tr><td class="{part.status}">{SYMBOLS[part.status]} {_e(part.title)}</td>'
        f'<td class="score">{part.score:g} / {part.max_score:g}</td>'
        f"<td>{_e(part.feedback)}</td></tr>"
    )


def _e(text: str) -> str:
    """Escape, then show `code` spans as code (backticks survive escaping unchanged)."""
    escaped = html.escape(_encodable(text), quote=True)
    return re.sub(r"`([^`]{1,200})`", r"<code>\1</code>", escaped)
