"""Properties of the trust boundaries, on random input (hypothesis).

Whatever a submission holds, each boundary answers with its own error or a value, never anything
else: a notebook file is a notebook or a :class:`~grader.errors.NotebookError`; an answers file is
a :class:`~grader.answers.submission.Submission` or an :class:`~grader.errors.AnswerError`, and every
submission is judged into one result per part; an equation tree is a sympy object or an
:class:`~reference.errors.EquationError`, within bounded time.
"""

from __future__ import annotations

import contextlib
import json
import math
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.answers.submission import Submission, parse_answers
from grader.assignment import load_config
from grader.errors import AnswerError, NotebookError
from grader.judge.engine import judge
from grader.run.notebook_file import notebook_notes, read_notebook, strip_outputs
from reference.equations.serialize import from_tree
from reference.errors import EquationError
from tests.hlm import CONTRACT, HLM

# --- plain JSON -----------------------------------------------------------------------------------

NUMBERS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0.1793, 0.1804, -822.81, 0.0884, 8.269, 1e308, -1e308, 5e-324, 0.0]),
)
JSON_SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, st.text(max_size=40))
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=25,
)

# --- notebooks ------------------------------------------------------------------------------------

SOURCES = st.one_of(st.text(max_size=80), st.lists(st.text(max_size=30), max_size=4), JSON)
CELLS = st.one_of(
    st.fixed_dictionaries(
        {
            "cell_type": st.sampled_from(["code", "markdown", "raw", "heading", ""]) | JSON,
            "source": SOURCES,
        },
        optional={
            "metadata": st.dictionaries(st.text(max_size=10), JSON, max_size=3) | JSON,
            "outputs": JSON,
            "execution_count": JSON,
            "id": JSON,
        },
    ),
    JSON,
)
KERNELSPECS = st.fixed_dictionaries(
    {}, optional={"name": JSON, "language": JSON, "display_name": JSON}
)
NOTEBOOKS = st.fixed_dictionaries(
    {"cells": st.lists(CELLS, max_size=4) | JSON},
    optional={
        "nbformat": st.sampled_from([4, 3, 5, "4", None, 4.0]) | JSON,
        "nbformat_minor": st.integers(-2, 10) | JSON,
        "metadata": st.fixed_dictionaries({}, optional={"kernelspec": KERNELSPECS | JSON}) | JSON,
        "worksheets": JSON,
    },
)
FILES = st.one_of(
    NOTEBOOKS.map(lambda nb: json.dumps(nb).encode()),
    JSON.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass")),
)


@settings(max_examples=300, deadline=None)
@given(FILES)
def test_any_file_is_a_notebook_or_a_notebook_error(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "submission.ipynb"
        path.write_bytes(content)
        try:
            notebook = read_notebook(path)
        except NotebookError as exc:
            assert str(exc) and "\n" not in str(exc)
            return
    assert isinstance(notebook, nbformat.NotebookNode)
    assert all(isinstance(cell.source, str) for cell in notebook.cells)
    # What run_notebook does next with it must not fail either.
    assert all(isinstance(note, str) for note in notebook_notes(notebook))
    stripped = strip_outputs(notebook)
    assert all(c.outputs == [] for c in stripped.cells if c.cell_type == "code")


# --- equation trees -------------------------------------------------------------------------------

NAMES = st.one_of(
    st.sampled_from(
        [
            "mathach_ij",
            "beta_0j",
            "beta_1j",
            "gamma_00",
            "gamma_01",
            "gamma_10",
            "u_0j",
            "u_1j",
            "r_ij",
            "ses_ij",
            "minority_ij",
            "meanses_j",
            "sector_j",
            "__import__('os')",
        ]
    ),
    st.text(max_size=120),
    JSON,
)
OPS = st.sampled_from(["Add", "Mul", "Pow", "Eq", "Tuple", "Function", "sin", ""]) | JSON


def trees(floats: st.SearchStrategy[float]) -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        st.builds(lambda name: {"op": "Symbol", "name": name}, NAMES),
        st.builds(lambda v: {"op": "Integer", "value": v}, st.integers() | JSON),
        st.builds(lambda v: {"op": "Float", "value": v}, floats | JSON),
        st.builds(lambda p, q: {"op": "Rational", "value": [p, q]}, st.integers(), st.integers()),
        JSON,
    )
    return st.recursive(
        leaves,
        lambda inner: st.builds(
            lambda op, args: {"op": op, "args": args}, OPS, st.lists(inner, max_size=5)
        ),
        max_leaves=60,
    )


