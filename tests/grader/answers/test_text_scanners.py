"""The small scanners that read students' text: math spans, lists, sentences, names, numbers.

Every scanner is also run on adversarial input (the hostile-notebook cases of issue 11): each must
finish in bounded time and say what it left out.
"""

from __future__ import annotations

import time

import pytest

from grader.answers.items import effect_names
from grader.answers.letters import Resolved, mentions, rename_letters, resolve
from grader.answers.markdown import bullet_lists, heading, math_spans, sentences, split_fences
from grader.answers.patterns import keyword_span, name_fits
from grader.answers.reading import Place, numbers_in
from reference.equations.symbols import w, x
from tests.hlm import RESPONSE

PLACE = Place(3, "output", 1)


def test_every_math_delimiter_is_read():
    text = (r"Level 1: $$Y_{ij} = \beta_{0j} + r_{ij}$$ inline $a = b$, \[c = d\], \(e = f\) "
            r"\begin{align} y &= b \\ b &= g \end{align} costs \$5 and \$6.")  # fmt: skip
    spans = math_spans(text).items
    assert spans == (
        r"Y_{ij} = \beta_{0j} + r_{ij}", "a = b", "c = d", "e = f",
        r"\begin{align} y &= b \\ b &= g \end{align}",
    )  # fmt: skip


def test_math_fences_are_read_and_code_fences_are_not():
    text = "intro\n```math\nY = b\n```\n```python\nprint('$x = 1$')\n```\n```\nmathach_ij = 1\n```"
    outside, math, plain = split_fences(text)
    assert outside == "intro" and math == ("Y = b",) and plain == ("mathach_ij = 1",)


@pytest.mark.parametrize(
    "hostile",
    [
        "$" * 1_000_000,  # a million dollars: empty spans, one pass
        "\\[" * 500_000,  # openers without a closer
        "\\begin{align}" * 100_000,
        "$a = b$ " * 200_000 + "\\[",  # spans beyond the cap, then an opener far away
        "x" * 10_000_000,
        "$" + "{" * 100_000 + "$",
    ],
)
def test_math_spans_of_hostile_text_take_bounded_time(hostile):
    started = time.monotonic()
    scan = math_spans(hostile)
    assert time.monotonic() - started < 2
    assert len(scan.items) <= 400


def test_a_huge_span_is_skipped_with_a_note():
    scan = math_spans("$$" + "a" * 10_000 + "$$")
    assert scan.items == () and "10,000 characters" in scan.notes[0]


def test_lists_keep_the_line_that_introduces_them():
    text = "The final model has the following fixed effects:\n\n* `ses`\n* `meanses`\n\nAnd the "
    text += "following random effects:\n\n1. `minority`"
    lists = list(bullet_lists(text))
    assert [(b.context[-14:], b.items) for b in lists] == [
        ("fixed effects:", ("`ses`", "`meanses`")),
        ("andom effects:", ("`minority`",)),
    ]


def test_deeply_nested_lists_are_read_flat_in_bounded_time():
    text = "Fixed effects:\n" + "\n".join("  " * (i % 300) + "- ses" for i in range(5_000))
    started = time.monotonic()
    lists = list(bullet_lists(text))
    assert time.monotonic() - started < 1 and len(lists[0].items) == 60


def test_sentences_and_headings():
    assert list(sentences("ICC is 0.18. It is high! A sentence\nwraps.\n\n* an item")) == [
        "ICC is 0.18.", "It is high!", "A sentence wraps.", "* an item"]  # fmt: skip
    assert heading("## Final model") is not None and heading("#hashtag") is None


@pytest.mark.parametrize(
    "part, name",
    [
        ("icc", "rho"), ("icc", "icc_ml"), ("icc", "ICC"), ("aic_change", "delta_aic"),
        ("aic_change", "aic_diff"), ("aic_change", "dAIC"), ("residual_variance_change", "prv"),
        ("residual_variance_change", "pve_level1"), ("residual_variance_change", "variance_change"),
        ("forecast", "yhat"), ("forecast", "predicted"), ("level1", "L1"), ("level1", "level_1"),
        ("level2", "lvl2"), ("level2", "l2_eqs"), ("combined", "comb"),
        ("combined", "combined_eq"), ("combined_with_estimates", "comb_est"),
        ("fixed_effects", "fe_list"), ("fixed_effects", "fixed"), ("random_effects", "re_list"),
        ("random_effects", "random"), ("fixed_estimates", "coef"),
    ],
)  # fmt: skip
def test_own_names_suggest_their_part(part, name):
    assert name_fits(part, name)


