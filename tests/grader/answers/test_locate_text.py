"""Where answers stand: the contract, an answers dict, own names, printed text, the Markdown; and
which model is final. Submissions are built as data (no kernel): answers files and notebook text."""

from __future__ import annotations

from grader.answers.encoded import number_of
from grader.answers.locate import locate
from grader.answers.usage import code_facts
from tests.grader.answers.text_helpers import code, md, string, submission, text
from tests.grader.helpers import SEED_FINAL_DEFAULT, SEED_UNCONDITIONAL, model, names, num
from tests.hlm import RESPONSE

SEED_MODELS = {"unconditional_model_results": SEED_UNCONDITIONAL,
               "final_model_results": SEED_FINAL_DEFAULT}  # fmt: skip
SEED_PRINT = (
    "mathach_ij = 11.945 + 1.878*ses_ij + 1.236*meanses_ij + 4.097*pracad_ij + "
    "-2.965*minority_ij + -1.231*female_ij + u_0j + r_ij"
)


def test_printed_answers_are_found_with_their_cell_and_excerpt():
    sub = submission(
        md("## Unconditional model"),
        code("print(f'ICC: {g / (g + s):.4f}')", "ICC: 0.1793\n"),
        code("print(' + '.join(terms))", SEED_PRINT + "\n"),
        models=SEED_MODELS,
    )
    located = locate(sub, RESPONSE)
    icc = located.get("icc")
    assert (icc.source, icc.cell, icc.excerpt, number_of(icc.value)) == (
        "output", 2, "ICC: 0.1793", 0.1793)  # fmt: skip
    assert icc.label == "the output of cell 2" and icc.variable is None
    combined = located.get("combined_with_estimates")
    assert combined.source == "output" and combined.cell == 3
    assert combined.value is not None and combined.value["type"] == "sympy"
    assert located.get("combined").value is None  # numbers in place of the γ's: not the combined


def test_markdown_equations_are_classified_by_what_they_define():
    sub = submission(
        md(r"The unconditional model: $Y_{ij} = \beta_{0j} + r_{ij}$, $\beta_{0j} = \gamma_{00} + u_{0j}$."),
        md("Level 1: $$Y_{ij} = \\beta_{0j} + \\beta_{1j} X_{1ij} + r_{ij}$$\nLevel 2:\n"
           "$$\\beta_{0j} = \\gamma_{00} + \\gamma_{01} W_{1j} + u_{0j}$$\n"
           "$$\\beta_{1j} = \\gamma_{10} + u_{1j}$$"),
        md(r"$$u_{0j} = \gamma_{00} + \gamma_{01} \times \text{minority} + \mu_{0j}$$"),
        md(r"Combined: \[Y_{ij} = \gamma_{00} + \gamma_{01} W_{1j} + \gamma_{10} X_{1ij} + u_{0j}"
           r" + u_{1j} X_{1ij} + r_{ij}\]"),
        models=SEED_MODELS,
    )  # fmt: skip
    located = locate(sub, RESPONSE)
    level1, level2 = located.get("level1"), located.get("level2")
    assert (level1.source, level1.cell) == ("markdown", 2)
    assert level2.cell == 2 and len(level2.value["items"]) == 2  # the set after the final level 1
    assert located.get("combined").cell == 4
    assert located.unread == (
        "cell 3 has u0j = mu_0j + γ00 + γ01·minority, which is neither an equation of mathach "
        "nor of a β",
    )
    assert [(m.key, m.cell) for m in located.letters][:2] == [("X1", 2), ("W1", 2)]


def test_effect_lists_from_markdown_bullets_and_a_per_school_table_is_skipped():
    blups = {"type": "invalid", "reason": "a table of 160 values keyed by numbers"}
    sub = submission(
        md("The final model has the following fixed effects:\n\n* `ses`\n* `meanses`\n\n"
           "And the following random effects:\n\n* `minority`"),
        answers={"random_effects": blups},
        models=SEED_MODELS,
    )  # fmt: skip
    located = locate(sub, RESPONSE)
    assert located.get("fixed_effects").value == names("ses", "meanses")
    random = located.get("random_effects")
    assert random.value == names("minority") and random.cell == 1
    assert (
        "`random_effects` holds a table of 160 values keyed by numbers, not the list of "
        "random effects; graded the Markdown of cell 1 instead." in located.notes
    )