TREES = trees(st.floats())  # nan and inf too: a tree need not come from JSON
JSON_TREES = trees(st.floats(allow_nan=False, allow_infinity=False))


@settings(max_examples=300, deadline=None)
@given(TREES)
def test_any_tree_is_an_equation_or_an_equation_error_in_bounded_time(tree: Any) -> None:
    started = time.monotonic()
    try:
        built = from_tree(tree)
    except EquationError as exc:
        assert str(exc).startswith("Your equation could not be read")
    else:
        assert isinstance(built, sympy.Basic)
    assert time.monotonic() - started < 5


def powers(depth: int, width: int) -> dict[str, Any]:
    """A wide, deep product of sums: (a + b + ...)**k nested ``depth`` times."""
    tree: dict[str, Any] = {"op": "Symbol", "name": "ses_ij"}
    for level in range(depth):
        terms = [tree, *({"op": "Symbol", "name": f"v{level}_{i}"} for i in range(width))]
        tree = {"op": "Pow", "args": [{"op": "Add", "args": terms}, {"op": "Integer", "value": 3}]}
    return tree


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 6), st.integers(1, 30))
def test_trees_that_would_explode_when_expanded_are_refused_quickly(depth: int, width: int) -> None:
    started = time.monotonic()
    with contextlib.suppress(EquationError):
        from_tree(powers(depth, width))
    assert time.monotonic() - started < 5


# --- answers files and the judge ------------------------------------------------------------------

SPECIALS = st.sampled_from(["nan", "inf", "-inf"])
ANY_FLOAT = st.floats() | NUMBERS


def number(value: float) -> dict[str, Any]:
    if isinstance(value, float) and not math.isfinite(value):
        return {"type": "number", "special": str(value)}
    return {"type": "number", "value": value}


NUMBER_ENC = st.one_of(
    ANY_FLOAT.map(number),
    st.builds(lambda s: {"type": "number", "special": s}, SPECIALS | JSON),
    st.builds(lambda v: {"type": "number", "value": v}, JSON),
)
TERMS = st.sampled_from(
    ["Intercept", "ses", "meanses", "pracad", "minority", "female", "cses:sector", "(Intercept)"]
) | st.text(max_size=20)
ENCODED = st.recursive(
    st.one_of(
        NUMBER_ENC,
        st.builds(lambda s: {"type": "string", "value": s}, st.text(max_size=60) | JSON),
        st.builds(lambda tree: {"type": "sympy", "tree": tree}, JSON_TREES),
        st.just({"type": "none"}),
        st.builds(lambda r: {"type": "invalid", "reason": r}, st.text(max_size=40) | JSON),
        st.builds(lambda p: {"type": "unsupported", "pytype": p}, st.text(max_size=40) | JSON),
        st.dictionaries(st.text(max_size=8), JSON, max_size=3),
    ),
    lambda inner: st.one_of(
        st.builds(
            lambda items, cut: {"type": "list", "items": items, "truncated": cut},
            st.lists(inner, max_size=4) | JSON,
            JSON,
        ),
        st.builds(
            lambda pairs: {"type": "mapping", "items": pairs, "pytype": "dict"},
            st.lists(st.tuples(TERMS, inner).map(list) | JSON, max_size=6) | JSON,
        ),
    ),
    max_leaves=20,
)
SEED_FORMULA = "mathach ~ ses + meanses + pracad + minority + female"
# Real model specs (only two, so the judge's reference fits come from the disk cache after the
# first example), mixed with broken ones that must fail to parse.
SPECS = st.sampled_from(
    [("mathach ~ 1", ["Group"]), (SEED_FORMULA, ["Group", "minority"])]
) | st.tuples(
    st.sampled_from(["mathach ~ ses", "mathach ~", "y ~ x", "mathach ~ zzz + 1", ""])
    | st.text(max_size=40),
    st.lists(st.sampled_from(["Group", "minority", "zzz", "1"]), max_size=3),
)


