"""Submissions written in the assignment's own notebook: the release with its stubs filled in.

A student's copy of ``assignments/hlm/hlm.ipynb`` keeps the assignment's Markdown, its setup and
notation-example cells, the locked forecast profile and the (hidden-test-free) autograder cells; the
student replaces each ``raise NotImplementedError()`` stub with code. The skeleton below is written
out here, not read from the assignment, so the corpus does not move when the assignment is edited.

:func:`template` fills the skeleton; its default answers are the instructor's solution (the seed's
model, ``mathach ~ ses + meanses + pracad + minority + female`` with a random minority slope), and
each submission replaces the answers it does differently. ``None`` leaves a part's stub in place.
"""

from __future__ import annotations

from tests.corpus.cells import Cell, code, md

PARTS = (
    ("icc", "answer_icc", "Part 1. The unconditional model and the ICC",
     "# Part 1: `unconditional` (the fitted model) and `icc` (a number)."),
    ("final", "answer_final_model", "Part 2. The final model",
     "# Part 2: `final`, your fitted final model (statsmodels MixedLMResults), estimated by ML."),
    ("levels", "answer_level_equations", "Part 3. Level-1 and level-2 equations",
     "# Part 3: `level1` (an Eq) and `level2` (a list of Eq, one per β)."),
    ("combined", "answer_combined_equation", "Part 4. The combined model",
     "# Part 4: `combined` (an Eq)."),
    ("lists", "answer_effect_lists", "Part 5. Fixed and random effects",
     "# Part 5: `fixed_effects` and `random_effects` (lists of names)."),
    ("estimates", "answer_fixed_estimates", "Part 6. Estimates of the fixed effects",
     "# Part 6: `fixed_estimates`, a dict {term: estimate} (or final.fe_params)."),
    ("with_estimates", "answer_combined_with_estimates", "Part 7. The combined model with estimates",
     "# Part 7: `combined_with_estimates` (an Eq)."),
    ("aic", "answer_aic_change", "Part 8. Change in AIC", "# Part 8: `aic_change` (a number)."),
    ("residual", "answer_residual_variance_change",
     "Part 9. Relative change in the level-1 residual variance",
     "# Part 9: `residual_variance_change` (a number)."),
    ("forecast", "answer_forecast", "Part 10. Forecast", "# Part 10: `forecast` (a number)."),
)  # fmt: skip

TESTS = (
    ("icc", "Unconditional model and ICC", 10, "`unconditional`, `icc`"),
    ("final_model", "Final model: requirements and fit", 15, "`final`"),
    ("level_equations", "Level-1 and level-2 equations", 15, "`level1`, `level2`"),
    ("combined_equation", "Combined (mixed) model", 10, "`combined`"),
    ("effect_lists", "Fixed and random effects", 5, "`fixed_effects`, `random_effects`"),
    ("fixed_estimates", "Estimates of the fixed effects", 10, "`fixed_estimates`"),
    ("combined_with_estimates", "Combined model with estimates", 10, "`combined_with_estimates`"),
    ("aic_change", "Change in AIC", 10, "`aic_change`"),
    ("residual_variance_change", "Relative change in level-1 variance", 5,
     "`residual_variance_change`"),
    ("forecast", "Forecast for the given student", 10, "`forecast`"),
)  # fmt: skip

STUB = "# YOUR CODE HERE\nraise NotImplementedError()"

LOAD = """
import math
import warnings

import pandas as pd
import pyreadstat
import statsmodels.formula.api as smf
from reference.notation import Eq, beta, gamma, r, show, u, w, x, y

df, meta = pyreadstat.read_sav("data/hsb12.sav")
df = df.drop(columns=["CONS", "DISCLIM"])
df.columns = df.columns.str.lower()
df.describe().round(3).T
"""

NOTATION_EXAMPLE = """
example_level1 = Eq(y, beta(0) + beta(1) * x("female") + r)
example_level2 = [
    Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("sector") + u(0)),
    Eq(beta(1), gamma(1, 0)),
]
example_combined = Eq(
    y, gamma(0, 0) + gamma(0, 1) * w("sector") + gamma(1, 0) * x("female") + u(0) + r
)
# With estimates in place of the γ's (the numbers here are made up for the example):
example_with_estimates = example_combined.subs({gamma(0, 0): 12.3, gamma(0, 1): 2.8, gamma(1, 0): -1.4})

for equation in [example_level1, *example_level2, example_combined, example_with_estimates]:
    display(show(equation))  # show() prints the terms in textbook order
"""

PROFILE = """
# The student to forecast for (read-only).
profile = {
    "minority": 1,
    "female": 1,
    "ses": 0.0,
    "cses": 0.4,
    "meanses": -0.4,
    "size": 800,
    "sector": 0,
    "pracad": 0.25,
    "himinty": 0,
}
"""

