"""Genuinely unfinished submissions, as real ones are: the seed as it was handed in, and three more.

The seed is transcribed cell by cell from the real student's notebook
(``/work/shared/seed/000_590531ad52d8e84f.txt``; the name is removed), without its outputs: its
printed 0.1125 and 8.6354 came from cells run before the final model was refitted, so a fresh run
prints the numbers of its own final fit instead (see expected.py).
"""

from __future__ import annotations

from tests.corpus.cells import DF_LOAD, SEED_LOAD, Cell, code, md

SEED_INTRO = """
# Multivariate statistics Test 5: Hierarchical Linear Modeling

**Student**: (name removed), Data Science MSc year 1
**Date**: 2024-11-21

Data: File `hsb12.sav`, variables

* `school` - school’s id
* `student` - student’s id
* `minority` - 1 if ethnical minority, 0 -   if not
* `female` - 1 if female, 0 if male
* `ses` - social –economic status
* `cses` - centered social-economic status
* `meanses` - school’s average ses
* `mathach` - mathematical achievements
* `size` - number of students at school
* `sector` - 1 for catholic school, 0 for the state school
* `pracad` - proportion of students in the academic track
* `himinty` - 1 if over 40% of students are from ethnical minorities, 0 if less than 40%

Task: Create an HLM model for `mathach`.

First of all, let's load the data and take a look.
"""

