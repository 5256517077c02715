"""Build the nbgrader source notebook ``assignments/hlm/hlm.ipynb`` from the cells below.

Run ``python assignments/hlm/build_notebook.py`` after editing a cell and commit both files: the
notebook is what instructors open and nbgrader reads, this script is what reviewers read. Points and
part titles come from ``grading.toml`` and the answer variables from ``assignment.toml``'s
``[answers]``, so the notebook cannot drift from what the grader checks.

The cells' kinds (solution, autograder test, manually graded, read-only) and the parts that follow
from the assignment's files are :mod:`grader.notebook.cells`'.

The students' copy stands alone: it runs top to bottom with the assignment's own packages (pandas,
pyreadstat, statsmodels, sympy) and nothing of this project. Equations are plain sympy symbols named
as :mod:`reference.equations.symbols` names them, or LaTeX in a Markdown cell; a small ``show``
defined in the notebook displays them as MathML, which renders offline and wraps. The self-check,
hlm-grader itself, comes as a wheel in the release folder (``hlm-grader course init`` puts it
there), and the notebook says how to install it and check oneself both ways.

Markdown here is read by CommonMark renderers (JupyterLab, nbconvert): a source line that starts
with ``+``, ``-`` or ``*`` and a space is a bullet, so sentences keep such lines to themselves.
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
# Hierarchical Linear Modeling: math achievement in High School and Beyond

Students are nested in schools: two students of the same school share teachers, peers and
resources, so their scores are not independent. In this assignment you build a two-level
hierarchical linear model (HLM) of students' math achievement and read it the way
Raudenbush & Bryk (2002) do.

**Learning goals.** After this assignment you can

1. decide from the unconditional model and the intraclass correlation (ICC) whether a multilevel
   model is needed;
2. build and estimate (by maximum likelihood) a two-level model with student- and school-level
   predictors and a random slope — and check that the optimizer really found the maximum;
3. write the model as level-1, level-2 and combined equations, and name its fixed and random
   effects;
4. compare models with AIC and the proportion of variance explained, and forecast for a new
   student.
"""

HOW_GRADED = """
## How this notebook is graded

Each part below says **which variable your answer must go in**. The autograder reads only those
variables, so keep the names exactly as given (you may use any other names for your own work).
The locked **autograder test cells** at the end of the notebook grade the ten parts; leave them
as they are (they are restored from the original if edited or deleted). Three short written answers
are graded by hand.

{table}

**Before you submit**

* Run *Kernel → Restart Kernel and Run All Cells*: the notebook must run from top to bottom without
  errors, in a few minutes. Delete experiments that take long or loop.
* Check yourself (next section) and read the feedback.
* Warnings printed by your own cells do not cost points.
"""

SELF_CHECK = """
## Checking yourself

This notebook needs only pandas, pyreadstat, statsmodels and sympy. To check your answers before you
submit, install the grader once. It is in this folder, `{wheel}`; in a terminal, in this folder,
with the Python you run this notebook with (3.11 or newer):

```
pip install {wheel}
```

(In JupyterLab without a terminal: run `%pip install {wheel}` in a new cell, then delete that cell.)
Then check yourself whenever you like, either way:

* **In a terminal**, in this folder: `hlm-grader check hlm.ipynb`. It runs your saved notebook from
  the top in a fresh kernel, as the graders will, and prints your score and feedback for every
  autograded part.
* **In this notebook**: run a cell with `from grader.notebook import check; check()` (or
  `check("icc")` for one part). It judges the answers as they are in the running notebook.

Neither shows the expected values, and neither leaves files behind in this folder.
"""

