"""Every way of fitting the model: groups as a column name or an array, ``re_formula`` spellings,
``vc_formula``, patsy transforms, variables derived by hand, the array API and ``from_formula``.

Most of these students kept the assignment notebook and its answer names, so what differs is how the
model was built; two write free-form (the variance-component and the log(size) notebooks).
"""

from __future__ import annotations

from tests.corpus.cells import DF_LOAD, PROFILE_DICT, Cell, code, md
from tests.corpus.template import template
from tests.corpus.template_variants import combined, equations, lists, with_estimates


def answers(
    final: str, level1: str, level2: list[str], rhs: str, random: str, gammas: dict[str, str],
    forecast: str | None = None, icc: str | None = None, note: str = "",
) -> list[Cell]:  # fmt: skip
    """The template with this final model, its equations, lists and estimates."""
    filled: dict[str, str | None] = {
        "final": 'warnings.simplefilter("ignore")\n' + final.strip("\n") + "\nfinal.summary()\n",
        "levels": note + equations(level1, level2),
        "combined": combined(rhs),
        "lists": lists(random),
        "with_estimates": with_estimates(gammas),
    }
    if forecast is not None:
        filled["forecast"] = forecast
    if icc is not None:
        filled["icc"] = icc
    return template(filled)


NOTE = "# reference.notation refuses '_' in names (an EquationError), so {} here is my {}\n"

GROUPS_NAME = answers(
    'final = smf.mixedlm("mathach ~ minority + female + cses + meanses + sector", df, groups="school",\n'
    '                   re_formula="~cses").fit(reml=False, method="lbfgs")',
    'beta(0) + beta(1) * x("cses") + beta(2) * x("minority") + beta(3) * x("female") + r',
    ['Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector") + u(0))',
     "Eq(beta(1), gamma(1, 0) + u(1))", "Eq(beta(2), gamma(2, 0))", "Eq(beta(3), gamma(3, 0))"],
    'gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector") + gamma(1, 0) * x("cses")\n'
    '    + gamma(2, 0) * x("minority") + gamma(3, 0) * x("female") + u(0) + u(1) * x("cses") + r',
    '["Intercept", "cses", "Residual"]',
    {"0, 0": "Intercept", "0, 1": "meanses", "0, 2": "sector", "1, 0": "cses", "2, 0": "minority",
     "3, 0": "female"},
)  # fmt: skip

HIMINTY_EQUATIONS = (
    'beta(0) + beta(1) * x("minority") + beta(2) * x("female") + beta(3) * x("ses") + r',
    ['Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("pracad") + gamma(0, 2) * w("himinty") + u(0))',
     "Eq(beta(1), gamma(1, 0))", "Eq(beta(2), gamma(2, 0))", "Eq(beta(3), gamma(3, 0))"],
    'gamma(0, 0) + gamma(0, 1) * w("pracad") + gamma(0, 2) * w("himinty") + gamma(1, 0) * x("minority")\n'
    '    + gamma(2, 0) * x("female") + gamma(3, 0) * x("ses") + u(0) + r',
    '["Intercept", "Residual"]',
    {"0, 0": "Intercept", "0, 1": "pracad", "0, 2": "himinty", "1, 0": "minority", "2, 0": "female",
     "3, 0": "ses"},
)  # fmt: skip

GROUPS_VALUES = answers(
    'final = smf.mixedlm("mathach ~ minority + female + ses + pracad + himinty", df,\n'
    "                   groups=df.school.values).fit(reml=False)",
    *HIMINTY_EQUATIONS,
)

SECTOR_EQUATIONS = (
    'beta(0) + beta(1) * x("ses") + beta(2) * x("female") + r',
    ['Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector") + u(0))',
     "Eq(beta(1), gamma(1, 0))", "Eq(beta(2), gamma(2, 0))"],
    'gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector") + gamma(1, 0) * x("ses")\n'
    '    + gamma(2, 0) * x("female") + u(0) + r',
    '["Intercept", "Residual"]',
)  # fmt: skip
SECTOR_GAMMAS = {"0, 0": "Intercept", "0, 1": "meanses", "0, 2": "sector", "1, 0": "ses",
                 "2, 0": "female"}  # fmt: skip

