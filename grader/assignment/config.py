"""Grading configuration: one frozen dataclass with defaults in code, overridden by a TOML file.

The assignment's ``grading.toml`` may change points, titles, tolerances, policies and any feedback
message (see :mod:`grader.assignment.messages` for the keys). Unknown keys are errors, so a typo never silently
falls back to a default.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from grader.errors import ConfigError

Policy = Literal["full", "half", "none"]


@dataclass(frozen=True, slots=True)
class PartConfig:
    """One graded part: its points, title and numeric tolerance ``atol + rtol·|expected|``."""

    id: str
    title: str
    points: float
    atol: float = 0.0
    rtol: float = 0.0


DEFAULT_PARTS: tuple[PartConfig, ...] = (
    PartConfig("icc", "Unconditional model and ICC", 10, atol=0.0015),
    PartConfig("final_model", "Final model: requirements and fit", 15),
    PartConfig("level_equations", "Level-1 and level-2 equations", 15),
    PartConfig("combined_equation", "Combined (mixed) model", 10),
    PartConfig("effect_lists", "Fixed and random effects", 5),
    PartConfig("fixed_estimates", "Estimates of the fixed effects", 10, atol=0.01),
    PartConfig("combined_with_estimates", "Combined model with estimates", 10, atol=0.01),
    PartConfig("aic_change", "Change in AIC", 10, atol=0.05),
    PartConfig("residual_variance_change", "Relative change in level-1 variance", 5, atol=0.0015),
    PartConfig("forecast", "Forecast for the given student", 10, atol=0.01),
)


#: Share of a part's points for an answer that matches a known mistake, by mistake code. A
#: course's choice: a reversed sign or a percentage shows the right computation reported wrongly
#: (half credit); a wrong quantity (σ²/(τ00+σ²), τ00 for σ², REML AICs) earns none.
DEFAULT_CREDIT: Mapping[str, float] = MappingProxyType({
    "icc_inverted": 0.0,
    "percent": 0.5,
    "aic_sign": 0.5,
    "aic_reml": 0.0,
    "variance_tau": 0.0,
    "variance_sign": 0.5,
    "forecast_dropped_term": 0.5,
    "forecast_random_effect": 0.5,
})  # fmt: skip


@dataclass(frozen=True, slots=True)
class GradingConfig:
    """Everything an instructor may tune, with the assignment's defaults.

    Attributes:
        parts: the graded parts in report order.
        error_carried_forward: credit for answers consistent with the student's own (sub-optimal)
            fit: ``full``, ``half`` or ``none``.
        reveal_expected: show expected values in feedback (instructor grading after the deadline).
        optimum_tolerance: log-likelihood units a student's fit may fall short of the optimum.
        optimum_share: share of ``final_model``'s points that reaching the optimum is worth.
        reml_share: share of ``final_model``'s points lost when the final model is fitted by REML.
        messages: feedback templates overriding :data:`grader.assignment.messages.MESSAGES` by key.
        credit: share of a part's points for each known mistake (see :data:`DEFAULT_CREDIT`).
        cell_timeout, total_timeout, memory_mb: limits of a notebook run.
    """

    parts: tuple[PartConfig, ...] = DEFAULT_PARTS
    error_carried_forward: Policy = "full"
    reveal_expected: bool = False
    optimum_tolerance: float = 0.05
    optimum_share: float = 1 / 3
    reml_share: float = 1 / 3
    messages: MappingProxyType[str, str] = field(default_factory=lambda: MappingProxyType({}))
    credit: Mapping[str, float] = field(default_factory=lambda: DEFAULT_CREDIT)
    cell_timeout: float = 300.0
    total_timeout: float = 900.0
    memory_mb: int = 4096

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


def default_config_path() -> Path:
    return Path(str(resources.files("assignments").joinpath("hlm", "grading.toml")))


def load_config(path: str | Path | None = None) -> GradingConfig:
    """Read a grading TOML (the assignment's own by default) over the defaults.

    Raises:
        ConfigError: unreadable TOML, an unknown key, or a value of the wrong type.
    """
    target = Path(path) if path is not None else default_config_path()
    if not target.is_file():
        if path is None:
            return GradingConfig()
        raise ConfigError(f"grading config {target} does not exist.")
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"grading config {target} is not valid TOML: {exc}") from None
    return apply_overrides(GradingConfig(), data, source=str(target))


def apply_overrides(config: GradingConfig, data: dict[str, Any], *, source: str) -> GradingConfig:
    """Return ``config`` with a parsed TOML document's values applied."""
    data = dict(data)
    parts = _parts(config.parts, data.pop("parts", {}), source)
    messages = data.pop("messages", {})
    if not isinstance(messages, dict) or not all(isinstance(v, str) for v in messages.values()):
        raise ConfigError(f"{source}: [messages] must map message keys to strings.")
    policies = data.pop("policies", {})
    limits = data.pop("limits", {})
    credit = _credit(config.credit, data.pop("credit", {}), source)
    if data:
        raise ConfigError(f"{source}: unknown section(s) {', '.join(sorted(data))}.")
    changes = {**_typed(policies, _POLICY_KEYS, source), **_typed(limits, _LIMIT_KEYS, source)}
    return replace(config, parts=parts, messages=MappingProxyType(dict(messages)),
                   credit=credit, **changes)  # fmt: skip


def _credit(defaults: Mapping[str, float], table: object, source: str) -> Mapping[str, float]:
    """``[credit]``: known mistake codes to shares between 0 and 1."""
    keys: dict[str, type | tuple[type, ...]] = dict.fromkeys(defaults, (int, float))
    given = _typed(table, keys, f"{source} [credit]")
    bad = [k for k, v in given.items() if not 0 <= v <= 1]
    if bad:
        raise ConfigError(f"{source} [credit]: {', '.join(bad)} must be between 0 and 1.")
    return MappingProxyType({**defaults, **{k: float(v) for k, v in given.items()}})


_POLICY_KEYS: dict[str, type | tuple[type, ...]] = {
    "error_carried_forward": str,
    "reveal_expected": bool,
    "optimum_tolerance": (int, float),
    "optimum_share": (int, float),
    "reml_share": (int, float),
}
_LIMIT_KEYS: dict[str, type | tuple[type, ...]] = {
    "cell_timeout": (int, float),
    "total_timeout": (int, float),
    "memory_mb": int,
}


def _typed(table: object, keys: dict[str, type | tuple[type, ...]], source: str) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: expected a table, found {type(table).__name__}.")
    for key, value in table.items():
        if key not in keys:
            raise ConfigError(f"{source}: unknown key {key!r}; known: {', '.join(keys)}.")
        if isinstance(value, bool) is not (keys[key] is bool) or not isinstance(value, keys[key]):
            raise ConfigError(f"{source}: {key} has the wrong type ({type(value).__name__}).")
    if table.get("error_carried_forward", "full") not in {"full", "half", "none"}:
        raise ConfigError(f"{source}: error_carried_forward must be 'full', 'half' or 'none'.")
    return dict(table)


def _parts(defaults: tuple[PartConfig, ...], table: object, source: str) -> tuple[PartConfig, ...]:
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: [parts] must be a table of part tables.")
    known = {p.id: p for p in defaults}
    unknown = set(table) - set(known)
    if unknown:
        raise ConfigError(
            f"{source}: unknown part(s) {', '.join(sorted(unknown))}; parts are {', '.join(known)}."
        )
    keys: dict[str, type | tuple[type, ...]] = {
        "title": str, "points": (int, float), "atol": (int, float), "rtol": (int, float)
    }  # fmt: skip
    return tuple(
        replace(p, **_typed(table.get(p.id, {}), keys, f"{source} [parts.{p.id}]"))
        for p in defaults
    )
