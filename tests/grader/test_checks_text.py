"""Checks of answers read from a notebook's text, judged on answer dicts (no kernel).

Expected numbers are lme4's (DOMAIN.md, scripts/lme4_truth.txt) or the seed student's printed
output; the equations are the seed model's, written by hand.
"""

from __future__ import annotations

import pytest

from grader.assignment import load_config
from grader.judge.engine import judge
from tests.grader.answers.text_helpers import code, md, submission
from tests.grader.helpers import (
    SEED_FINAL_DEFAULT,
    SEED_FINAL_OPTIMUM,
    SEED_UNCONDITIONAL,
    model,
    num,
)
from tests.hlm import HLM

CONFIG = load_config()
OPTIMUM = {"m0": SEED_UNCONDITIONAL, "m1": SEED_FINAL_OPTIMUM}
DEFAULT = {"m0": SEED_UNCONDITIONAL, "m1": SEED_FINAL_DEFAULT}
LEVEL1 = r"$$mathach_{ij} = \beta_{0j} + \beta_{1j} minority_{ij} + \beta_{2j} female_{ij} + \beta_{3j} ses_{ij} + r_{ij}$$"
LEVEL2_NO_U1 = (r"$$\begin{aligned}\beta_{0j} &= \gamma_{00} + \gamma_{01} meanses_j + \gamma_{02} "
                r"pracad_j + u_{0j} \\ \beta_{1j} &= \gamma_{10} \\ \beta_{2j} &= \gamma_{20} \\ "
                r"\beta_{3j} &= \gamma_{30}\end{aligned}$$")  # fmt: skip
COMBINED_NO_U1 = (r"$$mathach_{ij} = \gamma_{00} + \gamma_{01} meanses_j + \gamma_{02} pracad_j + "
                  r"\gamma_{10} minority_{ij} + \gamma_{20} female_{ij} + \gamma_{30} ses_{ij} + "
                  r"u_{0j} + r_{ij}$$")  # fmt: skip
# The seed's printed line (its own default fit, 4.8 log-lik units short; u1j·minority missing).
SEED_PRINT = ("mathach_ij = 11.945 + 1.878*ses_ij + 1.236*meanses_ij + 4.097*pracad_ij + "
              "-2.965*minority_ij + -1.231*female_ij + u_0j + r_ij")  # fmt: skip
# lme4's optimum, 3 decimals, every term.
OPTIMUM_PRINT = ("mathach_ij = 11.802 + 1.888*ses_ij + 1.130*meanses_j + 4.386*pracad_j + "
                 "-2.945*minority_ij + -1.233*female_ij + u_0j + u_1j*minority_ij + r_ij")  # fmt: skip


def grade(sub, data):
    parts, notes = judge(sub, assignment=HLM.with_grading(CONFIG), data=data)
    return {p.id: p for p in parts}, notes


def test_a_printed_icc_is_graded_and_what_was_read_is_said(hsb):
    sub = submission(md("# HLM"), code("print(f'ICC: {icc:.4f}')", "ICC: 0.1793\n"), models=OPTIMUM)
    part = grade(sub, hsb)[0]["icc"]
    assert part.score == 10 and part.variable == "cell 2 (printed)"
    assert "We read your ICC in the output of cell 2 (“ICC: 0.1793”) as 0.1793." in part.feedback
    assert "`icc`" not in part.feedback


def test_prose_quoting_the_reml_icc_is_pointed_out_kindly(hsb):
    prose = md("The ICC is `0.1804`, which means that 18.04% of the variance is between schools.")
    parts = grade(submission(prose, answers={"icc": num(0.1793)}, models=OPTIMUM), hsb)[0]
    assert parts["icc"].score == 10
    assert ("Your text in cell 1 says 0.1804" in parts["icc"].feedback
            and "0.1804 is the ICC of the REML fit" in parts["icc"].feedback)  # fmt: skip


def test_prose_that_agrees_with_the_code_after_rounding_says_nothing(hsb):
    prose = md("ICC ≈ 0.18: about 18 % of the variance lies between schools.")
    part = grade(submission(prose, answers={"icc": num(0.1793)}, models=OPTIMUM), hsb)[0]["icc"]
    assert "Your text" not in part.feedback


def test_prose_disagreeing_with_the_code_is_pointed_out(hsb):
    prose = md("The relative change in the first level residual variance estimate is `0.1125`.")
    sub = submission(prose, answers={"residual_variance_change": num(0.0884)}, models=OPTIMUM)
    part = grade(sub, hsb)[0]["residual_variance_change"]
    assert part.score == 5 and "says 0.1125" in part.feedback and "gives 0.0884" in part.feedback


