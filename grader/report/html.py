"""A report as HTML: the fragment a notebook shows and the self-contained ``feedback.html`` page.

One template serves the in-notebook self-check, nbgrader's test cells (inside nbgrader's own
feedback page) and the batch's ``feedback.html``, so each shows the same thing. The fragment lives
inside other people's pages, whose style sheets style every ``table``, ``td`` and ``p`` (Jupyter's
``td{text-align:right}`` among them); so it uses no table, and every rule of its style sheet sits
under the class ``hlm-report`` twice over, which outranks their one-class rules, and restyles
nothing outside it. A few inline styles keep it legible where a sanitizer strips ``<style>``.

The template reads the report's attributes through small protocols and never imports
:mod:`grader.report.values`, which calls it from ``_repr_html_``. Every value is escaped:
feedback can quote a student's text.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Protocol

from grader.report.markup import encodable, spans, split_checked

SYMBOLS = {"passed": "✓", "partial": "◐", "failed": "✗", "missing": "?", "error": "!"}
COLOURS = {"passed": "#1a7f37", "partial": "#9a6700", "failed": "#cf222e", "missing": "#8250df",
           "error": "#cf222e"}  # fmt: skip
SCOPE = ".hlm-report.hlm-report"  # two classes: outranks a host page's one-class rules
NO_SANDBOX = "The notebook ran without a sandbox (bubblewrap is not available here)."
# MathJax (in Jupyter and nbconvert pages) skips these: a student's `$` must stay a dollar.
ROOT_CLASSES = "hlm-report tex2jax_ignore mathjax_ignore"


class PartView(Protocol):
    """What the template reads of a part (a :class:`~grader.report.values.PartResult`)."""

    @property
    def title(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def max_score(self) -> float: ...
    @property
    def status(self) -> str: ...
    @property
    def feedback(self) -> str: ...


class ReportView(Protocol):
    """What the template reads of a report (a :class:`~grader.report.values.GradeReport`)."""

    @property
    def notebook(self) -> str: ...
    @property
    def parts(self) -> Sequence[PartView]: ...
    @property
    def error(self) -> str | None: ...
    @property
    def notes(self) -> Sequence[str]: ...
    @property
    def sandboxed(self) -> bool | None: ...
    @property
    def score(self) -> float: ...
    @property
    def max_score(self) -> float: ...


def report_html(report: ReportView, *, standalone: bool = True, extra_html: str = "") -> str:
    """The report as a self-contained page, or as a fragment to embed (``standalone=False``).

    ``extra_html`` is added at the end as is: it must come from the grader (already escaped).
    """
    notes = [*report.notes, NO_SANDBOX if report.sandboxed is False else ""]
    title = f"Feedback: {report.notebook}"
    heading = "h1" if standalone else "p"
    body = (
        f'<div class="hlm-top"><{heading} class="hlm-title">{escape(title)}</{heading}>'
        f'<p class="hlm-total">Total: {points(report.score, report.max_score)}</p></div>'
        + (problem_html(report.error) if report.error else "")
        + parts_html(report.parts)
        + notes_html([n for n in notes if n])
        + extra_html
    )
    fragment = f'<div class="{ROOT_CLASSES}" lang="en"><style>{STYLE}</style>{body}</div>'
    return page(title, fragment) if standalone else fragment


def part_html(part: PartView) -> str:
    """One part alone, as a fragment (what an nbgrader test cell shows)."""
    return f'<div class="{ROOT_CLASSES}" lang="en"><style>{STYLE}</style>{parts_html([part])}</div>'


def problem_html(error: str) -> str:
    return f'<p class="hlm-problem" role="alert"><strong>Problem:</strong> {markup(error)}</p>'


def parts_html(parts: Sequence[PartView]) -> str:
    items = "".join(_part_item(p) for p in parts)
    return f'<ol class="hlm-parts" style="list-style:none;padding:0;margin:0">{items}</ol>'


def _part_item(part: PartView) -> str:
    checked, verdict = split_checked(part.feedback)
    # The "what was checked" sentence in a quieter colour, so the verdict stands out.
    lead = f'<span class="hlm-checked">{markup(checked)}</span> ' if checked else ""
    return (
        f'<li class="hlm-part hlm-{escape(part.status)}"><div class="hlm-head">'
        f'<span class="hlm-mark" title="{escape(part.status)}">{SYMBOLS.get(part.status, "")}</span>'
        f'<span class="hlm-name">{escape(part.title)}</span>'
        f'<span class="hlm-score">{points(part.score, part.max_score)}</span></div>'
        f'<p class="hlm-feedback" style="text-align:left">{lead}{markup(verdict)}</p></li>'
    )


def notes_html(notes: Sequence[str]) -> str:
    if not notes:
        return ""
    return '<ul class="hlm-notes">' + "".join(f"<li>{markup(n)}</li>" for n in notes) + "</ul>"


def page(title: str, fragment: str) -> str:
    """A whole HTML document around ``fragment``: no scripts, nothing fetched."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{PAGE_STYLE}</style></head>"
        f'<body><main class="hlm-page">{fragment}</main></body></html>'
    )


