"""Free-form submissions (second half): choosing among models, stale prose, strings, REML habits."""

from __future__ import annotations

from tests.corpus.cells import DF_LOAD, PROFILE_DICT, SEED_LOAD, Cell, code, md

# Three models compared; a fourth fitted AFTER the final one and rejected in the text.
ALTERNATIVE_AFTER: list[Cell] = [
    md("# HLM project\n\nWe compare a few models and pick one."),
    code(DF_LOAD),
    code("""
model0 = smf.mixedlm("mathach ~ 1", df, groups=df["school"]).fit(reml=False)
icc0 = model0.cov_re.iloc[0, 0] / (model0.cov_re.iloc[0, 0] + model0.scale)
print(f"ICC = {icc0:.4f}")
"""),
    md("### Model 1: random intercept"),
    code("""
model1 = smf.mixedlm("mathach ~ minority + ses + meanses + sector", df, groups=df["school"]).fit(reml=False)
print(model1.aic)
"""),
    md("### Model 2: random minority slope"),
    code("""
model2 = smf.mixedlm("mathach ~ minority + ses + meanses + sector", df, groups=df["school"],
                     re_formula="~minority").fit(reml=False, method="lbfgs")
print(model2.aic)
model2.summary()
"""),
    md(r"""
Model 2 has the lower AIC, so **model 2 is our final model**.

Level 1: $$mathach_{ij} = \beta_{0j} + \beta_{1j} minority_{ij} + \beta_{2j} ses_{ij} + r_{ij}$$
Level 2: $$\beta_{0j} = \gamma_{00} + \gamma_{01} meanses_j + \gamma_{02} sector_j + u_{0j}, \quad \beta_{1j} = \gamma_{10} + u_{1j}, \quad \beta_{2j} = \gamma_{20}$$
Combined: $$mathach_{ij} = \gamma_{00} + \gamma_{01} meanses_j + \gamma_{02} sector_j + \gamma_{10} minority_{ij} + \gamma_{20} ses_{ij} + u_{0j} + u_{1j} minority_{ij} + r_{ij}$$

Fixed effects: intercept, meanses, sector, minority, ses. Random effects: the intercept $u_{0j}$,
the minority slope $u_{1j}$, and the residual $r_{ij}$.
"""),
    code("""
est2 = model2.fe_params
print(
    f"mathach_ij = {est2['Intercept']:.3f} + {est2['meanses']:.3f}*meanses_j"
    f" + {est2['sector']:.3f}*sector_j + ({est2['minority']:.3f})*minority_ij"
    f" + {est2['ses']:.3f}*ses_ij + u_0j + u_1j*minority_ij + r_ij"
)
"""),
    code("""
aic_change = model2.aic - model0.aic
resid_change = (model0.scale - model2.scale) / model0.scale
""" + PROFILE_DICT + """
forecast = model2.predict(pd.DataFrame([student])).iloc[0]
print(aic_change, resid_change, forecast)
"""),
    md("### Model 3: two more school variables?"),
    code("""
model3 = smf.mixedlm("mathach ~ minority + ses + meanses + sector + himinty + size", df,
                     groups=df["school"], re_formula="~minority").fit(reml=False, method="lbfgs")
print(model3.aic)
model3.pvalues.round(3)
"""),
    md("""
Model 3 lowers AIC by only about 6 while adding two school-level variables: `himinty` is not
significant (p = 0.38) and `size`'s effect is negligible (0.0007 points per student). We keep
**model 2 as our final model**; all answers above are for model 2.
"""),
]  # fmt: skip

