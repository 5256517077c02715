"""What a model is: its :class:`ModelSpec` (formulas, method, derived columns) and, once validated
against the data (:func:`reference.model.spec.parse_spec`), its :class:`ModelStructure`: fixed
terms split by level, random slopes, what the data says of its variables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from reference.model.derived import Derived


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


def _term(name: str, level2: frozenset[str], products: Mapping[str, tuple[str, ...]]) -> FixedTerm:
    factors = [f for part in name.split(":") for f in products.get(part, (part,))]
    return FixedTerm(
        name=name,
        level1=tuple(f for f in factors if f not in level2),
        level2=tuple(f for f in factors if f in level2),
    )
