"""What a careful human grader gives each corpus notebook, part by part, and why.

Verdicts follow the assignment's stated policies (README.md, grading.toml, the messages in
``grader/assignment/messages.py``): error carried forward (a fit short of the optimum costs the
final model's optimum third once; later answers consistent with the student's own genuine fit earn
full credit), a REML final model costs a third, breaking the rules (≥ 3 predictors, ≥ 1
school-level) a third, each blocking difference in an equation a quarter of that equation's share
(level 1 is 40 % of ``level_equations``), notation slips nothing, the REML ICC full credit, a
percentage half, named mistakes as grading.toml's [credit] table says (half for a reversed sign
or one forecast term, none for a wrong quantity), a boundary optimum reached as closely as
statsmodels' optimizers can counts as the optimum. A human reads answers wherever the student put them (own
variable names, dicts, printed text, Markdown) and grades the notebook as it runs now.

Numbers come from lme4 (``lme4_truth.txt``). ``unsure`` marks verdicts where the policy is genuinely
unclear: the reason says what a careful human would give, for the lead to settle. ``phrase`` is a
text the part's feedback (or its mistake codes) must contain, case-insensitively: the student's own
variable name where the answer was not in the contract's, or the name of the mistake.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.corpus.truth import load_truth

POINTS: dict[str, float] = {
    "icc": 10, "final_model": 15, "level_equations": 15, "combined_equation": 10,
    "effect_lists": 5, "fixed_estimates": 10, "combined_with_estimates": 10, "aic_change": 10,
    "residual_variance_change": 5, "forecast": 10,
}  # fmt: skip
PARTS = tuple(POINTS)


@dataclass(frozen=True, slots=True)
class Verdict:
    """One part's expected score, a one-line reason, and what its feedback must say."""

    score: float
    reason: str
    phrase: str = ""
    unsure: bool = False


@dataclass(frozen=True, slots=True)
class Expected:
    """One notebook: its final model (a name in lme4_truth.txt), its story, every part's verdict."""

    name: str
    model: str
    story: str
    parts: dict[str, Verdict]

    @property
    def total(self) -> float:
        return sum(v.score for v in self.parts.values())


def _full(part: str, model: str) -> Verdict:
    t = load_truth()[model] if model else None
    numbers = {
        "icc": "τ00/(τ00+σ²) of the ML unconditional model, 0.1793 (lme4 8.55346/47.70186)",
        "final_model": "≥ 3 predictors, a school-level one, ML, grouped by school, at the optimum"
        + (f" (lme4 log-lik {t.loglik:.4f})" if t else ""),
        "level_equations": "level 1 and every level-2 equation match the model term by term",
        "combined_equation": "every γ term, u0j, each random slope's u·x and r_ij are there",
        "effect_lists": "every fixed effect with the intercept; u0j and each random slope",
        "fixed_estimates": "every estimate within ±0.01 of lme4",
        "combined_with_estimates": "estimates within ±0.01 of lme4, random terms written out",
        "aic_change": f"AIC(final) − AIC(unconditional) = {t.aic_change if t else 0:.2f} (lme4)",
        "residual_variance_change": f"(σ²₀ − σ²)/σ²₀ = {t.sigma2_change if t else 0:.4f} (lme4)",
        "forecast": f"fixed part at the profile = {t.forecast if t else 0:.3f} (lme4)",
    }
    return Verdict(POINTS[part], "right: " + numbers[part])


def expect(name: str, model: str, story: str, **verdicts: Verdict | str) -> Expected:
    """Full marks for every part not given; a string is a phrase added to a full-marks verdict."""
    parts = {}
    for part in PARTS:
        given = verdicts.pop(part, None)
        if isinstance(given, str):
            full = _full(part, model)
            given = Verdict(full.score, full.reason, phrase=given)
        parts[part] = given or _full(part, model)
    if verdicts:
        raise ValueError(f"{name}: unknown parts {sorted(verdicts)}")
    return Expected(name, model, story, parts)


def zero(reason: str, phrase: str = "", unsure: bool = False) -> Verdict:
    return Verdict(0.0, reason, phrase, unsure)


def part(score: float, reason: str, phrase: str = "", unsure: bool = False) -> Verdict:
    return Verdict(score, reason, phrase, unsure)


OWN_FIT = "own fit"  # the carried-forward feedback says the answer follows from the student's fit


def carried(reason: str, points: float) -> Verdict:
    return Verdict(points, f"error carried forward: {reason}", OWN_FIT)


