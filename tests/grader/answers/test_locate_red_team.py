"""Answers as a red team of blind-written notebooks put them (tests/corpus's styles aside): a
number under its heading, a computation printed whole, the task's profile pasted into the first
cell, effect lists in tables, in display(Markdown) outputs, in German and Spanish, and HTML
subscripts. Expected values are the numbers the students printed (lme4 agrees with each to the
tolerance; see /work/redteam in the session notes), never the reader's own output."""

from __future__ import annotations

import pytest

from grader.answers.encoded import names_of, number_of
from grader.answers.locate import locate
from tests.grader.answers.text_helpers import code, md, submission
from tests.grader.helpers import SEED_FINAL_DEFAULT, SEED_UNCONDITIONAL
from tests.hlm import RESPONSE

MODELS = {"m0": SEED_UNCONDITIONAL, "final": SEED_FINAL_DEFAULT}
TASK = md(
    "# HLM assignment\n\n1. Fit the unconditional model and compute the ICC.\n"
    "10. Forecast for minority=1, female=1, ses=0, cses=0.4, meanses=-0.4, size=800, sector=0, "
    "pracad=0.25, himinty=0."
)


def _number(sub, part):
    found = locate(sub, RESPONSE).get(part)
    return None if found.value is None else number_of(found.value)


def test_the_pasted_task_text_is_not_an_answer_and_not_a_contradiction():
    sub = submission(TASK, code("final.predict(new)", "0    10.987386\ndtype: float64\n"),
                     models=MODELS)  # fmt: skip
    located = locate(sub, RESPONSE)
    assert located.get("forecast").value is None  # not "1.0000" from minority=1
    assert located.prose["forecast"] == ()


@pytest.mark.parametrize(
    ("heading", "output", "part", "expected"),
    [
        ("### Forecast", "0    10.987386\ndtype: float64\n", "forecast", 10.987386),
        ("## Level-1 variance reduction", "0.08671481471585255\n", "residual_variance_change",
         0.08671481471585255),
        ("## AIC change (with my AIC formula)",
         "AIC null: 47117.81\nAIC final: 46290.1\nchange: -827.7119783679373\n", "aic_change",
         -827.7119783679373),
        ("**Relative change in level-1 residual variance**", "relative change: 8.28 %\n",
         "residual_variance_change", 0.0828),
        ("Now the forecast for the given student:", "array([10.27211731])\n", "forecast",
         10.27211731),
    ],
)  # fmt: skip
def test_a_number_printed_alone_is_read_as_the_answer_its_heading_names(
    heading, output, part, expected
):
    sub = submission(TASK, md(heading), code("x", output), models=MODELS)
    assert _number(sub, part) == pytest.approx(expected)


def test_a_code_comment_names_the_answer_too_and_a_heading_reaches_to_the_next_text():
    sub = submission(
        md("## AIC change"),
        code("print('AIC final:', a)", "AIC final: 46290.1\n"),  # an AIC, not the change
        code("# relative change in sigma^2\nprint(d)", "0.0867\n"),
        models=MODELS,
    )
    assert _number(sub, "residual_variance_change") == pytest.approx(0.0867)
    assert _number(sub, "aic_change") is None  # its label names the AIC, not its change
    section = submission(md("## AIC change"), code("d = a1 - a0", ""), code("d", "-813.21\n"),
                         md("The model is better."), code("a1", "46308.6\n"), models=MODELS)  # fmt: skip
    assert _number(section, "aic_change") == pytest.approx(-813.21)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ΔAIC = 46305.478 - 47121.810 = -816.332", -816.332),
        ("AIC change = 46305.478 - 47121.810 = -816.332", -816.332),
        ("AIC change with k=9 parameters: -822.81", -822.81),
        ("delta_aic = -813.21", -813.21),
        ("AIC_change: -813.21", -813.21),
        ("AIC goes from **47121.81** to **46311.24**, a change of **-810.57**.", -810.57),
        (
            "ICC = 8.555 / (8.555 + 39.148) = 0.179 and AIC change: -813.21 - a big drop (AIC = 46308.6)",
            -813.21,
        ),
        ("The AIC decreased by 807.27", -807.27),
        ("8. AIC: 46314.54 − 47121.81 = −807.27", -807.27),  # the change written out, no word
    ],
)
def test_printed_aic_changes_as_students_print_them(line, expected):
    sub = submission(code("print(...)", line + "\n"), models=MODELS)
    assert _number(sub, "aic_change") == pytest.approx(expected)


