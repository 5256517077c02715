"""Reading the answers a notebook emitted: untrusted JSON in, validated values out.

The extraction step (:mod:`grader.kernel.extract`) runs in the student's kernel, so its file is
treated as hostile: size-capped, parsed with the standard library only, and every field type-checked.
A wrong or unreadable answer becomes an :class:`Invalid` value (graded as invalid), never an exception;
only a file that is not valid answer JSON at all raises :class:`AnswerError`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from grader.errors import AnswerError

MAX_ANSWER_BYTES = 4_000_000
Encoded = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Invalid:
    """An answer that is present but unusable; ``reason`` is said to the student."""

    reason: str


@dataclass(frozen=True, slots=True)
class StudentModel:
    """What the grader needs to know of a fitted MixedLM found in the notebook."""

    variable: str
    formula: str | None
    re_names: tuple[str, ...]
    method: str
    fe_params: dict[str, float]
    cov_re: tuple[tuple[float, ...], ...]
    scale: float
    llf: float
    aic: float
    n_obs: int
    n_groups: int
    converged: bool

    @property
    def reml(self) -> bool:
        return self.method.upper() == "REML"

    @property
    def random_intercept(self) -> bool:
        return any(n in {"Group", "Intercept", "1"} for n in self.re_names)

    @property
    def random_slopes(self) -> tuple[str, ...]:
        return tuple(n for n in self.re_names if n not in {"Group", "Intercept", "1"})

    @property
    def re_formula(self) -> str:
        """The random part as a statsmodels re_formula."""
        if not self.random_slopes:
            return "1"
        prefix = "" if self.random_intercept else "0 + "
        return "~" + prefix + " + ".join(self.random_slopes)

    @property
    def tau00(self) -> float:
        if not self.random_intercept or not self.cov_re:
            return math.nan
        index = next(i for i, n in enumerate(self.re_names) if n in {"Group", "Intercept", "1"})
        return self.cov_re[index][index]


@dataclass(frozen=True, slots=True)
class Submission:
    """Everything read from one notebook's answers file."""

    answers: dict[str, Encoded] = field(default_factory=dict)
    models: dict[str, StudentModel | Invalid] = field(default_factory=dict)
    scalars: dict[str, float] = field(default_factory=dict)
    values: dict[str, Encoded] = field(default_factory=dict)


def parse_answers(raw: bytes) -> Submission:
    """Validate the extraction file's bytes.

    Raises:
        AnswerError: the bytes are too large, not JSON, or not the extraction's format.
    """
    if len(raw) > MAX_ANSWER_BYTES:
        raise AnswerError(
            f"the answers take {len(raw):,} bytes, more than the {MAX_ANSWER_BYTES:,} allowed; "
            "keep answers to numbers, short lists and equations."
        )
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise AnswerError(
            "the file the grader's last cell wrote is not valid JSON (did code in the notebook "
            "change json or the answers while they were saved?)."
        ) from None
    if not isinstance(data, dict) or data.get("version") != 1:
        raise AnswerError("the answers file has an unknown format.")
    return Submission(
        answers=_encoded_dict(data.get("answers")),
        models={k: to_model(k, v) for k, v in _encoded_dict(data.get("models")).items()},
        scalars=_finite_scalars(_encoded_dict(data.get("scalars"))),
        values=_encoded_dict(data.get("values")),
    )


def _finite_scalars(encoded: dict[str, Encoded]) -> dict[str, float]:
    out = {}
    for name, enc in encoded.items():
        value = number_of(enc)
        if isinstance(value, float) and math.isfinite(value):
            out[name] = value
    return out


def _reject_constant(name: str) -> float:
    raise ValueError(name)


def _encoded_dict(value: object) -> dict[str, Encoded]:
    if not isinstance(value, dict):
        return {}
    return {str(k)[:100]: v for k, v in value.items() if isinstance(v, dict)}


def number_of(enc: Encoded | None) -> float | Invalid:
    """A number answer as a float (nan and inf kept as such), or why it is not one."""
    if enc is None:
        return Invalid("missing")
    kind = enc.get("type")
    if kind == "number":
        special = enc.get("special")
        if isinstance(special, str) and special in {"nan", "inf", "-inf"}:
            return float(special)
        value = enc.get("value")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    if kind == "list" and len(items := _items(enc)) == 1 and isinstance(items[0], dict):
        return number_of(items[0])
    if kind == "string":
        return _number_from_text(str(enc.get("value", "")))
    return Invalid(_describe(enc, "a number"))