# The text still quotes numbers from an earlier run with the default optimizer.
STALE_PROSE: list[Cell] = [
    md("# Test 5: HLM"),
    code(SEED_LOAD),
    code("""
null_res = smf.mixedlm("mathach ~ 1", df_hsb, groups=df_hsb["school"]).fit(reml=False)
icc = null_res.cov_re.iloc[0, 0] / (null_res.cov_re.iloc[0, 0] + null_res.scale)
icc
"""),
    code("""
import warnings
warnings.simplefilter("ignore")
final_model = smf.mixedlm("mathach ~ ses + meanses + pracad + minority + female", df_hsb,
                          groups=df_hsb["school"], re_formula="~minority")
final_res = final_model.fit(reml=False)
print("default:", final_res.llf)
final_res = final_model.fit(reml=False, method="lbfgs")  # higher log-likelihood than the default
print("lbfgs:", final_res.llf)
"""),
    md(r"""
$$mathach_{ij} = \beta_{0j} + \beta_{1j} ses_{ij} + \beta_{2j} minority_{ij} + \beta_{3j} female_{ij} + r_{ij}$$
$$\beta_{0j} = \gamma_{00} + \gamma_{01} meanses_j + \gamma_{02} pracad_j + u_{0j}$$
$$\beta_{1j} = \gamma_{10}$$
$$\beta_{2j} = \gamma_{20} + u_{2j}$$
$$\beta_{3j} = \gamma_{30}$$

$$mathach_{ij} = \gamma_{00} + \gamma_{01} meanses_j + \gamma_{02} pracad_j + \gamma_{10} ses_{ij} + \gamma_{20} minority_{ij} + \gamma_{30} female_{ij} + u_{0j} + u_{2j} minority_{ij} + r_{ij}$$

Fixed effects: Intercept, ses, meanses, pracad, minority, female.
Random effects: Intercept, minority, Residual.
"""),
    code("""
fe = final_res.fe_params
print(fe)
print(f"mathach_ij = {fe['Intercept']:.3f} + {fe['ses']:.3f} ses_ij + {fe['meanses']:.3f} meanses_j"
      f" + {fe['pracad']:.3f} pracad_j + {fe['minority']:.3f} minority_ij"
      f" + {fe['female']:.3f} female_ij + u_0j + u_2j minority_ij + r_ij")
"""),
    code("""
aic_delta = final_res.aic - null_res.aic
rel_change = (null_res.scale - final_res.scale) / null_res.scale
print(aic_delta, rel_change)
"""),
    md("The AIC fell by 813.2 and the level-1 residual variance by 9.5 %."),
    code("""
profile = {"minority": 1, "female": 1, "ses": 0, "meanses": -0.4, "pracad": 0.25}
forecast_mathach = fe["Intercept"] + sum(fe[k] * v for k, v in profile.items())
print(forecast_mathach)
"""),
    md("The predicted math achievement for this student is **8.28**."),
]  # fmt: skip

# Equations and the combined model as printed strings (L1, L2, comb, comb_est), R&B's Table 4.5.
PRINTED_STRINGS: list[Cell] = [
    md("# HLM — Raudenbush & Bryk's Table 4.5 model"),
    code(DF_LOAD),
    code("""
null_res = smf.mixedlm("mathach ~ 1", df, groups=df["school"]).fit(reml=False)
icc = null_res.cov_re.iloc[0, 0] / (null_res.cov_re.iloc[0, 0] + null_res.scale)
print("ICC", icc)
md_final = smf.mixedlm("mathach ~ meanses + sector + cses + cses:meanses + cses:sector", df,
                       groups=df["school"], re_formula="~cses")
res = md_final.fit(reml=False)
print(res.summary())
"""),
    code("""
L1 = "mathach_ij = b0j + b1j*cses_ij + r_ij"
L2 = ["b0j = g00 + g01*meanses_j + g02*sector_j + u0j",
      "b1j = g10 + g11*meanses_j + g12*sector_j + u1j"]
comb = ("mathach_ij = g00 + g01*meanses_j + g02*sector_j + g10*cses_ij + g11*meanses_j*cses_ij"
        " + g12*sector_j*cses_ij + u0j + u1j*cses_ij + r_ij")
print(L1, *L2, comb, sep="\\n")
"""),
    code("""
fe_list = list(res.fe_params.index)
re_list = ["Intercept (u0j)", "cses (u1j)", "residual r_ij"]
print(fe_list, re_list)
fe = res.fe_params
comb_est = (f"mathach_ij = {fe['Intercept']:.3f} + {fe['meanses']:.3f}*meanses_j"
            f" + {fe['sector']:.3f}*sector_j + {fe['cses']:.3f}*cses_ij"
            f" + {fe['cses:meanses']:.3f}*meanses_j*cses_ij"
            f" + ({fe['cses:sector']:.3f})*sector_j*cses_ij + u0j + u1j*cses_ij + r_ij")
print(comb_est)
"""),
    code("""
delta_aic = res.aic - null_res.aic
prv = (null_res.scale - res.scale) / null_res.scale
yhat = (fe["Intercept"] + fe["meanses"] * (-0.4) + fe["sector"] * 0 + fe["cses"] * 0.4
        + fe["cses:meanses"] * 0.4 * (-0.4) + fe["cses:sector"] * 0.4 * 0)
print(delta_aic, prv, yhat)
"""),
]  # fmt: skip