# The instructor's solution, as a student who copied the recipe would have it.
SOLUTION: dict[str, str] = {
    "icc": """
unconditional = smf.mixedlm("mathach ~ 1", df, groups=df["school"]).fit(reml=False)
tau00_unconditional = unconditional.cov_re.iloc[0, 0]
sigma2_unconditional = unconditional.scale
icc = tau00_unconditional / (tau00_unconditional + sigma2_unconditional)
print(f"τ00 = {tau00_unconditional:.4f}, σ² = {sigma2_unconditional:.4f}, ICC = {icc:.4f}")
""",
    "final": """
METHODS = [None, "lbfgs", "powell", "nm", ["powell", "lbfgs"], ["nm", "bfgs"]]


def fit_best(model, methods=METHODS):
    \"\"\"Fit ``model`` by ML with each method; keep the fit with the highest log-likelihood.\"\"\"
    fits = []
    for method in methods:
        options = {} if method is None else {"method": method}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                fit = model.fit(reml=False, **options)
            except Exception:
                continue
        if math.isfinite(fit.llf):
            fits.append((fit.llf, str(method or "default"), fit))
    for llf, name, _ in sorted(fits, key=lambda t: t[0], reverse=True):
        print(f"{name:>20}: log-likelihood {llf:.4f}")
    return max(fits, key=lambda t: t[0])[2]


final_model = smf.mixedlm(
    "mathach ~ ses + meanses + pracad + minority + female",
    df,
    groups=df["school"],
    re_formula="~ minority",
)
final = fit_best(final_model)
final.summary()
""",
    "levels": """
level1 = Eq(y, beta(0) + beta(1) * x("minority") + beta(2) * x("female") + beta(3) * x("ses") + r)
level2 = [
    Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("pracad") + u(0)),
    Eq(beta(1), gamma(1, 0) + u(1)),
    Eq(beta(2), gamma(2, 0)),
    Eq(beta(3), gamma(3, 0)),
]
for equation in [level1, *level2]:
    display(show(equation))
""",
    "combined": """
combined = Eq(
    y,
    gamma(0, 0)
    + gamma(0, 1) * w("meanses")
    + gamma(0, 2) * w("pracad")
    + gamma(1, 0) * x("minority")
    + gamma(2, 0) * x("female")
    + gamma(3, 0) * x("ses")
    + u(0)
    + u(1) * x("minority")
    + r,
)
show(combined)
""",
    "lists": """
fixed_effects = list(final.fe_params.index)
random_effects = ["Intercept", "minority", "Residual"]
print("fixed: ", fixed_effects)
print("random:", random_effects)
""",
    "estimates": """
fixed_estimates = final.fe_params.to_dict()
final.fe_params.round(3).to_frame("estimate")
""",
    "with_estimates": """
estimate_of = {
    gamma(0, 0): "Intercept",
    gamma(0, 1): "meanses",
    gamma(0, 2): "pracad",
    gamma(1, 0): "minority",
    gamma(2, 0): "female",
    gamma(3, 0): "ses",
}
combined_with_estimates = combined.subs(
    {g: round(float(final.fe_params[term]), 3) for g, term in estimate_of.items()}
)
show(combined_with_estimates)
""",
    "aic": """
aic_change = final.aic - unconditional.aic
print(f"AIC {unconditional.aic:.2f} → {final.aic:.2f}: change {aic_change:.2f}")
""",
    "residual": """
residual_variance_change = (unconditional.scale - final.scale) / unconditional.scale
print(f"σ² {unconditional.scale:.4f} → {final.scale:.4f}: relative change {residual_variance_change:.4f}")
""",
    "forecast": """
forecast = float(final.predict(pd.DataFrame([profile])).iloc[0])  # fixed effects only
print(f"forecast mathach: {forecast:.3f}")
""",
}

WRITTEN = {
    "written_icc": "ICC ≈ 0.18: about 18 % of the variance in math achievement is between schools, "
    "so a multilevel model is needed.",
    "written_final_model": "All effects have the expected signs; see the estimates above.",
    "written_comparison": "AIC falls a lot, so the final model fits much better than the "
    "unconditional one.",
}


def _nbgrader(**meta: object) -> dict[str, object]:
    return {"nbgrader": {"schema_version": 3, **meta}}


def _solution_cell(grade_id: str, comment: str, text: str | None) -> Cell:
    body = STUB if text is None else text.strip("\n")
    meta = _nbgrader(grade=False, solution=True, locked=False, grade_id=grade_id)
    return code(f"{comment}\n{body}", **meta)


def _written(grade_id: str, answers: dict[str, str]) -> Cell:
    meta = _nbgrader(grade=True, solution=True, locked=False, points=5, grade_id=grade_id)
    return md(answers.get(grade_id, "YOUR ANSWER HERE"), **meta)


def _test_cell(part: str, title: str, points: int, names: str) -> Cell:
    text = (
        f"# Autograder test: {title} ({points} points), from {names}.\n"
        "# This cell is locked and runs when your notebook is graded. To check your answers now,\n"
        "# run `hlm-grader check hlm.ipynb` in a terminal."
    )
    meta = _nbgrader(grade=True, solution=False, locked=True, points=points,
                     grade_id=f"test_{part}")  # fmt: skip
    return code(text, **meta)


def template(
    answers: dict[str, str | None] | None = None, written: dict[str, str] | None = None
) -> list[Cell]:
    """The release notebook with the solution's answers, ``answers`` replacing some of them."""
    filled = {**SOLUTION, **(answers or {})}
    prose = {**WRITTEN, **(written or {})}
    cells = [
        md("# Hierarchical Linear Modeling: math achievement in High School and Beyond"),
        code(LOAD),
        md("## Writing equations\n\nWorked example (a different model from yours):"),
        code(NOTATION_EXAMPLE),
    ]
    after = {"icc": "written_icc", "with_estimates": "written_final_model",
             "residual": "written_comparison"}  # fmt: skip
    for key, grade_id, heading, comment in PARTS:
        cells.append(md(f"## {heading}"))
        if key == "forecast":
            meta = _nbgrader(grade=False, solution=False, locked=True, grade_id="forecast_profile")
            cells.append(code(PROFILE, **meta))
        cells.append(_solution_cell(grade_id, comment, filled[key]))
        if key in after:
            cells.append(_written(after[key], prose))
    cells.append(md("## Autograder tests"))
    cells += [_test_cell(*test) for test in TESTS]
    return cells
