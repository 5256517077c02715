"""Build the nbgrader source notebook ``assignments/exam/exam.ipynb`` from the cells below.

Run ``python assignments/exam/build_notebook.py`` after editing a cell and commit both files. Points
and part titles come from ``grading.toml``, the answer variables from ``assignment.toml``'s
``[answers]``, and the kinds of cell from :mod:`grader.notebook.cells`, so the notebook cannot
drift from what the grader checks. The notebook runs with pandas, statsmodels and sympy alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # run from a checkout without installing

from grader.assignment import load_assignment  # noqa: E402
from grader.notebook.cells import (  # noqa: E402
    MANUAL_POINTS,
    SHOW,
    Cell,
    answer_line,
    code,
    grading_table,
    manual,
    markdown,
    notebook,
    read_only,
    solution,
    tests,
    wheel,
)

ASSIGNMENT = load_assignment(HERE)
NOTEBOOK = HERE / ASSIGNMENT.notebook
WHEEL = wheel(HERE.parents[1])
MANUAL_QUESTIONS = (
    "Interpret the ICC",
    "Interpret the final model",
    "Compare the models and justify your choice",
)

INTRO = """
# Multilevel models of exam scores in London schools

Students are nested in schools, and two students of one school are more alike than two students of
different schools. In this assignment you build a two-level model of students' exam scores at 16
from their reading scores at 11 and their schools, and read it the way Raudenbush & Bryk (2002) do.

**Learning goals.** After this assignment you can decide from the intraclass correlation whether a
multilevel model is needed; estimate by maximum likelihood a model with student- and school-level
predictors, a random slope and a cross-level interaction, checking that the optimizer found the
maximum; write it as level-1, level-2 and combined equations; and compare models with AIC and the
variance explained, and forecast for a new student.
"""

HOW_GRADED = """
## How this notebook is graded

Each part below says **which variable your answer must go in**. The locked **autograder test
cells** at the end grade the ten parts; leave them as they are. Three short written answers are
graded by hand.

{table}

Before you submit, run *Kernel → Restart Kernel and Run All Cells*: the notebook must run from top
to bottom without errors. Warnings printed by your own cells do not cost points.
"""

SELF_CHECK = """
## Checking yourself

The grader is in this folder, `{wheel}`. Install it once, in a terminal in this folder, with the
Python you run this notebook with (3.11 or newer): `pip install {wheel}`. Then either run
`hlm-grader check exam.ipynb` in a terminal (your saved notebook, from the top, in a fresh kernel,
as the graders will), or a cell with `from grader.notebook import check; check()` (or
`check("icc")` for one part). Neither shows the expected values, and neither leaves files behind.
"""

DATA = """
## The data

`data/exam.csv` holds the *Exam* data of Goldstein et al. (1993), as R's mlmRev package ships it:
4059 students in 65 inner-London schools. A variable is *student-level* when it varies between the
students of a school (subscript *ij*) and *school-level* when it is the same for every student of
a school (subscript *j*).

| Variable | Level | Meaning |
|---|---|---|
| `school` | — | school id: the grouping variable |
| `student` | — | student id within the school |
| `normexam` | student | normalised exam score at 16 (GCSE): **the response** |
| `standlrt` | student | standardised London Reading Test score at 11 |
| `sex` | student | 1 = girl, 0 = boy |
| `intake` | student | reading band at intake: 1, 2, 3 = "bottom 25 %", "middle 50 %", "top 25 %" as mlmRev labels them (band 1 has the *highest* reading scores: read the labels with care) |
| `vr` | school | verbal-reasoning band of the school's intake: 1 bottom 25 %, 2 middle 50 %, 3 top 25 % (the same for every student of a school in this file) |
| `schavg` | school | the school's average `standlrt` |
| `schgend` | school | 1 = mixed, 2 = boys only, 3 = girls only |
| `type` | school | 1 = single-sex school, 0 = mixed |

`intake`, `vr` and `schgend` are categories coded as numbers: use `C(schgend)` in a formula to give
each category its own effect.
"""

LOAD = """
import math
import warnings

import pandas as pd
import statsmodels.formula.api as smf
import sympy as sp

df = pd.read_csv("data/exam.csv")
df.describe().round(3).T
"""

OPTIMIZER = """
## Before you fit: the optimizer trap

`MixedLM.fit()` maximises the likelihood numerically, and on these data its default optimizer
stops **short of the maximum while reporting `converged`** even for the unconditional model (its ICC
comes out near 0.19 instead of the true value). So fit **every** model with several methods and
keep the fit with the highest log-likelihood (`.llf`), ignoring fits whose `.llf` is not finite; the
cell below defines `fit_best` for that. Estimate by **ML** (`reml=False`) every model whose AIC you
compare.
"""

FIT_BEST = """
METHODS = [None, "lbfgs", "powell", "nm", ["powell", "lbfgs"], ["nm", "bfgs"]]


