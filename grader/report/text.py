"""A report in the terminal, laid out for the terminal's width.

Wide terminals (:data:`WIDE` columns or more) get a table of part, score and feedback that uses
the whole width; narrower ones (80 columns, a phone's SSH client) get each part on a heading line
with its feedback wrapped beneath, since three columns at 80 leave the feedback a sliver. A passing
part shows only its verdict; the "what was checked" sentence stays for parts that lost points,
where it says where to look (JSON and HTML always keep it).

Everything a student wrote is shown as text, never read as rich markup. `code` and *emphasis*
are drawn as styles on a colour terminal; in plain output (a pipe, a file) code keeps its
backticks, the only way left to tell it from prose.
"""

from __future__ import annotations

from typing import IO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from grader.report.html import NO_SANDBOX, SYMBOLS, points
from grader.report.markup import encodable, spans, split_checked
from grader.report.values import GradeReport, PartResult

# Columns from which the three-column table reads better than the stacked layout.
WIDE = 100
STYLES = {"passed": "green", "partial": "yellow", "failed": "red", "missing": "magenta",
          "error": "red"}  # fmt: skip
CODE_STYLE = "cyan"


def print_report(
    report: GradeReport, file: IO[str] | None = None, *, width: int | None = None
) -> None:
    """Print ``report`` for a person: a table on a wide terminal, stacked parts on a narrow one.

    Args:
        report: the report.
        file: where to print (default: standard output).
        width: columns to lay out for; default the terminal's (``COLUMNS``, else 80 off a terminal).
    """
    console = Console(file=file, width=width, highlight=False, soft_wrap=False)
    console.print(
        report_renderable(report, width=console.width, colour=console.color_system is not None)
    )


def report_renderable(report: GradeReport, *, width: int, colour: bool) -> RenderableType:
    """What :func:`print_report` prints, as one rich renderable."""
    head = Text(encodable(report.notebook), style="bold")
    problem = Text.assemble(("Problem: ", "bold red"), feedback_text(report.error or "", colour))
    layout = parts_table if width >= WIDE else stacked_parts
    total = Text(f"Total: {points(report.score, report.max_score)}", style="bold")
    notes = [*report.notes, NO_SANDBOX if report.sandboxed is False else ""]
    return Group(
        head,
        *([problem] if report.error else []),
        layout(report.parts, colour),
        total,
        *(_bullet(note, colour) for note in notes if note),
    )


def parts_table(parts: tuple[PartResult, ...], colour: bool) -> Table:
    """Part | Score | Feedback, expanded to the console's width."""
    table = Table(
        box=box.SIMPLE_HEAD, show_edge=False, show_lines=True, expand=True, pad_edge=False
    )
    table.add_column("Part", ratio=2, min_width=16, max_width=32)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Feedback", ratio=7)
    for part in parts:
        table.add_row(_title(part), points(part.score, part.max_score), part_feedback(part, colour))
    return table


def stacked_parts(parts: tuple[PartResult, ...], colour: bool) -> Group:
    """Each part as a heading line (status, title, score) with its feedback wrapped under it."""
    rows: list[RenderableType] = []
    for part in parts:
        heading = Table.grid(expand=True, padding=(0, 1))
        heading.add_column(ratio=1)
        heading.add_column(justify="right", no_wrap=True)
        heading.add_row(_title(part), Text(points(part.score, part.max_score), style="bold"))
        rows += [heading, Padding(part_feedback(part, colour), (0, 0, 1, 2), expand=False)]
    return Group(*rows)


def part_feedback(part: PartResult, colour: bool) -> Text:
    """The part's feedback; for a passing part, only its verdict."""
    verdict = split_checked(part.feedback)[1]
    shown = verdict if part.status == "passed" and verdict else part.feedback
    return feedback_text(shown, colour)


def feedback_text(text: str, colour: bool) -> Text:
    """Feedback as rich Text: its marks drawn as styles, never read as markup."""
    out = Text()
    for span in spans(encodable(text)):
        if span.kind == "code":
            out.append(span.text if colour else f"`{span.text}`", style=CODE_STYLE)
        elif span.kind == "em":
            out.append(span.text, style="italic")
        else:
            out.append(span.text)
    return out


def _title(part: PartResult) -> Text:
    style = STYLES.get(part.status, "")
    return Text(f"{SYMBOLS.get(part.status, '')} {encodable(part.title)}", style=style)


def _bullet(note: str, colour: bool) -> Table:
    # A grid keeps wrapped lines of a note indented under its first word, not under the bullet.
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    grid.add_row("•", feedback_text(note, colour))
    return grid
