"""Reading a student's fitted model by its values: which data each design column is.

A student may fit the same model in many spellings: ``groups="school"``, ``C(sector)``, upper-case
names kept from the .sav, ``I(ses**2)``, the array API with columns ``x1, x2``, or a variable they
derived by hand (``ses`` minus its school mean). Names cannot be trusted to say what a column is;
values can. :func:`tie_design` matches every column of the student's design with the data — equal to
a column, to a school mean, to a centred column, to a product, to a simple transform — and writes the
model as a :class:`~reference.model.spec.ModelSpec` whose extra columns are
:class:`~reference.model.derived.Derived`, so the reference re-fits exactly the student's model and
every later answer is judged against it, in the student's own names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from reference.data.hsb import GROUP, RESPONSE, school_level_columns
from reference.errors import SpecError
from reference.model.candidates import Candidate, candidates, tie_column
from reference.model.derived import Derived, Expr
from reference.model.spec import ModelSpec, make_spec

INTERCEPT = "Intercept"
_IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*\Z")


@dataclass(frozen=True, slots=True, eq=False)
class Component:
    """A variance component (``vc_formula``): a column, or a partition of the rows into codes."""

    name: str
    kind: str  # "column" or "partition"
    values: np.ndarray


@dataclass(frozen=True, slots=True, eq=False)
class StudentDesign:
    """A fitted model's design as the student's kernel reported it (rows in the model's order)."""

    endog: np.ndarray
    exog: np.ndarray
    exog_names: tuple[str, ...]
    exog_re: np.ndarray
    exog_re_names: tuple[str, ...]
    groups: np.ndarray
    vc: tuple[Component, ...] = ()
    reml: bool = False


@dataclass(frozen=True, slots=True)
class Tie:
    """What a student's design is in terms of the data.

    Attributes:
        spec: the same model written over the data's columns (None if it could not be tied).
        fixed: each fixed column's label (as in the student's ``fe_params``) → the spec's term.
        random: each random effect's label (as in ``cov_re``) → ``Intercept`` or a slope's name.
        read: sentences saying how columns with other names were read (for the feedback).
        problem: why the design could not be tied to the data.
    """

    spec: ModelSpec | None
    fixed: Mapping[str, str] = field(default_factory=dict)
    random: Mapping[str, str] = field(default_factory=dict)
    read: tuple[str, ...] = ()
    problem: str | None = None


def tie_design(design: StudentDesign, data: pd.DataFrame) -> Tie:
    """The student's model as a spec over ``data``, found from the design's values.

    >>> from reference.data.hsb import load_hsb
    >>> data = load_hsb()
    >>> centred = data["ses"] - data.groupby("school")["ses"].transform("mean")
    >>> exog = np.column_stack([np.ones(len(data)), data["sector"], centred])
    >>> design = StudentDesign(data["mathach"].to_numpy(), exog,
    ...     ("Intercept", "C(sector)[T.1.0]", "ses_c"), np.ones((len(data), 1)), ("school",),
    ...     data["school"].to_numpy())
    >>> tie = tie_design(design, data)
    >>> tie.spec.formula, tie.spec.re_formula, tie.fixed["C(sector)[T.1.0]"]
    ('mathach ~ sector + ses_c', '1', 'sector')
    >>> tie.spec.derived[0].expr.text(), dict(tie.spec.aliases)
    ('centre(ses)', {'cses': 'ses_c'})
    """
    try:
        order, unsure = _align(design, data)
    except SpecError as exc:
        return Tie(None, problem=str(exc))
    inverse, sure = order_inverse(order), ~unsure
    table = [Candidate(c.expr, c.values[sure]) for c in candidates(data)]
    fixed = _tie_columns(design.exog[inverse][sure], design.exog_names, table)
    random = _tie_columns(design.exog_re[inverse][sure], design.exog_re_names, table)
    if unsure.any() and any(e is None for _, e in (*fixed, *random)):
        return Tie(None, problem="the model's rows could not be matched with the data's")
    if unsure.any() and not _same_rows(design, inverse, unsure, [*fixed, *random], data):
        return Tie(None, problem="the model's rows could not be matched with the data's")
    fixed = _as_given(fixed, design.exog[inverse])
    random = _as_given(random, design.exog_re[inverse])
    apart = _as_given(
        _tie_components(design, inverse, sure, table), _component_matrix(design, inverse)
    )
    return _spec(fixed, random + apart, design, data, independent={label for label, _ in apart})


def _slope_components(design: StudentDesign) -> list[Component]:
    """Variance components that are random slopes by school (one column, groups = schools)."""
    if len(np.unique(design.groups)) <= 1:
        return []
    return [c for c in design.vc if c.kind == "column"]


def _tie_components(
    design: StudentDesign, inverse: np.ndarray, sure: np.ndarray, table: list[Candidate]
) -> list[tuple[str, Expr | None]]:
    return [(c.name, tie_column(c.values[inverse][sure], table)) for c in _slope_components(design)]


def _component_matrix(design: StudentDesign, inverse: np.ndarray) -> np.ndarray:
    columns = [c.values[inverse] for c in _slope_components(design)]
    return np.column_stack(columns) if columns else np.zeros((len(inverse), 0))


def _as_given(
    columns: list[tuple[str, Expr | None]], matrix: np.ndarray
) -> list[tuple[str, Expr | None]]:
    """Columns that match nothing in the data, kept as their values (rows in the data's order)."""
    return [
        (label, expr if expr is not None else _values(label, matrix[:, k]))
        for k, (label, expr) in enumerate(columns)
    ]


def _values(label: str, column: np.ndarray) -> Expr:
    return Expr("values", name=label[:60], data=np.asarray(column, dtype="<f8").tobytes())


def order_inverse(order: np.ndarray) -> np.ndarray:
    """Rows of the student's design in the data's order (``order[i]`` is design row i's data row)."""
    inverse = np.empty_like(order)
    inverse[order] = np.arange(len(order))
    return inverse


def _align(design: StudentDesign, data: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """For each design row, its row in ``data`` (the identity unless the student reordered rows),
    and which data rows are only matched up to their school and response (two students of one
    school with the same mathach: their order is settled by :func:`_same_rows`).

    Raises:
        SpecError: other rows, another response or other groups than the assignment's.
    """
    n, mathach = len(data), data[RESPONSE].to_numpy(dtype=float)
    if len(design.endog) != n:
        raise SpecError(
            f"the model was fitted on {len(design.endog)} rows; the data has {n} students"
        )
    partition = _school_partition(design)
    if _close(design.endog, mathach):
        order = np.arange(n)
    else:
        order = _matched_rows(design.endog, partition, mathach, data[GROUP].to_numpy())
    if not _same_partition(partition[order_inverse(order)], data[GROUP].to_numpy()):
        raise SpecError("the model's groups are not the schools: group by school")
    if np.array_equal(order, np.arange(n)):
        return order, np.zeros(n, dtype=bool)
    keys = pd.DataFrame({"s": data[GROUP].to_numpy(), "y": mathach})
    return order, keys.duplicated(keep=False).to_numpy()


def _same_rows(
    design: StudentDesign,
    inverse: np.ndarray,
    unsure: np.ndarray,
    columns: list[tuple[str, Expr | None]],
    data: pd.DataFrame,
) -> bool:
    """Rows matched only by school and response hold the same values, in some order."""
    from reference.model.derived import evaluate

    mine = np.column_stack([design.exog, design.exog_re])[inverse]
    theirs = np.column_stack([evaluate(e, data) for _, e in columns if e is not None])
    keys = pd.DataFrame({"s": data[GROUP].to_numpy(), "y": data[RESPONSE].to_numpy()})
    for _, rows in keys[unsure].groupby(["s", "y"]).groups.items():
        index = np.asarray(rows)
        if not np.allclose(_sorted_rows(mine[index]), _sorted_rows(theirs[index]), atol=1e-6):
            return False
    return True


def _sorted_rows(matrix: np.ndarray) -> np.ndarray:
    return matrix[np.lexsort(np.round(matrix, 6).T[::-1])]


def _school_partition(design: StudentDesign) -> np.ndarray:
    """The codes that should be the schools: the groups, or a variance component's partition
    when everything is one group (``vc_formula={"school": "0 + C(school)"}``)."""
    if len(np.unique(design.groups)) > 1:
        return design.groups
    parts = [c.values for c in design.vc if c.kind == "partition"]
    return parts[0] if len(parts) == 1 else design.groups


def _matched_rows(
    endog: np.ndarray, groups: np.ndarray, mathach: np.ndarray, schools: np.ndarray
) -> np.ndarray:
    """Match reordered rows by school and response; raises SpecError when they do not match."""
    keys = {_signature(mathach[schools == s]): s for s in np.unique(schools)}
    order = np.empty(len(endog), dtype=int)
    for g in np.unique(groups):
        mine = np.flatnonzero(groups == g)
        school = keys.get(_signature(endog[mine]))
        if school is None:
            raise SpecError("the model's response is not mathach of the assignment's data")
        theirs = np.flatnonzero(schools == school)
        order[mine[np.argsort(endog[mine], kind="stable")]] = theirs[
            np.argsort(mathach[theirs], kind="stable")
        ]
    return order


def _signature(values: np.ndarray) -> tuple[float, ...]:
    return tuple(np.round(np.sort(values), 6).tolist())


def _same_partition(codes: np.ndarray, schools: np.ndarray) -> bool:
    pairs = pd.DataFrame({"code": codes, "school": schools}).drop_duplicates()
    return bool(pairs["code"].is_unique and pairs["school"].is_unique)


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= 1e-6 * max(1.0, np.abs(b).max())))