def test_a_free_form_notebook_is_told_where_the_grader_looked(hsb):
    sub = submission(md("# My HLM"), md(r"$$u_{0j} = \gamma_{00} + \mu_{0j}$$"), models=OPTIMUM)
    part = grade(sub, hsb)[0]["level_equations"]
    assert part.status == "missing" and "put it in the variable" not in part.feedback
    assert "No level-1 or level-2 equation found" in part.feedback
    assert "Read but not graded: cell 2 has u0j = mu_0j + γ00" in part.feedback


def test_a_template_notebook_is_told_which_variable_to_set(hsb):
    sub = submission(md("> **Answer in** `level1`: the level-1 equation"), models=OPTIMUM)
    part = grade(sub, hsb)[0]["level_equations"]
    assert "put it in the variable `level1`" in part.feedback


def test_one_missing_random_effect_is_charged_once(hsb):
    sub = submission(md(LEVEL1 + "\n\n" + LEVEL2_NO_U1), md(COMBINED_NO_U1),
                     code("print(line)", SEED_PRINT + "\n"), models=DEFAULT)  # fmt: skip
    parts = grade(sub, hsb)[0]
    level, combined = parts["level_equations"], parts["combined_equation"]
    # level 2 lacks u1j: one difference of the level-2 equations (60 % of 15 points) costs 1/4
    assert level.score == pytest.approx(15 - 0.6 * 15 * 0.25)
    assert combined.score == 10 and "same_omission" in combined.mistakes
    assert ("The missing u1j·minority_ij is the same omission as in your level-2 equations, so "
            "it is not charged again here.") in combined.feedback  # fmt: skip
    with_estimates = parts["combined_with_estimates"]
    assert with_estimates.score == 10  # its own fit's numbers (carried forward), same omission
    assert "carried_forward" in with_estimates.mistakes


def test_the_seeds_printed_line_earns_carried_forward_credit_less_its_omission(hsb):
    sub = submission(md("# My HLM"), code("print(line)", SEED_PRINT + "\n"), models=DEFAULT)
    part = grade(sub, hsb)[0]["combined_with_estimates"]
    assert part.score == 7.5  # one difference (u1j·minority missing) at full carried-forward
    assert "We read your combined model with estimates in the output of cell 2 as" in part.feedback
    assert "they follow correctly from your own fit" in part.feedback


def test_an_optimum_line_in_markdown_with_school_subscripts_passes(hsb):
    sub = submission(md("```\n" + OPTIMUM_PRINT + "\n```"), models=OPTIMUM)
    part = grade(sub, hsb)[0]["combined_with_estimates"]
    assert part.score == 10 and part.variable == "cell 1 (Markdown)"


def test_letters_are_resolved_from_the_students_definitions_and_said(hsb):
    level1 = (r"$$Y_{ij} = \beta_{0j} + \beta_{1j} X_{1ij} + \beta_{2j} X_{2ij} + \beta_{3j} "
              r"X_{3ij} + r_{ij}$$ where $X_1$ is minority, $X_2$ is female and $X_3$ is ses.")  # fmt: skip
    level2 = (r"$$\beta_{0j} = \gamma_{00} + \gamma_{01} W_{1j} + \gamma_{02} W_{2j} + u_{0j}$$ "
              r"$$\beta_{1j} = \gamma_{10} + u_{1j}$$ $$\beta_{2j} = \gamma_{20}$$ "
              r"$$\beta_{3j} = \gamma_{30}$$")  # fmt: skip
    sub = submission(md(level1 + "\n" + level2), models=OPTIMUM)
    part = grade(sub, hsb)[0]["level_equations"]
    assert part.score == 15, part.feedback
    assert "X_1ij as minority_ij (as your text in cell 1 defines it)" in part.feedback
    # W's are not defined in the text: the model's school-level predictors, in its order
    assert "W_1j as meanses_j (your model's first school-level predictor)" in part.feedback