RE_ONE = answers(
    'final = smf.mixedlm("mathach ~ ses + meanses + sector + female", df, groups=df["school"],\n'
    '                   re_formula="1").fit(reml=False)',
    *SECTOR_EQUATIONS, SECTOR_GAMMAS,
)  # fmt: skip

C_SECTOR = answers(
    'final = smf.mixedlm("mathach ~ ses + meanses + C(sector) + female", df,\n'
    '                   groups=df["school"]).fit(reml=False)',
    *SECTOR_EQUATIONS, {**SECTOR_GAMMAS, "0, 2": "C(sector)[T.1.0]"},
)  # fmt: skip

SES_SQUARED = answers(
    'final = smf.mixedlm("mathach ~ ses + I(ses**2) + meanses + minority", df,\n'
    '                   groups=df["school"]).fit(reml=False)',
    'beta(0) + beta(1) * x("ses") + beta(2) * x("ses")**2 + beta(3) * x("minority") + r',
    ['Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + u(0))', "Eq(beta(1), gamma(1, 0))",
     "Eq(beta(2), gamma(2, 0))", "Eq(beta(3), gamma(3, 0))"],
    'gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(1, 0) * x("ses") + gamma(2, 0) * x("ses")**2\n'
    '    + gamma(3, 0) * x("minority") + u(0) + r',
    '["Intercept", "Residual"]',
    {"0, 0": "Intercept", "0, 1": "meanses", "1, 0": "ses", "2, 0": "I(ses ** 2)",
     "3, 0": "minority"},
)  # fmt: skip

CENTERED = answers(
    "# ses centred at its grand mean with patsy's center(); x(\"ses\") below stands for it\n"
    'final = smf.mixedlm("mathach ~ center(ses) + meanses + pracad + minority", df,\n'
    '                   groups=df["school"]).fit(reml=False)',
    'beta(0) + beta(1) * x("ses") + beta(2) * x("minority") + r',
    ['Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("pracad") + u(0))',
     "Eq(beta(1), gamma(1, 0))", "Eq(beta(2), gamma(2, 0))"],
    'gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("pracad") + gamma(1, 0) * x("ses")\n'
    '    + gamma(2, 0) * x("minority") + u(0) + r',
    '["Intercept", "Residual"]',
    {"0, 0": "Intercept", "0, 1": "meanses", "0, 2": "pracad", "1, 0": "center(ses)",
     "2, 0": "minority"},
)  # fmt: skip

OWN_CSES = answers(
    '# group-mean centring done by hand\ndf["ses_c"] = df["ses"] - df.groupby("school")["ses"].transform("mean")\n'
    'final = smf.mixedlm("mathach ~ ses_c + meanses + sector + female", df, groups=df["school"],\n'
    '                   re_formula="~ses_c").fit(reml=False, method="lbfgs")',
    'beta(0) + beta(1) * x("sesc") + beta(2) * x("female") + r',
    ['Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector") + u(0))',
     "Eq(beta(1), gamma(1, 0) + u(1))", "Eq(beta(2), gamma(2, 0))"],
    'gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector") + gamma(1, 0) * x("sesc")\n'
    '    + gamma(2, 0) * x("female") + u(0) + u(1) * x("sesc") + r',
    '["Intercept", "ses_c", "Residual"]',
    {"0, 0": "Intercept", "0, 1": "meanses", "0, 2": "sector", "1, 0": "ses_c", "2, 0": "female"},
    note=NOTE.format("sesc", "ses_c"),
    forecast="""
# ses_c is ses centred on the school mean: for this student that is cses = 0.4
student = {**profile, "ses_c": profile["cses"]}
forecast = float(final.predict(pd.DataFrame([student])).iloc[0])
print(f"forecast mathach: {forecast:.3f}")
""",
)  # fmt: skip