def points(score: float, max_score: float) -> str:
    return f"{score:g} / {max_score:g}"


def escape(text: str) -> str:
    return html.escape(encodable(text), quote=True)


def markup(text: str) -> str:
    """Feedback text as HTML: escaped, `code` in ``<code>``, *emphasis* in ``<em>``."""
    tags = {"code": "code", "em": "em"}
    out = []
    for span in spans(encodable(text)):
        escaped = html.escape(span.text, quote=True)
        tag = tags.get(span.kind)
        out.append(f"<{tag}>{escaped}</{tag}>" if tag else escaped)
    return "".join(out)


def scoped(rules: Sequence[tuple[str, str]], scope: str = SCOPE) -> str:
    """CSS with every selector under ``scope`` (each rule: a selector suffix, declarations)."""
    css = []
    for selectors, declarations in rules:
        full = ",".join(f"{scope}{s}" for s in selectors.split(","))
        css.append(f"{full}{{{declarations}}}")
    return "".join(css)


# Sizes are in em, never rem: a host page's root size is its own (Bootstrap's is 10px).
_RULES = (
    ("", "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:14px;"
         "line-height:1.45;color:#1f2328;text-align:left;max-width:60em;overflow-wrap:anywhere;"
         "background:transparent;margin:0;padding:0"),
    (" *", "box-sizing:border-box"),
    (" p, li, ol, ul, span, div, h1, h2", "text-align:left;background:transparent"),
    (" p", "margin:0;padding:0"),
    (" .hlm-top", "display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;"
                  "gap:.2em 1em;border-bottom:2px solid #d0d7de;padding:0 0 .4em;margin:0 0 .2em"),
    (" .hlm-title", "font-size:1.15em;font-weight:600;margin:0;padding:0;line-height:1.3;border:0"),
    (" .hlm-total", "font-weight:600;white-space:nowrap"),
    (" .hlm-problem", "background:#fff1f0;border-left:4px solid #cf222e;padding:.4em .75em;"
                      "margin:.5em 0"),
    (" ol.hlm-parts", "list-style:none;margin:0;padding:0"),
    (" li.hlm-part", "list-style:none;margin:0;padding:.5em 0 .55em;border-bottom:1px solid #d8dee4"),
    (" .hlm-head", "display:flex;align-items:baseline;gap:.5em"),
    (" .hlm-mark", "flex:none;width:1.2em;text-align:center;font-weight:700"),
    (" .hlm-name", "flex:1 1 auto;min-width:0;font-weight:600"),
    (" .hlm-score", "flex:none;white-space:nowrap;text-align:right;font-weight:600;"
                    "font-variant-numeric:tabular-nums"),
    (" .hlm-feedback", "margin:.15em 0 0 1.7em;text-align:left"),
    (" .hlm-checked", "color:#59636e"),
    (" code", "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em;"
              "color:inherit;background:#eff1f3;padding:0 .25em;border-radius:4px;border:0;"
              "white-space:normal;overflow-wrap:anywhere"),
    (" em", "font-style:italic"),
    (" ul.hlm-notes", "list-style:disc;margin:.6em 0 0;padding:0 0 0 1.3em"),
    (" ul.hlm-notes li", "margin:.2em 0;padding:0"),
    (" h2", "font-size:1.1em;font-weight:600;margin:1em 0 .4em;padding:0;border:0"),
    (" math", "display:block;max-width:100%;overflow-x:auto;overflow-y:hidden;margin:.5em 0"),
    *((f" .hlm-{status} .hlm-mark, .hlm-{status} .hlm-name", f"color:{colour}")
      for status, colour in COLOURS.items()),
)  # fmt: skip
STYLE = scoped(_RULES)
# The page around feedback.html's fragment: its own document, so it may style the body.
PAGE_STYLE = (
    "body{margin:0;background:#fff}"
    ".hlm-page{max-width:60rem;margin:0 auto;padding:1.25rem 1rem 2rem}"
    ".hlm-page .hlm-report.hlm-report{font-size:15px}"
)
