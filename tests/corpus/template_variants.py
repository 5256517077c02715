"""Template submissions: the assignment notebook, answered with other final models or with mistakes.

Each entry fills :func:`tests.corpus.template.template` the way one student did. Models and their
lme4 truth are named in :mod:`tests.corpus.expected`; which optimizer each student used was chosen
so that the notebook really lands where its story says (checked by running it, see README.md).
"""

from __future__ import annotations

from tests.corpus.cells import Cell
from tests.corpus.template import SOLUTION, template

# The recipe of the assignment's "optimizer trap" section, copied by most students.
RECIPE = """
fits = [final_model.fit(reml=False, method=m) for m in ["lbfgs", "powell", "nm", ["nm", "bfgs"]]]
final = max((f for f in fits if math.isfinite(f.llf)), key=lambda f: f.llf)
print(sorted(round(f.llf, 3) for f in fits))
final.summary()
"""

SEED_MODEL = """
warnings.simplefilter("ignore")
final_model = smf.mixedlm(
    "mathach ~ ses + meanses + pracad + minority + female",
    df,
    groups=df["school"],
    re_formula="~ minority",
)
"""

# lbfgs alone reaches this model's optimum; students who tried the recipe kept the winner.
SEED_LBFGS = (
    SEED_MODEL
    + """
final = final_model.fit(reml=False, method="lbfgs")  # the best of the recipe's methods here
final.summary()
"""
)


def equations(level1: str, level2: list[str]) -> str:
    rows = "".join(f"    {row},\n" for row in level2)
    return (f"level1 = Eq(y, {level1})\nlevel2 = [\n{rows}]\n"
            "for equation in [level1, *level2]:\n    display(show(equation))\n")  # fmt: skip


def combined(rhs: str) -> str:
    return f"combined = Eq(\n    y,\n    {rhs},\n)\nshow(combined)\n"


def with_estimates(mapping: dict[str, str]) -> str:
    rows = "".join(f'    gamma({g}): "{term}",\n' for g, term in mapping.items())
    return (
        f"estimate_of = {{\n{rows}}}\n"
        "combined_with_estimates = combined.subs(\n"
        "    {g: round(float(final.fe_params[term]), 3) for g, term in estimate_of.items()}\n"
        ")\nshow(combined_with_estimates)\n"
    )


def lists(random: str) -> str:
    return (f"fixed_effects = list(final.fe_params.index)\nrandom_effects = {random}\n"
            'print("fixed: ", fixed_effects)\nprint("random:", random_effects)\n')  # fmt: skip


def variant(**answers: str | None) -> list[Cell]:
    return template(answers)


RANDOM_INTERCEPT = variant(
    final="""
warnings.simplefilter("ignore")
# A random intercept only: the default optimizer is fine here (lbfgs gives llf = inf).
final = smf.mixedlm("mathach ~ ses + meanses + sector + female", df, groups=df["school"]).fit(reml=False)
final.summary()
""",
    levels=equations(
        'beta(0) + beta(1) * x("ses") + beta(2) * x("female") + r',
        ['Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector") + u(0))',
         "Eq(beta(1), gamma(1, 0))", "Eq(beta(2), gamma(2, 0))"],
    ),
    combined=combined('gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector")\n'
                      '    + gamma(1, 0) * x("ses") + gamma(2, 0) * x("female") + u(0) + r'),
    lists=lists('["Intercept", "Residual"]'),
    with_estimates=with_estimates({"0, 0": "Intercept", "0, 1": "meanses", "0, 2": "sector",
                                   "1, 0": "ses", "2, 0": "female"}),
)  # fmt: skip