OWN_MEANSES = answers(
    '# the school mean of ses, computed from the students in the file\n'
    'df["school_ses"] = df.groupby("school")["ses"].transform("mean")\n'
    'final = smf.mixedlm("mathach ~ ses + school_ses + minority + female", df,\n'
    '                   groups=df["school"]).fit(reml=False)',
    'beta(0) + beta(1) * x("ses") + beta(2) * x("minority") + beta(3) * x("female") + r',
    ['Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("schoolses") + u(0))', "Eq(beta(1), gamma(1, 0))",
     "Eq(beta(2), gamma(2, 0))", "Eq(beta(3), gamma(3, 0))"],
    'gamma(0, 0) + gamma(0, 1) * w("schoolses") + gamma(1, 0) * x("ses") + gamma(2, 0) * x("minority")\n'
    '    + gamma(3, 0) * x("female") + u(0) + r',
    '["Intercept", "Residual"]',
    {"0, 0": "Intercept", "0, 1": "school_ses", "1, 0": "ses", "2, 0": "minority", "3, 0": "female"},
    note=NOTE.format("schoolses", "school_ses"),
    forecast="""
student = {**profile, "school_ses": profile["meanses"]}  # the school's mean ses
forecast = float(final.predict(pd.DataFrame([student])).iloc[0])
print(f"forecast mathach: {forecast:.3f}")
""",
)  # fmt: skip

OWN_PRODUCT = answers(
    'df["catholic"] = (df["sector"] == 1).astype(int)\ndf["ses_cath"] = df["ses"] * df["catholic"]\n'
    'final = smf.mixedlm("mathach ~ ses + catholic + ses_cath + meanses", df,\n'
    '                   groups=df["school"]).fit(reml=False)',
    'beta(0) + beta(1) * x("ses") + beta(2) * x("sescath") + r',
    ['Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("catholic") + gamma(0, 2) * w("meanses") + u(0))',
     "Eq(beta(1), gamma(1, 0))", "Eq(beta(2), gamma(2, 0))"],
    'gamma(0, 0) + gamma(0, 1) * w("catholic") + gamma(0, 2) * w("meanses") + gamma(1, 0) * x("ses")\n'
    '    + gamma(2, 0) * x("sescath") + u(0) + r',
    '["Intercept", "Residual"]',
    {"0, 0": "Intercept", "0, 1": "catholic", "0, 2": "meanses", "1, 0": "ses", "2, 0": "ses_cath"},
    note=NOTE.format("sescath", "ses_cath"),
    forecast="""
fe = final.fe_params
mine = {"ses": profile["ses"], "catholic": 0, "ses_cath": profile["ses"] * 0, "meanses": profile["meanses"]}
forecast = fe["Intercept"] + sum(fe[name] * value for name, value in mine.items())
print(f"forecast mathach: {forecast:.3f}")
""",
)  # fmt: skip

ARRAY_FRAME = answers(
    """
import statsmodels.api as sm

exog = sm.add_constant(df[["minority", "female", "ses", "meanses"]])
exog_re = sm.add_constant(df[["minority"]])
array_model = sm.MixedLM(df["mathach"], exog, groups=df["school"], exog_re=exog_re)
final = array_model.fit(reml=False, method="nm")  # the highest llf of the methods tried
""",
    'beta(0) + beta(1) * x("minority") + beta(2) * x("female") + beta(3) * x("ses") + r',
    ['Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + u(0))', "Eq(beta(1), gamma(1, 0) + u(1))",
     "Eq(beta(2), gamma(2, 0))", "Eq(beta(3), gamma(3, 0))"],
    'gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(1, 0) * x("minority") + gamma(2, 0) * x("female")\n'
    '    + gamma(3, 0) * x("ses") + u(0) + u(1) * x("minority") + r',
    '["const", "minority", "Residual"]',
    {"0, 0": "const", "0, 1": "meanses", "1, 0": "minority", "2, 0": "female", "3, 0": "ses"},
    forecast="""
fe = final.fe_params
row = {"const": 1, **profile}
forecast = sum(fe[name] * row[name] for name in fe.index)
print(f"forecast mathach: {forecast:.3f}")
""",
)  # fmt: skip