@pytest.mark.parametrize(
    "part, name",
    [
        ("residual_variance_change", "pve_level2"), ("residual_variance_change", "tau_change"),
        ("icc", "icc_reml"), ("aic_change", "final_aic"), ("forecast", "predictors"),
        ("level1", "example_level1"), ("fixed_effects", "fe_params_est"),
        ("random_effects", "res_variance"), ("fixed_estimates", "random_coef"),
    ],
)  # fmt: skip
def test_names_that_do_not_suggest_the_part(part, name):
    assert not name_fits(part, name)


def test_name_patterns_are_linear_on_long_hostile_names():
    started = time.monotonic()
    for part in ("icc", "aic_change", "residual_variance_change", "level1", "combined"):
        name_fits(part, "a_" * 50_000 + "!")
        keyword_span(part, "change " * 300 + "aic" * 300)
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    "line, part, value",
    [
        ("ICC: 0.1793", "icc", 0.1793),
        ("Change in AIC: -813.2119", "aic_change", -813.2119),
        ("AIC 47121.81 → 46298.99: change -822.81", "aic_change", -822.81),
        ("σ² 39.1483 → 35.6869: relative change 0.0884", "residual_variance_change", 0.0884),
        ("Relative Change in Residual Variance: 0.1125", "residual_variance_change", 0.1125),
        ("Forecasted mathach: 8.6354", "forecast", 8.6354),
        ("τ00 = 8.5535, σ² = 39.1484, ICC = 0.1793", "icc", 0.1793),
        ("Proportion of level-1 variance explained: 0.0884", "residual_variance_change", 0.0884),
    ],
)
def test_printed_lines_report_their_number(line, part, value):
    found = [(n.part, n.value) for n in numbers_in(line, PLACE, prose=False)]
    assert found == [(part, value)]


@pytest.mark.parametrize(
    "line",
    [
        "ICC (REML): 0.1804",  # the REML value is not the answer asked for
        "Unconditional AIC: 47121.8102",  # an AIC, not its change
        "Level 2 intercept variance reduced by 0.84",  # τ00, not σ²
        "Model 3 with 5 predictors",
    ],
)
def test_lines_that_report_no_answer(line):
    assert numbers_in(line, PLACE, prose=False) == []


def test_prose_numbers_keep_their_decimals_and_direction():
    said = numbers_in("The ICC is `0.1804`, which means 18.04% of the variance.", PLACE, prose=True)
    assert [(n.value, n.decimals) for n in said] == [(0.1804, 4)]
    said = numbers_in("AIC decreased by 813 points.", PLACE, prose=True)
    assert [n.value for n in said] == [-813.0]
    assert numbers_in("AIC has decreased from 47.1k to 46.3k.", PLACE, prose=True) == []
    said = numbers_in("The model explains 11.25% of the level-1 variance.", PLACE, prose=True)
    assert [(n.part, n.value) for n in said] == [("residual_variance_change", 0.1125)]


def test_letters_defined_in_prose_then_by_the_model_order():
    said = mentions(r"where $X_{1ij}$ is minority, $X_2$ = `female`; W_1 stands for the "
                    "school's sector; pracad (W_2)", 7)  # fmt: skip
    found = resolve(said, {"minority", "female", "sector", "pracad", "school", "ses"},
                    ("ses", "minority", "female"), ("meanses", "sector", "himinty"))  # fmt: skip
    assert {k: v.variable for k, v in found.items()} == {
        "X1": "minority", "X2": "female", "W1": "sector", "W2": "pracad", "X3": "female",
        "W3": "himinty",
    }  # fmt: skip
    assert found["X1"].reason == "as your text in cell 7 defines it"
    assert found["X3"].reason == "your model's third student-level predictor"


