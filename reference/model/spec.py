"""Model specifications: what a student may fit, validated against the assignment's rules.

A spec is a fixed-effects formula, a random-effects formula and the estimation method; the groups are
always the assignment's (its data's :class:`~reference.data.dataset.Dataset` says which column).
Formulas are checked token by token before any formula engine sees them, so a string that came from
a student notebook can never run code here.
"""

from __future__ import annotations

import re

import pandas as pd

from reference.data.dataset import Dataset, dataset_of
from reference.data.files import predictor_columns, school_level_columns
from reference.errors import SpecError
from reference.model.derived import Derived, with_derived
from reference.model.rules import check_final_rules, check_response, check_slopes
from reference.model.structure import ModelSpec, ModelStructure, structure_from_names

__all__ = [
    "MAX_FORMULA_LENGTH",
    "ModelSpec",
    "ModelStructure",
    "make_spec",
    "normalise_formula",
    "normalise_re_formula",
    "parse_spec",
    "solution_spec",
    "structure_from_names",
    "unconditional",
]

_TOKEN = re.compile(r"\s*(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<num>[01])|(?P<op>[~+\-*:()]))")
MAX_FORMULA_LENGTH = 500


def unconditional(dataset: Dataset) -> ModelSpec:
    """The unconditional model: the response with a random group intercept and nothing else.

    >>> from reference.data import load_dataset
    >>> unconditional(load_dataset("hlm"))
    ModelSpec(formula='mathach ~ 1', re_formula='1', reml=False, derived=(), independent=())
    """
    return ModelSpec(f"{dataset.response} ~ 1", "1")


def solution_spec(dataset: Dataset) -> ModelSpec:
    """The final model of the assignment's solution notebook (its ``[final_model]``)."""
    formula, re_formula = dataset.solution
    return make_spec(formula, re_formula)


def normalise_formula(formula: str) -> str:
    """Validate a fixed-effects formula's tokens and return it in canonical spacing, lower case.

    Which response is right is the data's to say (:func:`parse_spec`); here it is one name.

    >>> normalise_formula("MathAch~SES+meanses:SES")
    'mathach ~ ses + meanses:ses'
    """
    tokens = _tokens(formula, "formula")
    if tokens.count("~") != 1 or len(tokens) < 3 or tokens[1] != "~" or not _is_name(tokens[0]):
        raise SpecError(
            f"formula {formula!r} must have the form 'response ~ predictors'; "
            "write the response on the left of a single ~."
        )
    return _join(tokens)


def _is_name(token: str) -> bool:
    return token[0].isalpha() or token[0] == "_"


def normalise_re_formula(re_formula: str | None) -> str:
    """Canonical random-effects formula: ``"1"``, ``"~a + b"`` or ``"~0 + a"``.

    >>> normalise_re_formula(None), normalise_re_formula("~ 1"), normalise_re_formula("1 + minority")
    ('1', '1', '~minority')
    """
    if re_formula is None:
        return "1"
    tokens = _tokens(re_formula, "re_formula")
    if tokens and tokens[0] == "~":
        tokens = tokens[1:]
    bad = [t for t in tokens if t in {"~", "*", ":", "(", ")", "-"}]
    if bad or not tokens:
        raise SpecError(
            f"re_formula {re_formula!r} is not supported; use '1' or '~ slope1 + slope2' "
            "(variable names joined by +, '0 +' to drop the random intercept)."
        )
    names = [t for t in tokens if t not in {"+", "0", "1"}]
    if not names and "0" in tokens:
        raise SpecError(
            f"re_formula {re_formula!r} leaves no random effect at all; a two-level model needs "
            "at least the random intercept ('1')."
        )
    if not names:
        return "1"
    prefix = "0 + " if "0" in tokens else ""
    return "~" + prefix + " + ".join(dict.fromkeys(names))