ARRAY_NUMPY = template({
    "final": """
import numpy as np
import statsmodels.api as sm

warnings.simplefilter("ignore")
names = ["Intercept", "ses", "meanses", "sector", "minority"]
X = np.column_stack([np.ones(len(df)), df["ses"], df["meanses"], df["sector"], df["minority"]])
Y = df["mathach"].to_numpy()
final = sm.MixedLM(Y, X, groups=df["school"].to_numpy()).fit(reml=False)
print(dict(zip(names, final.fe_params)))
""",
    "levels": equations(
        'beta(0) + beta(1) * x("ses") + beta(2) * x("minority") + r',
        ['Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector") + u(0))',
         "Eq(beta(1), gamma(1, 0))", "Eq(beta(2), gamma(2, 0))"],
    ),
    "combined": combined('gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector")\n'
                         '    + gamma(1, 0) * x("ses") + gamma(2, 0) * x("minority") + u(0) + r'),
    "lists": 'fixed_effects = names\nrandom_effects = ["Intercept", "Residual"]\n',
    "estimates": "fixed_estimates = dict(zip(names, final.fe_params))\nfixed_estimates\n",
    "with_estimates": """
b = dict(zip(names, final.fe_params.round(3)))
combined_with_estimates = combined.subs({gamma(0, 0): b["Intercept"], gamma(0, 1): b["meanses"],
                                         gamma(0, 2): b["sector"], gamma(1, 0): b["ses"],
                                         gamma(2, 0): b["minority"]})
show(combined_with_estimates)
""",
    "forecast": """
x_student = np.array([1, profile["ses"], profile["meanses"], profile["sector"], profile["minority"]])
forecast = float(final.fe_params @ x_student)
print(f"forecast mathach: {forecast:.3f}")
""",
})  # fmt: skip

FROM_FORMULA = answers(
    "import statsmodels.api as sm\n\n"
    'final = sm.MixedLM.from_formula("mathach ~ minority + ses + meanses + sector", data=df,\n'
    '                                groups="school", re_formula="~minority").fit(reml=False, method="lbfgs")',
    'beta(0) + beta(1) * x("minority") + beta(2) * x("ses") + r',
    ['Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector") + u(0))',
     "Eq(beta(1), gamma(1, 0) + u(1))", "Eq(beta(2), gamma(2, 0))"],
    'gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector") + gamma(1, 0) * x("minority")\n'
    '    + gamma(2, 0) * x("ses") + u(0) + u(1) * x("minority") + r',
    '["Intercept", "minority", "Residual"]',
    {"0, 0": "Intercept", "0, 1": "meanses", "0, 2": "sector", "1, 0": "minority", "2, 0": "ses"},
)  # fmt: skip

NO_RANDOM_INTERCEPT = answers(
    "# the schools differ in the cses slope; their intercepts are explained by meanses and sector\n"
    'final = smf.mixedlm("mathach ~ cses + meanses + sector + female", df, groups=df["school"],\n'
    '                   re_formula="~0 + cses").fit(reml=False)',
    'beta(0) + beta(1) * x("cses") + beta(2) * x("female") + r',
    ['Eq(beta(0), gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector"))',
     "Eq(beta(1), gamma(1, 0) + u(1))", "Eq(beta(2), gamma(2, 0))"],
    'gamma(0, 0) + gamma(0, 1) * w("meanses") + gamma(0, 2) * w("sector") + gamma(1, 0) * x("cses")\n'
    '    + gamma(2, 0) * x("female") + u(1) * x("cses") + r',
    '["cses", "Residual"]',
    {"0, 0": "Intercept", "0, 1": "meanses", "0, 2": "sector", "1, 0": "cses", "2, 0": "female"},
)  # fmt: skip