def _tie_columns(
    matrix: np.ndarray, labels: tuple[str, ...], table: list[Candidate]
) -> list[tuple[str, Expr | None]]:
    return [(label, tie_column(matrix[:, k], table)) for k, label in enumerate(labels)]


def _spec(
    fixed: list[tuple[str, Expr | None]],
    random: list[tuple[str, Expr | None]],
    design: StudentDesign,
    data: pd.DataFrame,
    independent: set[str],
) -> Tie:
    names = _Names(data, [*fixed, *random])
    terms = {label: names.term(expr) for label, expr in fixed if expr is not None}
    slopes = {label: names.term(expr) for label, expr in random if expr is not None}
    slopes.update(_vc_intercept(design))
    if not slopes:
        return Tie(None, problem="the model has no random effect by school")
    intercept = INTERCEPT in terms.values()
    body = " + ".join(t for t in terms.values() if t != INTERCEPT) or "1"
    formula = f"{RESPONSE} ~ {body if intercept else '0 + ' + body}"
    used = {f for name in (*terms.values(), *slopes.values()) for f in name.split(":")}
    apart = tuple(slopes[label] for label in slopes if label in independent)
    spec = make_spec(formula, _re_formula(list(slopes.values())), reml=design.reml,
                     derived=names.derived(), aliases=names.aliases(data, used),
                     independent=apart)  # fmt: skip
    read = tuple(names.sentence(label, expr) for label, expr in (*fixed, *random) if expr)
    return Tie(spec, terms, slopes, tuple(s for s in read if s))