DATA = """
## The data

The file `data/hsb12.sav` holds the High School and Beyond survey (Raudenbush & Bryk 2002): 7185
students in 160 U.S. high schools (90 public, 70 Catholic). A variable is *student-level* when it
varies between the students of a school (subscript *ij*: student *i* in school *j*) and
*school-level* when it is the same for every student of a school (subscript *j*).

| Variable | Level | Meaning |
|---|---|---|
| `school` | — | school id: the grouping variable |
| `student` | — | student id, numbered 1, 2, … within each school |
| `mathach` | student | math achievement score: **the response** |
| `minority` | student | 1 = the student belongs to an ethnic minority, 0 = not |
| `female` | student | 1 = female, 0 = male |
| `ses` | student | socio-economic status (a standardized composite) |
| `cses` | student | `ses` centered at the school mean: `ses − meanses` |
| `meanses` | school | the school's mean `ses` |
| `size` | school | number of students in the school |
| `sector` | school | 1 = Catholic school, 0 = public school |
| `pracad` | school | proportion of the school's students on the academic track (0 to 1) |
| `himinty` | school | 1 = more than 40 % of the students belong to a minority, 0 = 40 % or less |

The file also has two columns that are not part of this assignment: `CONS` (a column of ones) and
`DISCLIM` (a disciplinary-climate score). The cell below drops them, so they cannot slip into a model
by accident, and makes the names lower case.
"""

LOAD = """
import math
import warnings

import pandas as pd
import pyreadstat
import statsmodels.formula.api as smf
import sympy as sp

df, meta = pyreadstat.read_sav("data/hsb12.sav")
df = df.drop(columns=["CONS", "DISCLIM"])
df.columns = df.columns.str.lower()
df.describe().round(3).T
"""

TASKS = """
## Your task

Build an HLM of `mathach`:

1. Fit the **unconditional model** (random school intercept, no predictors) and compute the **ICC**.
2. Fit a **final model** with at least three predictors, at least one of them school-level,
   estimated by **maximum likelihood** (`reml=False`). A random slope is welcome.
3. Write the **level-1 and level-2 equations** of your final model.
4. Write the **combined model**.
5. List the **fixed and random effects**.
6. Report the **estimates of the fixed effects**.
7. Write the **combined model with the estimates** in place of the γ's.
8. Compute the **change in AIC** from the unconditional to the final model.
9. Compute the **relative change in the level-1 residual variance**.
10. **Forecast** `mathach` for the student described in part 10.
"""

OPTIMIZER = """
## Before you fit: statsmodels' optimizer trap

`MixedLM.fit()` maximises the likelihood numerically, and on this data its default optimizer can
stop **short of the maximum while reporting `converged`** — typically on models with a random
slope; a `ConvergenceWarning` is often the only hint. Estimates from such a fit are simply wrong.
No single optimizer is right for every model (`method="lbfgs"`, for example, returns a
log-likelihood of `-inf` on random-intercept-only models), so:

* fit your final model with **several methods** and **keep the fit with the highest
  log-likelihood** (`.llf`), ignoring fits whose `.llf` is not finite:

  ```python
  fits = [model.fit(reml=False, method=m) for m in ["lbfgs", "powell", "nm", ["nm", "bfgs"]]]
  best = max((f for f in fits if math.isfinite(f.llf)), key=lambda f: f.llf)
  ```

* estimate by **ML** (`reml=False`) every model whose AIC you compare: REML likelihoods of models
  with different fixed effects are not comparable (statsmodels reports `aic = nan` for REML fits);
* the optimizers' warnings are expected while you try several of them; silence them inside a
  `with warnings.catch_warnings(): warnings.simplefilter("ignore")` block if you like.
"""