CSES_SLOPE = variant(
    final="""
warnings.simplefilter("ignore")
final_model = smf.mixedlm(
    "mathach ~ minority + female + cses + meanses + sector", df, groups=df["school"], re_formula="~cses"
)
""" + RECIPE,
    levels=equations(
        'beta(0) + beta(1) * x("cses") + beta(2) * x("minority") + beta(3) * x("female") + r',
        ['Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector") + u(0))',
         "Eq(beta(1), gamma(1, 0) + u(1))", "Eq(beta(2), gamma(2, 0))", "Eq(beta(3), gamma(3, 0))"],
    ),
    combined=combined('gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector")\n'
                      '    + gamma(1, 0) * x("cses") + gamma(2, 0) * x("minority")'
                      ' + gamma(3, 0) * x("female")\n    + u(0) + u(1) * x("cses") + r'),
    lists=lists('["Intercept", "cses", "Residual"]'),
    with_estimates=with_estimates({"0, 0": "Intercept", "0, 1": "meanses", "0, 2": "sector",
                                   "1, 0": "cses", "2, 0": "minority", "3, 0": "female"}),
)  # fmt: skip

MINORITY_SECTOR = variant(
    final="""
warnings.simplefilter("ignore")
# Does the minority gap differ between Catholic and public schools? A cross-level interaction.
final_model = smf.mixedlm(
    "mathach ~ minority + female + ses + sector + minority:sector",
    df,
    groups=df["school"],
    re_formula="~minority",
)
""" + RECIPE,
    levels=equations(
        'beta(0) + beta(1) * x("minority") + beta(2) * x("female") + beta(3) * x("ses") + r',
        ['Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("sector") + u(0))',
         'Eq(beta(1), gamma(1, 0) + gamma(1, 1) * w("sector") + u(1))',
         "Eq(beta(2), gamma(2, 0))", "Eq(beta(3), gamma(3, 0))"],
    ),
    combined=combined('gamma(0, 0) + gamma(0, 1) * w("sector") + gamma(1, 0) * x("minority")\n'
                      '    + gamma(1, 1) * w("sector") * x("minority") + gamma(2, 0) * x("female")'
                      ' + gamma(3, 0) * x("ses")\n    + u(0) + u(1) * x("minority") + r'),
    lists=lists('["Intercept", "minority", "Residual"]'),
    with_estimates=with_estimates({"0, 0": "Intercept", "0, 1": "sector", "1, 0": "minority",
                                   "1, 1": "minority:sector", "2, 0": "female", "3, 0": "ses"}),
)  # fmt: skip

CSES_MEANSES = variant(
    final=SOLUTION["final"].replace(
        '"mathach ~ ses + meanses + pracad + minority + female"',
        '"mathach ~ meanses + sector + cses + cses:meanses + cses:sector"',
    ).replace('re_formula="~ minority"', 're_formula="~ cses"'),
    levels=equations(
        'beta(0) + beta(1) * x("cses") + r',
        ['Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector") + u(0))',
         'Eq(beta(1), gamma(1, 0) + gamma(1, 1) * w("meanses") + gamma(1, 2) * w("sector") + u(1))'],
    ),
    combined=combined('gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector")'
                      ' + gamma(1, 0) * x("cses")\n    + gamma(1, 1) * w("meanses") * x("cses")'
                      ' + gamma(1, 2) * w("sector") * x("cses")\n    + u(0) + u(1) * x("cses") + r'),
    lists=lists('["Intercept", "cses", "Residual"]'),
    with_estimates=with_estimates({"0, 0": "Intercept", "0, 1": "meanses", "0, 2": "sector",
                                   "1, 0": "cses", "1, 1": "cses:meanses",
                                   "1, 2": "cses:sector"}),
)  # fmt: skip