def make_spec(
    formula: str,
    re_formula: str | None = "1",
    *,
    reml: bool = False,
    derived: tuple[Derived, ...] = (),
    aliases: tuple[tuple[str, str], ...] = (),
    independent: tuple[str, ...] = (),
) -> ModelSpec:
    """Build a spec with normalised formulas (no data needed; see :func:`parse_spec`)."""
    re_normal = normalise_re_formula(re_formula)
    slopes = re_normal.lstrip("~").split(" + ")
    apart = tuple(n.lower() for n in independent)
    if any(n not in slopes for n in apart):
        raise SpecError(f"independent random effects {', '.join(apart)} must be slopes of "
                        f"re_formula {re_normal!r}.")  # fmt: skip
    return ModelSpec(normalise_formula(formula), re_normal, reml, derived, aliases, apart)


def parse_spec(
    spec: ModelSpec, data: pd.DataFrame, *, require_final: bool = True
) -> ModelStructure:
    """Validate a spec against the data and the assignment's rules.

    Args:
        spec: the model; its formulas may be un-normalised.
        data: the assignment's data (as from :func:`reference.data.load_data`).
        require_final: enforce the final-model rules (the dataset's: e.g. ≥ 3 predictors, ≥ 1
            school-level).

    Raises:
        SpecError: another response, unknown variable, a rule broken, or an unsupported formula.

    >>> from reference.data import load_data
    >>> hsb = load_data("hlm")
    >>> s = parse_spec(solution_spec(dataset_of(hsb)), hsb)
    >>> s.school_predictors, s.random_slopes
    (('meanses', 'pracad'), ('minority',))
    """
    spec = make_spec(spec.formula, spec.re_formula, reml=spec.reml, derived=spec.derived,
                     aliases=spec.aliases, independent=spec.independent)  # fmt: skip
    dataset = dataset_of(data)
    check_response(spec, dataset)
    data = with_derived(data, spec.derived)
    available = sorted(predictor_columns(data))
    _check_names(spec, available)
    structure = structure_from_names(spec, _fixed_names(spec, data), school_level_columns(data),
                                     frozenset(available))  # fmt: skip
    check_slopes(structure, dataset.group)
    if require_final:
        check_final_rules(structure, dataset)
    return structure


def _tokens(text: str, what: str) -> list[str]:
    if not isinstance(text, str) or len(text) > MAX_FORMULA_LENGTH:
        raise SpecError(f"{what} must be a string of at most {MAX_FORMULA_LENGTH} characters.")
    out: list[str] = []
    pos = 0
    stripped = text.rstrip()
    while pos < len(stripped):
        match = _TOKEN.match(stripped, pos)
        if match is None:
            raise SpecError(
                f"{what} {text!r} has an unsupported part at {stripped[pos : pos + 12]!r}; use variable "
                "names joined by +, * and : (functions such as C() or I() are not supported)."
            )
        out.append(match.group(match.lastgroup or "op").lower())
        pos = match.end()
    return out


def _join(tokens: list[str]) -> str:
    return " ".join(tokens).replace(" : ", ":").replace("( ", "(").replace(" )", ")")


def _check_names(spec: ModelSpec, available: list[str]) -> None:
    words = _tokens(spec.formula, "formula")[2:] + _tokens(spec.re_formula, "re_formula")
    unknown = sorted({w for w in words if w[0].isalpha() or w[0] == "_"} - set(available))
    if unknown:
        raise SpecError(
            f"unknown variable(s) {', '.join(unknown)}; available: {', '.join(available)}."
        )


def _fixed_names(spec: ModelSpec, data: pd.DataFrame) -> list[str]:
    import statsmodels.formula.api as smf

    group = dataset_of(data).group
    try:
        model = smf.mixedlm(spec.formula, data.head(200), groups=data[group].head(200))
    except Exception as exc:  # the formula engine's own parse errors
        raise SpecError(f"formula {spec.formula!r} could not be parsed: {exc}") from None
    return [str(n) for n in model.exog_names]