def test_own_names_need_a_name_and_a_type_that_fit():
    sub = submission(
        scalars={"rho": 0.1793, "n_pred": 5.0, "delta_aic": -822.81},
        values={"rho_text": string("0.18"), "fe_list": names("Intercept", "ses"),
                "predictors": names("ses", "meanses"), "yhat": string("8.3")},
        models=SEED_MODELS,
    )  # fmt: skip
    located = locate(sub, RESPONSE)
    assert located.get("icc").variable == "rho"
    assert located.get("aic_change").variable == "delta_aic"
    assert located.get("fixed_effects").variable == "fe_list"
    assert located.get("forecast").value is None  # a string named yhat is not a number answer
    assert "`icc` was not set; graded your variable `rho` instead." in located.notes  # no text
    free_form = locate(submission(md("# My HLM"), scalars={"rho": 0.1793}), RESPONSE)
    assert "Graded your variable `rho` as the ICC." in free_form.notes


def test_an_answers_dict_maps_its_keys_to_parts_by_name_and_type():
    answers = {"type": "mapping", "pytype": "dict", "items": [
        ["ICC", num(0.1793)], ["level 1", string(r"$$Y_{ij} = \beta_{0j} + r_{ij}$$")],
        ["variance explained at level 1", num(0.0884)], ["AIC change", num(-822.81)],
        ["fixed effects", names("Intercept", "ses")]]}  # fmt: skip
    located = locate(submission(values={"answers": answers}, models=SEED_MODELS), RESPONSE)
    assert located.get("icc").label == "`answers['ICC']`"
    assert number_of(located.get("residual_variance_change").value) == 0.0884
    assert located.get("level1").key == "level 1"
    assert located.get("fixed_effects").source == "dict"


def test_the_contract_variable_comes_first():
    sub = submission(code("print('ICC: 0.5')", "ICC: 0.5\n"), answers={"icc": num(0.1793)},
                     scalars={"rho": 0.3})  # fmt: skip
    found = locate(sub, RESPONSE).get("icc")
    assert (found.source, found.variable, number_of(found.value)) == ("contract", "icc", 0.1793)


OTHER = model("mathach ~ ses + meanses + pracad + minority + female + size",
              {"Intercept": 11.0}, [[1.0]], 35.0, -23140.0, 46300.0)  # fmt: skip


def test_a_final_model_declared_before_a_rejected_alternative_is_graded():
    sub = submission(
        code('m2 = smf.mixedlm("...").fit(reml=False)'),
        md("Our final model is `m2`."),
        code("aic_diff = m2.aic - m0.aic"),
        code('m3 = smf.mixedlm("... + size").fit(reml=False)'),
        md("Adding size does not improve the AIC, so m3 is rejected."),
        models={"m0": SEED_UNCONDITIONAL, "m2": SEED_FINAL_DEFAULT, "m3": OTHER},
        scalars={"aic_diff": -813.21},
    )
    located = locate(sub, RESPONSE)
    assert located.final_variable == "m2"
    assert (
        "Graded your fitted model `m2` as your final model: your text in cell 2 says so "
        "(“Our final model is `m2`.”)." in located.notes
    )


def test_the_model_under_a_final_heading_is_final_not_one_under_an_alternative_heading():
    sub = submission(
        md("## Final model\n\n### Correlation analysis"),
        code("fit_a = mod_a.fit(reml=False)"),
        md("### Alternative: a random ses slope"),
        code("fit_b = mod_b.fit(reml=False)"),
        models={"fit_a": SEED_FINAL_DEFAULT, "fit_b": OTHER},
    )
    located = locate(sub, RESPONSE)
    assert located.final_variable == "fit_a"
    assert any("your heading “Final model” (cell 1)" in n for n in located.notes)