def _vc_intercept(design: StudentDesign) -> dict[str, str]:
    if len(np.unique(design.groups)) > 1:
        return {}
    return {c.name: INTERCEPT for c in design.vc if c.kind == "partition"}


def _re_formula(slopes: list[str]) -> str:
    others = [s for s in slopes if s != INTERCEPT]
    if not others:
        return "1"
    return "~" + ("" if INTERCEPT in slopes else "0 + ") + " + ".join(others)


class _Names:
    """Names for the model's variables: the data's own, else the student's label, else made up."""

    def __init__(self, data: pd.DataFrame, columns: list[tuple[str, Expr | None]]) -> None:
        self._taken = set(map(str, data.columns))
        self._made: dict[str, Derived] = {}
        self._labels = {e.text(): _identifier(label) for label, e in columns if e is not None}
        self._by_text: dict[str, str] = {}

    def term(self, expr: Expr) -> str:
        name = self._term(expr)
        self._by_text[expr.text()] = name
        return name

    def _term(self, expr: Expr) -> str:
        if expr.op == "one":
            return INTERCEPT
        named = self._labels.get(expr.text(), "")
        if expr.op == "mul" and named and named not in self._taken:
            return self._derived(expr)  # a product the student made and named is their variable
        if expr.op == "mul" and all(a.op == "col" for a in expr.args) and _distinct(expr):
            return ":".join(a.name for a in expr.args)
        if expr.op == "mul" and expr.factors() is None:
            return ":".join(self.term(a) for a in expr.args)
        return expr.name if expr.op == "col" else self._derived(expr)

    def _derived(self, expr: Expr) -> str:
        key = expr.text()
        if key not in self._made:
            label = self._labels.get(key, "")
            named = bool(label) and label not in self._taken
            name = self._fresh(label if named else _made_up(expr))
            self._made[key] = Derived(name, expr, named=named)
        return self._made[key].name

    def _fresh(self, wanted: str) -> str:
        name, k = wanted, 2
        while name in self._taken:
            name, k = f"{wanted}_{k}", k + 1
        self._taken.add(name)
        return name

    def derived(self) -> tuple[Derived, ...]:
        return tuple(self._made.values())

    def aliases(self, data: pd.DataFrame, used: set[str]) -> tuple[tuple[str, str], ...]:
        """Other names a student may write for the model's variables: the label they gave a
        column (``ses_c`` for the data's cses), a data column a derived variable nearly equals
        (cses for a hand-centred ses) — never a name the model uses for something else."""
        out: dict[str, str] = {}
        for key, label in self._labels.items():
            name = self._by_text.get(key)
            if label and name and label != name and name != INTERCEPT:
                out.setdefault(label, name)
        for item in self._made.values():
            for name in near_columns(item.expr, data):
                out.setdefault(name, item.name)
        return tuple((k, v) for k, v in out.items() if k not in used)

    def sentence(self, label: str, expr: Expr) -> str:
        name = self.term(expr)
        if expr.op == "values":
            return f"`{label}` matches no column of the data, so it was used as it is"
        if _identifier(label) == name or name == INTERCEPT:
            return ""
        shown = expr.show()
        return f"`{label}` is {shown}" + (f", called {name} here" if name != shown else "")


