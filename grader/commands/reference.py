"""``hlm-grader reference``: the reference solution for a final model, as a readable report or JSON.

The report is a list of sections, each a small function of the solution (see :data:`SECTIONS`), so a
new section is one function and one entry. rich is imported only when a report is printed, and a warm
run (every fit cached) never imports statsmodels.
"""

from __future__ import annotations

import argparse
import json
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import assignments
from grader.commands import add_assignment_option
from reference.data.description import load_dataset
from reference.data.files import data_hash, load_data
from reference.fitting.robust import FitResult
from reference.model.spec import make_spec
from reference.quantities import ReferenceSolution, solve

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import RenderableType
    from rich.table import Table

    from reference.equations.estimates import EstimatedEquations
    from reference.equations.model import ModelEquations

NAME = "reference"
HELP = "Fit the reference solution (unconditional and final models) and print every answer."
REML_HELP = (
    "also fit the final model by REML and show its fixed effects and variance components (the "
    "unconditional model's are then shown by REML too); the AIC change, the variance changes and "
    "the forecast always use ML fits, because REML likelihoods are not comparable across fixed "
    "effects. The ICC is always shown both ways."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--formula",
        default=None,
        help="fixed part of the final model (default: the assignment's solution's)",
    )
    parser.add_argument(
        "--re",
        dest="re_formula",
        default=None,
        help="random part: '1' or '~ slope + ...' (default: the solution's)",
    )
    parser.add_argument("--reml", action="store_true", help=REML_HELP)
    parser.add_argument(
        "--data", metavar="PATH", help="a data file to use (default: the assignment's own)"
    )
    add_assignment_option(parser, default=assignments.DEFAULT)
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object instead of tables"
    )


def run(args: argparse.Namespace) -> int:
    dataset = load_dataset(args.assignment)
    data = load_data(dataset, args.data)
    formula, re_formula = dataset.solution
    solution = reference_solution(formula=args.formula or formula,
                                  re_formula=args.re_formula or re_formula, reml=args.reml,
                                  data=data)  # fmt: skip
    equations = rendered_equations(solution, data_hash(data))
    if args.json:
        document = {**solution.to_dict(), "equations": equations["json"]}
        print(json.dumps(document, indent=2, allow_nan=False))
    else:
        print_report(solution, equations["text"])
    return 0


def rendered_equations(solution: ReferenceSolution, digest: str) -> dict[str, Any]:
    """Text and JSON of the final model's equations, kept in the fit cache (sympy is slow to load)."""
    from reference.fitting.cache import default_cache

    def compute() -> dict[str, Any]:
        return {"text": equations_text(solution), "json": equations_json(solution)}

    return default_cache().memo(solution.final.spec, digest, "equations-v1", compute)


def solution_equations(solution: ReferenceSolution) -> tuple[ModelEquations, EstimatedEquations]:
    """The final model's equations, and the combined one with its ML estimates."""
    from reference.equations.estimates import estimate_equations
    from reference.equations.model import model_equations
    from reference.model.structure import structure_from_names

    final = solution.final
    structure = structure_from_names(
        final.spec, list(final.fe_params), frozenset(solution.school_level)
    )
    equations = model_equations(structure)
    estimated = estimate_equations(
        equations, final.fe_params, final.cov_re, final.cov_re_names, final.scale
    )
    return equations, estimated


def equations_json(solution: ReferenceSolution) -> dict[str, object]:
    """LaTeX strings of each equation, and the same as serialised trees (see reference.equations.serialize)."""
    from reference.equations.serialize import to_tree

    equations, estimated = solution_equations(solution)
    named = {
        "level1": equations.level1,
        "combined": equations.combined,
        "combined_with_estimates": estimated.combined,
    }
    return {
        **{name: eq.latex() for name, eq in named.items()},
        "level2": [eq.latex() for eq in equations.level2],
        "variance_components": [eq.latex() for eq in estimated.variance_components],
        "trees": {
            **{name: to_tree(eq.sympy) for name, eq in named.items()},
            "level2": [to_tree(eq.sympy) for eq in equations.level2],
        },
    }


def reference_solution(
    *, formula: str, re_formula: str, reml: bool = False, data: pd.DataFrame
) -> ReferenceSolution:
    """Validate the model and solve; warnings never reach stderr."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        spec = make_spec(formula, re_formula, reml=reml)
        return solve(spec, data)


def print_report(solution: ReferenceSolution, equations: list[str]) -> None:
    from rich.console import Console

    console = Console(highlight=False)
    for section in build_report(solution, equations):
        console.print(section)
        console.print()


def build_report(solution: ReferenceSolution, equations: list[str]) -> list[RenderableType]:
    """The report's sections, in order (the equations, already rendered, before the forecast)."""
    sections: list[RenderableType] = [section(solution) for section in SECTIONS]
    sections.insert(len(SECTIONS) - 1, "\n".join(equations))
    return sections


def header_section(solution: ReferenceSolution) -> RenderableType:
    final = solution.final
    return (
        f"[bold]Reference solution[/bold]: {final.spec.formula}, random part {final.spec.re_formula}\n"
        f"{final.n_obs} students in {final.n_groups} schools; school-level variables: "
        f"{', '.join(solution.school_level)}"
    )