SHORT_SEED = "default fit() stops 4.80 log-lik short of lme4's −23139.4984"
CARRIED_SEED = {
    "fixed_estimates": carried("estimates of the student's own (default) fit, e.g. 11.945", 10),
    "combined_with_estimates": carried("its own fit's estimates, every term there", 10),
    "aic_change": carried("−813.21 from the student's own fit (lme4 optimum −822.81)", 10),
    "residual_variance_change": carried("0.0946 from the own fit (optimum 0.0884)", 5),
    "forecast": carried("8.280 from the own fit (optimum 8.269)", 10),
}

TEMPLATE = [
    expect("t01_solution", "seed", "the instructor's solution, unchanged (the control)"),
    expect("t02_random_intercept", "ri_sector", "random intercept only, default fit"),
    expect("t03_cses_slope", "cses_slope", "a random cses slope, the assignment's recipe"),
    expect(
        "t04_minority_sector",
        "minority_sector",
        "cross-level minority:sector with a random minority slope, recipe",
    ),
    expect(
        "t05_cses_meanses",
        "rb_table_4_5",
        "R&B Table 4.5: cses:meanses and cses:sector, random cses slope, fit_best",
    ),
    expect("t06_size", "size", "size as the school-level predictor, random intercept"),
    expect("t07_himinty", "himinty", "himinty and pracad, random intercept"),
    expect(
        "t08_two_slopes",
        "two_slopes",
        "random minority and cses slopes; lme4's optimum is on the boundary (singular T)",
        final_model=part(
            15,
            "the recipe's best fit (lbfgs, −23170.0236) is 0.071 log-lik short of "
            "lme4's boundary optimum −23169.9529 (T singular), which no statsmodels "
            "optimizer reaches more closely: the student did all the assignment asked, "
            "and the policy counts such a fit as the optimum and explains the boundary",
            "boundary",
        ),
        aic_change=part(
            10,
            "−757.76 is 0.14 from lme4's −757.90 but is the student's own fit's, which "
            "counts as the optimum (boundary)",
        ),
        forecast=part(
            10,
            "8.811 is 0.011 from lme4's 8.800 but is the own fit's, which counts as the "
            "optimum (boundary)",
        ),
    ),
    expect(
        "t09_icc_inverted",
        "seed",
        "ICC computed as σ²/(τ00+σ²)",
        icc=zero("0.8207 is the inverted ICC σ²/(τ00+σ²), a named mistake", "inverted"),
    ),
    expect(
        "t10_icc_percent",
        "seed",
        "ICC given as a percentage (17.93)",
        icc=part(5, "17.93 is the ICC as a percentage: half credit", "percent"),
    ),
    expect(
        "t11_reml_final",
        "seed",
        "final model fitted by REML (fit() without reml=False)",
        final_model=part(10, "fitted by REML: a third off; the spec and rules are fine", "REML"),
        aic_change=zero("nan: statsmodels has no AIC for a REML fit", "nan"),
        fixed_estimates=part(10, "REML estimates are within 0.003 of lme4's ML ones"),
        combined_with_estimates=part(10, "REML estimates within ±0.01 of the ML ones"),
        residual_variance_change=part(5, "0.0882 (REML σ²) is within 0.0015 of the ML 0.0884"),
        forecast=part(10, "8.267 (REML) is within 0.01 of lme4's ML 8.269"),
    ),
    expect(
        "t12_aic_sign",
        "seed",
        "AIC change with the sign reversed (+822.81)",
        aic_change=part(
            5,
            "+822.81: the sign is reversed, a named mistake: half credit ([credit] aic_sign)",
            "sign",
        ),
    ),
    expect(
        "t13_tau_for_sigma",
        "seed",
        "relative change of τ00 instead of σ²",
        residual_variance_change=zero("0.8388 is the relative change in τ00, not σ²", "tau"),
    ),
    expect(
        "t14_sigma_reversed",
        "seed",
        "σ² change as (σ²₁ − σ²₀)/σ²₀",
        residual_variance_change=part(
            2.5, "−0.0884: the sign is reversed: half credit ([credit] variance_sign)", "sign"
        ),
    ),
    expect(
        "t15_forecast_dropped",
        "seed",
        "forecast written out by hand without female",
        forecast=part(
            5,
            "9.501 = lme4's 8.269 without the female term (−1.233): half credit "
            "([credit] forecast_dropped_term)",
            "female",
        ),
    ),
    expect(
        "t16_forecast_blup",
        "seed",
        "forecast adds school 1224's BLUPs",
        forecast=part(
            5,
            "6.643 adds school 1224's random effects; they are 0 for an unknown school: "
            "half credit ([credit] forecast_random_effect)",
            "school 1224",
        ),
    ),
    expect(
        "t17_default_short",
        "seed",
        "default fit() stops short; every later answer from it",
        final_model=part(10, SHORT_SEED + ": the optimum third is lost, once", "short"),
        **CARRIED_SEED,
    ),
    expect(
        "t18_missing_answers",
        "seed",
        "four parts left as the release's NotImplementedError stub",
        level_equations=zero("stub left: no equations (the notation example is not an answer)"),
        combined_equation=zero("stub left (example_combined is the assignment's example)"),
        combined_with_estimates=zero("stub left (example_with_estimates is the example's)"),
        forecast=zero("stub left: no forecast"),
    ),
    expect(
        "t19_level2_missing_u1",
        "seed",
        "β1j = γ10 without u1j",
        level_equations=part(
            12.75,
            "level 1 right (6); level 2 misses u1j, one difference: 9 × 0.75 = 6.75",
            "minority",
        ),
    ),
    expect(
        "t20_combined_missing_u1x",
        "seed",
        "combined model without u1j·minority",
        combined_equation=part(7.5, "u1j·minority_ij missing: one difference", "minority"),
        combined_with_estimates=part(
            10,
            "made by substituting into the same combined model: u1j·minority_ij is missing "
            "again, but it is the same omission, already charged in the combined model, and "
            "the feedback says so (one mistake costs points once)",
            "same",
        ),
    ),
    expect(
        "t21_no_school_level",
        "no_school_level",
        "ses + minority + female: no school-level",
        final_model=part(10, "no school-level predictor: the rules third is lost", "rules"),
    ),
]