NOTATION = """
## Writing equations

Parts 3, 4 and 7 ask for equations in Raudenbush & Bryk's notation. Write them in one of two ways;
both are graded alike, term by term against the equations of your own final model, so the order of
the terms and the side you put them on do not matter.

1. **In code, with [sympy](https://www.sympy.org)**, in the variables each part names: make a sympy
   symbol for every name in the equation, combine them with `+` and `*`, and write the equation
   left = right as `sp.Eq(left, right)`.
2. **As LaTeX in a Markdown cell** just below the part's code cell, one equation per line, each
   between `$$` and `$$`. Then delete the line `raise NotImplementedError()` from that part's code
   cell, so that the notebook still runs from top to bottom.

Name the symbols as in this table: the grader reads the names, and sympy prints them as in the
textbook.

| Symbol | Means | Name in sympy | In LaTeX |
|---|---|---|---|
| mathach<sub>ij</sub> | the response of student *i* in school *j* | `mathach_ij` | `\\text{mathach}_{ij}` |
| female<sub>ij</sub> | a student-level variable | `female_ij` | `\\text{female}_{ij}` |
| sector<sub>j</sub> | a school-level variable | `sector_j` | `\\text{sector}_{j}` |
| β<sub>0j</sub>, β<sub>1j</sub>, … | the level-1 coefficients of school *j* | `beta_0j`, `beta_1j`, … | `\\beta_{0j}` |
| γ<sub>00</sub>, γ<sub>01</sub>, … | fixed effect *q* in the equation of β<sub>pj</sub> | `gamma_00`, `gamma_01`, … | `\\gamma_{01}` |
| u<sub>0j</sub>, u<sub>1j</sub>, … | the random effect of school *j* on β<sub>pj</sub> | `u_0j`, `u_1j`, … | `u_{0j}` |
| r<sub>ij</sub> | the level-1 residual | `r_ij` | `r_{ij}` |

In LaTeX, keep a subscript of more than one character in braces: `\\beta_{0j}`, not `\\beta_0j`
(which prints as β<sub>0</sub>j).

**Worked example** (a different model from the one you will build): a random-intercept model with
one student-level predictor, `female`, and one school-level predictor, `sector`. `female` has a
fixed slope (the same in every school); `sector` explains why school intercepts differ.

* Level 1: mathach<sub>ij</sub> = β<sub>0j</sub> + β<sub>1j</sub>·female<sub>ij</sub> + r<sub>ij</sub>
* Level 2: β<sub>0j</sub> = γ<sub>00</sub> + γ<sub>01</sub>·sector<sub>j</sub> + u<sub>0j</sub>, and β<sub>1j</sub> = γ<sub>10</sub>
* Combined (substitute level 2 into level 1): mathach<sub>ij</sub> = γ<sub>00</sub> + γ<sub>01</sub>·sector<sub>j</sub> + γ<sub>10</sub>·female<sub>ij</sub> + u<sub>0j</sub> + r<sub>ij</sub>

A random slope of `female` would add u<sub>1j</sub> to the slope's level-2 equation, β<sub>1j</sub> = γ<sub>10</sub> + u<sub>1j</sub>, and so the term u<sub>1j</sub>·female<sub>ij</sub> to the combined model.

The same equations in LaTeX, as you would type them in a Markdown cell:

```
$$\\text{mathach}_{ij} = \\beta_{0j} + \\beta_{1j}\\,\\text{female}_{ij} + r_{ij}$$
$$\\beta_{0j} = \\gamma_{00} + \\gamma_{01}\\,\\text{sector}_{j} + u_{0j}$$
$$\\beta_{1j} = \\gamma_{10}$$
```

And in code, with sympy. The cell also defines `show(...)`, which displays equations as in the
textbook, long ones wrapped over several lines (you need not read how it works):
"""

NOTATION_CODE = (
    SHOW
    + """

# The worked example: a symbol for every name in its equations, then the equations.
mathach_ij, female_ij, sector_j, r_ij = sp.symbols("mathach_ij female_ij sector_j r_ij")
beta_0j, beta_1j, u_0j = sp.symbols("beta_0j beta_1j u_0j")
gamma_00, gamma_01, gamma_10 = sp.symbols("gamma_00 gamma_01 gamma_10")

example_level1 = sp.Eq(mathach_ij, beta_0j + beta_1j * female_ij + r_ij)
example_level2 = [
    sp.Eq(beta_0j, gamma_00 + gamma_01 * sector_j + u_0j),
    sp.Eq(beta_1j, gamma_10),
]
example_combined = sp.Eq(
    mathach_ij, gamma_00 + gamma_01 * sector_j + gamma_10 * female_ij + u_0j + r_ij
)
# With estimates in place of the γ's (the numbers here are made up for the example):
example_with_estimates = example_combined.subs({gamma_00: 12.3, gamma_01: 2.8, gamma_10: -1.4})

show(example_level1, *example_level2, example_combined, example_with_estimates)
"""
)