def icc_section(solution: ReferenceSolution) -> RenderableType:
    rows = [
        ("ML", solution.unconditional, solution.icc),
        ("REML", solution.unconditional_reml, solution.icc_reml),
    ]
    table = _table(f"ICC of {solution.unconditional.spec.formula}", "Method", "τ00", "σ²", "ICC")
    for method, fit, value in rows:
        table.add_row(method, _f(fit.tau00), _f(fit.scale), _f(value))
    return table


def fixed_effects_section(solution: ReferenceSolution) -> RenderableType:
    from rich.console import Group

    return Group(*(_fixed_effects_table(label, fit) for label, fit in _displayed_fits(solution)))


def variance_section(solution: ReferenceSolution) -> RenderableType:
    fits = _displayed_fits(solution)
    table = _table("Variance components", "Component", *(label for label, _ in fits))
    for name, values in _components([fit for _, fit in fits]):
        table.add_row(name, *values)
    return table


def comparison_section(solution: ReferenceSolution) -> RenderableType:
    unconditional, final = solution.unconditional, solution.final
    table = _table("Unconditional → final (ML)", "Quantity", "Unconditional", "Final", "Change")
    table.add_row(
        "log-likelihood", _f(unconditional.llf), _f(final.llf), _f(final.llf - unconditional.llf)
    )
    table.add_row("AIC", _f(unconditional.aic, 2), _f(final.aic, 2), _f(solution.aic_change, 2))
    table.add_row(
        "σ² (level 1), relative change",
        _f(unconditional.scale),
        _f(final.scale),
        _f(solution.residual_variance_change),
    )
    table.add_row(
        "τ00 (level 2), relative change",
        _f(unconditional.tau00),
        _f(final.tau00),
        _f(solution.intercept_variance_change),
    )
    return table


def equations_text(solution: ReferenceSolution) -> list[str]:
    """The equations section's lines."""
    equations, estimated = solution_equations(solution)
    return [
        "[bold]Equations[/bold] (Raudenbush & Bryk notation)",
        "Level 1:  " + equations.level1.text(),
        *("Level 2:  " + eq.text() for eq in equations.level2),
        "Combined: " + equations.combined.text(),
        "With estimates (ML): " + estimated.combined.text(),
        "  where " + ", ".join(eq.text() for eq in estimated.variance_components),
    ]


def forecast_section(solution: ReferenceSolution) -> RenderableType:
    from rich.console import Group

    low, high = solution.forecast_interval
    profile = ", ".join(f"{k}={v:g}" for k, v in solution.profile.items())
    table = _table("Forecast (final model, ML)", "Quantity", "Value")
    table.add_row("forecast (fixed part)", _f(solution.forecast))
    table.add_row("95% prediction interval", f"[{_f(low)}, {_f(high)}]")
    return Group(f"Student profile: {profile}; the school's random effects are unknown (0).", table)


SECTIONS: tuple[Callable[[ReferenceSolution], RenderableType], ...] = (
    header_section,
    icc_section,
    fixed_effects_section,
    variance_section,
    comparison_section,
    forecast_section,
)


def _displayed_fits(solution: ReferenceSolution) -> list[tuple[str, FitResult]]:
    """The models whose estimates are shown: ML, or REML for both when the final spec asked for it."""
    if solution.final_reml is not None:
        return [
            ("Unconditional (REML)", solution.unconditional_reml),
            ("Final (REML)", solution.final_reml),
        ]
    return [("Unconditional (ML)", solution.unconditional), ("Final (ML)", solution.final)]


def _fixed_effects_table(label: str, fit: FitResult) -> Table:
    table = _table(f"Fixed effects — {label}", "Term", "Estimate", "Std. error")
    for name, value in fit.fe_params.items():
        table.add_row(name, _f(value), _f(fit.bse[name]))
    return table


def _components(fits: Sequence[FitResult]) -> list[tuple[str, list[str]]]:
    """Rows ``Var(a)``/``Cov(a, b)`` over the union of random effects, then ``σ²``; blank if absent."""
    names = list(dict.fromkeys(n for fit in fits for n in fit.cov_re_names))
    pairs = [(a, b) for i, a in enumerate(names) for b in names[: i + 1]]
    rows = [
        (f"Var({a})" if a == b else f"Cov({b}, {a})", [_entry(fit, a, b) for fit in fits])
        for a, b in pairs
    ]
    return [*rows, ("σ² (residual)", [_f(fit.scale) for fit in fits])]


def _entry(fit: FitResult, a: str, b: str) -> str:
    if a not in fit.cov_re_names or b not in fit.cov_re_names:
        return ""
    return _f(fit.cov_re[fit.cov_re_names.index(a)][fit.cov_re_names.index(b)])


def _table(title: str, *columns: str) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    table.add_column(columns[0])
    for column in columns[1:]:
        table.add_column(column, justify="right")
    return table


def _f(value: float, digits: int = 4) -> str:
    return f"{value:.{digits}f}"
