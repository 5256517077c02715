"""Grading configuration: an assignment's ``grading.toml``, the one source of points, tolerances,
credit, policies and limits, read into a frozen dataclass and checked as a whole.

Every key is required (there are no defaults in code): a part without points, a known mistake
without its credit or a policy left out is an error, and so is an unknown key, so a typo never
silently falls back to something. ``[messages]`` rewords sentences of the assignment's catalogue
(see :mod:`grader.assignment.catalogue`), checked against the same keys and fields.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, cast

from grader.assignment.catalogue import Catalogue
from grader.errors import ConfigError

Policy = Literal["full", "half", "none"]
GRADING_FILE = "grading.toml"

#: The parts the engine can judge (one check each), in no particular order.
PART_IDS = frozenset({
    "icc", "final_model", "level_equations", "combined_equation", "effect_lists", "fixed_estimates",
    "combined_with_estimates", "aic_change", "residual_variance_change", "forecast",
})  # fmt: skip
#: The known mistakes the checks recognise; ``[credit]`` gives each its share of a part's points.
MISTAKES = ("icc_inverted", "percent", "aic_sign", "aic_reml", "variance_tau", "variance_sign",
            "forecast_dropped_term", "forecast_random_effect")  # fmt: skip


@dataclass(frozen=True, slots=True)
class PartConfig:
    """One graded part: its points, title and numeric tolerance ``atol + rtol·|expected|``."""

    id: str
    title: str
    points: float
    atol: float = 0.0
    rtol: float = 0.0


@dataclass(frozen=True, slots=True)
class GradingConfig:
    """Everything an instructor may tune, as the assignment's ``grading.toml`` says.

    Attributes:
        parts: the graded parts in report order.
        error_carried_forward: credit for answers consistent with the student's own (sub-optimal)
            fit: ``full``, ``half`` or ``none``.
        reveal_expected: show expected values in feedback (instructor grading after the deadline).
        optimum_tolerance: log-likelihood units a student's fit may fall short of the optimum.
        optimum_share: share of ``final_model``'s points that reaching the optimum is worth.
        reml_share: share of ``final_model``'s points lost when the final model is fitted by REML.
        messages: the assignment's sentences, with ``[messages]``' rewordings.
        credit: share of a part's points for each known mistake (:data:`MISTAKES`).
        cell_timeout, total_timeout, memory_mb: limits of a notebook run.
    """

    parts: tuple[PartConfig, ...]
    error_carried_forward: Policy
    reveal_expected: bool
    optimum_tolerance: float
    optimum_share: float
    reml_share: float
    messages: Catalogue
    credit: Mapping[str, float]
    cell_timeout: float
    total_timeout: float
    memory_mb: int

    def part(self, part_id: str) -> PartConfig:
        return next(p for p in self.parts if p.id == part_id)

    @property
    def max_score(self) -> float:
        return sum(p.points for p in self.parts)

    def credit_for(self, mistake: str) -> float:
        """The share of a part's points a known mistake earns."""
        return float(self.credit[mistake])

    @property
    def ecf_factor(self) -> float:
        return {"full": 1.0, "half": 0.5, "none": 0.0}[self.error_carried_forward]

    def say(self, key: str, /, **fields: Any) -> str:
        """A sentence of the catalogue (see :meth:`Catalogue.say`)."""
        return self.messages.say(key, **fields)


def read_grading(path: Path) -> dict[str, Any]:
    """A grading TOML, parsed.

    Raises:
        ConfigError: the file is missing or not valid TOML.
    """
    if not path.is_file():
        raise ConfigError(f"grading config {path} does not exist.")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"grading config {path} is not valid TOML: {exc}") from None