SEED: list[Cell] = [
    md(SEED_INTRO),
    code("""
import pyreadstat
import pandas as pd
import statsmodels.formula.api as smf

pd.options.display.float_format = '{:.4f}'.format

df_hsb, metadata_hsb = pyreadstat.read_sav("data/hsb12.sav")

df_hsb.describe()
"""),
    md("""
There are no missing values in the dataset. The dataset has two additional columns not described in the task: `CONS` and `DISCLIM`. We are not going to remove them to avoid using them accidentally.

Additionally, we'll cast `SCHOOL` and `STUDENT` into integers and make the column names lowercase for convenience.
"""),
    code("""
df_hsb = df_hsb.drop(["CONS", "DISCLIM"], axis=1)
df_hsb.columns = df_hsb.columns.str.lower()

df_hsb["school"] = df_hsb["school"].astype(int)
df_hsb["student"] = df_hsb["student"].astype(int)

df_hsb.head()
"""),
    md("""
## Unconditional model

1. Create an unconditional model and calculate ICC.

We will start by creating an unconditional model. The model will have two levels: students and schools.
"""),
    code("""
unconditional_model = smf.mixedlm(
    "mathach ~ 1",
    data=df_hsb,
    groups=df_hsb["school"],
    re_formula="~ 1"
)
unconditional_model_results = unconditional_model.fit(reml=False)

unconditional_model_results.summary()
"""),
    code("""
group_variance = unconditional_model_results.cov_re.iloc[0, 0]
res_variance = unconditional_model_results.scale
print(f"Group variance: {group_variance:.4f}")
print(f"Residual variance: {res_variance:.4f}")

icc = group_variance / (group_variance + res_variance)
print(f"ICC: {icc:.4f}")
"""),
    md("The Intraclass Correlation Coefficient (ICC) is `0.1804`, which means that 18.04% of the variance in math achievement can be attributed to differences between schools."),
    md("""
## Final model

2. Create a final model with at least three variables (at least one school-level variable).

### Correlation analysis
"""),
    code("""
cor = df_hsb.corr()
cor[cor > 0.5].stack().rename("corr").reset_index().query("level_0 < level_1")
"""),
    code("""cor[cor.index == "mathach"].stack().rename("corr").reset_index().sort_values("corr", ascending=False, key=abs)"""),
    md("We're going to create a final model with the significant variables from the correlation analysis."),
    code("""
final_model = smf.mixedlm(
    "mathach ~ ses + meanses + pracad + minority + female",
    df_hsb,
    groups=df_hsb["school"],
    re_formula="~ minority",
)
final_model_results = final_model.fit(reml=False)

final_model_results.summary()
"""),
    md("There are some fitting issues I had no time to fix."),
    md("### Equations for both levels"),
    code("# equations for both levels\n\n# level 1\n\n# level 2"),
    md("### Combined model"),
    code("# TODO"),
    md("""
### List of fixed and random effect variables

As seen in "Final model" section, the final model has the following fixed effects:

* `ses`
* `meanses`
* `pracad`
* `minority`
* `female`

And the following random effects:

* `minority`
"""),
    md("### Estimates for fixed parameters\n\nThe estimates for fixed parameters are given below:"),
    code('coef = final_model_results.fe_params.rename("coef")\ncoef.to_frame()'),
    md("### Combined model with parameter estimates"),
    code("""
random_effects = pd.DataFrame(final_model_results.random_effects).T

print(" + ".join([
    f"mathach_ij = {coef.Intercept:.3f}",
    f"{coef.ses:.3f}*ses_ij",
    f"{coef.meanses:.3f}*meanses_ij",
    f"{coef.pracad:.3f}*pracad_ij",
    f"{coef.minority:.3f}*minority_ij",
    f"{coef.female:.3f}*female_ij",
    "u_0j + r_ij"
]))
"""),
    md(r"""
Here $u_0j$ is the school-level random effect for minority and $r_ij$ is the student-level random effect.

Formula for $u_0j$:

$$u_{0j} = \gamma_{00} + \gamma_{01} \times \text{minority} + \mu_{0j}$$

Here $\gamma_{00}$ is the fixed effect of minority, $\gamma_{01}$ is the random effect of minority, and $\mu_{0j}$ is the error term.

Table for the estimates:
"""),
    code("""
# random_effects.rename(columns={"Group": "u_0j", "school": "r_ij"}, inplace=True)

# random_effects
# # $$u_{0j} = \\gamma_{00} + \\gamma_{01} \\times \\text{minority} + \\mu_{0j}$$
"""),
    md(r"""
### Change in chosen information index

We will calculate the change in Akaike criteria (AIC) for the final model. The AIC is given by the formula:

$$
    AIC = -2 \times \text{log-likelihood} + 2 \times \text{number of random-effect parameters}
$$
"""),
    code("""
unconditional_aic = unconditional_model_results.aic
final_aic = final_model_results.aic
aic_change = final_aic - unconditional_aic

print(f"Unconditional AIC: {unconditional_aic:.4f}")
print(f"Final AIC: {final_aic:.4f}")
print(f"Change in AIC: {aic_change:.4f}")
"""),
    md("AIC has decreased from 47.1k to 46.3k, which means that the final model is better than the unconditional model."),
    md(r"""
### Relative change in first level residual variance estimate

Change in the first level residual variance estimate is given by the formula:

$$
    \frac{\text{Old residual variance estimate} - \text{New residual variance estimate}}{\text{Old residual variance estimate}}
$$
"""),
    code("""
unconditional_residual_var = unconditional_model_results.scale
final_residual_var = final_model_results.scale
variance_change = (unconditional_residual_var - final_residual_var) / unconditional_residual_var
print(f"Relative Change in Residual Variance: {variance_change:.4f}")
"""),
    md("The relative change in the first level residual variance estimate is `0.1125`. This means that the final model explains 11.25% more of the variance in math achievement at the student level."),
    md("## Forecasting\n\nWe will forecast `mathach` for a student with the following characteristics:"),
    code("""
forecast_data = {
    "minority": 1,
    "female": 1,
    "ses": 0,
    "cses": 0.4,
    "meanses": -0.4,
    "size": 800,
    "sector": 0,
    "pracad": 0.25,
    "himinty": 0,
}
"""),
    code("""
fixed_effects = coef.to_dict()

forecast_value = fixed_effects["Intercept"] + sum(
    [
        fixed_effects[var] * forecast_data[var]
        for var in forecast_data
        if var in fixed_effects
    ]
)

print(f"Forecasted mathach: {forecast_value:.4f}")
"""),
]  # fmt: skip

# Out of time after the final model (the default fit, far from the optimum here).
STOPPED_AFTER_MODEL: list[Cell] = [
    md("# HLM test\n\nTask: create an HLM model for `mathach`."),
    code(SEED_LOAD),
    md("## Unconditional model"),
    code("""
null_model = smf.mixedlm("mathach ~ 1", data=df_hsb, groups=df_hsb["school"]).fit(reml=False)
icc_value = null_model.cov_re.iloc[0, 0] / (null_model.cov_re.iloc[0, 0] + null_model.scale)
print(f"ICC: {icc_value:.4f}")
"""),
    md("## Final model\n\nMinority students may do differently in Catholic schools, so we add `minority:sector`."),
    code("""
model = smf.mixedlm(
    "mathach ~ minority + female + ses + sector + minority:sector",
    df_hsb,
    groups=df_hsb["school"],
    re_formula="~ minority",
)
result = model.fit(reml=False)
result.summary()
"""),
    md("There are some convergence warnings I had no time to look into."),
    md("### Equations for both levels"),
    code("# TODO"),
    md("### Combined model"),
    code("# TODO"),
    md("### Fixed and random effects"),
    md("### Estimates"),
    md("### Change in AIC"),
    code("# TODO"),
    md("### Forecast"),
]  # fmt: skip