FREEFORM = [
    expect(
        "f01_seed_completed",
        "seed",
        "the seed's style finished: $$ equations, bullets, printed combined model; the lbfgs fit "
        "is chosen by max llf (the loop variable `res` is the nm fit)",
        final_model="final_model_results",
        residual_variance_change="variance_change",
        forecast="forecast_value",
    ),
    expect(
        "f02_aligned_rho",
        "cses_slope",
        "m0/m1, rho, aligned LaTeX block, \\[…\\] with \\cdot, typed estimates (2 decimals)",
        icc="rho",
        final_model="m1",
        aic_change="delta_aic",
        residual_variance_change="pve_level1",
        forecast="yhat",
    ),
    expect(
        "f03_answers_dict",
        "himinty",
        "every answer in an answers dict; equations as plain strings with b/g for β/γ",
        icc="answers",
        final_model="model_final",
    ),
    expect(
        "f04_upper_case",
        "minority_slope4",
        "upper-case names from the .sav (MATHACH ~ MINORITY + …), groups='SCHOOL', "
        "forecast as a one-element Series",
        icc="ICC",
        final_model="final_fit",
        aic_change="AIC_change",
        residual_variance_change="sigma2_change",
        forecast="pred",
    ),
    expect(
        "f05_xyw_letters",
        "seed",
        "Y/X/W letters with a 'where X1 is minority' sentence; Nelder-Mead fit 0.005 short",
        icc="icc_null",
        final_model="hlm_fit",
        aic_change="aic_diff",
        residual_variance_change="var_reduction",
        forecast="prediction",
        fixed_estimates=part(
            10,
            "nm's pracad 4.3963 is 0.0105 from lme4's 4.3858, but the fit is "
            "at the optimum (0.005 log-lik): numbers of an optimal fit are right",
        ),
        combined_with_estimates=part(
            10,
            "typed 4.40 for pracad follows the student's optimal fit "
            "(4.3963); the other numbers are within ±0.01 of lme4",
        ),
    ),
    expect(
        "f06_tex_trap",
        "ri5",
        "\\beta_0j / \\gamma_00 / u_0j (render β₀j) and e_ij for r_ij: notation slips only",
        final_model="m_final",
    ),
    expect(
        "f07_alternative_after_final",
        "minority_slope4",
        "model 3 fitted after the final one and rejected in the text: model 2 is graded",
        icc="icc0",
        final_model="model2",
        residual_variance_change="resid_change",
    ),
    expect(
        "f08_stale_prose",
        "seed",
        "prose quotes the default fit's numbers (AIC −813.2, 9.5 %, forecast 8.28); the code now "
        "computes the lbfgs fit's",
        final_model="final_res",
        aic_change=part(
            10,
            "aic_delta = −822.81 as the notebook runs; the stale '813.2' in the "
            "text is noted, not graded",
            "aic_delta",
            unsure=True,
        ),
        residual_variance_change=part(
            5, "rel_change = 0.0884 as it runs (text: stale 9.5 %)", "rel_change", unsure=True
        ),
        forecast=part(
            10,
            "forecast_mathach = 8.269 as it runs; the text's 8.28 is stale",
            "forecast_mathach",
            unsure=True,
        ),
    ),
    expect(
        "f09_printed_strings",
        "rb_table_4_5",
        "equations as printed strings L1, L2, comb, comb_est; fe_list, re_list; prv; yhat",
        final_model="res",
        aic_change="delta_aic",
        residual_variance_change="prv",
        forecast="yhat",
    ),
    expect(
        "f10_aic_reduction",
        "seed",
        "AIC reported as a positive reduction in words; unicode equations; `params` lists "
        "variance components too",
        icc="icc_value",
        final_model="m_final",
        residual_variance_change="sigma2_reduction",
        forecast="y_pred",
        aic_change=part(
            10,
            "aic_reduction = +822.81 is labelled a reduction ('AIC dropped by "
            "822.81'), which is the right change stated in words; by the letter "
            "of the sign rule it would score 0",
            "aic_reduction",
            unsure=True,
        ),
        fixed_estimates=part(
            10,
            "every fixed effect right; the extra rows of m_final.params are "
            "labelled variance components, not wrong fixed effects",
        ),
    ),
    expect(
        "f11_gamma_bullets",
        "minority_sector",
        "γ bullets, a Markdown table of typed estimates, minority * sector in the formula",
        icc="icc_uncond",
        final_model="fit_cross",
        aic_change="d_aic",
        residual_variance_change="r2_level1",
        forecast="mathach_hat",
    ),
    expect(
        "f12_reml_habit",
        "ri5",
        "default fit() (REML) for both models; AIC built by hand",
        icc=part(10, "0.1804 is the REML ICC: accepted", "REML"),
        final_model=part(10, "fitted by REML: a third off", "REML"),
        aic_change=zero("−798.87 from REML log-likelihoods (ML: −807.27): not comparable", "REML"),
        fixed_estimates=part(10, "REML estimates within 0.002 of lme4's ML ones"),
        combined_with_estimates=part(10, "REML estimates within ±0.01 of the ML ones"),
        residual_variance_change=part(5, "0.0828 (REML σ²) within 0.0015 of the ML 0.0831"),
        forecast=part(10, "8.392 (REML) within 0.01 of lme4's ML 8.392"),
    ),
]