# A random intercept written as a variance component of one all-data group (statsmodels' docs).
VC_FORMULA: list[Cell] = [
    md("# HLM with variance components\n\nThe school effect is a variance component."),
    code(DF_LOAD),
    code("""
df["all"] = 1
vc = {"school": "0 + C(school)"}
null_vc = smf.mixedlm("mathach ~ 1", df, groups="all", re_formula="0", vc_formula=vc).fit(reml=False)
tau00 = null_vc.vcomp[0]
icc = tau00 / (tau00 + null_vc.scale)
print(f"ICC = {icc:.4f}")
"""),
    code("""
final = smf.mixedlm("mathach ~ minority + female + ses + meanses", df, groups="all", re_formula="0",
                    vc_formula=vc).fit(reml=False)
final.summary()
"""),
    md(r"""
Level 1: $mathach_{ij} = \beta_{0j} + \beta_{1j} minority_{ij} + \beta_{2j} female_{ij} + \beta_{3j} ses_{ij} + r_{ij}$

Level 2: $\beta_{0j} = \gamma_{00} + \gamma_{01} meanses_j + u_{0j}$, $\beta_{1j} = \gamma_{10}$, $\beta_{2j} = \gamma_{20}$, $\beta_{3j} = \gamma_{30}$

Combined: $mathach_{ij} = \gamma_{00} + \gamma_{01} meanses_j + \gamma_{10} minority_{ij} + \gamma_{20} female_{ij} + \gamma_{30} ses_{ij} + u_{0j} + r_{ij}$

Fixed effects: Intercept, minority, female, ses, meanses. Random effects: the school effect
$u_{0j}$ (the `school` variance component) and the residual $r_{ij}$.
"""),
    code("""
fixed_estimates = final.fe_params.to_dict()
print(" + ".join(f"{v:.3f}*{k}" for k, v in fixed_estimates.items()) + " + u_0j + r_ij")
aic_change = final.aic - null_vc.aic
residual_variance_change = (null_vc.scale - final.scale) / null_vc.scale
""" + PROFILE_DICT + """
forecast = final.predict(pd.DataFrame([student])).iloc[0]
print(aic_change, residual_variance_change, forecast)
"""),
]  # fmt: skip

# log(size) through numpy in the formula; equations in Markdown with \log.
LOG_SIZE: list[Cell] = [
    md("# HLM: does school size matter (on a log scale)?"),
    code(DF_LOAD),
    code("""
res_null = smf.mixedlm("mathach ~ 1", df, groups=df["school"]).fit(reml=False)
icc_hat = res_null.cov_re.iloc[0, 0] / (res_null.cov_re.iloc[0, 0] + res_null.scale)
res_log = smf.mixedlm("mathach ~ ses + minority + np.log(size) + sector", df,
                      groups=df["school"]).fit(reml=False)
res_log.summary()
"""),
    md(r"""
$$mathach_{ij} = \beta_{0j} + \beta_{1j} ses_{ij} + \beta_{2j} minority_{ij} + r_{ij}$$
$$\beta_{0j} = \gamma_{00} + \gamma_{01} \log(size_j) + \gamma_{02} sector_j + u_{0j},\quad \beta_{1j} = \gamma_{10},\quad \beta_{2j} = \gamma_{20}$$
$$mathach_{ij} = \gamma_{00} + \gamma_{01} \log(size_j) + \gamma_{02} sector_j + \gamma_{10} ses_{ij} + \gamma_{20} minority_{ij} + u_{0j} + r_{ij}$$

Fixed effects: intercept, log(size), sector, ses, minority. Random effects: $u_{0j}$, $r_{ij}$.
"""),
    code("""
b = res_log.fe_params
print(b)
print(f"mathach_ij = {b['Intercept']:.3f} + {b['np.log(size)']:.3f}*log(size_j) + {b['sector']:.3f}*sector_j"
      f" + {b['ses']:.3f}*ses_ij + ({b['minority']:.3f})*minority_ij + u_0j + r_ij")
aic_chg = res_log.aic - res_null.aic
s2_change = (res_null.scale - res_log.scale) / res_null.scale
pred_student = (b["Intercept"] + b["np.log(size)"] * np.log(800) + b["sector"] * 0 + b["ses"] * 0
                + b["minority"] * 1)
print(aic_chg, s2_change, pred_student)
"""),
]  # fmt: skip

SUBMISSIONS: dict[str, list[Cell]] = {
    "a01_groups_name": GROUPS_NAME,
    "a02_groups_values": GROUPS_VALUES,
    "a03_re_formula_one": RE_ONE,
    "a04_vc_formula": VC_FORMULA,
    "a05_categorical_sector": C_SECTOR,
    "a06_ses_squared": SES_SQUARED,
    "a07_center": CENTERED,
    "a08_log_size": LOG_SIZE,
    "a09_own_cses": OWN_CSES,
    "a10_own_meanses": OWN_MEANSES,
    "a11_own_dummy_product": OWN_PRODUCT,
    "a12_array_frame": ARRAY_FRAME,
    "a13_array_numpy": ARRAY_NUMPY,
    "a14_from_formula": FROM_FORMULA,
    "a15_no_random_intercept": NO_RANDOM_INTERCEPT,
}
