"""Names for the variables of a tied model: the data's own, else the student's, else made up.

A column equal to a data column keeps the data's name (``C(sector)[T.1.0]`` is sector). A derived
column takes the student's label when it is a name (``ses_c``), else a readable made-up one
(``ses_centred``, ``mean_ses``). Other names the student may write in equations become aliases:
the label they gave a data column, and data columns a derived variable nearly equals.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from reference.data.dataset import dataset_of
from reference.data.files import predictor_columns, school_level_columns
from reference.model.derived import Derived, Expr

INTERCEPT = "Intercept"


class Names:
    """Names for the model's variables: the data's own, else the student's label, else made up."""

    def __init__(self, data: pd.DataFrame, columns: list[tuple[str, Expr | None]]) -> None:
        self._taken = set(map(str, data.columns))
        self._made: dict[str, Derived] = {}
        self._labels = {e.text(): _identifier(label) for label, e in columns if e is not None}
        self._levels = {e.text(): level for label, e in columns
                        if e is not None and (level := _level(label))}  # fmt: skip
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
        if key not in self._made:  # the student's name, else the category a dummy stands for
            label = self._labels.get(key, "") or self._levels.get(key, "")
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
        for key, level in self._levels.items():  # "Public" for C(sector)[T.Public]
            name = self._by_text.get(key)
            if name and name != INTERCEPT and level not in self._taken:
                out.setdefault(level, name)
        for item in self._made.values():
            for name in (*near_columns(item.expr, data), *_spellings(item.expr)):
                out.setdefault(name, item.name)
        return tuple((k, v) for k, v in out.items() if k not in used and k != v)

    def sentence(self, label: str, expr: Expr) -> str:
        name = self.term(expr)
        if expr.op == "values":
            return f"`{label}` matches no column of the data, so it was used as it is"
        if label.strip().lower() == name or name == INTERCEPT:
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
    for name in predictor_columns(data):
        other = data[name].to_numpy(dtype=float)
        if np.std(other) > 0 and np.corrcoef(values, other)[0, 1] > 0.999:
            out.append(str(name))
    return [n for n in out if (n in school) == bool(np.all(_constant_within(values, data)))]


def _constant_within(values: np.ndarray, data: pd.DataFrame) -> np.ndarray:
    spread = pd.Series(values).groupby(data[dataset_of(data).group].to_numpy()).nunique()
    return np.asarray(spread.to_numpy() <= 1)


def _distinct(expr: Expr) -> bool:
    names = [a.name for a in expr.args]
    return len(set(names)) == len(names)


def _identifier(label: str) -> str:
    """The student's label as a variable name, or "" when it is not one (``C(sector)[T.1.0]``)."""
    name = label.strip().lower()
    return name if _IDENTIFIER.match(name) and len(name) <= 40 else ""


def _level(label: str) -> str:
    """The category a dummy's label names, as a variable name (``public`` for patsy's
    ``C(sector)[T.Public]``), or "" (a numeric level names nothing a student would write).

    >>> _level("C(sector)[T.Public]"), _level("minority[T.Yes]"), _level("C(sector)[T.1.0]")
    ('public', 'yes', '')
    """
    start = label.rfind("[T.")
    if start < 0 or not label.endswith("]"):
        return ""
    return _identifier(label[start + 3 : -1].replace(" ", "_"))


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
        # no segment may start with a digit: "sector_is_0_j" would not read as a variable
        "eq": f"{inner}_eq{expr.a:g}".replace(".", "p").replace("-", "m"),
        "mul": f"{inner}_product",
        "values": "column",
    }.get(expr.op, f"{inner}_transformed")


_IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*\Z")


def _spellings(expr: Expr) -> tuple[str, ...]:
    """How students name a transformed column in equations: ``log_size``, ``ln_size``."""
    if expr.op not in ("log", "log10", "sqrt", "mean") or expr.args[0].op != "col":
        return ()
    column = expr.args[0].name
    names = {"log": (f"log_{column}", f"ln_{column}"), "log10": (f"log10_{column}",),
             "sqrt": (f"sqrt_{column}",), "mean": (f"mean_{column}", f"{column}_mean")}  # fmt: skip
    return names[expr.op]