def fit_best(model, methods=METHODS):
    \"\"\"Fit ``model`` by ML with each method; keep the fit with the highest log-likelihood.\"\"\"
    fits = []
    for method in methods:
        options = {} if method is None else {"method": method}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # optimizers that fail are expected here
            try:
                fit = model.fit(reml=False, **options)
            except Exception:  # an optimizer that fails is simply not used
                continue
        if math.isfinite(fit.llf):
            fits.append((fit.llf, fit))
    return max(fits, key=lambda t: t[0])[1]
"""

NOTATION = """
## Writing equations

Parts 3, 4 and 7 ask for equations in Raudenbush & Bryk's notation, in code with sympy (symbols
named as below; `sp.Eq(left, right)`) or as LaTeX in a Markdown cell below the part's code cell, one
equation per line between `$$` and `$$` (then delete that cell's `raise NotImplementedError()`).

| Symbol | Means | Name in sympy | In LaTeX |
|---|---|---|---|
| normexam<sub>ij</sub> | the response of student *i* in school *j* | `normexam_ij` | `\\text{normexam}_{ij}` |
| sex<sub>ij</sub> | a student-level variable | `sex_ij` | `\\text{sex}_{ij}` |
| type<sub>j</sub> | a school-level variable | `type_j` | `\\text{type}_{j}` |
| β<sub>0j</sub>, β<sub>1j</sub>, … | the level-1 coefficients of school *j* | `beta_0j`, … | `\\beta_{0j}` |
| γ<sub>00</sub>, γ<sub>01</sub>, … | fixed effect *q* in the equation of β<sub>pj</sub> | `gamma_00`, … | `\\gamma_{01}` |
| u<sub>0j</sub>, u<sub>1j</sub>, … | the random effect of school *j* on β<sub>pj</sub> | `u_0j`, … | `u_{0j}` |
| r<sub>ij</sub> | the level-1 residual | `r_ij` | `r_{ij}` |

**Worked example** (not the model you will build): a random intercept, a fixed slope of `sex` and
the school-level `type` explaining the intercepts. The cell below also defines `show(...)`, which
displays equations as in the textbook.
"""

EXAMPLE = """

# The worked example: a symbol for every name in its equations, then the equations.
normexam_ij, sex_ij, type_j, r_ij = sp.symbols("normexam_ij sex_ij type_j r_ij")
beta_0j, beta_1j, u_0j = sp.symbols("beta_0j beta_1j u_0j")
gamma_00, gamma_01, gamma_10 = sp.symbols("gamma_00 gamma_01 gamma_10")

example_level1 = sp.Eq(normexam_ij, beta_0j + beta_1j * sex_ij + r_ij)
example_level2 = [sp.Eq(beta_0j, gamma_00 + gamma_01 * type_j + u_0j), sp.Eq(beta_1j, gamma_10)]
example_combined = sp.Eq(normexam_ij, gamma_00 + gamma_01 * type_j + gamma_10 * sex_ij + u_0j + r_ij)
show(example_level1, *example_level2, example_combined)
"""

PART1 = """
## Part 1. The unconditional model and the ICC

Fit the unconditional model of `normexam` (an intercept and a random intercept for each school) by
ML, with `fit_best`, and compute ICC = τ<sub>00</sub> / (τ<sub>00</sub> + σ²) from its `.cov_re`
and `.scale`.

{answers}
"""

PART1_SOLUTION = """
# Part 1: `unconditional` (the fitted model) and `icc` (a number).
### BEGIN SOLUTION
unconditional = fit_best(smf.mixedlm("normexam ~ 1", df, groups=df["school"]))
tau00 = unconditional.cov_re.iloc[0, 0]
icc = tau00 / (tau00 + unconditional.scale)
print(f"τ00 = {tau00:.4f}, σ² = {unconditional.scale:.4f}, ICC = {icc:.4f}")
### END SOLUTION
"""

Q1 = """
**Q1 (written, {points} points).** What does the ICC tell you about these data? Is a multilevel model
needed?
"""

Q1_ANSWER = """
ICC ≈ 0.17: about 17 % of the variance in exam scores lies between schools. With some 60 students
per school the design effect is about 1 + 59·0.17 ≈ 11, so a single-level regression would badly
understate standard errors: a multilevel model is needed.
"""

PART2 = """
## Part 2. The final model

Choose a model of `normexam` with **at least three predictors, at least one of them school-level**,
and fit it by ML with `fit_best`. A random slope of a student-level variable (`re_formula="~ x"`)
and a cross-level interaction (e.g. `standlrt:schavg`) are welcome.

{answers}
"""

PART2_SOLUTION = """
# Part 2: `final`, your fitted final model, estimated by ML.
### BEGIN SOLUTION
final = fit_best(
    smf.mixedlm(
        "normexam ~ standlrt + sex + schavg + standlrt:schavg",
        df,
        groups=df["school"],
        re_formula="~ standlrt",
    )
)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    summary = final.summary()
summary
### END SOLUTION
"""

PART3 = """
## Part 3. Level-1 and level-2 equations

`level1` is one `sp.Eq` for normexam<sub>ij</sub>; `level2` a list with one `sp.Eq` per β of
`level1`, β<sub>0j</sub> first. A coefficient without a random effect has no u.

{answers}
"""

PART3_SOLUTION = """
# Part 3: `level1` (an sp.Eq) and `level2` (a list of sp.Eq, one per β).
### BEGIN SOLUTION
standlrt_ij, schavg_j = sp.symbols("standlrt_ij schavg_j")
beta_2j, u_1j = sp.symbols("beta_2j u_1j")
gamma_11, gamma_20 = sp.symbols("gamma_11 gamma_20")

level1 = sp.Eq(normexam_ij, beta_0j + beta_1j * standlrt_ij + beta_2j * sex_ij + r_ij)
level2 = [
    sp.Eq(beta_0j, gamma_00 + gamma_01 * schavg_j + u_0j),
    sp.Eq(beta_1j, gamma_10 + gamma_11 * schavg_j + u_1j),
    sp.Eq(beta_2j, gamma_20),
]
show(level1, *level2)
### END SOLUTION
"""

PART4 = """
## Part 4. The combined model

Substitute the level-2 equations into the level-1 equation: the γ's, the u's and r<sub>ij</sub>, no
β's.

{answers}
"""

PART4_SOLUTION = """
# Part 4: `combined` (an sp.Eq).
### BEGIN SOLUTION
combined = sp.Eq(normexam_ij, sp.expand(level1.rhs.subs({e.lhs: e.rhs for e in level2})))
show(combined)
### END SOLUTION
"""

PART5 = """
## Part 5. Fixed and random effects

The fixed effects by their names in `final.fe_params`; the random effects by what varies:
`"Intercept"` for u<sub>0j</sub>, the variable of each random slope, and `"Residual"` for r<sub>ij</sub>.

{answers}
"""

PART5_SOLUTION = """
# Part 5: `fixed_effects` and `random_effects` (lists of names).
### BEGIN SOLUTION
fixed_effects = list(final.fe_params.index)
random_effects = ["Intercept", "standlrt", "Residual"]
### END SOLUTION
"""

PART6 = """
## Part 6. Estimates of the fixed effects

{answers}
"""

PART6_SOLUTION = """
# Part 6: `fixed_estimates`, a dict {term: estimate} (or final.fe_params).
### BEGIN SOLUTION
fixed_estimates = final.fe_params.to_dict()
final.fe_params.round(3).to_frame("estimate")
### END SOLUTION
"""

PART7 = """
## Part 7. The combined model with estimates

The combined model with each γ replaced by its estimate, rounded to three decimals; the u's and
r<sub>ij</sub> stay symbols.

{answers}
"""

PART7_SOLUTION = """
# Part 7: `combined_with_estimates` (an sp.Eq).
### BEGIN SOLUTION
estimate_of = {gamma_00: "Intercept", gamma_01: "schavg", gamma_10: "standlrt",
               gamma_11: "standlrt:schavg", gamma_20: "sex"}
combined_with_estimates = combined.subs(
    {g: round(float(final.fe_params[term]), 3) for g, term in estimate_of.items()}
)
show(combined_with_estimates)
### END SOLUTION
"""

Q2 = """
**Q2 (written, {points} points).** Interpret your final model: each fixed effect, and what the
random slope says about the schools.
"""

Q2_ANSWER = """
A reading score one standard deviation higher at 11 goes with 0.55 more at 16 in a school of average
intake, and 0.16 more per unit of the school's average (`standlrt:schavg`): reading matters more in
schools with able intakes. Girls score 0.17 higher, and a school whose intake averages one unit
higher scores 0.36 higher on top of the students' own scores. The slope of `standlrt` varies between
schools (τ<sub>11</sub> ≈ 0.012, SD ≈ 0.11): from about 0.33 to 0.77 in most schools.
"""

PART8 = """
## Part 8. Change in AIC

AIC(final) − AIC(unconditional), both fitted by **ML**; negative when the final model is better.

{answers}
"""

PART8_SOLUTION = """
# Part 8: `aic_change` (a number).
### BEGIN SOLUTION
aic_change = final.aic - unconditional.aic
print(f"AIC {unconditional.aic:.2f} → {final.aic:.2f}: change {aic_change:.2f}")
### END SOLUTION
"""

PART9 = """
## Part 9. Relative change in the level-1 residual variance

(σ²<sub>unconditional</sub> − σ²<sub>final</sub>) / σ²<sub>unconditional</sub>, with σ² the
`.scale` of each model.

{answers}
"""

PART9_SOLUTION = """
# Part 9: `residual_variance_change` (a number).
### BEGIN SOLUTION
residual_variance_change = (unconditional.scale - final.scale) / unconditional.scale
print(f"σ² {unconditional.scale:.4f} → {final.scale:.4f}: relative change {residual_variance_change:.4f}")
### END SOLUTION
"""

Q3 = """
**Q3 (written, {points} points).** Compare the two models with the AIC change and the variance
reductions. Why did you choose this final model?
"""

Q3_ANSWER = """
AIC falls by about 1725, far more than the 2 points per extra parameter: the final model fits much
better. σ² falls by 35 %: the reading score at 11 explains a third of the differences between
students of a school. I chose the intake score as the main predictor, its school average for the
context, and let its slope vary between schools, with the cross-level interaction to explain part
of that variation.
"""

PART10 = """
## Part 10. Forecast

Forecast `normexam` for this student: the **fixed part** of your final model at the values below,
random effects 0 (a student of a school whose own effect we do not know).

{answers}
"""

PROFILE = """
# The student to forecast for (read-only).
profile = {
    "standlrt": 0.5,
    "sex": 1,
    "intake": 2,
    "vr": 2,
    "schavg": 0.2,
    "schgend": 1,
    "type": 0,
}
"""

PART10_SOLUTION = """
# Part 10: `forecast` (a number).
### BEGIN SOLUTION
forecast = float(final.predict(pd.DataFrame([profile])).iloc[0])  # fixed effects only
print(f"forecast normexam: {forecast:.3f}")
### END SOLUTION
"""

OUTRO = """
## Done?

Restart the kernel and run all cells, check yourself (`hlm-grader check exam.ipynb`), and submit
`exam.ipynb`. The locked cells below grade parts 1–10 on the notebook's final state.
"""


def cells() -> list[Cell]:
    """Every cell of the source notebook, in order."""
    points = f"{MANUAL_POINTS:g}"
    parts = [
        (PART1, "icc", PART1_SOLUTION, (Q1, "written_icc", Q1_ANSWER)),
        (PART2, "final_model", PART2_SOLUTION, None),
        (PART3, "level_equations", PART3_SOLUTION, None),
        (PART4, "combined_equation", PART4_SOLUTION, None),
        (PART5, "effect_lists", PART5_SOLUTION, None),
        (PART6, "fixed_estimates", PART6_SOLUTION, None),
        (PART7, "combined_with_estimates", PART7_SOLUTION, (Q2, "written_final_model", Q2_ANSWER)),
        (PART8, "aic_change", PART8_SOLUTION, None),
        (PART9, "residual_variance_change", PART9_SOLUTION, (Q3, "written_comparison", Q3_ANSWER)),
    ]
    out = [
        markdown(INTRO),
        markdown(HOW_GRADED.format(table=grading_table(ASSIGNMENT, MANUAL_QUESTIONS))),
        markdown(SELF_CHECK.format(wheel=WHEEL)),
        markdown(DATA),
        code(LOAD),
        markdown(OPTIMIZER),
        code(FIT_BEST),
        markdown(NOTATION),
        code(SHOW + EXAMPLE),
    ]
    for text, part, answer, written in parts:
        out += [markdown(text.format(answers=answer_line(part, ASSIGNMENT))),
                solution(f"answer_{part}", answer)]  # fmt: skip
        if written is not None:
            question, grade_id, model_answer = written
            out += [markdown(question.format(points=points)), manual(grade_id, model_answer)]
    out += [
        markdown(PART10.format(answers=answer_line("forecast", ASSIGNMENT))),
        read_only("forecast_profile", PROFILE),
        solution("answer_forecast", PART10_SOLUTION),
        markdown(OUTRO),
        *tests(ASSIGNMENT),
    ]
    return out


def build() -> nbformat.NotebookNode:
    """The source notebook."""
    return notebook(cells())


def main() -> None:
    nbformat.write(build(), NOTEBOOK)
    print(f"wrote {NOTEBOOK}")


if __name__ == "__main__":
    main()