PART1 = """
## Part 1. The unconditional model and the ICC

Fit the unconditional (empty) model: `mathach` with only an intercept and a random intercept for
each school, estimated by ML,

```python
smf.mixedlm("mathach ~ 1", df, groups=df["school"]).fit(reml=False)
```

and compute the intraclass correlation ICC = τ<sub>00</sub> / (τ<sub>00</sub> + σ²), where
τ<sub>00</sub> is the variance of the school intercepts (`.cov_re`) and σ² the level-1 residual
variance (`.scale`).

{answers}
"""

PART1_SOLUTION = """
# Part 1: `unconditional` (the fitted model) and `icc` (a number).
### BEGIN SOLUTION
unconditional = smf.mixedlm("mathach ~ 1", df, groups=df["school"]).fit(reml=False)
tau00_unconditional = unconditional.cov_re.iloc[0, 0]
sigma2_unconditional = unconditional.scale
icc = tau00_unconditional / (tau00_unconditional + sigma2_unconditional)
print(f"τ00 = {tau00_unconditional:.4f}, σ² = {sigma2_unconditional:.4f}, ICC = {icc:.4f}")
### END SOLUTION
"""

Q1 = """
**Q1 (written, {points} points).** What does the ICC tell you about these data? Is a multilevel model
needed? Answer in two or three sentences in the cell below.
"""

Q1_ANSWER = """
ICC ≈ 0.18: about 18 % of the variance in math achievement lies *between* schools, and two students
of the same school have scores correlated at about 0.18. With some 45 students per school the design
effect is about 1 + (45 − 1)·0.18 ≈ 9, so a single-level regression would badly understate standard
errors — especially of school-level predictors. A multilevel model is needed.
"""

PART2 = """
## Part 2. The final model

Choose a model of `mathach` with **at least three predictors, at least one of them school-level**,
and fit it by **ML** (`reml=False`). You may add random slopes (`re_formula="~ variable"`) for
student-level variables and cross-level interactions (e.g. `cses:sector`). Use the recipe from
*Before you fit* so that your estimates are those of the maximum of the likelihood.

{answers}
"""

PART2_SOLUTION = """
# Part 2: `final`, your fitted final model (statsmodels MixedLMResults), estimated by ML.
### BEGIN SOLUTION
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
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    summary = final.summary()
summary
### END SOLUTION
"""

PART3 = """
## Part 3. Level-1 and level-2 equations

Write the equations of **your** final model (see *Writing equations*): `level1` is one `sp.Eq`
for mathach<sub>ij</sub>; `level2` is a list with one `sp.Eq` for each β of `level1`, in order
(β<sub>0j</sub> first). Number the β's in any order you like, as long as the level-2 equations
match; a coefficient without a random effect has no u. Or write them in LaTeX in a Markdown cell
below, the level-1 equation first.

{answers}
"""

PART3_SOLUTION = """
# Part 3: `level1` (an sp.Eq) and `level2` (a list of sp.Eq, one per β).
### BEGIN SOLUTION
mathach_ij, r_ij = sp.symbols("mathach_ij r_ij")
minority_ij, female_ij, ses_ij = sp.symbols("minority_ij female_ij ses_ij")
meanses_j, pracad_j = sp.symbols("meanses_j pracad_j")
beta_0j, beta_1j, beta_2j, beta_3j = sp.symbols("beta_0j beta_1j beta_2j beta_3j")
gamma_00, gamma_01, gamma_02 = sp.symbols("gamma_00 gamma_01 gamma_02")
gamma_10, gamma_20, gamma_30 = sp.symbols("gamma_10 gamma_20 gamma_30")
u_0j, u_1j = sp.symbols("u_0j u_1j")

level1 = sp.Eq(
    mathach_ij, beta_0j + beta_1j * minority_ij + beta_2j * female_ij + beta_3j * ses_ij + r_ij
)
level2 = [
    sp.Eq(beta_0j, gamma_00 + gamma_01 * meanses_j + gamma_02 * pracad_j + u_0j),
    sp.Eq(beta_1j, gamma_10 + u_1j),
    sp.Eq(beta_2j, gamma_20),
    sp.Eq(beta_3j, gamma_30),
]
show(level1, *level2)
### END SOLUTION
"""