@pytest.mark.parametrize(
    "line",
    ["relative change sigma^2 = 0.0620", "Proportional reduction of sigma**2: 0.0620",
     "Level-1 variance explained: 6.20 %", "Anteil erklärter Varianz auf Ebene 1: 0.0620"],
)  # fmt: skip
def test_a_power_in_the_label_is_not_the_answer(line):
    sub = submission(code("print(...)", line + "\n"), models=MODELS)
    assert _number(sub, "residual_variance_change") == pytest.approx(0.0620)


@pytest.mark.parametrize(
    ("cell", "fixed", "random"),
    [
        (md("Fixed effects: γ00, γ01, γ10\nRandom effects: u0j, r_ij"), 3, 2),  # no blank line
        (md("| type | effects |\n|---|---|\n| fixed | $\\gamma_{00}$, $\\gamma_{01}$ |\n"
            "| random | $u_{0j}$, $r_{ij}$ |"), 2, 2),
        (code("display(Markdown(s))", "* **Fixed effects:** $\\gamma_{00}$ (intercept), "
              "$\\gamma_{01}$ (ses)\n* **Random effects:** $u_{0j}$, $r_{ij}$\n"), 2, 2),
        (md("- Feste Effekte: $\\gamma_{00}, \\gamma_{01}$\n- Zufällige Effekte: $u_{0j}$, "
            "$r_{ij}$"), 2, 2),
        (md("* Efectos fijos: γ00, γ01, γ10\n* Efectos aleatorios: u0j, r_ij"), 3, 2),
        (md("Feste Effekte: γ<sub>00</sub>, γ<sub>01</sub><br>\nZufällige Effekte: u<sub>0j</sub> "
            "und r<sub>ij</sub>"), 2, 2),
        (code("print(...)", "Fixed effects: γ00, γ01, γ10; random effects: u0j, r_ij\n"), 3, 2),
        (md("Fixed effects: γ00, γ01, γ02, γ10, γ20, γ30. Random effects: u0j, u3j, rij."), 6, 3),
    ],
)  # fmt: skip
def test_effect_lists_in_tables_outputs_and_other_languages(cell, fixed, random):
    located = locate(submission(cell, models=MODELS), RESPONSE)
    assert len(names_of(located.get("fixed_effects").value)) == fixed
    assert len(names_of(located.get("random_effects").value)) == random


def test_html_subscripts_in_markdown_are_read_as_subscripts():
    sub = submission(
        md("mathach<sub>ij</sub> = β<sub>0j</sub> + β<sub>1j</sub>·ses<sub>ij</sub> + "
           "r<sub>ij</sub><br>β<sub>0j</sub> = γ<sub>00</sub> + u<sub>0j</sub><br>"
           "β<sub>1j</sub> = γ<sub>10</sub>"),
        models=MODELS,
    )  # fmt: skip
    located = locate(sub, RESPONSE)
    assert located.get("level1").value is not None
    assert len(located.get("level2").value["items"]) == 2


def test_a_list_closed_by_a_parenthesis_keeps_its_last_item_clean():
    cell = md(
        "Fixed effects: intercept, ses, minority, female, meanses, pracad ($\\gamma_{00}, "
        "\\gamma_{10}, \\gamma_{20}, \\gamma_{30}, \\gamma_{01}, \\gamma_{02}$)."
    )
    names = names_of(locate(submission(cell, models=MODELS), RESPONSE).get("fixed_effects").value)
    assert not any(")" in n or "(" in n for n in names)