def _items(enc: Encoded) -> list[Any]:
    """A list or mapping answer's items; anything but a list (forged data) counts as none."""
    items = enc.get("items")
    return items if isinstance(items, list) else []


def _number_from_text(text: str) -> float | Invalid:
    try:
        return float(text.strip().rstrip("%")) / (100.0 if text.strip().endswith("%") else 1.0)
    except ValueError:
        return Invalid(f"a string ({text[:40]!r}) where a number was expected")


def names_of(enc: Encoded | None) -> tuple[str, ...] | Invalid:
    """A list-of-names answer; sympy symbols are read by their names."""
    if enc is None:
        return Invalid("missing")
    if enc.get("type") == "mapping":  # e.g. fe_params.to_dict(): its keys are the names
        pairs = _items(enc)
        return tuple(str(p[0]) for p in pairs if isinstance(p, list) and p)
    if enc.get("type") != "list":
        return Invalid(_describe(enc, "a list of names"))
    out: list[str] = []
    for item in _items(enc):
        name = _name_of(item)
        if name is None:
            return Invalid("a list whose items are not all names (strings)")
        out.append(name)
    return tuple(out)


def _name_of(item: object) -> str | None:
    if not isinstance(item, dict):
        return None
    if item.get("type") == "string" and isinstance(item.get("value"), str):
        return str(item["value"])
    tree = item.get("tree")
    if item.get("type") == "sympy" and isinstance(tree, dict) and tree.get("op") == "Symbol":
        name = tree.get("name")
        return name if isinstance(name, str) else None
    return None


def estimates_of(enc: Encoded | None) -> dict[str, float] | Invalid:
    """A ``{term: estimate}`` answer (dict, pandas Series, or one-column DataFrame)."""
    if enc is None:
        return Invalid("missing")
    if enc.get("type") != "mapping":
        return Invalid(_describe(enc, "a dict {term: estimate}"))
    out: dict[str, float] = {}
    for pair in _items(enc):
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
            return Invalid("a mapping that could not be read")
        value = number_of(pair[1] if isinstance(pair[1], dict) else None)
        if isinstance(value, Invalid):
            return Invalid(f"the estimate for {pair[0]!r} is not a number")
        out[pair[0]] = value
    return out


def tree_of(enc: Encoded | None) -> dict[str, Any] | list[dict[str, Any]] | Invalid:
    """The serialised sympy tree(s) of an equation answer (a list for several equations)."""
    if enc is None:
        return Invalid("missing")
    if enc.get("type") == "sympy" and isinstance(enc.get("tree"), dict):
        tree: dict[str, Any] = enc["tree"]
        return tree
    if enc.get("type") == "list":
        trees = [tree_of(i) if isinstance(i, dict) else Invalid("?") for i in _items(enc)]
        if all(isinstance(t, dict) for t in trees):
            return [t for t in trees if isinstance(t, dict)]
        return Invalid("a list whose items are not all sympy equations")
    return Invalid(_describe(enc, "a sympy equation (Eq) written with reference.notation"))


def to_model(variable: str, enc: Encoded) -> StudentModel | Invalid:
    """Validate one fitted-model record."""
    try:
        return StudentModel(
            variable=variable,
            formula=enc["formula"] if isinstance(enc.get("formula"), str) else None,
            re_names=tuple(str(n) for n in enc["re_names"]),
            method=str(enc["method"]),
            fe_params={str(k): _finite_or_nan(v) for k, v in enc["fe_params"]},
            cov_re=tuple(tuple(_finite_or_nan(x) for x in row) for row in enc["cov_re"]),
            scale=_finite_or_nan(enc["scale"]),
            llf=_finite_or_nan(enc["llf"]),
            aic=_finite_or_nan(enc["aic"]),
            n_obs=int(enc["n_obs"]),
            n_groups=int(enc["n_groups"]),
            converged=bool(enc.get("converged")),
        )
    except (KeyError, TypeError, ValueError):
        return Invalid(f"the fitted model in `{variable}` could not be read")


def _finite_or_nan(enc: object) -> float:
    value = number_of(enc if isinstance(enc, dict) else None)
    return value if isinstance(value, float) else math.nan


def _describe(enc: Encoded, wanted: str) -> str:
    kind = enc.get("type")
    if kind == "invalid":
        return f"the value {enc.get('reason', 'could not be read')}"
    if kind == "unsupported":
        return f"a {str(enc.get('pytype', 'object'))[:80]} where {wanted} was expected"
    if kind == "none":
        return f"None where {wanted} was expected"
    if kind == "number":  # only a forged or damaged record is a number that is not one
        return "a number whose record could not be read"
    return f"a {kind} where {wanted} was expected"