API = [
    expect("a01_groups_name", "cses_slope", "groups='school' (cov_re labelled 'school'), lbfgs"),
    expect("a02_groups_values", "himinty", "groups=df.school.values"),
    expect("a03_re_formula_one", "ri_sector", "re_formula='1'"),
    expect(
        "a04_vc_formula",
        "vc_intercept",
        "random intercept as vc_formula={'school': '0 + C(school)'} in one all-data group, "
        "for both models; equations in Markdown",
    ),
    expect("a05_categorical_sector", "ri_sector", "C(sector): the term is C(sector)[T.1.0]"),
    expect("a06_ses_squared", "ses_squared", "I(ses**2), written x('ses')**2 in the equations"),
    expect("a07_center", "centered_ses", "patsy center(ses); x('ses') stands for it"),
    expect(
        "a08_log_size",
        "log_size",
        "np.log(size) in the formula, \\log(size_j) in Markdown",
        icc="icc_hat",
        final_model="res_log",
        aic_change="aic_chg",
        residual_variance_change="s2_change",
        forecast="pred_student",
    ),
    expect(
        "a09_own_cses",
        "own_cses",
        "ses_c = ses − school mean (groupby transform), random ses_c slope; x('sesc') in the "
        "equations because the notation refuses '_'; profile ses_c = cses = 0.4",
    ),
    expect(
        "a10_own_meanses",
        "own_meanses",
        "school_ses = school mean of ses by hand (differs from meanses by ≤ 0.0065); "
        "profile school_ses = meanses = −0.4",
    ),
    expect(
        "a11_own_dummy_product",
        "own_product",
        "catholic = (sector == 1) and ses_cath = ses·catholic made by hand",
    ),
    expect(
        "a12_array_frame",
        "array_frame",
        "sm.MixedLM(endog, exog DataFrame with const, groups, exog_re), Nelder-Mead 0.003 short",
    ),
    expect(
        "a13_array_numpy",
        "array_numpy",
        "sm.MixedLM on bare numpy arrays (const, x1…x4); names supplied by the student",
    ),
    expect("a14_from_formula", "minority_slope4", "sm.MixedLM.from_formula, lbfgs"),
    expect(
        "a15_no_random_intercept",
        "no_intercept_re",
        "re_formula='~0 + cses': a random cses slope and no random intercept",
        final_model=part(
            15,
            "meets every stated rule; nothing requires a random intercept, "
            "though an instructor might ask for one",
            unsure=True,
        ),
    ),
]