# statsmodels' default (REML) everywhere, a level-1 equation only, AIC left as nan, no forecast.
REML_PARTIAL: list[Cell] = [
    md("# HLM"),
    code(DF_LOAD),
    code("""
null = smf.mixedlm("mathach ~ 1", df, groups=df["school"]).fit()
icc = null.cov_re.iloc[0, 0] / (null.cov_re.iloc[0, 0] + null.scale)
result = smf.mixedlm("mathach ~ ses + minority + size + sector", df, groups=df["school"]).fit()
print(icc)
print(result.summary())
"""),
    md(r"""
Level 1: $$mathach_{ij} = \beta_{0j} + \beta_{1j} ses_{ij} + \beta_{2j} minority_{ij} + r_{ij}$$

Level 2: (to do)

Fixed effects: intercept, ses, minority, size, sector. Random effects: the school intercept.
"""),
    code("""
print("AIC:", null.aic, result.aic)
var_change = (null.scale - result.scale) / null.scale
print(var_change)
"""),
    md("The AIC could not be computed (it is nan)."),
]  # fmt: skip

# A typo in one variable name breaks every cell that uses the estimates.
ERROR_MIDWAY: list[Cell] = [
    md("# HLM assignment"),
    code(DF_LOAD),
    code("""
m_null = smf.mixedlm("mathach ~ 1", df, groups=df["school"]).fit(reml=False)
icc = m_null.cov_re.iloc[0, 0] / (m_null.cov_re.iloc[0, 0] + m_null.scale)
final_model = smf.mixedlm("mathach ~ ses + meanses + pracad + minority + female", df,
                          groups=df["school"], re_formula="~minority")
final_result = final_model.fit(reml=False, method="lbfgs")
final_result.summary()
"""),
    md(r"""
$$mathach_{ij} = \beta_{0j} + \beta_{1j} minority_{ij} + \beta_{2j} female_{ij} + \beta_{3j} ses_{ij} + r_{ij}$$
$$\beta_{0j} = \gamma_{00} + \gamma_{01} meanses_j + \gamma_{02} pracad_j + u_{0j}$$
$$\beta_{1j} = \gamma_{10} + u_{1j}$$
$$\beta_{2j} = \gamma_{20}$$
$$\beta_{3j} = \gamma_{30}$$

$$mathach_{ij} = \gamma_{00} + \gamma_{01} meanses_j + \gamma_{02} pracad_j + \gamma_{10} minority_{ij} + \gamma_{20} female_{ij} + \gamma_{30} ses_{ij} + u_{0j} + u_{1j} minority_{ij} + r_{ij}$$

* Fixed effects: intercept, meanses, pracad, minority, female, ses
* Random effects: intercept ($u_{0j}$), minority ($u_{1j}$), residual ($r_{ij}$)
"""),
    code("estimates = final_results.fe_params\nestimates"),
    code("""
print(f"mathach_ij = {estimates['Intercept']:.3f} + {estimates['meanses']:.3f} meanses_j + "
      f"{estimates['pracad']:.3f} pracad_j + {estimates['minority']:.3f} minority_ij + "
      f"{estimates['female']:.3f} female_ij + {estimates['ses']:.3f} ses_ij + u_0j + u_1j minority_ij + r_ij")
"""),
    code("aic_change = final_result.aic - m_null.aic\naic_change"),
    code("var_change = (m_null.scale - final_result.scale) / m_null.scale\nvar_change"),
    code("""
forecast = (estimates["Intercept"] + estimates["meanses"] * -0.4 + estimates["pracad"] * 0.25
            + estimates["minority"] + estimates["female"])
forecast
"""),
]  # fmt: skip

SUBMISSIONS: dict[str, list[Cell]] = {
    "p01_seed_as_submitted": SEED,
    "p02_stopped_after_model": STOPPED_AFTER_MODEL,
    "p03_reml_partial": REML_PARTIAL,
    "p04_error_midway": ERROR_MIDWAY,
}