# AIC reported as a positive reduction, explained in words; unicode equations in Markdown.
AIC_REDUCTION: list[Cell] = [
    md("# Multilevel model of mathach"),
    code(DF_LOAD),
    code("""
m_null = smf.mixedlm("mathach ~ 1", df, groups=df["school"]).fit(reml=False)
icc_value = m_null.cov_re.iloc[0, 0] / (m_null.cov_re.iloc[0, 0] + m_null.scale)
m_final = smf.mixedlm("mathach ~ minority + female + ses + meanses + pracad", df,
                      groups=df["school"], re_formula="~minority").fit(reml=False, method="lbfgs")
params = m_final.params
params
"""),
    md("""
**Level 1:** mathach_ij = β0j + β1j·minority_ij + β2j·female_ij + β3j·ses_ij + r_ij

**Level 2:** β0j = γ00 + γ01·meanses_j + γ02·pracad_j + u0j; β1j = γ10 + u1j; β2j = γ20; β3j = γ30

**Combined:** mathach_ij = γ00 + γ01·meanses_j + γ02·pracad_j + γ10·minority_ij + γ20·female_ij + γ30·ses_ij + u0j + u1j·minority_ij + r_ij

Fixed effects: intercept, meanses, pracad, minority, female, ses. Random effects: intercept (u0j),
minority slope (u1j) and the residual r_ij.

**With estimates:** mathach_ij = 11.80 + 1.13·meanses_j + 4.39·pracad_j − 2.94·minority_ij − 1.23·female_ij + 1.89·ses_ij + u0j + u1j·minority_ij + r_ij
"""),
    code("""
aic_reduction = m_null.aic - m_final.aic
print(f"AIC dropped by {aic_reduction:.2f} (from {m_null.aic:.2f} to {m_final.aic:.2f})")
sigma2_reduction = (m_null.scale - m_final.scale) / m_null.scale
print(f"sigma^2 reduced by {sigma2_reduction:.2%}")
"""),
    md("The final model is much better: the AIC dropped by 822.81."),
    code(PROFILE_DICT + "y_pred = m_final.predict(pd.DataFrame([student]))\ny_pred"),
]  # fmt: skip

# Fixed effects as γ bullets, estimates typed into a Markdown table, a cross-level interaction.
GAMMA_BULLETS: list[Cell] = [
    md("# HLM: does the minority gap depend on the sector?"),
    code(DF_LOAD),
    code("""
fit_uncond = smf.mixedlm("mathach ~ 1", df, groups=df["school"]).fit(reml=False)
icc_uncond = fit_uncond.cov_re.iloc[0, 0] / (fit_uncond.cov_re.iloc[0, 0] + fit_uncond.scale)
fit_cross = smf.mixedlm("mathach ~ minority * sector + female + ses", df, groups=df["school"],
                        re_formula="~minority").fit(reml=False, method="lbfgs")
fit_cross.summary()
"""),
    md(r"""
$$mathach_{ij} = \beta_{0j} + \beta_{1j} \times minority_{ij} + \beta_{2j} \times female_{ij} + \beta_{3j} \times ses_{ij} + r_{ij}$$
$$\beta_{0j} = \gamma_{00} + \gamma_{01} \times sector_j + u_{0j}$$
$$\beta_{1j} = \gamma_{10} + \gamma_{11} \times sector_j + u_{1j}$$
$$\beta_{2j} = \gamma_{20}, \qquad \beta_{3j} = \gamma_{30}$$

$$mathach_{ij} = \gamma_{00} + \gamma_{01} \times sector_j + \gamma_{10} \times minority_{ij} + \gamma_{11} \times sector_j \times minority_{ij} + \gamma_{20} \times female_{ij} + \gamma_{30} \times ses_{ij} + u_{0j} + u_{1j} \times minority_{ij} + r_{ij}$$

Fixed effects:
* $\gamma_{00}$ — intercept
* $\gamma_{01}$ — sector
* $\gamma_{10}$ — minority
* $\gamma_{11}$ — minority × sector (cross-level interaction)
* $\gamma_{20}$ — female
* $\gamma_{30}$ — ses

Random effects:
* $u_{0j}$ — school intercept
* $u_{1j}$ — school-specific minority gap
* $r_{ij}$ — student residual

| | term | estimate |
|---|---|---|
| $\gamma_{00}$ | Intercept | 13.372 |
| $\gamma_{01}$ | sector | 1.785 |
| $\gamma_{10}$ | minority | −4.097 |
| $\gamma_{11}$ | minority × sector | 1.999 |
| $\gamma_{20}$ | female | −1.265 |
| $\gamma_{30}$ | ses | 2.011 |
"""),
    code("""
g = fit_cross.fe_params
print(f"mathach_ij = {g['Intercept']:.3f} + {g['sector']:.3f}*sector_j + ({g['minority']:.3f})*minority_ij"
      f" + {g['minority:sector']:.3f}*sector_j*minority_ij + ({g['female']:.3f})*female_ij"
      f" + {g['ses']:.3f}*ses_ij + u_0j + u_1j*minority_ij + r_ij")
d_aic = fit_cross.aic - fit_uncond.aic
r2_level1 = (fit_uncond.scale - fit_cross.scale) / fit_uncond.scale
mathach_hat = (g["Intercept"] + g["sector"] * 0 + g["minority"] * 1 + g["minority:sector"] * 1 * 0
               + g["female"] * 1 + g["ses"] * 0)
print(d_aic, r2_level1, mathach_hat)
"""),
]  # fmt: skip