def test_the_model_the_later_answers_use_is_final():
    sub = submission(
        code("res1 = m1.fit()\nres2 = m2.fit()"),
        code("aic_change = res1.aic - null.aic\nest = res1.fe_params\nforecast = est['x'] * 2"),
        code("res3 = m3.fit()"),
        models={"res1": SEED_FINAL_DEFAULT, "res2": OTHER, "res3": OTHER},
        answers={"aic_change": num(-813.2), "forecast": num(8.3)},
    )
    located = locate(sub, RESPONSE)
    assert located.final_variable == "res1"
    assert any("your answers use it (the change in AIC, the forecast)" in n for n in located.notes)


def test_without_any_sign_the_last_fitted_model_is_final():
    sub = submission(code("a = m.fit()"), code("b = n.fit()"),
                     models={"b": OTHER, "a": SEED_FINAL_DEFAULT})  # fmt: skip
    assert locate(sub, RESPONSE).final_variable == "b"


def test_code_facts_follow_assignments_and_skip_cells_that_do_not_parse():
    facts = code_facts(text(code("%matplotlib inline\nm = smf.mixedlm('y ~ 1', df)\nr = m.fit()"),
                            code("def broken(:"), code("x = r.aic - 1\ny = x * 2")))  # fmt: skip
    assert facts.fitted_from["r"] == frozenset({"m"})
    assert facts.reaches(["y"], ["r", "m"]) == {"r"}
    assert facts.last_assigned("y") == 3 and 2 not in facts.cell_reads


def test_a_notebook_naming_the_contract_is_a_template():
    assert locate(submission(md("> **Answer in** `icc`: the ICC")), RESPONSE).template
    assert not locate(submission(md("# My HLM")), RESPONSE).template
    assert locate(submission(), RESPONSE).template  # no text known: keep the template's wording


def test_b_and_g_spellings_of_the_coefficients_are_read_as_beta_and_gamma():
    level2 = {"type": "list", "items": [string("b0_j = g00 + g01*pracad_j + u0_j"),
                                        string("b1_j = g10")]}  # fmt: skip
    sub = submission(values={"L2": level2, "L1": string("mathach_ij = b0j + b1j*ses_ij + r_ij")},
                     models=SEED_MODELS)  # fmt: skip
    located = locate(sub, RESPONSE)
    assert located.get("level1").variable == "L1"
    trees = located.get("level2").value["items"]
    assert trees[0]["tree"]["args"][0] == {"op": "Symbol", "name": "beta_0j"}


def test_labelled_plain_equations_and_wrapped_inline_lists_in_markdown():
    sub = submission(
        md("**Level 1:** mathach_ij = β0j + β1j·minority_ij + r_ij\n\n"
           "Fixed effects: intercept, meanses. Random effects: the intercept $u_{0j}$,\n"
           "the minority slope $u_{1j}$, and the residual $r_{ij}$."),
        md("* Fixed effects: intercept, female, ses"),
        models=SEED_MODELS,
    )  # fmt: skip
    located = locate(sub, RESPONSE)
    assert located.get("level1").cell == 1
    assert located.get("random_effects").value == names("intercept", "minority", "residual")
    assert located.get("fixed_effects").value == names("intercept", "female", "ses")


def test_list_items_with_words_are_tidied_and_a_written_list_beats_a_table_of_estimates():
    estimates = {"type": "mapping", "pytype": "dict",
                 "items": [["Intercept", num(11.9)], ["ses", num(1.9)]]}  # fmt: skip
    sub = submission(
        md("The final model has the following fixed effects:\n\n* `ses`\n* `meanses`"),
        answers={"fixed_effects": estimates},
        values={"re_list": names("Intercept (u0j)", "minority (u1j)", "residual r_ij")},
        models=SEED_MODELS,
    )
    located = locate(sub, RESPONSE)
    assert located.get("fixed_effects").source == "markdown"  # not the dict of estimates
    assert located.get("random_effects").value == names("Intercept", "minority", "residual")
    # with no written list, the table's keys are the list
    alone = locate(submission(answers={"fixed_effects": estimates}, models=SEED_MODELS), RESPONSE)
    assert alone.get("fixed_effects").source == "contract"