def grading_from(doc: Mapping[str, Any], catalogue: Catalogue, *, source: str) -> GradingConfig:
    """The configuration a parsed grading TOML states, every key checked.

    Raises:
        ConfigError: an unknown, missing or ill-typed key, or a bad sentence in ``[messages]``.
    """
    data = dict(doc)
    parts = _parts(data.pop("parts", None), source)
    messages = catalogue.with_overrides(data.pop("messages", {}), f"{source} [messages]")
    policies = _typed(data.pop("policies", None), _POLICY_KEYS, f"{source} [policies]")
    limits = _typed(data.pop("limits", None), _LIMIT_KEYS, f"{source} [limits]")
    credit = _credit(data.pop("credit", None), f"{source} [credit]")
    if data:
        raise ConfigError(f"{source}: unknown section(s) {', '.join(sorted(data))}.")
    if policies["error_carried_forward"] not in {"full", "half", "none"}:
        raise ConfigError(f"{source}: error_carried_forward must be 'full', 'half' or 'none'.")
    return GradingConfig(
        parts=parts,
        error_carried_forward=cast(Policy, policies["error_carried_forward"]),
        reveal_expected=bool(policies["reveal_expected"]),
        optimum_tolerance=float(policies["optimum_tolerance"]),
        optimum_share=float(policies["optimum_share"]),
        reml_share=float(policies["reml_share"]),
        messages=messages,
        credit=credit,
        cell_timeout=float(limits["cell_timeout"]),
        total_timeout=float(limits["total_timeout"]),
        memory_mb=int(limits["memory_mb"]),
    )


_Keys = dict[str, type | tuple[type, ...]]
_NUMBER = (int, float)
_POLICY_KEYS: _Keys = {"error_carried_forward": str, "reveal_expected": bool,
                       "optimum_tolerance": _NUMBER, "optimum_share": _NUMBER,
                       "reml_share": _NUMBER}  # fmt: skip
_LIMIT_KEYS: _Keys = {"cell_timeout": _NUMBER, "total_timeout": _NUMBER, "memory_mb": int}
_PART_KEYS: _Keys = {"title": str, "points": _NUMBER, "atol": _NUMBER, "rtol": _NUMBER}
_OPTIONAL = frozenset({"atol", "rtol"})  # no tolerance is a tolerance of 0: exact


def _typed(table: object, keys: _Keys, source: str) -> dict[str, Any]:
    """A table with exactly ``keys`` (those in :data:`_OPTIONAL` may be left out), each typed."""
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: the table is missing.")
    for key, value in table.items():
        if key not in keys:
            raise ConfigError(f"{source}: unknown key {key!r}; known: {', '.join(keys)}.")
        if isinstance(value, bool) is not (keys[key] is bool) or not isinstance(value, keys[key]):
            raise ConfigError(f"{source}: {key} has the wrong type ({type(value).__name__}).")
    missing = [k for k in keys if k not in table and k not in _OPTIONAL]
    if missing:
        raise ConfigError(f"{source}: {', '.join(missing)} missing; every key is required.")
    return dict(table)


def _credit(table: object, source: str) -> Mapping[str, float]:
    """``[credit]``: every known mistake code, with a share between 0 and 1."""
    given = _typed(table, dict.fromkeys(MISTAKES, _NUMBER), source)
    bad = [k for k, v in given.items() if not 0 <= v <= 1]
    if bad:
        raise ConfigError(f"{source}: {', '.join(bad)} must be between 0 and 1.")
    return MappingProxyType({k: float(given[k]) for k in MISTAKES})


def _parts(table: object, source: str) -> tuple[PartConfig, ...]:
    if not isinstance(table, dict) or not table:
        raise ConfigError(f"{source}: [parts] must hold one table per graded part.")
    unknown = sorted(set(table) - PART_IDS)
    if unknown:
        raise ConfigError(f"{source}: unknown part(s) {', '.join(unknown)}; the parts the "
                          f"grader can judge are {', '.join(sorted(PART_IDS))}.")  # fmt: skip
    out = []
    for part_id, raw in table.items():
        fields = _typed(raw, _PART_KEYS, f"{source} [parts.{part_id}]")
        # Numbers as written (10 stays 10: nbgrader's cell metadata shows them).
        out.append(PartConfig(part_id, fields["title"], fields["points"],
                              fields.get("atol", 0.0), fields.get("rtol", 0.0)))  # fmt: skip
    return tuple(out)