SIZE = variant(
    final="""
warnings.simplefilter("ignore")
final = smf.mixedlm("mathach ~ ses + minority + size + sector", df, groups=df["school"]).fit(reml=False)
final.summary()
""",
    levels=equations(
        'beta(0) + beta(1) * x("ses") + beta(2) * x("minority") + r',
        ['Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("size") + gamma(0, 2) * w("sector") + u(0))',
         "Eq(beta(1), gamma(1, 0))", "Eq(beta(2), gamma(2, 0))"],
    ),
    combined=combined('gamma(0, 0) + gamma(0, 1) * w("size") + gamma(0, 2) * w("sector")\n'
                      '    + gamma(1, 0) * x("ses") + gamma(2, 0) * x("minority") + u(0) + r'),
    lists=lists('["Intercept", "Residual"]'),
    # size's effect per student is 0.0008: three decimals would round it to 0.001, so keep five
    with_estimates=with_estimates({"0, 0": "Intercept", "0, 1": "size", "0, 2": "sector",
                                   "1, 0": "ses", "2, 0": "minority"}).replace(", 3)", ", 5)"),
)  # fmt: skip

HIMINTY = variant(
    final="""
warnings.simplefilter("ignore")
final = smf.mixedlm(
    "mathach ~ minority + female + ses + pracad + himinty", df, groups=df["school"]
).fit(reml=False)
final.summary()
""",
    levels=equations(
        'beta(0) + beta(1) * x("minority") + beta(2) * x("female") + beta(3) * x("ses") + r',
        ['Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("pracad") + gamma(0, 2) * w("himinty") + u(0))',
         "Eq(beta(1), gamma(1, 0))", "Eq(beta(2), gamma(2, 0))", "Eq(beta(3), gamma(3, 0))"],
    ),
    combined=combined('gamma(0, 0) + gamma(0, 1) * w("pracad") + gamma(0, 2) * w("himinty")\n'
                      '    + gamma(1, 0) * x("minority") + gamma(2, 0) * x("female")'
                      ' + gamma(3, 0) * x("ses") + u(0) + r'),
    lists=lists('["Intercept", "Residual"]'),
    with_estimates=with_estimates({"0, 0": "Intercept", "0, 1": "pracad", "0, 2": "himinty",
                                   "1, 0": "minority", "2, 0": "female", "3, 0": "ses"}),
)  # fmt: skip

TWO_SLOPES = variant(
    final="""
warnings.simplefilter("ignore")
final_model = smf.mixedlm(
    "mathach ~ minority + cses + meanses + sector",
    df,
    groups=df["school"],
    re_formula="~ minority + cses",
)
""" + RECIPE,
    levels=equations(
        'beta(0) + beta(1) * x("minority") + beta(2) * x("cses") + r',
        ['Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector") + u(0))',
         "Eq(beta(1), gamma(1, 0) + u(1))", "Eq(beta(2), gamma(2, 0) + u(2))"],
    ),
    combined=combined('gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector")\n'
                      '    + gamma(1, 0) * x("minority") + gamma(2, 0) * x("cses")\n'
                      '    + u(0) + u(1) * x("minority") + u(2) * x("cses") + r'),
    lists=lists('["Intercept", "minority", "cses", "Residual"]'),
    with_estimates=with_estimates({"0, 0": "Intercept", "0, 1": "meanses", "0, 2": "sector",
                                   "1, 0": "minority", "2, 0": "cses"}),
)  # fmt: skip

NO_SCHOOL_LEVEL = variant(
    final="""
warnings.simplefilter("ignore")
final = smf.mixedlm("mathach ~ ses + minority + female", df, groups=df["school"]).fit(reml=False)
final.summary()
""",
    levels=equations(
        'beta(0) + beta(1) * x("ses") + beta(2) * x("minority") + beta(3) * x("female") + r',
        ["Eq(beta(0), gamma(0, 0) + u(0))", "Eq(beta(1), gamma(1, 0))", "Eq(beta(2), gamma(2, 0))",
         "Eq(beta(3), gamma(3, 0))"],
    ),
    combined=combined('gamma(0, 0) + gamma(1, 0) * x("ses") + gamma(2, 0) * x("minority")'
                      ' + gamma(3, 0) * x("female")\n    + u(0) + r'),
    lists=lists('["Intercept", "Residual"]'),
    with_estimates=with_estimates({"0, 0": "Intercept", "1, 0": "ses", "2, 0": "minority",
                                   "3, 0": "female"}),
)  # fmt: skip