def test_effects_listed_as_gammas_are_read_through_the_students_own_combined_model(hsb):
    # The student numbers ses's γ 10 and minority's 30; the model's own numbering is the reverse,
    # so only their combined equation says which effect each γ is.
    combined = (r"$$mathach_{ij} = \gamma_{00} + \gamma_{01} meanses_j + \gamma_{02} pracad_j + "
                r"\gamma_{10} ses_{ij} + \gamma_{20} female_{ij} + \gamma_{30} minority_{ij} + "
                r"u_{0j} + u_{1j} minority_{ij} + r_{ij}$$")  # fmt: skip
    lists = (r"Fixed effects: $\gamma_{00}, \gamma_{01}, \gamma_{02}, \gamma_{10}, \gamma_{20}, "
             r"\gamma_{30}$. Random effects: $u_{0j}$, $u_{1j}$ and $r_{ij}$.")  # fmt: skip
    parts = grade(submission(md(combined), md(lists), models=OPTIMUM), hsb)[0]
    assert parts["effect_lists"].score == 5, parts["effect_lists"].feedback
    assert parts["combined_equation"].score == 10
    # γ10 left out: in the student's numbering that is ses (in the model's it would be minority)
    short = lists.replace(r"\gamma_{10}, ", "")
    part = grade(submission(md(combined), md(short), models=OPTIMUM), hsb)[0]["effect_lists"]
    assert part.score == 2.5 and "Fixed effects missing from your list: ses." in part.feedback


# The seed's model in the textbook's own numbering: ses is β1j, minority (the random slope) β2j,
# so its u is u2j (R&B: u_q goes with β_q); the model's own numbering calls it u1j.
LEVEL1_OWN = (r"$$mathach_{ij} = \beta_{0j} + \beta_{1j} ses_{ij} + \beta_{2j} minority_{ij} + "
              r"\beta_{3j} female_{ij} + r_{ij}$$")  # fmt: skip
LEVEL2_OWN = (r"$$\begin{aligned}\beta_{0j} &= \gamma_{00} + \gamma_{01} meanses_j + \gamma_{02} "
              r"pracad_j + u_{0j} \\ \beta_{1j} &= \gamma_{10} \\ \beta_{2j} &= \gamma_{20} + u_{2j}"
              r" \\ \beta_{3j} &= \gamma_{30}\end{aligned}$$")  # fmt: skip


@pytest.mark.parametrize(
    "random",
    [
        r"Random effects: $u_{0j}$, $u_{2j}$, $r_{ij}$.",
        "Random effects: u0j, u2j, r_ij",
        "Random effects:\n\n- u_0j (school intercept)\n- u_2j (minority slope)\n- r_ij",
    ],
)
def test_a_listed_u_is_read_in_the_students_own_numbering(hsb, random):
    lists = r"Fixed effects: $\gamma_{00}, \gamma_{01}, \gamma_{02}, \gamma_{10}, \gamma_{20}, \gamma_{30}$."
    sub = submission(md(LEVEL1_OWN + "\n\n" + LEVEL2_OWN), md(lists + "\n\n" + random),
                     models=OPTIMUM)  # fmt: skip
    parts = grade(sub, hsb)[0]
    assert parts["level_equations"].score == 15, parts["level_equations"].feedback
    assert parts["effect_lists"].score == 5, parts["effect_lists"].feedback


def test_a_listed_u_is_read_through_the_students_combined_equation_alone(hsb):
    combined = (r"$$mathach_{ij} = \gamma_{00} + \gamma_{01} meanses_j + \gamma_{02} pracad_j + "
                r"\gamma_{10} ses_{ij} + \gamma_{20} minority_{ij} + \gamma_{30} female_{ij} + "
                r"u_{0j} + u_{2j} minority_{ij} + r_{ij}$$")  # fmt: skip
    lists = (
        "Fixed effects: ses, meanses, pracad, minority, female, intercept\n\nRandom: u0j, u2j, r_ij"
    )
    part = grade(submission(md(combined), md(lists), models=OPTIMUM), hsb)[0]["effect_lists"]
    assert part.score == 5, part.feedback


def test_a_u_the_students_equations_do_not_vary_is_not_taken_from_the_models_numbering(hsb):
    # Their minority slope is u2j; u1j goes with their fixed ses slope, so listing it is wrong.
    lists = (
        "Fixed effects: ses, meanses, pracad, minority, female, intercept\n\nRandom: u0j, u1j, r_ij"
    )
    sub = submission(md(LEVEL1_OWN + "\n\n" + LEVEL2_OWN), md(lists), models=OPTIMUM)
    part = grade(sub, hsb)[0]["effect_lists"]
    assert part.score == 2.5
    assert "Random effects missing from your list: minority." in part.feedback


def test_without_equations_a_listed_u_follows_the_models_numbering(hsb):
    # The model numbers its random slope first: u1j is minority's.
    lists = (
        "Fixed effects: ses, meanses, pracad, minority, female, intercept\n\nRandom: u0j, u1j, r_ij"
    )
    part = grade(submission(md(lists), models=OPTIMUM), hsb)[0]["effect_lists"]
    assert part.score == 5, part.feedback


