import math

import pytest

from grader.answers.encoded import Invalid, estimates_of, names_of, number_of
from grader.answers.models import StudentModel
from grader.answers.submission import parse_answers
from grader.errors import AnswerError
from tests.grader.helpers import SEED_FINAL_DEFAULT, answers_file, mapping, names, num


def test_numbers_are_read_and_nan_is_kept():
    assert number_of(num(0.1793)) == 0.1793
    assert math.isnan(number_of(num(float("nan"))))
    assert number_of({"type": "string", "value": "17.93%"}) == pytest.approx(0.1793)
    assert number_of({"type": "list", "items": [num(2.0)]}) == 2.0


def test_wrong_types_become_invalid_with_a_reason():
    assert number_of(None) == Invalid("missing")
    bad = number_of({"type": "unsupported", "pytype": "__main__.Liar"})
    assert isinstance(bad, Invalid) and "Liar" in bad.reason
    assert isinstance(number_of({"type": "string", "value": "abc"}), Invalid)
    assert isinstance(number_of({"type": "number", "value": True}), Invalid)


def test_names_accept_lists_and_the_keys_of_a_mapping():
    assert names_of(names("Intercept", "ses")) == ("Intercept", "ses")
    assert names_of(mapping({"Intercept": 1.0, "ses": 2.0})) == ("Intercept", "ses")
    assert isinstance(names_of(num(1.0)), Invalid)


def test_estimates_read_from_a_mapping():
    assert estimates_of(mapping({"ses": 1.5})) == {"ses": 1.5}
    assert isinstance(estimates_of(names("ses")), Invalid)


def test_models_are_validated():
    sub = parse_answers(answers_file(models={"m": SEED_FINAL_DEFAULT, "bad": {"type": "model"}}))
    model = sub.models["m"]
    assert isinstance(model, StudentModel)
    assert model.re_formula == "~minority" and model.random_intercept and model.tau00 == 1.729
    assert isinstance(sub.models["bad"], Invalid)


@pytest.mark.parametrize(
    "raw, match",
    [
        (b"not json", "not valid JSON"),
        (b'{"version": 2}', "unknown format"),
        (b'{"version": 1, "x": NaN}', "not valid JSON"),
        (b"[" * 100_000, "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b" " * 9_000_000, "more than"),
    ],
)
def test_unusable_files_raise_one_clear_error(raw, match):
    with pytest.raises(AnswerError, match=match):
        parse_answers(raw)


@pytest.mark.parametrize(
    "forged",
    [
        {"type": "number", "special": []},  # was TypeError: unhashable type
        {"type": "number", "special": {"nan": 1}},
        {"type": "list", "items": True},  # was TypeError: object of type 'bool' has no len()
        {"type": "list", "items": 2.5},
        {"type": "list", "items": {"0": {"type": "number", "value": 1.0}}},  # was KeyError: 0
        {"type": "mapping", "items": "Intercept"},
    ],
)
def test_forged_answer_records_are_invalid_answers_not_crashes(forged):
    # A notebook can write any answers.json (e.g. by patching json.dump): only data, never a crash.
    assert isinstance(number_of(forged), Invalid)
    assert isinstance(names_of(forged), (tuple, Invalid))
    assert isinstance(estimates_of(forged), (dict, Invalid))
