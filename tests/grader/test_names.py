import pytest

from grader.answers.names import INTERCEPT, RESIDUAL, display, term_key


@pytest.mark.parametrize("name", ["Intercept", "(Intercept)", "const", "Group Var", "u_{0j}"])
def test_intercept_spellings(name):
    assert term_key(name) == INTERCEPT


@pytest.mark.parametrize("name", ["Residual", "r_ij", "r_{ij}", "error", "e_ij"])
def test_residual_spellings(name):
    assert term_key(name) == RESIDUAL


def test_interactions_match_in_any_order_and_operator():
    assert term_key("meanses:cses") == term_key("cses * MEANSES") == frozenset({"cses", "meanses"})
    assert display(term_key("sector:cses")) == "cses:sector"