# lme4's optimum of minority + cses + meanses with a random cses slope (one school-level
# predictor; /work/redteam/models/truth.txt, nb09: τ00 2.57864, τ11 0.53337, corr −0.511).
ONE_SCHOOL_PREDICTOR = model(
    "mathach ~ minority + cses + meanses",
    {"Intercept": 13.41615, "minority": -2.76508, "cses": 1.96651, "meanses": 4.98222},
    [[2.57864, -0.59928], [-0.59928, 0.53337]],
    35.89312,
    -23188.4233,
    46392.847,
    re_names=("Group", "cses"),
)
LEVEL1_W = (r"$$mathach_{ij} = \beta_{0j} + \beta_{1j} minority_{ij} + \beta_{2j} cses_{ij} + "
            r"r_{ij}$$")  # fmt: skip
LEVEL2_W = (r"$$\beta_{0j} = \gamma_{00} + \gamma_{01} W_{j} + u_{0j}$$ $$\beta_{1j} = \gamma_{10}$$ "
            r"$$\beta_{2j} = \gamma_{20} + u_{2j}$$")  # fmt: skip
COMBINED_W = (r"$$mathach_{ij} = \gamma_{00} + \gamma_{01} W_j + \gamma_{10} minority_{ij} + "
              r"\gamma_{20} cses_{ij} + u_{0j} + u_{2j} cses_{ij} + r_{ij}$$")  # fmt: skip
LISTS_W = (r"Fixed effects: $\gamma_{00}, \gamma_{01}, \gamma_{10}, \gamma_{20}$." "\n\n"
           r"Random effects: $u_{0j}$, $u_{2j}$, $r_{ij}$.")  # fmt: skip


@pytest.mark.parametrize(
    ("definition", "reason"),
    [
        ("", "your model's only school-level predictor"),
        ("(W = meanses)", "as your text in cell 1 defines it"),
        ("where W is the school's mean SES, meanses.", "as your text in cell 1 defines it"),
    ],
)
def test_an_unnumbered_w_j_is_the_school_level_predictor(hsb, definition, reason):
    text = "\n\n".join([LEVEL1_W, LEVEL2_W + " " + definition, COMBINED_W, LISTS_W])
    models = {"m0": SEED_UNCONDITIONAL, "m1": ONE_SCHOOL_PREDICTOR}
    parts = grade(submission(md(text), models=models), hsb)[0]
    for name, points in (("level_equations", 15), ("combined_equation", 10), ("effect_lists", 5)):
        assert parts[name].score == points, parts[name].feedback
    assert f"W_j as meanses_j ({reason})" in parts["level_equations"].feedback
    assert "w is a student-level variable" not in parts["combined_equation"].feedback


def test_an_unnumbered_x_ij_defined_in_the_text_is_that_variable(hsb):
    level1 = LEVEL1_W.replace("cses_{ij}", "X_{ij}") + " where X is cses (centred ses)."
    models = {"m0": SEED_UNCONDITIONAL, "m1": ONE_SCHOOL_PREDICTOR}
    part = grade(submission(md(level1 + "\n\n" + LEVEL2_W), models=models), hsb)[0][
        "level_equations"
    ]
    assert part.score == 15, part.feedback
    assert "X_ij as cses_ij (as your text in cell 1 defines it)" in part.feedback


@pytest.mark.parametrize(
    "lists",
    [
        "Fixed: γ₀₀, γ₀₁ (meanses), γ₀₂ (pracad), γ₁₀ (minority), γ₂₀, γ₃₀.\n\n"
        "Random: u₀ⱼ, u₁ⱼ, rᵢⱼ.",
        "Fixed: γ₀₀, γ₀₁, γ₀₂, γ₁₀, γ₂₀, γ₃₀\n\nRandom: u₀ⱼ (school), u₁ⱼ (minority slope), εᵢⱼ",
        "Fixed effects: intercept, meanses, pracad, minority, female, ses.\n\n"
        r"Random effects: $u_{0j}$, $u_{1j}$ (school level) and $\varepsilon_{ij}$ (student level).",
        "Fixed effects: intercept, meanses, pracad, minority, female, ses.\n\n"
        r"Random effects: $u_{0j}$, $u_{1j}$, $\epsilon_{ij}$",
        "Fixed effects: intercept, meanses, pracad, minority, female, ses.\n\n"
        "Random effects: u_0j, u_1j, ϵ_ij",
    ],
)
def test_unicode_subscripts_and_every_epsilon_are_read_in_a_list(hsb, lists):
    # No equations: γ and u follow the model's numbering (β1j minority, β2j female, β3j ses).
    part = grade(submission(md(lists), models=OPTIMUM), hsb)[0]["effect_lists"]
    assert part.score == 5, part.feedback