PARTIAL = [
    expect(
        "p01_seed_as_submitted",
        "seed",
        "the real seed as handed in (outputs removed)",
        final_model=part(10, SHORT_SEED, "short"),
        level_equations=zero(
            "empty cells; the 'u_0j = γ00 + γ01·minority + μ0j' under the "
            "estimates is no level-1/level-2 system"
        ),
        combined_equation=zero("'# TODO'"),
        effect_lists=zero(
            "the answer is the Markdown list: fixed omits the intercept, random omits "
            "u0j; each half all-or-nothing (a lenient human might give 2.5 for the fixed "
            "variables); `fixed_effects` in the forecast cell is a dict of estimates, not this "
            "answer",
            unsure=True,
        ),
        combined_with_estimates=part(
            7.5,
            "printed from its own fit (carried forward); "
            "u1j·minority_ij missing, one difference; meanses_ij is a "
            "subscript slip",
            "minority",
        ),
        residual_variance_change=part(
            5,
            "the code now prints 0.0946, its own fit's (carried "
            "forward); the text's 0.1125 is stale",
            OWN_FIT,
            unsure=True,
        ),
        forecast=part(
            10,
            "the code now prints 8.2798, its own fit's (carried forward); the "
            "original output 8.6354 came from cells run before the final fit",
            OWN_FIT,
        ),
        **{k: v for k, v in CARRIED_SEED.items() if k in ("fixed_estimates", "aic_change")},
    ),
    expect(
        "p02_stopped_after_model",
        "minority_sector",
        "out of time after the final model; default fit 163.6 log-lik short",
        icc="icc_value",
        final_model=part(
            10, "default fit −23315.75 vs lme4 −23152.19: optimum third lost", "short"
        ),
        level_equations=zero("TODO"),
        combined_equation=zero("TODO"),
        effect_lists=zero("none"),
        fixed_estimates=part(
            10,
            "not reported, but the policy grades the fitted model's "
            "estimates (carried forward from its own fit); a human who wants "
            "the part answered would give 0",
            unsure=True,
        ),
        combined_with_estimates=zero("none"),
        aic_change=zero("TODO"),
        residual_variance_change=zero("none"),
        forecast=zero("none"),
    ),
    expect(
        "p03_reml_partial",
        "size",
        "REML everywhere, level 1 only, AIC nan, no forecast",
        icc=part(10, "0.1804, the REML ICC: accepted", "REML"),
        final_model=part(10, "fitted by REML: a third off", "REML"),
        level_equations=part(6, "level 1 right (40 %); level 2 'to do'"),
        combined_equation=zero("none"),
        effect_lists=part(
            5,
            "fixed list complete with the intercept; random: the school "
            "intercept, the only one (r_ij optional)",
        ),
        fixed_estimates=part(
            10,
            "only in the summary: the policy grades the model's estimates; "
            "REML ones are within 0.003 of lme4's ML",
            unsure=True,
        ),
        combined_with_estimates=zero("none"),
        aic_change=zero("no number: nan printed, 'could not be computed'"),
        residual_variance_change=part(
            5, "var_change 0.0765 (REML) within 0.0015 of ML 0.0767", "var_change"
        ),
        forecast=zero("none"),
    ),
    expect(
        "p04_error_midway",
        "seed",
        "a typo (final_results) breaks the estimate cells",
        final_model="final_result",
        fixed_estimates=part(
            10,
            "the cell raised NameError; the policy grades the fitted "
            "model's estimates anyway; a human might give 0 for the part",
            unsure=True,
        ),
        combined_with_estimates=zero("its cell raised NameError: nothing printed"),
        residual_variance_change="var_change",
        forecast=zero("its cell raised NameError: no forecast"),
    ),
]

EXPECTED: dict[str, Expected] = {e.name: e for e in TEMPLATE + FREEFORM + API + PARTIAL}