def model_record(spec: tuple[str, list[str]], numbers: dict[str, Any]) -> dict[str, Any]:
    formula, re_names = spec
    return {"type": "model", "formula": formula, "re_names": re_names, **numbers}


MODEL_NUMBERS = st.fixed_dictionaries(
    {
        "method": st.sampled_from(["ML", "ML", "REML"]),
        "fe_params": st.lists(st.tuples(TERMS, NUMBER_ENC).map(list), max_size=7),
        "cov_re": st.lists(st.lists(NUMBER_ENC, max_size=3), max_size=3),
        "scale": NUMBER_ENC,
        "llf": NUMBER_ENC,
        "aic": NUMBER_ENC,
        "n_obs": st.sampled_from([7185, 7185, 100]) | st.integers(),
        "n_groups": st.sampled_from([160, 160, 1]) | st.integers(),
        "converged": st.booleans(),
    }
)
MODELS = st.builds(model_record, SPECS, MODEL_NUMBERS)
CONTRACT_NAMES = st.sampled_from([a.name for a in CONTRACT])
# Shaped like the extraction's output, so the judge gets past parsing into every check.
WELL_FORMED = st.fixed_dictionaries(
    {
        "version": st.just(1),
        "answers": st.dictionaries(CONTRACT_NAMES, ENCODED, max_size=13),
        "models": st.fixed_dictionaries({}, optional={"unconditional": MODELS, "final": MODELS}),
        "scalars": st.dictionaries(
            st.sampled_from(["icc_value", "aic_diff", "var_change", "pred", "x"]),
            NUMBER_ENC,
            max_size=3,
        ),
        "values": st.dictionaries(st.sampled_from(["coef", "params"]), ENCODED, max_size=2),
    }
)
# Anything at all in the same frame.
LOOSE = st.fixed_dictionaries(
    {"version": st.just(1) | JSON},
    optional={
        "answers": st.dictionaries(CONTRACT_NAMES | st.text(max_size=15), ENCODED, max_size=6)
        | JSON,
        "models": st.dictionaries(st.text(max_size=15), MODELS | ENCODED | JSON, max_size=3) | JSON,
        "scalars": st.dictionaries(st.text(max_size=20), NUMBER_ENC | JSON, max_size=4) | JSON,
        "values": st.dictionaries(st.text(max_size=20), ENCODED | JSON, max_size=3) | JSON,
    },
)
DOCUMENTS = WELL_FORMED | LOOSE
ANSWER_FILES = st.one_of(
    DOCUMENTS.map(lambda doc: json.dumps(doc).encode()),  # NaN and Infinity tokens included
    JSON.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=100),
)


@settings(max_examples=300, deadline=None)
@given(ANSWER_FILES)
def test_any_answers_file_is_a_submission_or_an_answer_error(raw: bytes) -> None:
    try:
        submission = parse_answers(raw)
    except AnswerError as exc:
        assert str(exc)
        return
    assert isinstance(submission, Submission)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(DOCUMENTS.map(lambda doc: json.dumps(doc).encode()))
def test_any_valid_answers_file_is_judged_part_by_part(hsb: pd.DataFrame, raw: bytes) -> None:
    try:
        submission = parse_answers(raw)
    except AnswerError:
        return
    config = load_config()
    parts, notes = judge(submission, assignment=HLM.with_grading(config), data=hsb)
    assert [p.id for p in parts] == [p.id for p in config.parts]
    for part in parts:
        assert 0 <= part.score <= part.max_score
        assert isinstance(part.feedback, str) and part.feedback
        json.dumps(part.to_dict(), allow_nan=False)
    assert all(isinstance(note, str) for note in notes)
