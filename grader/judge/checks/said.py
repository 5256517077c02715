"""What a check says: a part's result from its score and sentences, and the sentences every check
shares (a missing answer and where the grader looked, what was read from the text, an answer's
name and value)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from grader.answers.locate import WHAT, Found
from grader.assignment.config import PartConfig
from grader.judge.checks.context import Context
from grader.report.values import PartResult, Status


def result(
    part: PartConfig,
    score: float,
    lines: Sequence[str],
    *,
    status: Status | None = None,
    variable: str | None = None,
    mistakes: Sequence[str] = (),
) -> PartResult:
    """A part result; the status follows from the score unless given."""
    score = min(max(score, 0.0), part.points)
    if status is None:
        status = "passed" if score >= part.points else "partial" if score > 0 else "failed"
    return PartResult(
        part.id,
        part.title,
        score,
        part.points,
        status,
        " ".join(x for x in lines if x),
        variable,
        tuple(m for m in mistakes if m),
    )


def missing(part: PartConfig, ctx: Context, name: str) -> PartResult:
    """No answer: where to put it (template notebooks), or where the grader looked."""
    return result(part, 0.0, missing_lines(ctx, name), status="missing", mistakes=["missing"])


def missing_lines(ctx: Context, name: str) -> list[str]:
    """What feedback says of a missing answer: the variable to set in a template notebook; in a
    free-form one, what was looked for and where, and what was read but answers nothing."""
    spec = ctx.assignment.contract.spec(name)
    if ctx.located.template:
        return [ctx.say("common.missing", variable=name, description=spec.description)]
    what = MISSING_WHAT.get(name, WHAT.get(name, name).removeprefix("the "))
    forms = FORMS.get(spec.kind, FORMS["number"]).format(response=ctx.dataset.response)
    lines = [ctx.say("common.missing_free_form", what=what, examples=EXAMPLES.get(name, ""),
                     forms=forms)]  # fmt: skip
    if spec.kind in {"equation", "equations"} and ctx.located.unread:
        lines.append(ctx.say("common.unread", items="; ".join(ctx.located.unread)))
    return lines


#: What is missing when no answer of a part is found at all.
MISSING_WHAT = {"level1": "level-1 or level-2 equation", "fixed_effects": "list of effects"}
#: Names students give each answer, as examples in feedback on a free-form notebook.
EXAMPLES = {
    "icc": "`icc`, `rho`",
    "aic_change": "`aic_change`, `delta_aic`",
    "residual_variance_change": "`pve_level1`, `variance_change`",
    "forecast": "`forecast`, `yhat`",
    "level1": "`level1`, `L1`",
    "level2": "`level2`, `l2_eqs`",
    "combined": "`combined`, `comb`",
    "combined_with_estimates": "`combined_with_estimates`, `comb_est`",
    "fixed_effects": "`fixed_effects`, `fe_list`",
    "random_effects": "`random_effects`, `re_list`",
    "fixed_estimates": "`fixed_estimates`, `coef`",
}
FORMS = {
    "number": "a printed line or a sentence giving it with its value, such as “ICC: 0.18”",
    "equation": (
        "LaTeX in $…$, $$…$$, \\[…\\] or an align block, or a printed line such as “{response}_ij = …”"
    ),
    "equations": "LaTeX in $…$, $$…$$, \\[…\\] or an align block, one equation per β",
    "names": "a bullet list after a line saying these are the fixed (or random) effects",
    "estimates": "a dict or Series of estimates",
}


def stated(found: Found, observed: str) -> dict[str, str]:
    """The fields messages use to name an answer: ``answer`` (where it is), ``stated`` (it and
    its value), ``variable`` (the student's name for it, else where it is)."""
    label = found.label
    if found.source in {"output", "markdown"}:
        said = f"The value {observed}"  # where it was read is said just before
    else:
        said = f"{label} = {observed}"
    return {"answer": label, "stated": said, "observed": observed,
            "variable": found.variable or label}  # fmt: skip


def read_list(ctx: Context, name: str, found: Found, names: Sequence[str]) -> str:
    """What was read, for a list of effects that came from the Markdown."""
    if not found.from_text:
        return ""
    return ctx.say("read.list", what=f"your {WHAT[name].removeprefix('the ')}", where=found.label,
                   items=", ".join(names))  # fmt: skip


def read_line(ctx: Context, part_id: str, found: Found, observed: str) -> str:
    """What was read, for an answer that came from printed text or the Markdown."""
    if not found.from_text or found.cell is None:
        return ""
    where = f"{'the output' if found.source == 'output' else 'the Markdown'} of cell {found.cell}"
    return ctx.say("read.number", what=f"your {WHAT[part_id].removeprefix('the ')}", where=where,
                   excerpt=found.excerpt or "", observed=observed)  # fmt: skip


def fmt(value: float) -> str:
    """Numbers as a student would read them: 4 significant decimals, nan/inf spelled out."""
    if not math.isfinite(value):
        return str(value)
    return f"{value:.4f}" if abs(value) < 1e4 else f"{value:.2f}"