# statsmodels' default fit() is REML: the ICC is fine, the AIC is nan, so it is built by hand.
REML_HABIT: list[Cell] = [
    md("# HLM"),
    code(SEED_LOAD),
    code("""
m0 = smf.mixedlm("mathach ~ 1", df_hsb, groups=df_hsb["school"]).fit()
icc = m0.cov_re.iloc[0, 0] / (m0.cov_re.iloc[0, 0] + m0.scale)
m1 = smf.mixedlm("mathach ~ minority + female + ses + meanses + sector", df_hsb,
                 groups=df_hsb["school"]).fit()
print(icc)
m1.summary()
"""),
    md(r"""
$$mathach_{ij} = \beta_{0j} + \beta_{1j} minority_{ij} + \beta_{2j} female_{ij} + \beta_{3j} ses_{ij} + r_{ij}$$
$$\beta_{0j} = \gamma_{00} + \gamma_{01} meanses_j + \gamma_{02} sector_j + u_{0j}, \quad \beta_{1j} = \gamma_{10}, \quad \beta_{2j} = \gamma_{20}, \quad \beta_{3j} = \gamma_{30}$$
$$mathach_{ij} = \gamma_{00} + \gamma_{01} meanses_j + \gamma_{02} sector_j + \gamma_{10} minority_{ij} + \gamma_{20} female_{ij} + \gamma_{30} ses_{ij} + u_{0j} + r_{ij}$$

Fixed effects: Intercept, minority, female, ses, meanses, sector. Random: Intercept ($u_{0j}$), residual ($r_{ij}$).
"""),
    code("""
fe = m1.fe_params
print(f"mathach_ij = {fe['Intercept']:.3f} + {fe['meanses']:.3f}*meanses_j + {fe['sector']:.3f}*sector_j"
      f" + ({fe['minority']:.3f})*minority_ij + ({fe['female']:.3f})*female_ij"
      f" + {fe['ses']:.3f}*ses_ij + u_0j + r_ij")
"""),
    md("`m1.aic` is `nan`, so I compute AIC = −2 log L + 2k myself."),
    code("""
k0 = 1 + 2          # intercept, tau00, sigma2
k1 = len(fe) + 2    # fixed effects, tau00, sigma2
aic0 = -2 * m0.llf + 2 * k0
aic1 = -2 * m1.llf + 2 * k1
aic_change = aic1 - aic0
residual_variance_change = (m0.scale - m1.scale) / m0.scale
forecast = m1.predict(pd.DataFrame([{"minority": 1, "female": 1, "ses": 0.0, "meanses": -0.4,
                                     "sector": 0}])).iloc[0]
print(aic_change, residual_variance_change, forecast)
"""),
]  # fmt: skip

SUBMISSIONS: dict[str, list[Cell]] = {
    "f07_alternative_after_final": ALTERNATIVE_AFTER,
    "f08_stale_prose": STALE_PROSE,
    "f09_printed_strings": PRINTED_STRINGS,
    "f10_aic_reduction": AIC_REDUCTION,
    "f11_gamma_bullets": GAMMA_BULLETS,
    "f12_reml_habit": REML_HABIT,
}