PART4 = """
## Part 4. The combined model

Substitute the level-2 equations into the level-1 equation and expand: the combined (mixed) model
has the γ's, the random effects u and r<sub>ij</sub>, and no β's. In code or in LaTeX (see
*Writing equations*).

{answers}
"""

PART4_SOLUTION = """
# Part 4: `combined` (an sp.Eq).
### BEGIN SOLUTION
combined = sp.Eq(
    mathach_ij,
    gamma_00
    + gamma_01 * meanses_j
    + gamma_02 * pracad_j
    + gamma_10 * minority_ij
    + gamma_20 * female_ij
    + gamma_30 * ses_ij
    + u_0j
    + u_1j * minority_ij
    + r_ij,
)
show(combined)
### END SOLUTION
"""

PART5 = """
## Part 5. Fixed and random effects

List the fixed effects of your final model by their names in `final.fe_params` (the intercept is
`"Intercept"`), and the random effects by what varies: `"Intercept"` for u<sub>0j</sub>, the
variable's name for each random slope, and `"Residual"` for r<sub>ij</sub>.

{answers}
"""

PART5_SOLUTION = """
# Part 5: `fixed_effects` and `random_effects` (lists of names).
### BEGIN SOLUTION
fixed_effects = list(final.fe_params.index)
random_effects = ["Intercept", "minority", "Residual"]
print("fixed: ", fixed_effects)
print("random:", random_effects)
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

Write the combined model again with each γ replaced by its estimate, rounded to three decimals. The
random effects u and r<sub>ij</sub> stay as symbols. In code (`.subs` replaces symbols by numbers)
or in LaTeX.

{answers}
"""

PART7_SOLUTION = """
# Part 7: `combined_with_estimates` (an sp.Eq).
### BEGIN SOLUTION
estimate_of = {
    gamma_00: "Intercept",
    gamma_01: "meanses",
    gamma_02: "pracad",
    gamma_10: "minority",
    gamma_20: "female",
    gamma_30: "ses",
}
combined_with_estimates = combined.subs(
    {g: round(float(final.fe_params[term]), 3) for g, term in estimate_of.items()}
)
show(combined_with_estimates)
### END SOLUTION
"""

Q2 = """
**Q2 (written, {points} points).** Interpret your final model: what does each fixed effect say about
math achievement, and what does the random slope (or, if you have none, the random intercept's
variance) say about the schools?
"""

Q2_ANSWER = """
Other things equal, one unit more of a student's `ses` goes with 1.89 points more, and a school whose
mean `ses` is one unit higher scores 1.13 points more on top of that (a contextual effect). Moving from
no to all students on the academic track (`pracad` 0 → 1) adds 4.39 points. Minority students score on
average 2.94 points lower and girls 1.23 points lower. The minority gap differs between schools:
τ<sub>11</sub> ≈ 1.67 (SD ≈ 1.29), so in most schools it lies between about −5.5 and −0.4 points.
The remaining variance of school intercepts is τ<sub>00</sub> ≈ 1.38, far below the unconditional
8.55; the two school effects are nearly uncorrelated (τ<sub>01</sub> ≈ 0.05).
"""

PART8 = """
## Part 8. Change in AIC

Compute AIC(final) − AIC(unconditional), both models fitted by **ML**. A negative change means the
final model is better.

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

Compute the proportion by which the level-1 residual variance σ² fell from the unconditional to the
final model: (σ²<sub>unconditional</sub> − σ²<sub>final</sub>) / σ²<sub>unconditional</sub>. It is
negative if σ² grew.

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
**Q3 (written, {points} points).** Compare the unconditional and the final model using the AIC
change and the variance reductions. Why did you choose this final model?
"""

Q3_ANSWER = """
AIC falls by about 823, far more than the 2 points it charges for each of the final model's 7 extra
parameters, so the final model fits much better. σ² falls by only 8.8 %: the predictors explain
little of the variation *within* schools. The intercept variance τ<sub>00</sub> falls from 8.55 to
1.38 (for non-minority students, now that minority has a random slope): `meanses` and `pracad`
explain most of why schools differ. I chose predictors that correlate with `mathach` and have a clear
meaning, and left out `sector` and `himinty`, which largely duplicate `pracad` (r = 0.68) and
`minority` (r = 0.58). The random minority slope lets the minority gap differ between schools.
"""

