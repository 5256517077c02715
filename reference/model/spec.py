"""Model specifications: what a student may fit, validated against the assignment's rules.

A spec is a fixed-effects formula, a random-effects formula and the estimation method; the groups are
always the assignment's (its data's :class:`~reference.data.dataset.Dataset` says which column).
Formulas are checked token by token before any formula engine sees them, so a string that came from
a student notebook can never run code here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd

from reference.data.dataset import Dataset, dataset_of
from reference.data.files import predictor_columns, school_level_columns
from reference.errors import SpecError
from reference.model.derived import Derived, with_derived

_TOKEN = re.compile(r"\s*(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<num>[01])|(?P<op>[~+\-*:()]))")
MAX_FORMULA_LENGTH = 500


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """A two-level model of the assignment's response, grouped by its level-2 units.

    Attributes:
        formula: fixed part, e.g. ``"mathach ~ ses + meanses + pracad"``.
        re_formula: random part as statsmodels reads it: ``"1"`` (random intercept only),
            ``"~minority"`` (intercept and a minority slope) or ``"~0 + minority"`` (slope only).
        reml: estimate by REML instead of ML.
        derived: columns the model adds to the data (variables the student derived), which the
            formulas may name like any column.
        aliases: other names of the model's variables, as the student may write them in equations
            (``cses`` for a hand-made ``ses_c``); naming only, not part of the model's identity.
        independent: random slopes uncorrelated with every other random effect (statsmodels'
            variance components, lme4's ``(0 + x | school)``); the rest share one covariance.
    """

    formula: str
    re_formula: str = "1"
    reml: bool = False
    derived: tuple[Derived, ...] = ()
    aliases: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)
    independent: tuple[str, ...] = ()

    @property
    def method(self) -> str:
        return "REML" if self.reml else "ML"

    @property
    def response(self) -> str:
        """The formula's left side (``mathach``)."""
        return self.formula.partition("~")[0].strip()

    def key(self) -> str:
        """A stable text key for caches: the normalised formulas, method and derived columns."""
        columns = "".join(f"|{d.name}={d.expr.text()}" for d in self.derived)
        apart = "".join(f"|independent {n}" for n in self.independent)
        return f"{self.formula}|{self.re_formula}|{self.method}{columns}{apart}"

    def with_reml(self, reml: bool) -> ModelSpec:
        return replace(self, reml=reml)


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


@dataclass(frozen=True, slots=True)
class FixedTerm:
    """One fixed-effect column: its statsmodels name and its factors split by level."""

    name: str
    level1: tuple[str, ...]
    level2: tuple[str, ...]

    @property
    def factors(self) -> frozenset[str]:
        return frozenset(self.level1 + self.level2)


@dataclass(frozen=True, slots=True)
class ModelStructure:
    """A validated spec together with what the data says about its variables."""

    spec: ModelSpec
    intercept: bool
    fixed_terms: tuple[FixedTerm, ...]
    random_intercept: bool
    random_slopes: tuple[str, ...]
    school_level: frozenset[str] = field(repr=False)
    factors: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    aliases: Mapping[str, str] = field(default_factory=dict, repr=False)
    columns: frozenset[str] = field(default=frozenset(), repr=False)

    def slope_factors(self, slope: str) -> tuple[str, ...]:
        """The variables a random slope multiplies (a derived product counts as its factors)."""
        return self.factors.get(slope, (slope,))

    @property
    def fe_names(self) -> tuple[str, ...]:
        """Fixed-effect names in statsmodels' order, ``Intercept`` first when present."""
        head = ("Intercept",) if self.intercept else ()
        return head + tuple(t.name for t in self.fixed_terms)

    @property
    def predictors(self) -> tuple[str, ...]:
        """Distinct variables of the fixed part, in order of first appearance."""
        seen: dict[str, None] = {}
        for term in self.fixed_terms:
            seen.update(dict.fromkeys(term.level1 + term.level2))
        return tuple(seen)

    @property
    def school_predictors(self) -> tuple[str, ...]:
        return tuple(p for p in self.predictors if p in self.school_level)

    @property
    def student_predictors(self) -> tuple[str, ...]:
        return tuple(p for p in self.predictors if p not in self.school_level)


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
    _check_response(spec, dataset)
    data = with_derived(data, spec.derived)
    available = sorted(predictor_columns(data))
    _check_names(spec, available)
    structure = structure_from_names(spec, _fixed_names(spec, data), school_level_columns(data),
                                     frozenset(available))  # fmt: skip
    _check_slopes(structure, dataset.group)
    if require_final:
        _check_final_rules(structure, dataset)
    return structure


def structure_from_names(
    spec: ModelSpec,
    fe_names: Sequence[str],
    school_level: frozenset[str],
    columns: frozenset[str] = frozenset(),
) -> ModelStructure:
    """The structure of a normalised spec whose fixed-effect column names are already known.

    A fitted model (e.g. a cached :class:`~reference.fitting.result.FitResult`) carries its names, so
    its equations can be built without the formula engine.
    """
    slopes = tuple(t for t in spec.re_formula.lstrip("~").split(" + ") if t not in {"0", "1"})
    factors = {
        d.name: f for d in spec.derived if not d.named and (f := d.expr.factors()) is not None
    }
    return ModelStructure(
        spec=spec,
        intercept="Intercept" in fe_names,
        fixed_terms=tuple(_term(n, school_level, factors) for n in fe_names if n != "Intercept"),
        random_intercept=spec.re_formula == "1" or not spec.re_formula.startswith("~0"),
        random_slopes=slopes,
        school_level=school_level,
        factors=factors,
        aliases=dict(spec.aliases),
        columns=columns,
    )


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


def _check_response(spec: ModelSpec, dataset: Dataset) -> None:
    if spec.response != dataset.response:
        raise SpecError(
            f"formula {spec.formula!r} must have the form '{dataset.response} ~ predictors'; "
            f"write the response {dataset.response} on the left of a single ~."
        )


def _fixed_names(spec: ModelSpec, data: pd.DataFrame) -> list[str]:
    import statsmodels.formula.api as smf

    group = dataset_of(data).group
    try:
        model = smf.mixedlm(spec.formula, data.head(200), groups=data[group].head(200))
    except Exception as exc:  # the formula engine's own parse errors
        raise SpecError(f"formula {spec.formula!r} could not be parsed: {exc}") from None
    return [str(n) for n in model.exog_names]


def _term(name: str, level2: frozenset[str], products: Mapping[str, tuple[str, ...]]) -> FixedTerm:
    factors = [f for part in name.split(":") for f in products.get(part, (part,))]
    return FixedTerm(
        name=name,
        level1=tuple(f for f in factors if f not in level2),
        level2=tuple(f for f in factors if f in level2),
    )


def _check_slopes(structure: ModelStructure, group: str) -> None:
    wrong = [s for s in structure.random_slopes if s in structure.school_level]
    if wrong:
        raise SpecError(
            f"random slope(s) for {group}-level variable(s) {', '.join(wrong)}: a variable that "
            f"is constant within each {group} cannot have a slope that varies between {group}s; "
            "give random slopes only to student-level variables."
        )


def _check_final_rules(structure: ModelStructure, dataset: Dataset) -> None:
    rules, group = dataset.rules, dataset.group
    if len(structure.predictors) < rules.min_predictors:
        raise SpecError(
            f"the final model needs at least {_count(rules.min_predictors)} predictors; found "
            f"{len(structure.predictors)} ({', '.join(structure.predictors) or 'none'})."
        )
    found = structure.school_predictors
    if len(found) < rules.min_group_level:
        raise SpecError(
            f"the final model needs at least {_count(rules.min_group_level)} {group}-level "
            f"predictor{'s' * (rules.min_group_level > 1)} (constant within each {group}: "
            f"{', '.join(sorted(structure.school_level))}); found {_count(len(found)) if found else 'none'}."
        )


def _count(n: int) -> str:
    """Small counts in words, as the assignment states its rules ("at least three predictors")."""
    words = ("none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return words[n] if 0 <= n < len(words) else str(n)