def test_variance_rows_of_params_are_not_estimates():
    params = {"type": "mapping", "pytype": "Series", "items": [
        ["Intercept", num(11.8)], ["ses", num(1.89)], ["Group Var", num(0.04)],
        ["Group x minority Cov", num(0.0)], ["minority Var", num(0.05)]]}  # fmt: skip
    found = locate(submission(values={"params": params}, models=SEED_MODELS), RESPONSE).get(
        "fixed_estimates"
    )
    assert [k for k, _ in found.value["items"]] == ["Intercept", "ses"]


def test_an_aic_reduction_is_read_as_the_change_it_reports():
    found = locate(submission(scalars={"aic_reduction": 822.81}, models=SEED_MODELS), RESPONSE).get(
        "aic_change"
    )
    assert number_of(found.value) == -822.81
    assert "named as a reduction" in found.notes[0]


def test_numbers_are_recognised_by_the_code_that_computes_them():
    sub = submission(
        code("m0 = a.fit()\nm1 = b.fit()\nrel_change = (m0.scale - m1.scale) / m0.scale\n"
             "tau, s2 = m0.cov_re.iloc[0, 0], m0.scale\nshare = tau / (tau + s2)\n"
             "k1 = -2 * m1.llf + 16\nk0 = -2 * m0.llf + 6\nd = k1 - k0"),
        md("# My HLM"),
        scalars={"rel_change": 0.0884, "share": 0.1793, "d": -822.81, "tau": 8.55, "s2": 39.1},
        models={"m0": SEED_UNCONDITIONAL, "m1": SEED_FINAL_DEFAULT},
    )  # fmt: skip
    located = locate(sub, RESPONSE)
    assert located.get("residual_variance_change").variable == "rel_change"
    assert located.get("icc").variable == "share"
    assert located.get("aic_change").variable == "d"
    assert "from the code that computes it" in located.get("icc").notes[0]


def test_the_templates_worked_examples_are_never_answers():
    sub = submission(
        code("example_level1 = Eq(y, beta(0) + r)\ndisplay(show(example_level1))",
             "mathach_ij = beta_0j + r_ij\n"),
        md("> **Answer in** `level1`: the level-1 equation"),
        models=SEED_MODELS,
    )  # fmt: skip
    assert locate(sub, RESPONSE).get("level1").value is None


def test_forged_values_never_crash_locating():
    # The answers file may be written by anyone: every shape is data, never an exception.
    forged = {
        "params": {"type": "list", "items": 1.0}, "answers": {"type": "mapping", "pytype": "dict",
        "items": [["icc", "x"], 5, ["level 1", {"type": "string", "value": 7}]]},
        "L1": {"type": "sympy", "tree": "Eq(y, 1)"}, "fe_list": {"type": "list", "items": [None]},
        "comb": {"type": "string", "value": "$$" * 5000}, "coef": {"type": "mapping", "items": {}},
    }  # fmt: skip
    located = locate(
        submission(md("Our final model is `m9`."), values=forged, models=SEED_MODELS), RESPONSE
    )
    assert located.get("icc").value is None and located.get("level1").value is None


def test_the_assignments_own_markdown_is_never_read_as_the_students():
    # The template's grading table ("| 1 | Unconditional model and ICC | `icc` | 10 |") once read
    # as the student saying the ICC is 10. A cell still word for word the assignment's is not read;
    # the same table edited by the student is theirs again.
    from tests.hlm import HLM

    (table,) = [t for t in HLM.template_text if "| # | Part | Answer variable(s) | Points |" in t]
    cells = (md(table), code("print(f'ICC: {icc:.4f}')", "ICC: 0.1793\n"))
    assert locate(submission(*cells), RESPONSE).prose["icc"]  # read, without the template
    assert not locate(submission(*cells), RESPONSE, HLM.template_text).prose["icc"]
    edited = (md(table + "\n\nMy ICC is 0.1793."), cells[1])
    said = locate(submission(*edited), RESPONSE, HLM.template_text).prose["icc"]
    assert [n.value for n in said][-1] == 0.1793