PART10 = """
## Part 10. Forecast

Forecast `mathach` for this student with your final model: the **fixed part** of the model at the
values below, with the random effects at 0 (a student of a school whose own effect we do not know).
Use only the variables your model has. Note that `ses = cses + meanses`.

{answers}
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

PART10_SOLUTION = """
# Part 10: `forecast` (a number).
### BEGIN SOLUTION
forecast = float(final.predict(pd.DataFrame([profile])).iloc[0])  # fixed effects only
print(f"forecast mathach: {forecast:.3f}")
### END SOLUTION
"""

TESTS = """
## Autograder tests

The locked cells below grade parts 1–10 when your notebook is graded; their code is hidden in your
copy, where they do nothing. When your notebook is graded they run after all your cells, so
each part is graded on the notebook's final state — the same state `hlm-grader check` grades. Leave
them as they are: they are restored if edited or deleted.
"""

OUTRO = """
## Done?

Restart the kernel and run all cells, check yourself (`hlm-grader check hlm.ipynb` in a terminal,
see *Checking yourself*), read the feedback, and submit `hlm.ipynb`.
"""


def cells() -> list[Cell]:
    """Every cell of the source notebook, in order."""
    points = f"{MANUAL_POINTS:g}"
    return [
        markdown(INTRO),
        markdown(HOW_GRADED.format(table=grading_table(ASSIGNMENT, MANUAL_QUESTIONS))),
        markdown(SELF_CHECK.format(wheel=WHEEL)),
        markdown(DATA),
        code(LOAD),
        markdown(TASKS),
        markdown(OPTIMIZER),
        markdown(NOTATION),
        code(NOTATION_CODE),
        markdown(PART1.format(answers=answer_line("icc", ASSIGNMENT))),
        solution("answer_icc", PART1_SOLUTION),
        markdown(Q1.format(points=points)),
        manual("written_icc", Q1_ANSWER),
        markdown(PART2.format(answers=answer_line("final_model", ASSIGNMENT))),
        solution("answer_final_model", PART2_SOLUTION),
        markdown(PART3.format(answers=answer_line("level_equations", ASSIGNMENT))),
        solution("answer_level_equations", PART3_SOLUTION),
        markdown(PART4.format(answers=answer_line("combined_equation", ASSIGNMENT))),
        solution("answer_combined_equation", PART4_SOLUTION),
        markdown(PART5.format(answers=answer_line("effect_lists", ASSIGNMENT))),
        solution("answer_effect_lists", PART5_SOLUTION),
        markdown(PART6.format(answers=answer_line("fixed_estimates", ASSIGNMENT))),
        solution("answer_fixed_estimates", PART6_SOLUTION),
        markdown(PART7.format(answers=answer_line("combined_with_estimates", ASSIGNMENT))),
        solution("answer_combined_with_estimates", PART7_SOLUTION),
        markdown(Q2.format(points=points)),
        manual("written_final_model", Q2_ANSWER),
        markdown(PART8.format(answers=answer_line("aic_change", ASSIGNMENT))),
        solution("answer_aic_change", PART8_SOLUTION),
        markdown(PART9.format(answers=answer_line("residual_variance_change", ASSIGNMENT))),
        solution("answer_residual_variance_change", PART9_SOLUTION),
        markdown(Q3.format(points=points)),
        manual("written_comparison", Q3_ANSWER),
        markdown(PART10.format(answers=answer_line("forecast", ASSIGNMENT))),
        read_only("forecast_profile", PROFILE),
        solution("answer_forecast", PART10_SOLUTION),
        markdown(OUTRO),
        markdown(TESTS),
        *tests(ASSIGNMENT),
    ]


def build() -> nbformat.NotebookNode:
    """The source notebook."""
    return notebook(cells())


def main() -> None:
    nbformat.write(build(), NOTEBOOK)
    print(f"wrote {NOTEBOOK}")


if __name__ == "__main__":
    main()