def test_a_list_item_naming_nothing_is_named_as_written_never_as_an_empty_list(hsb):
    lists = "Fixed: intercept, meanses, pracad, minority, female, ses, α\n\nRandom: u0j, u1j, r_ij"
    part = grade(submission(md(lists), models=OPTIMUM), hsb)[0]["effect_lists"]
    assert part.score == 2.5
    assert "Not fixed effects of your model: α." in part.feedback and ": ." not in part.feedback


# The seed's model in R&B's three-level letters (π for β, β for γ, r_pj for u_pj, e_ij for r_ij).
PI_NOTE = "Your equations use the π notation"
PI_LATEX = (
    r"$$mathach_{ij} = \pi_{0j} + \pi_{1j} minority_{ij} + \pi_{2j} female_{ij} + \pi_{3j} "
    r"ses_{ij} + e_{ij}$$" "\n\n"
    r"$$\begin{cases} \pi_{0j} = \beta_{00} + \beta_{01} meanses_{j} + \beta_{02} pracad_{j} + "
    r"r_{0j} \\ \pi_{1j} = \beta_{10} + r_{1j} \\ \pi_{2j} = \beta_{20} \\ \pi_{3j} = \beta_{30}"
    r" \end{cases}$$" "\n\n"
    r"$$mathach_{ij} = \beta_{00} + \beta_{01} meanses_{j} + \beta_{02} pracad_{j} + \beta_{10} "
    r"minority_{ij} + \beta_{20} female_{ij} + \beta_{30} ses_{ij} + r_{0j} + r_{1j} "
    r"minority_{ij} + e_{ij}$$"
)  # fmt: skip
PI_PLAIN = (
    "mathach_ij = π0j + π1j·minority_ij + π2j·female_ij + π3j·ses_ij + e_ij\n\n"
    "π0j = β00 + β01·meanses_j + β02·pracad_j + r0j\n\nπ1j = β10 + r1j\n\nπ2j = β20\n\n"
    "π3j = β30\n\n"
    "mathach_ij = β00 + β01·meanses_j + β02·pracad_j + β10·minority_ij + β20·female_ij + "
    "β30·ses_ij + r0j + r1j·minority_ij + e_ij"
)  # fmt: skip


@pytest.mark.parametrize("text", [PI_LATEX, PI_PLAIN], ids=["latex", "plain"])
def test_the_pi_notation_is_read_as_the_standard_one_and_said_once(hsb, text):
    parts = grade(submission(md(text), models=OPTIMUM), hsb)[0]
    level, combined = parts["level_equations"], parts["combined_equation"]
    assert level.score == 15, level.feedback
    assert combined.score == 10, combined.feedback
    assert level.feedback.count(PI_NOTE) == 1 and combined.feedback.count(PI_NOTE) == 1


def test_the_pi_notation_with_estimates_reads_its_r_pj_as_u_pj(hsb):
    with_estimates = ("$$mathach_{ij} = 11.802 + 1.130 meanses_j + 4.386 pracad_j - 2.945 "
                      "minority_{ij} - 1.233 female_{ij} + 1.888 ses_{ij} + r_{0j} + r_{1j} "
                      "minority_{ij} + e_{ij}$$")  # fmt: skip
    sub = submission(md(PI_LATEX), md(with_estimates), models=OPTIMUM)
    part = grade(sub, hsb)[0]["combined_with_estimates"]
    assert part.score == 10, part.feedback


def test_standard_notation_is_not_said_to_be_the_pi_notation(hsb):
    parts = grade(submission(md(LEVEL1_OWN + "\n\n" + LEVEL2_OWN), models=OPTIMUM), hsb)[0]
    assert parts["level_equations"].score == 15 and PI_NOTE not in parts["level_equations"].feedback


def test_a_list_in_the_pi_notation_is_read_like_its_equations(hsb):
    lists = (r"Fixed effects: $\beta_{00}, \beta_{01}, \beta_{02}, \beta_{10}, \beta_{20}, "
             r"\beta_{30}$." "\n\n" r"Random effects: $r_{0j}$, $r_{1j}$, $e_{ij}$.")  # fmt: skip
    part = grade(submission(md(PI_LATEX), md(lists), models=OPTIMUM), hsb)[0]["effect_lists"]
    assert part.score == 5, part.feedback
    # β10 left out: in their combined equation that is minority's fixed effect
    short = lists.replace(r"\beta_{10}, ", "")
    part = grade(submission(md(PI_LATEX), md(short), models=OPTIMUM), hsb)[0]["effect_lists"]
    assert part.score == 2.5 and "Fixed effects missing from your list: minority." in part.feedback