def test_letters_are_renamed_to_the_data_variables_by_their_level():
    import sympy

    eq = sympy.Eq(sympy.Symbol("Y_ij"), sympy.Symbol("X_1ij") + sympy.Symbol("W_1j"))
    found = resolve([], {"minority", "sector"}, ("minority",), ("sector",))
    renamed, said = rename_letters(eq, found, frozenset({"sector"}))
    assert renamed == sympy.Eq(sympy.Symbol("Y_ij"), x("minority") + w("sector"))
    assert said == (
        "W_1j as sector_j (your model's first school-level predictor)",
        "X_1ij as minority_ij (your model's first student-level predictor)",
    )


def test_letter_mentions_of_hostile_text_are_capped():
    started = time.monotonic()
    assert len(mentions("X_1 " * 500_000, 1)) == 200
    assert time.monotonic() - started < 2


def test_list_items_name_the_terms_they_mean():
    items = ["`ses`", r"Intercept ($\gamma_{00}$)", "$u_{1j}$: the minority slope",
             "meanses (school mean of ses)", "the residual $r_{ij}$", "minority × sector"]  # fmt: skip
    assert effect_names(items, ["ses", "meanses", "minority:sector"]) == (
        "ses", "Intercept", "u_{1j}", "meanses", "residual", "minority × sector",
    )  # fmt: skip


def test_a_hostile_notebooks_whole_text_is_read_in_bounded_time():
    from grader.answers.locate import locate
    from tests.grader.answers.text_helpers import code, md, submission

    hostile = [
        md("$" * 1_000_000), md("\\[" * 500_000), md("- " * 500_000), md("X_1 = " * 200_000),
        md("ICC: 0.1793 " * 100_000), md(("$$Y_{ij} = " + "(" * 50 + "$$") * 1000),
        md("\\begin{align}" + "a &= b \\\\" * 10_000 + "\\end{align}"),
        md("# Final model\n" * 50_000), code("x = (" * 100 + "1" + ")" * 100, "ICC: 0.18\n" * 5000),
        code("\n".join(f"m{i} = m.fit()" for i in range(5000))),
    ]  # fmt: skip
    started = time.monotonic()
    located = locate(submission(*hostile), RESPONSE)
    assert time.monotonic() - started < 20
    assert located.get("icc").value is not None  # a printed answer among the noise is still read
    assert "Only the first 5,000 sentences were read for numbers." in located.notes


def test_math_across_a_notebook_is_read_within_a_budget():
    from grader.answers.locate import locate
    from tests.grader.answers.text_helpers import md, submission

    long_row = "$$\\beta_{0j} = " + " + ".join(f"\\gamma_{{0{k % 10}}}" for k in range(300)) + "$$"
    cells = [md(long_row * 10) for _ in range(100)] + [md("$a = b$ " * 400) for _ in range(100)]
    started = time.monotonic()
    located = locate(submission(*cells), RESPONSE)
    assert time.monotonic() - started < 15
    assert any("equations and math blocks of the notebook were read" in n for n in located.notes)


def test_an_unnumbered_letter_is_resolved_from_its_definition():
    for text in ("(W = disclim)", "where W is disclim", r"$W_{j}$ = disclim", "disclim (W_j)"):
        found = resolve(mentions(text, 4), {"disclim", "meanses"}, ("ses",), ("meanses", "sector"))
        assert found["W"] == Resolved("disclim", "as your text in cell 4 defines it", True), text


def test_an_unnumbered_letter_is_the_models_only_predictor_of_its_level():
    found = resolve([], {"ses", "cses", "meanses"}, ("ses", "cses"), ("meanses",))
    assert found["W"].variable == "meanses" and "X" not in found  # two student-level: no guess
    assert found["W"].reason == "your model's only school-level predictor"


def test_unnumbered_letters_are_renamed_with_a_subscript_or_a_definition():
    import sympy

    letters = {"W": Resolved("meanses", "your model's only school-level predictor"),
               "X": Resolved("cses", "as your text in cell 2 defines it", True)}  # fmt: skip
    school = frozenset({"meanses"})
    for name, target in (("W_j", w("meanses")), ("X_ij", x("cses")), ("X", x("cses"))):
        renamed, said = rename_letters(sympy.Symbol(name) + sympy.Symbol("r_ij"), letters, school)
        assert renamed == target + sympy.Symbol("r_ij") and len(said) == 1, name
    # a bare W the text never defines stays as written
    bare = sympy.Symbol("W") + sympy.Symbol("r_ij")
    assert rename_letters(bare, letters, school) == (bare, ())
