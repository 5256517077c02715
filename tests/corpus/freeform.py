"""Free-form submissions (first half): notebooks in students' own styles, like the real seed.

No contract names and no ``reference.notation``: models in the students' own variables, equations in
Markdown LaTeX (``$$…$$``, ``\\[…\\]``, aligned blocks) or plain text, effects as bullet lists,
the combined model with estimates printed from an f-string or typed into Markdown. The second half
is :mod:`tests.corpus.freeform_more`.
"""

from __future__ import annotations

from tests.corpus.cells import DF_LOAD, PROFILE_TEXT, SEED_LOAD, Cell, code, md

# The seed's author, finishing the work: the optimizer fixed, every part answered in their style.
SEED_COMPLETED: list[Cell] = [
    md("""
# Multivariate statistics Test 5: Hierarchical Linear Modeling

**Student**: Jonas Petraitis, Data Science MSc year 1
**Date**: 2024-11-21

Task: Create an HLM model for `mathach`.
"""),
    code(SEED_LOAD),
    md("## Unconditional model\n\n1. Create an unconditional model and calculate ICC."),
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
    md("The ICC is `0.1793`: about 18% of the variance in math achievement is between schools."),
    md("""
## Final model

2. Create a final model with at least three variables (at least one school-level variable).

The default optimizer gave a `ConvergenceWarning`, so we fit with several optimizers and keep the
one with the highest log-likelihood.
"""),
    code("""
import warnings

final_model = smf.mixedlm(
    "mathach ~ ses + meanses + pracad + minority + female",
    df_hsb,
    groups=df_hsb["school"],
    re_formula="~ minority",
)
results = {}
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    for method in ["bfgs", "lbfgs", "nm"]:
        results[method] = final_model.fit(reml=False, method=method)
for method, res in results.items():
    print(f"{method}: {res.llf:.4f}")

final_model_results = max(results.values(), key=lambda res: res.llf)
final_model_results.summary()
"""),
    md(r"""
### Equations for both levels

Level 1:

$$mathach_{ij} = \beta_{0j} + \beta_{1j} \cdot minority_{ij} + \beta_{2j} \cdot female_{ij} + \beta_{3j} \cdot ses_{ij} + r_{ij}$$

Level 2:

$$\beta_{0j} = \gamma_{00} + \gamma_{01} \cdot meanses_{j} + \gamma_{02} \cdot pracad_{j} + u_{0j}$$
$$\beta_{1j} = \gamma_{10} + u_{1j}$$
$$\beta_{2j} = \gamma_{20}$$
$$\beta_{3j} = \gamma_{30}$$
"""),
    md(r"""
### Combined model

$$mathach_{ij} = \gamma_{00} + \gamma_{01} \cdot meanses_{j} + \gamma_{02} \cdot pracad_{j} + \gamma_{10} \cdot minority_{ij} + \gamma_{20} \cdot female_{ij} + \gamma_{30} \cdot ses_{ij} + u_{0j} + u_{1j} \cdot minority_{ij} + r_{ij}$$
"""),
    md(r"""
### List of fixed and random effect variables

The final model has the following fixed effects ($\gamma$'s):

* `Intercept`
* `ses`
* `meanses`
* `pracad`
* `minority`
* `female`

And the following random effects:

* the school intercept $u_{0j}$
* the `minority` slope $u_{1j}$
* the student-level residual $r_{ij}$
"""),
    md("### Estimates for fixed parameters"),
    code('coef = final_model_results.fe_params.rename("coef")\ncoef.to_frame()'),
    md("### Combined model with parameter estimates"),
    code("""
print(" + ".join([
    f"mathach_ij = {coef.Intercept:.3f}",
    f"{coef.meanses:.3f}*meanses_j",
    f"{coef.pracad:.3f}*pracad_j",
    f"{coef.minority:.3f}*minority_ij",
    f"{coef.female:.3f}*female_ij",
    f"{coef.ses:.3f}*ses_ij",
    "u_0j + u_1j*minority_ij + r_ij"
]))
"""),
    md("### Change in chosen information index"),
    code("""
unconditional_aic = unconditional_model_results.aic
final_aic = final_model_results.aic
aic_change = final_aic - unconditional_aic

print(f"Unconditional AIC: {unconditional_aic:.4f}")
print(f"Final AIC: {final_aic:.4f}")
print(f"Change in AIC: {aic_change:.4f}")
"""),
    md("### Relative change in first level residual variance estimate"),
    code("""
unconditional_residual_var = unconditional_model_results.scale
final_residual_var = final_model_results.scale
variance_change = (unconditional_residual_var - final_residual_var) / unconditional_residual_var
print(f"Relative Change in Residual Variance: {variance_change:.4f}")
"""),
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

# Short names, an aligned LaTeX block, \[…\] and \cdot, typed estimates, a random cses slope.
ALIGNED_RHO: list[Cell] = [
    md("# HLM homework — math achievement\n\nMarta K."),
    code("""
import warnings

import pandas as pd
import statsmodels.formula.api as smf

warnings.filterwarnings("ignore")
df = pd.read_spss("data/hsb12.sav")
df.columns = [c.lower() for c in df.columns]
"""),
    md("## 1. Null model and ICC"),
    code("""
m0 = smf.mixedlm("mathach ~ 1", df, groups="school").fit(reml=False)
tau00 = m0.cov_re.iloc[0, 0]
sigma2 = m0.scale
rho = tau00 / (tau00 + sigma2)
print(f"tau00 = {tau00:.3f}, sigma2 = {sigma2:.3f}, rho = {rho:.3f}")
"""),
    md(r"The intraclass correlation is $\rho = 0.179$: 17.9 % of the variance is between schools."),
    md("## 2. Final model\n\nRandom slope of `cses`; `meanses` and `sector` at the school level."),
    code("""
fits = {}
for method in ["lbfgs", "powell", "nm"]:
    fits[method] = smf.mixedlm(
        "mathach ~ cses + minority + female + meanses + sector",
        df, groups="school", re_formula="~cses",
    ).fit(reml=False, method=method)
best_method = max(fits, key=lambda k: fits[k].llf)
m1 = fits[best_method]
print(best_method, {k: round(v.llf, 3) for k, v in fits.items()})
m1.summary()
"""),
    md(r"""
## 3. Equations

$$
\begin{aligned}
\text{Level 1:}\quad \text{mathach}_{ij} &= \beta_{0j} + \beta_{1j}\,\text{cses}_{ij} + \beta_{2j}\,\text{minority}_{ij} + \beta_{3j}\,\text{female}_{ij} + r_{ij}\\
\text{Level 2:}\quad \beta_{0j} &= \gamma_{00} + \gamma_{01}\,\text{meanses}_j + \gamma_{02}\,\text{sector}_j + u_{0j}\\
\beta_{1j} &= \gamma_{10} + u_{1j}\\
\beta_{2j} &= \gamma_{20}\\
\beta_{3j} &= \gamma_{30}
\end{aligned}
$$

## 4. Combined model

\[
\text{mathach}_{ij} = \gamma_{00} + \gamma_{01}\cdot\text{meanses}_j + \gamma_{02}\cdot\text{sector}_j + \gamma_{10}\cdot\text{cses}_{ij} + \gamma_{20}\cdot\text{minority}_{ij} + \gamma_{30}\cdot\text{female}_{ij} + u_{0j} + u_{1j}\cdot\text{cses}_{ij} + r_{ij}
\]
"""),
    md(r"""
## 5. Fixed and random effects

**Fixed:** $\gamma_{00}$ (intercept), $\gamma_{01}$ (meanses), $\gamma_{02}$ (sector),
$\gamma_{10}$ (cses), $\gamma_{20}$ (minority), $\gamma_{30}$ (female).

**Random:** $u_{0j}$ (school intercept), $u_{1j}$ (school slope of cses), $r_{ij}$ (student residual).
"""),
    md("## 6. Estimates"),
    code("est = m1.fe_params\nest.round(3)"),
    md(r"""
## 7. Combined model with estimates

\[
\widehat{\text{mathach}}_{ij} = 13.31 + 4.03\cdot\text{meanses}_j + 1.71\cdot\text{sector}_j + 1.92\cdot\text{cses}_{ij} - 2.83\cdot\text{minority}_{ij} - 1.23\cdot\text{female}_{ij} + u_{0j} + u_{1j}\cdot\text{cses}_{ij} + r_{ij}
\]
"""),
    md("## 8. AIC"),
    code('delta_aic = m1.aic - m0.aic\nprint(f"AIC: {m0.aic:.1f} -> {m1.aic:.1f}, change {delta_aic:.2f}")'),
    md("## 9. Level-1 variance explained"),
    code('pve_level1 = (m0.scale - m1.scale) / m0.scale\nprint(f"{pve_level1:.4f}")'),
    md("## 10. Forecast\n" + PROFILE_TEXT),
    code("""
b = m1.fe_params
yhat = (b["Intercept"] + b["cses"] * 0.4 + b["minority"] * 1 + b["female"] * 1
        + b["meanses"] * (-0.4) + b["sector"] * 0)
print(round(yhat, 3))
"""),
]  # fmt: skip

# Everything collected in one answers dict; equations as plain-text strings with b/g letters.
ANSWERS_DICT: list[Cell] = [
    md("# Assignment 5 (HLM)"),
    code(SEED_LOAD),
    code("""
null_model = smf.mixedlm("mathach ~ 1", data=df_hsb, groups=df_hsb["school"]).fit(reml=False)
model_final = smf.mixedlm(
    "mathach ~ minority + female + ses + pracad + himinty", data=df_hsb, groups=df_hsb["school"]
).fit(reml=False)
print(model_final.summary())
"""),
    md("I store every answer in one dictionary so they are easy to find."),
    code("""
b = model_final.fe_params
tau00 = null_model.cov_re.iloc[0, 0]
answers = {
    "icc": tau00 / (tau00 + null_model.scale),
    "level1": "mathach_ij = b0_j + b1_j*minority_ij + b2_j*female_ij + b3_j*ses_ij + r_ij",
    "level2": [
        "b0_j = g00 + g01*pracad_j + g02*himinty_j + u0_j",
        "b1_j = g10",
        "b2_j = g20",
        "b3_j = g30",
    ],
    "combined": "mathach_ij = g00 + g01*pracad_j + g02*himinty_j + g10*minority_ij"
                " + g20*female_ij + g30*ses_ij + u0_j + r_ij",
    "fixed_effects": ["Intercept", "minority", "female", "ses", "pracad", "himinty"],
    "random_effects": ["u0_j (school intercept)", "r_ij (residual)"],
    "fixed_estimates": b.round(4).to_dict(),
    "combined_with_estimates": (
        f"mathach_ij = {b['Intercept']:.2f} + {b['pracad']:.2f}*pracad_j"
        f" + {b['himinty']:.2f}*himinty_j + ({b['minority']:.2f})*minority_ij"
        f" + ({b['female']:.2f})*female_ij + {b['ses']:.2f}*ses_ij + u0_j + r_ij"
    ),
    "aic_change": model_final.aic - null_model.aic,
    "sigma2_change": (null_model.scale - model_final.scale) / null_model.scale,
    "forecast": b["Intercept"] + b["minority"] + b["female"] + b["ses"] * 0
                + b["pracad"] * 0.25 + b["himinty"] * 0,
}
for key, value in answers.items():
    print(f"{key}: {value}")
"""),
]  # fmt: skip

# The file's upper-case names kept throughout, a column-name groups, Series forecast.
UPPER_CASE: list[Cell] = [
    md("# HLM: High School and Beyond\n\nColumn names are kept as in the SPSS file."),
    code("""
import pandas as pd
import pyreadstat
import statsmodels.formula.api as smf

df_hsb, meta = pyreadstat.read_sav("data/hsb12.sav")
df_hsb.describe()
"""),
    code("""
uncond = smf.mixedlm("MATHACH ~ 1", df_hsb, groups="SCHOOL").fit(reml=False)
ICC = uncond.cov_re.iloc[0, 0] / (uncond.cov_re.iloc[0, 0] + uncond.scale)
print("ICC =", round(ICC, 4))
"""),
    code("""
final_fit = smf.mixedlm(
    "MATHACH ~ MINORITY + SES + MEANSES + SECTOR", df_hsb, groups="SCHOOL", re_formula="~MINORITY"
).fit(reml=False, method="lbfgs")
final_fit.summary()
"""),
    md(r"""
**Level 1**
$$MATHACH_{ij} = \beta_{0j} + \beta_{1j} MINORITY_{ij} + \beta_{2j} SES_{ij} + r_{ij}$$

**Level 2**
$$\beta_{0j} = \gamma_{00} + \gamma_{01} MEANSES_{j} + \gamma_{02} SECTOR_{j} + u_{0j}$$
$$\beta_{1j} = \gamma_{10} + u_{1j}$$
$$\beta_{2j} = \gamma_{20}$$

**Combined**
$$MATHACH_{ij} = \gamma_{00} + \gamma_{01} MEANSES_{j} + \gamma_{02} SECTOR_{j} + \gamma_{10} MINORITY_{ij} + \gamma_{20} SES_{ij} + u_{0j} + u_{1j} MINORITY_{ij} + r_{ij}$$
"""),
    code("""
print("Fixed effects:", list(final_fit.fe_params.index))
print("Random effects: school intercept (Group), MINORITY slope, residual")
final_fit.fe_params
"""),
    md(r"""
**Combined model with estimates**
$$\widehat{MATHACH}_{ij} = 12.70 - 2.87\,MINORITY_{ij} + 1.94\,SES_{ij} + 2.31\,MEANSES_{j} + 1.58\,SECTOR_{j} + u_{0j} + u_{1j}\,MINORITY_{ij} + r_{ij}$$
"""),
    code("""
AIC_change = final_fit.aic - uncond.aic
sigma2_change = (uncond.scale - final_fit.scale) / uncond.scale
print(AIC_change, sigma2_change)
"""),
    code("""
new = pd.DataFrame({"MINORITY": [1], "SES": [0.0], "MEANSES": [-0.4], "SECTOR": [0]})
pred = final_fit.predict(new)
pred
"""),
]  # fmt: skip

# Y/X/W letters with a "where" sentence; Nelder-Mead's fit (at the optimum, a flat direction).
XYW_LETTERS: list[Cell] = [
    md("# Hierarchical linear model of math achievement"),
    code(DF_LOAD),
    code("""
null_fit = smf.mixedlm("mathach ~ 1", df, groups=df["school"]).fit(reml=False)
icc_null = null_fit.cov_re.iloc[0, 0] / (null_fit.cov_re.iloc[0, 0] + null_fit.scale)
icc_null
"""),
    code("""
hlm = smf.mixedlm("mathach ~ minority + female + ses + meanses + pracad", df,
                  groups=df["school"], re_formula="~minority")
hlm_fit = hlm.fit(reml=False, method="nm")  # bfgs stopped early; Nelder-Mead got the highest llf
print(hlm_fit.llf)
hlm_fit.summary()
"""),
    md(r"""
### Model equations

Level 1: $Y_{ij} = \beta_{0j} + \beta_{1j}X_{1ij} + \beta_{2j}X_{2ij} + \beta_{3j}X_{3ij} + r_{ij}$

Level 2: $\beta_{0j} = \gamma_{00} + \gamma_{01}W_{1j} + \gamma_{02}W_{2j} + u_{0j}$,
$\beta_{1j} = \gamma_{10} + u_{1j}$, $\beta_{2j} = \gamma_{20}$, $\beta_{3j} = \gamma_{30}$

where $Y$ is mathach, $X_1$ is minority, $X_2$ is female, $X_3$ is ses, $W_1$ is meanses and
$W_2$ is pracad.

Combined: $Y_{ij} = \gamma_{00} + \gamma_{01}W_{1j} + \gamma_{02}W_{2j} + \gamma_{10}X_{1ij} + \gamma_{20}X_{2ij} + \gamma_{30}X_{3ij} + u_{0j} + u_{1j}X_{1ij} + r_{ij}$

Fixed effects: $\gamma_{00}, \gamma_{01}, \gamma_{02}, \gamma_{10}, \gamma_{20}, \gamma_{30}$.
Random effects: $u_{0j}$, $u_{1j}$ (the minority slope) and $r_{ij}$.
"""),
    code("hlm_fit.fe_params.round(4)"),
    md(r"""
With the estimates:
$\hat{Y}_{ij} = 11.80 + 1.13W_{1j} + 4.40W_{2j} - 2.95X_{1ij} - 1.23X_{2ij} + 1.89X_{3ij} + u_{0j} + u_{1j}X_{1ij} + r_{ij}$
"""),
    code("""
aic_diff = hlm_fit.aic - null_fit.aic
var_reduction = (null_fit.scale - hlm_fit.scale) / null_fit.scale
print(aic_diff, var_reduction)
"""),
    code("""
student = {"minority": 1, "female": 1, "ses": 0.0, "cses": 0.4, "meanses": -0.4,
           "size": 800, "sector": 0, "pracad": 0.25, "himinty": 0}
prediction = hlm_fit.predict(pd.DataFrame([student]))[0]
prediction
"""),
]  # fmt: skip

# e_ij for the residual and the \beta_0j TeX trap (renders β₀j), with the contract's number names.
TEX_TRAP: list[Cell] = [
    md("# HLM assignment"),
    code(DF_LOAD),
    code("""
m_null = smf.mixedlm("mathach ~ 1", df, groups=df["school"]).fit(reml=False)
icc = m_null.cov_re.iloc[0, 0] / (m_null.cov_re.iloc[0, 0] + m_null.scale)
m_final = smf.mixedlm("mathach ~ minority + female + ses + meanses + sector", df,
                      groups=df["school"]).fit(reml=False)
m_final.summary()
"""),
    md(r"""
Level 1:
$$mathach_{ij} = \beta_0j + \beta_1j \cdot minority_{ij} + \beta_2j \cdot female_{ij} + \beta_3j \cdot ses_{ij} + e_{ij}$$
Level 2:
$$\beta_0j = \gamma_00 + \gamma_01 \cdot meanses_j + \gamma_02 \cdot sector_j + u_0j$$
$$\beta_1j = \gamma_10$$
$$\beta_2j = \gamma_20$$
$$\beta_3j = \gamma_30$$
Combined:
$$mathach_{ij} = \gamma_00 + \gamma_01 meanses_j + \gamma_02 sector_j + \gamma_10 minority_{ij} + \gamma_20 female_{ij} + \gamma_30 ses_{ij} + u_0j + e_{ij}$$
"""),
    md(r"""
Fixed effects:
- intercept ($\gamma_00$)
- meanses, sector (school level)
- minority, female, ses (student level)

Random effects:
- $u_0j$ — the school's deviation from the intercept
- $e_{ij}$ — the student's residual
"""),
    code("m_final.fe_params"),
    md(r"""
$$mathach_{ij} = 13.316 - 2.836 \cdot minority_{ij} - 1.246 \cdot female_{ij} + 1.917 \cdot ses_{ij} + 2.105 \cdot meanses_j + 1.718 \cdot sector_j + u_0j + e_{ij}$$
"""),
    code("""
aic_change = m_final.aic - m_null.aic
residual_variance_change = (m_null.scale - m_final.scale) / m_null.scale
me = {"minority": 1, "female": 1, "ses": 0.0, "meanses": -0.4, "sector": 0}
forecast = m_final.predict(pd.DataFrame([me])).iloc[0]
print(aic_change, residual_variance_change, forecast)
"""),
]  # fmt: skip

SUBMISSIONS: dict[str, list[Cell]] = {
    "f01_seed_completed": SEED_COMPLETED,
    "f02_aligned_rho": ALIGNED_RHO,
    "f03_answers_dict": ANSWERS_DICT,
    "f04_upper_case": UPPER_CASE,
    "f05_xyw_letters": XYW_LETTERS,
    "f06_tex_trap": TEX_TRAP,
}