def near_columns(expr: Expr, data: pd.DataFrame) -> list[str]:
    """Data columns a derived variable nearly equals (a hand-centred ses is close to cses)."""
    from reference.model.derived import evaluate

    values = evaluate(expr, data)
    if np.std(values) == 0:
        return []
    school = school_level_columns(data)
    out = []
    for name in data.columns:
        if name in (GROUP, "student", RESPONSE):
            continue
        other = data[name].to_numpy(dtype=float)
        if np.std(other) > 0 and np.corrcoef(values, other)[0, 1] > 0.999:
            out.append(str(name))
    return [n for n in out if (n in school) == bool(np.all(_constant_within(values, data)))]


def _constant_within(values: np.ndarray, data: pd.DataFrame) -> np.ndarray:
    spread = pd.Series(values).groupby(data[GROUP].to_numpy()).nunique()
    return np.asarray(spread.to_numpy() <= 1)


def _distinct(expr: Expr) -> bool:
    names = [a.name for a in expr.args]
    return len(set(names)) == len(names)


def _identifier(label: str) -> str:
    """The student's label as a variable name, or "" when it is not one (``C(sector)[T.1.0]``)."""
    name = label.strip().lower()
    return name if _IDENTIFIER.match(name) and len(name) <= 40 else ""


def _made_up(expr: Expr) -> str:
    """A readable name for a variable the student did not name: ``ses_centred``, ``mean_ses``."""
    inner = "_".join(sorted(expr.columns())) or "x"
    if expr.op == "affine":
        return f"{inner}_centred" if expr.a == 1 else f"{inner}_scaled"
    return {
        "mean": f"mean_{inner}",
        "centre": f"{inner}_centred",
        "log": f"log_{inner}",
        "log10": f"log10_{inner}",
        "sqrt": f"sqrt_{inner}",
        "eq": f"{inner}_is_{expr.a:g}".replace(".", "_").replace("-", "m"),
        "mul": f"{inner}_product",
        "values": "column",
    }.get(expr.op, f"{inner}_transformed")