ICC = SOLUTION["icc"]
MISTAKES: dict[str, list[Cell]] = {
    "t09_icc_inverted": variant(
        final=SEED_LBFGS,
        icc=ICC.replace("icc = tau00_unconditional / (", "icc = sigma2_unconditional / ("),
    ),
    "t10_icc_percent": variant(
        final=SEED_LBFGS,
        icc=ICC.replace("icc = tau00_unconditional", "icc = 100 * tau00_unconditional").replace(
            "ICC = {icc:.4f}", "ICC = {icc:.2f} %"
        ),
    ),
    "t11_reml_final": variant(
        final=SEED_MODEL + 'final = final_model.fit(method="lbfgs")\nfinal.summary()\n'
    ),
    "t12_aic_sign": variant(
        final=SEED_LBFGS,
        aic=SOLUTION["aic"].replace("final.aic - unconditional.aic", "unconditional.aic - final.aic"),
    ),
    "t13_tau_for_sigma": variant(
        final=SEED_LBFGS,
        residual="""
tau00_final = final.cov_re.iloc[0, 0]
residual_variance_change = (tau00_unconditional - tau00_final) / tau00_unconditional
print(f"relative change {residual_variance_change:.4f}")
""",
    ),
    "t14_sigma_reversed": variant(
        final=SEED_LBFGS,
        residual="""
residual_variance_change = (final.scale - unconditional.scale) / unconditional.scale
print(f"relative change {residual_variance_change:.4f}")
""",
    ),
    "t15_forecast_dropped": variant(
        final=SEED_LBFGS,
        forecast="""
fe = final.fe_params
forecast = (fe["Intercept"] + fe["ses"] * profile["ses"] + fe["meanses"] * profile["meanses"]
            + fe["pracad"] * profile["pracad"] + fe["minority"] * profile["minority"])
print(f"forecast mathach: {forecast:.3f}")
""",
    ),
    "t16_forecast_blup": variant(
        final=SEED_LBFGS,
        forecast="""
fixed_part = float(final.predict(pd.DataFrame([profile])).iloc[0])
# The student goes to a school like the first one in the data, so add that school's effects.
school_effect = final.random_effects[1224]
forecast = fixed_part + school_effect["Group"] + school_effect["minority"] * profile["minority"]
print(f"forecast mathach: {forecast:.3f}")
""",
    ),
    "t17_default_short": variant(final=SEED_MODEL + "final = final_model.fit(reml=False)\nfinal.summary()\n"),
    "t18_missing_answers": variant(
        final=SEED_LBFGS, levels=None, combined=None, with_estimates=None, forecast=None
    ),
    "t19_level2_missing_u1": variant(
        final=SEED_LBFGS,
        levels=SOLUTION["levels"].replace("Eq(beta(1), gamma(1, 0) + u(1))", "Eq(beta(1), gamma(1, 0))"),
    ),
    "t20_combined_missing_u1x": variant(
        final=SEED_LBFGS,
        combined=SOLUTION["combined"].replace('    + u(1) * x("minority")\n', ""),
    ),
}  # fmt: skip

SUBMISSIONS: dict[str, list[Cell]] = {
    "t01_solution": template(),
    "t02_random_intercept": RANDOM_INTERCEPT,
    "t03_cses_slope": CSES_SLOPE,
    "t04_minority_sector": MINORITY_SECTOR,
    "t05_cses_meanses": CSES_MEANSES,
    "t06_size": SIZE,
    "t07_himinty": HIMINTY,
    "t08_two_slopes": TWO_SLOPES,
    **MISTAKES,
    "t21_no_school_level": NO_SCHOOL_LEVEL,
}
